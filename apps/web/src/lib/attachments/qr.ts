import QRCode from 'qrcode';
import type { Attachment } from 'svelte/attachments';

/**
 * A QR code of `value` drawn on a canvas: `<canvas {@attach qr(url)}></canvas>`. For addresses
 * to open on another device (a TV's link, a Telegram link): dark on light with a quiet zone, as
 * phone cameras read it best. Svelte re-runs it when the value changes.
 */
export function qr(value: string, width = 220): Attachment<HTMLCanvasElement> {
  return (canvas) => {
    void QRCode.toCanvas(canvas, value, { width, margin: 2 }).catch(() => undefined);
  };
}
