import { init, ones, tensor } from '@nnkit/tensor-wasm';
import { beforeAll, expect, test } from 'vitest';
import { dropout } from './dropout';

beforeAll(async () => {
  await init();
});

test('inverted dropout keeps ≈ 1 − rate of the units, scaled by 1/(1 − rate), and the backward uses the same mask', () => {
  const rate = 0.3;
  const layer = dropout(rate);
  const [m, n] = [200, 100];
  const x = ones([m, n]);
  const y = layer.forward(x, { training: true }).toArray();
  let kept = 0;
  for (const v of y) {
    if (v !== 0) {
      kept++;
      expect(v).toBe(Math.fround(1 / (1 - rate)));
    }
  }
  // Binomial(20000, 0.7): standard deviation of the kept fraction ≈ 0.0032.
  expect(Math.abs(kept / (m * n) - (1 - rate))).toBeLessThan(0.015);
  const dx = layer.backward(ones([m, n]))!.toArray();
  expect(Array.from(dx)).toEqual(Array.from(y));
});

test('a fresh mask every iteration; the identity at inference and with rate 0', () => {
  const layer = dropout(0.5);
  const x = ones([10, 50]);
  const first = Array.from(layer.forward(x, { training: true }).toArray());
  const second = Array.from(layer.forward(x, { training: true }).toArray());
  expect(second).not.toEqual(first);
  expect(layer.forward(x, { training: false })).toBe(x);
  expect(layer.forward(x, { training: true, dropout: false })).toBe(x);
  const none = dropout(0);
  expect(none.forward(x, { training: true })).toBe(x);
  const dy = tensor(new Float32Array(500).fill(2), [10, 50]);
  layer.forward(x, { training: false });
  expect(layer.backward(dy)).toBe(dy);
});

test('rates outside [0, 1) are refused', () => {
  expect(() => dropout(1)).toThrow(/rate must be below 1/);
  expect(() => dropout(-0.1)).toThrow(/rate must be a number in \[0, 1\], got -0.1/);
  expect(() => dropout(Number.NaN)).toThrow(/got NaN/);
});
