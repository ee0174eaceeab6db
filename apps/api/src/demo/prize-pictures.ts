import { createCanvas, encodePng, fill, type Rgba } from './png.js';

const WIDTH = 480;
const HEIGHT = 320;

type Shape = (x: number, y: number) => boolean;

const circle =
  (cx: number, cy: number, r: number): Shape =>
  (x, y) =>
    (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
const rect =
  (x0: number, y0: number, x1: number, y1: number): Shape =>
  (x, y) =>
    x >= x0 && x < x1 && y >= y0 && y < y1;
const any =
  (...shapes: Shape[]): Shape =>
  (x, y) =>
    shapes.some((shape) => shape(x, y));

/** A trip: sun over the sea, and a palm. */
const trip: Shape[] = [
  circle(330, 110, 56),
  any(rect(0, 220, WIDTH, HEIGHT)),
  any(rect(150, 120, 164, 230), circle(157, 118, 34)),
];

/** A phone. */
const phone: Shape[] = [rect(180, 40, 300, 290), rect(192, 62, 288, 258), circle(240, 274, 8)];

/** Headphones. */
const headphones: Shape[] = [
  (x, y) => {
    const d = Math.hypot(x - 240, y - 170);
    return d <= 110 && d >= 92 && y <= 170;
  },
  any(rect(118, 160, 162, 260), rect(318, 160, 362, 260)),
];

/** A gift box. */
const gift: Shape[] = [
  rect(140, 130, 340, 290),
  any(rect(228, 130, 252, 290), rect(140, 190, 340, 212)),
  any(circle(212, 112, 24), circle(268, 112, 24)),
];

const pictures: Record<string, { shapes: Shape[]; colors: Rgba[]; sky: [Rgba, Rgba] }> = {
  trip: {
    shapes: trip,
    colors: [
      [253, 224, 71, 255],
      [14, 116, 144, 255],
      [22, 101, 52, 255],
    ],
    sky: [
      [251, 146, 60, 255],
      [190, 24, 93, 255],
    ],
  },
  phone: {
    shapes: phone,
    colors: [
      [30, 41, 59, 255],
      [56, 189, 248, 255],
      [148, 163, 184, 255],
    ],
    sky: [
      [99, 102, 241, 255],
      [15, 23, 42, 255],
    ],
  },
  headphones: {
    shapes: headphones,
    colors: [
      [244, 244, 245, 255],
      [239, 68, 68, 255],
    ],
    sky: [
      [16, 185, 129, 255],
      [6, 78, 59, 255],
    ],
  },
  gift: {
    shapes: gift,
    colors: [
      [220, 38, 38, 255],
      [250, 204, 21, 255],
      [250, 204, 21, 255],
    ],
    sky: [
      [125, 211, 252, 255],
      [30, 64, 175, 255],
    ],
  },
};

export type PictureName = keyof typeof pictures;

/** A prize picture drawn here, so the demo needs no download. */
export function prizePicture(name: PictureName): Buffer {
  const picture = pictures[name];
  if (!picture) throw new Error(`no picture ${name}`);
  const canvas = createCanvas(WIDTH, HEIGHT);
  const [top, bottom] = picture.sky;
  fill(canvas, (_x, y) => {
    const t = y / HEIGHT;
    return [0, 1, 2]
      .map((c) => Math.round((top[c] ?? 0) * (1 - t) + (bottom[c] ?? 0) * t))
      .concat(255) as unknown as Rgba;
  });
  picture.shapes.forEach((shape, index) => {
    const color = picture.colors[index] ?? picture.colors[0] ?? [255, 255, 255, 255];
    fill(canvas, (x, y) => (shape(x, y) ? color : null));
  });
  return encodePng(canvas);
}
