import type { FastifyReply } from 'fastify';

/** A download: the bytes with their type, and a file name the browser saves them under. */
export interface DownloadFile {
  readonly bytes: Buffer;
  readonly contentType: string;
  readonly filename: string;
}

export async function sendFile(reply: FastifyReply, file: DownloadFile): Promise<void> {
  // RFC 6266: an ASCII fallback and the UTF-8 name for names with other characters.
  const ascii = file.filename.replace(/[^\w.-]/g, '_');
  await reply
    .status(200)
    .header('content-type', file.contentType)
    .header(
      'content-disposition',
      `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(file.filename)}`,
    )
    .header('cache-control', 'no-store')
    .send(file.bytes);
}
