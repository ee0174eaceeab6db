import { HttpException } from '@nestjs/common';
import sharp from 'sharp';
import { fieldError } from '../common/http-errors.js';

/** What a prize picture may be: a photo for a TV, not a decompression bomb (≈ 5000 × 5000). */
export const MAX_IMAGE_PIXELS = 25_000_000;

type ImageFormat = 'png' | 'jpeg' | 'webp' | 'gif';

/**
 * The formats accepted, recognised by their first bytes (not by what the client says), and
 * where each file ends: whatever follows the end (an HTML page appended to make an image/HTML
 * hybrid, say) is no part of the picture.
 */
const FORMATS: {
  format: ImageFormat;
  type: string;
  test: (bytes: Buffer) => boolean;
  endsAt: (bytes: Buffer) => number | null;
}[] = [
  {
    format: 'png',
    type: 'image/png',
    test: (b) =>
      b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])),
    endsAt: pngEnd,
  },
  {
    format: 'jpeg',
    type: 'image/jpeg',
    test: (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff,
    // The end-of-image marker closes the file; a JPEG has no length of its own to check.
    endsAt: (b) =>
      b.length >= 4 && b[b.length - 2] === 0xff && b[b.length - 1] === 0xd9 ? b.length : null,
  },
  {
    format: 'webp',
    type: 'image/webp',
    test: (b) =>
      b.subarray(0, 4).toString('latin1') === 'RIFF' &&
      b.subarray(8, 12).toString('latin1') === 'WEBP',
    // The RIFF header holds the size of what follows it.
    endsAt: (b) => 8 + b.readUInt32LE(4),
  },
  {
    format: 'gif',
    type: 'image/gif',
    test: (b) => b.subarray(0, 6).toString('latin1').startsWith('GIF8'),
    // The trailer byte 0x3B closes the file.
    endsAt: (b) => (b[b.length - 1] === 0x3b ? b.length : null),
  },
];

/** Where a PNG's IEND chunk ends, walking the chunks (length, type, data, CRC); null if none. */
function pngEnd(bytes: Buffer): number | null {
  let offset = 8;
  while (offset + 12 <= bytes.length) {
    const length = bytes.readUInt32BE(offset);
    const type = bytes.subarray(offset + 4, offset + 8).toString('latin1');
    offset += 12 + length;
    if (type === 'IEND') return offset;
  }
  return null;
}

const refused = (
  message: string,
  code: 'imageFormat' | 'imageCorrupt' | 'imagePixels',
  params?: { max: number },
) => fieldError('image', message, code, params);

/**
 * A prize picture as Podium stores and serves it: decoded and encoded again by sharp (libvips),
 * so only pixels reach the store — no metadata, no appended bytes, nothing a browser could take
 * for a page. Refused with a 400 naming `image`: anything that is not one whole PNG, JPEG, WebP
 * or GIF, and a picture of more than {@link MAX_IMAGE_PIXELS} pixels (checked from the header,
 * before any pixel is decoded).
 */
export async function reencodePrizeImage(
  bytes: Buffer,
): Promise<{ bytes: Buffer; contentType: string }> {
  const kind = FORMATS.find((each) => each.test(bytes));
  if (kind === undefined) {
    throw refused(
      'must be a PNG, JPEG, WebP or GIF image (recognised by its content)',
      'imageFormat',
    );
  }
  if (kind.endsAt(bytes) !== bytes.length) {
    throw refused(
      `holds data after the end of the image (or is cut short); save it again as a plain ${kind.format.toUpperCase()}`,
      'imageCorrupt',
    );
  }
  try {
    const input = sharp(bytes, {
      limitInputPixels: MAX_IMAGE_PIXELS,
      // Every frame of an animated GIF or WebP, each counted against the pixel limit.
      animated: kind.format === 'gif' || kind.format === 'webp',
      failOn: 'error',
    });
    const metadata = await input.metadata();
    if (metadata.format !== kind.format) {
      throw refused(`must be a whole ${kind.format.toUpperCase()} image`, 'imageCorrupt');
    }
    // Turned upright by its EXIF orientation, since the metadata saying how is dropped.
    const output = await input.rotate().toFormat(kind.format).toBuffer();
    return { bytes: output, contentType: kind.type };
  } catch (error) {
    if (error instanceof Error && /pixel limit/i.test(error.message)) {
      throw refused(
        `must have at most ${MAX_IMAGE_PIXELS} pixels (width × height)`,
        'imagePixels',
        {
          max: MAX_IMAGE_PIXELS,
        },
      );
    }
    if (error instanceof HttpException) throw error;
    throw refused(
      `cannot be decoded as a ${kind.format.toUpperCase()} image (${error instanceof Error ? error.message : String(error)})`,
      'imageCorrupt',
    );
  }
}
