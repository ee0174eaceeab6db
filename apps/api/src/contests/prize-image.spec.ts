import { crc32 } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import sharp from 'sharp';
import { exampleContestFile } from '../../../../tests/support/contest-files.js';
import { createTestDatabase, type TestDatabase } from '../../../../tests/support/database.js';
import { call, createAdminApp, request } from '../../../../tests/support/http.js';
import type { TestApp } from '../../../../tests/support/app.js';
import { createCanvas, encodePng, fill } from '../demo/png.js';

/** A small picture, encoded by the demo's own PNG writer (not by the library under test). */
function picture(): Buffer {
  const canvas = createCanvas(64, 48);
  fill(canvas, (x, y) => [x * 4, y * 5, 128, 255]);
  return encodePng(canvas);
}

/** The PNG with its header (IHDR) claiming another size, its checksum made right again. */
function claimingSize(png: Buffer, width: number, height: number): Buffer {
  const forged = Buffer.from(png);
  // Signature (8), chunk length (4), "IHDR" (4), then width and height.
  forged.writeUInt32BE(width, 16);
  forged.writeUInt32BE(height, 20);
  forged.writeUInt32BE(crc32(forged.subarray(12, 29)) >>> 0, 29);
  return forged;
}

describe('prize images', () => {
  let database: TestDatabase;
  let sut: TestApp;
  let token: string;
  let contestId: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    ({ sut, token } = await createAdminApp(database.url));
    const created = await call<{ id: string }>(sut.url, 'POST', '/api/contests', {
      token,
      body: await exampleContestFile(),
    });
    expect(created.status).toBe(201);
    contestId = created.body.id;
  });

  afterAll(async () => {
    await sut?.close();
    await database?.drop();
  });

  const put = (bytes: Uint8Array, contentType = 'image/png') =>
    call<{ issues?: { path: string; message: string }[] }>(
      sut.url,
      'PUT',
      `/api/contests/${contestId}/prizes/1/image`,
      { token, raw: bytes, headers: { 'content-type': contentType } },
    );
  const served = async () => {
    const response = await request(sut.url, 'GET', `/api/contests/${contestId}/prizes/1/image`);
    return {
      status: response.status,
      type: response.headers.get('content-type'),
      bytes: Buffer.from(await response.arrayBuffer()),
    };
  };

  it('stores and serves a valid image re-encoded, decodable and the same size', async () => {
    const original = picture();
    const answer = await put(original);
    expect(answer.status).toBe(200);
    const image = await served();
    expect(image.status).toBe(200);
    expect(image.type).toBe('image/png');
    expect(image.bytes.equals(original)).toBe(false);
    const metadata = await sharp(image.bytes).metadata();
    expect({ format: metadata.format, width: metadata.width, height: metadata.height }).toEqual({
      format: 'png',
      width: 64,
      height: 48,
    });
  });

  it.each([
    [
      'a PNG with HTML appended',
      () =>
        Buffer.concat([picture(), Buffer.from('<html><script>alert(document.cookie)</script>')]),
      'image/png',
      'after the end of the image',
      'imageCorrupt',
    ],
    [
      'an HTML page sent as a PNG',
      () => Buffer.from('<!doctype html><html><script>alert(1)</script></html>'),
      'image/png',
      'PNG, JPEG, WebP or GIF',
      'imageFormat',
    ],
    [
      'a PNG whose header claims 60000×60000 pixels',
      () => claimingSize(picture(), 60_000, 60_000),
      'image/png',
      'pixels',
      'imagePixels',
    ],
  ])(
    'refuses %s with a 400 naming the image, and keeps the stored one',
    async (_, bytes, type, rule, code) => {
      const before = await served();
      const answer = await put(bytes(), type);
      expect(answer.status).toBe(400);
      expect(answer.body.issues).toEqual([
        {
          path: 'image',
          message: expect.stringContaining(rule),
          code,
          ...(code === 'imagePixels' ? { params: { max: expect.any(Number) } } : {}),
        },
      ]);
      const after = await served();
      expect(after.bytes.equals(before.bytes)).toBe(true);
    },
  );
});
