// Augmentations on images whose transformed form is known exactly: single bright pixels, mirror
// images, quarter turns; and the statistics of the noise.
import { createRng, init, NnkitError, tensor, type Tensor } from '@nnkit/tensor-wasm';
import { describe, expect, test } from 'vitest';
import { augment } from './augment';
import { gaussianNoise } from './gaussian-noise';
import { randomFlip } from './random-flip';
import { randomRotation, rotateImage } from './random-rotation';
import { randomShift } from './random-shift';

await init();

/** n images of h×w with one bright pixel each at (py, px). */
function dots(n: number, h: number, w: number, py: number, px: number): Tensor {
  const v = new Float32Array(n * h * w);
  for (let i = 0; i < n; i++) v[i * h * w + py * w + px] = 1;
  return tensor(v, [n, h, w]);
}

function brightPixel(values: ArrayLike<number>, start: number, size: number): number {
  for (let j = 0; j < size; j++) if (values[start + j] === 1) return j;
  return -1;
}

describe('randomShift', () => {
  test('moves each image by whole pixels within ±maxPixels, drawing a new shift per image', () => {
    const n = 200;
    const x = dots(n, 9, 9, 4, 4);
    randomShift({ maxPixels: 2, height: 9, width: 9 }).apply(x, createRng(1));
    const v = Float64Array.from(x.toArray());
    const seen = new Set<string>();
    for (let i = 0; i < n; i++) {
      const j = brightPixel(v, i * 81, 81);
      const [dy, dx] = [Math.floor(j / 9) - 4, (j % 9) - 4];
      expect(Math.abs(dy)).toBeLessThanOrEqual(2);
      expect(Math.abs(dx)).toBeLessThanOrEqual(2);
      expect(v.subarray(i * 81, (i + 1) * 81).reduce((s, p) => s + p, 0)).toBe(1);
      seen.add(`${dy},${dx}`);
    }
    expect(seen.size).toBe(25); // all (2·2+1)² shifts occur among 200 draws
  });
  test('pixels shifted in are filled; the same seed gives the same batch; channels move together', () => {
    const rgb = tensor(Array.from({ length: 2 * 4 * 4 * 3 }, (_, i) => (i % 3) + 1), [2, 4, 4, 3]);
    const again = tensor(rgb.toArray(), [2, 48]);
    const shift = randomShift({ maxPixels: 3, height: 4, width: 4, channels: 3, fill: -1 });
    shift.apply(rgb, createRng(5));
    shift.apply(again, createRng(5));
    expect(rgb.toArray()).toEqual(again.toArray());
    const v = Float64Array.from(rgb.toArray());
    for (let p = 0; p < v.length; p += 3) {
      const px = [v[p], v[p + 1], v[p + 2]];
      expect(px).toEqual(px[0] === -1 ? [-1, -1, -1] : [1, 2, 3]);
    }
    expect(v.includes(-1)).toBe(true);
  });
});

describe('randomFlip', () => {
  test('probability 1 mirrors every image exactly, 0 leaves them alone', () => {
    const x = tensor([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], [2, 2, 3]);
    randomFlip({ height: 2, width: 3, probability: 1 }).apply(x, createRng(0));
    expect(Array.from(x.toArray())).toEqual([3, 2, 1, 6, 5, 4, 9, 8, 7, 12, 11, 10]);
    randomFlip({ height: 2, width: 3, probability: 1, mode: 'vertical' }).apply(x, createRng(0));
    expect(Array.from(x.toArray())).toEqual([6, 5, 4, 3, 2, 1, 12, 11, 10, 9, 8, 7]);
    randomFlip({ height: 2, width: 3, probability: 0, mode: 'both' }).apply(x, createRng(0));
    expect(Array.from(x.toArray())).toEqual([6, 5, 4, 3, 2, 1, 12, 11, 10, 9, 8, 7]);
  });
  test('with probability 0.5 about half of the images flip', () => {
    const n = 2000;
    const x = dots(n, 1, 2, 0, 0);
    randomFlip({ height: 1, width: 2 }).apply(x, createRng(9));
    const v = Float64Array.from(x.toArray());
    let flipped = 0;
    for (let i = 0; i < n; i++) flipped += v[2 * i + 1];
    // Binomial(2000, 0.5): sd ≈ 22.4; 4 sd either side.
    expect(Math.abs(flipped - n / 2)).toBeLessThan(90);
  });
});

describe('rotations', () => {
  const layout = { height: 3, width: 3, channels: 1, pixels: 9 };
  test('a quarter turn permutes the pixels of a square image', () => {
    const src = [1, 2, 3, 4, 5, 6, 7, 8, 9];
    const dst = new Float64Array(9);
    rotateImage(src, dst, 0, layout, Math.PI / 2, 0);
    // Counter-clockwise as displayed: the top row becomes the left column read bottom-up.
    expect(Array.from(dst, (v) => Math.round(v * 1e9) / 1e9)).toEqual([3, 6, 9, 2, 5, 8, 1, 4, 7]);
    rotateImage(src, dst, 0, layout, 0, 0);
    expect(Array.from(dst)).toEqual(src);
  });
  test('half-pixel positions interpolate bilinearly', () => {
    // A 1×2 image rotated by 180° swaps its two pixels; the centre sits between them.
    const dst = new Float64Array(2);
    rotateImage([0, 10], dst, 0, { height: 1, width: 2, channels: 1, pixels: 2 }, Math.PI, 0);
    expect(Array.from(dst, (v) => Math.round(v * 1e9) / 1e9)).toEqual([10, 0]);
  });
  test('randomRotation keeps a centred disc nearly unchanged and its total brightness', () => {
    const h = 21;
    const disc: number[] = Array.from({ length: h * h }, (_, i) => (Math.hypot(Math.floor(i / h) - 10, (i % h) - 10) <= 6 ? 1 : 0));
    const x = tensor([...disc, ...disc], [2, h * h]);
    randomRotation({ maxDegrees: 15, height: h, width: h }).apply(x, createRng(4));
    const v = Float64Array.from(x.toArray());
    const total = disc.reduce((s, p) => s + p, 0);
    for (let i = 0; i < 2; i++) {
      const img = v.subarray(i * h * h, (i + 1) * h * h);
      expect(Math.abs(img.reduce((s, p) => s + p, 0) - total) / total).toBeLessThan(0.03);
      expect(img[10 * h + 10]).toBeCloseTo(1, 6);
    }
  });
  test('an off-centre pixel stays within the angle bound', () => {
    const h = 41;
    const n = 300;
    const x = dots(n, h, h, 20, 40); // on the horizontal axis, 20 pixels right of centre
    randomRotation({ maxDegrees: 10, height: h, width: h }).apply(x, createRng(2));
    const v = Float64Array.from(x.toArray());
    let widest = 0;
    for (let i = 0; i < n; i++) {
      let sy = 0;
      let mass = 0;
      for (let j = 0; j < h * h; j++) {
        sy += v[i * h * h + j] * Math.floor(j / h);
        mass += v[i * h * h + j];
      }
      const angle = Math.abs(Math.atan2(sy / mass - 20, 20)) * (180 / Math.PI);
      widest = Math.max(widest, angle);
    }
    expect(widest).toBeLessThanOrEqual(10.5);
    expect(widest).toBeGreaterThan(8); // 300 draws from [−10°, 10°] come near the bound
  });
});

describe('gaussianNoise', () => {
  test('adds noise of the given standard deviation, clipped when asked', () => {
    const n = 20000;
    const x = tensor(new Float64Array(n).fill(0.5), [100, 200], 'float64');
    gaussianNoise({ std: 0.1 }).apply(x, createRng(8));
    const v = Float64Array.from(x.toArray());
    const mean = v.reduce((s, p) => s + p, 0) / n;
    const sd = Math.sqrt(v.reduce((s, p) => s + (p - mean) ** 2, 0) / (n - 1));
    expect(Math.abs(mean - 0.5)).toBeLessThan(4 * (0.1 / Math.sqrt(n)));
    expect(Math.abs(sd - 0.1)).toBeLessThan(0.004);
    const y = tensor(new Float32Array(1000).fill(0.95), [10, 100]);
    gaussianNoise({ std: 0.2, clip: [0, 1] }).apply(y, createRng(8));
    expect(Math.max(...y.toArray())).toBe(1);
  });
});

describe('augment', () => {
  test('applies its steps in order from one generator', () => {
    const steps = [randomFlip({ height: 2, width: 3, probability: 1 }), gaussianNoise({ std: 0.01 })];
    const a = tensor([1, 2, 3, 4, 5, 6], [1, 6]);
    const b = tensor([1, 2, 3, 4, 5, 6], [1, 2, 3]);
    augment(steps).apply(a, createRng(3));
    const rng = createRng(3);
    for (const s of steps) s.apply(b, rng);
    expect(a.toArray()).toEqual(b.toArray());
    expect(Array.from(a.toArray(), Math.round)).toEqual([3, 2, 1, 6, 5, 4]);
  });
});

describe('bad input', () => {
  test.each([
    [() => randomShift({ maxPixels: -1, height: 28, width: 28 }), /maxPixels -1 must be an integer in \[0, 28\)/],
    [() => randomShift({ maxPixels: 2, height: 28, width: 0 }), /width 0 must be a positive integer/],
    [() => randomRotation({ maxDegrees: 90, height: 28, width: 28 }), /maxDegrees 90 must be a number in \[0, 45\]/],
    [() => randomFlip({ height: 2, width: 2, probability: 2 }), /probability 2 must be a number in \[0, 1\]/],
    [() => gaussianNoise({ std: 0 }), /std 0 must be a finite number > 0/],
    [() => gaussianNoise({ std: 0.1, clip: [1, 0] }), /clip \[1,0\] must be \[low, high\]/],
    [() => augment([{} as never]), /step 0 \(an empty object\) is not an augmentation/],
    [() => randomShift({ maxPixels: 1, height: 28, width: 28 }).apply(tensor([1, 2, 3, 4], [2, 2]), createRng(1)), /x of shape \[2, 2\] does not hold 28×28×1 images \(784 values per row\)/],
    [() => gaussianNoise({ std: 1 }).apply(tensor([1, 2], [2, 1]), null as never), /rng must be a generator/],
  ])('%#', (run, message) => {
    expect(run).toThrow(NnkitError);
    expect(run).toThrow(message);
  });
});
