// split(): sizes for any ratio, disjoint and exhaustive parts, stratified proportions, seeding, and
// bad input.
import { init, memory, NnkitError, tensor, type Tensor } from '@nnkit/tensor-wasm';
import { describe, expect, test } from 'vitest';
import { oneHot } from './labels';
import { split } from './split';

await init();

/** x whose single feature is the example's index, so every part can be traced back. */
const indexed = (m: number) => tensor(Float32Array.from({ length: m }, (_, i) => i), [m, 1]);

function expectPartition(parts: Array<{ x: Tensor; indices: Int32Array } | undefined>, m: number) {
  const seen = new Uint8Array(m);
  for (const p of parts) {
    if (!p) continue;
    expect(Array.from(p.x.toArray())).toEqual(Array.from(p.indices));
    for (const i of p.indices) seen[i]++;
  }
  expect(seen.every((c) => c === 1)).toBe(true); // disjoint and exhaustive
}

describe('sizes', () => {
  test('60/20/20 of 1,000', () => {
    const x = indexed(1000);
    const s = split(x, new Int32Array(1000), { train: 0.6, dev: 0.2, test: 0.2, seed: 1 });
    expect([s.train.x.shape[0], s.dev.x.shape[0], s.test!.x.shape[0]]).toEqual([600, 200, 200]);
    expectPartition([s.train, s.dev, s.test], 1000);
  });
  test('98/1/1 of a million examples', () => {
    const m = 1_000_000;
    const s = split(indexed(m), new Uint8Array(m), { train: 0.98, dev: 0.01, test: 0.01, seed: 2 });
    expect([s.train.indices.length, s.dev.indices.length, s.test!.indices.length]).toEqual([980_000, 10_000, 10_000]);
    expectPartition([s.train, s.dev, s.test], m);
    for (const p of [s.train, s.dev, s.test!]) p.x.dispose();
  });
  test('counts, with train taking the rest; no test set', () => {
    const s = split(indexed(103), new Array(103).fill(0), { dev: 10, test: 3, seed: 3 });
    expect([s.train.indices.length, s.dev.indices.length, s.test!.indices.length]).toEqual([90, 10, 3]);
    const noTest = split(indexed(50), new Array(50).fill(0), { train: 0.8, dev: 0.2 });
    expect(noTest.test).toBeUndefined();
    expect([noTest.train.indices.length, noTest.dev.indices.length]).toEqual([40, 10]);
    expectPartition([noTest.train, noTest.dev], 50);
  });
  test('the same seed gives the same split, another seed another one; y follows x', () => {
    const x = indexed(40);
    const y = tensor(Float32Array.from({ length: 40 }, (_, i) => i * 10), [40, 1]);
    const a = split(x, y, { train: 0.5, dev: 0.25, test: 0.25, seed: 9 });
    const b = split(x, y, { train: 0.5, dev: 0.25, test: 0.25, seed: 9 });
    const c = split(x, y, { train: 0.5, dev: 0.25, test: 0.25, seed: 10 });
    expect(a.dev.indices).toEqual(b.dev.indices);
    expect(a.dev.indices).not.toEqual(c.dev.indices);
    expect(Array.from(a.dev.y.toArray())).toEqual(Array.from(a.dev.indices, (i) => i * 10));
    const ids = split(x, Array.from({ length: 40 }, (_, i) => i % 4), { dev: 0.25, seed: 9 });
    expect(ids.dev.y).toEqual(Array.from(ids.dev.indices, (i) => i % 4));
  });
  test('leaves no tensors behind but the parts', () => {
    const x = indexed(100);
    const before = memory().tensors;
    const s = split(x, oneHot(new Int32Array(100), 2), { train: 0.6, dev: 0.2, test: 0.2, stratify: true });
    expect(memory().tensors - before).toBe(7); // the one-hot labels + x and y of three parts
    for (const p of [s.train, s.dev, s.test!]) {
      p.x.dispose();
      (p.y as Tensor).dispose();
    }
  });
});

describe('stratified', () => {
  test('every part keeps the class proportions (70/20/10 classes, 60/20/20 parts)', () => {
    const m = 1000;
    const labels = Int32Array.from({ length: m }, (_, i) => (i < 700 ? 0 : i < 900 ? 1 : 2));
    const s = split(indexed(m), oneHot(labels, 3), { train: 0.6, dev: 0.2, test: 0.2, stratify: true, seed: 4 });
    const count = (idx: Int32Array) => [0, 1, 2].map((c) => idx.filter((i) => labels[i] === c).length);
    expect(count(s.train.indices)).toEqual([420, 120, 60]);
    expect(count(s.dev.indices)).toEqual([140, 40, 20]);
    expect(count(s.test!.indices)).toEqual([140, 40, 20]);
    expectPartition([s.train, s.dev, s.test], m);
    // rows of a part are mixed, not grouped by class
    expect(count(s.dev.indices.subarray(0, 50))[0]).toBeLessThan(50);
  });
  test('uneven proportions are within one example of exact, and the totals exact', () => {
    const m = 997;
    const labels = Array.from({ length: m }, (_, i) => i % 7);
    const s = split(indexed(m), labels, { train: 0.8, dev: 0.1, test: 0.1, stratify: true, seed: 5 });
    expect([s.train.indices.length, s.dev.indices.length, s.test!.indices.length]).toEqual([797, 100, 100]);
    for (const part of [s.dev, s.test!]) {
      for (let c = 0; c < 7; c++) {
        const n = part.indices.filter((i) => labels[i] === c).length;
        const ideal = (labels.filter((l) => l === c).length * part.indices.length) / m;
        expect(Math.abs(n - ideal)).toBeLessThan(1);
      }
    }
  });
});

describe('bad input', () => {
  const x = indexed(100);
  const y = Array.from({ length: 100 }, (_, i) => (i < 98 ? 0 : 1));
  const cases: Array<[string, () => unknown, string, RegExp]> = [
    ['fractions that do not sum to 1', () => split(x, y, { train: 0.7, dev: 0.2, test: 0.2 }), 'INVALID_SPLIT', /fractions train 0.7, dev 0.2, test 0.2 sum to 1.1/],
    ['counts larger than the data', () => split(x, y, { train: 80, dev: 20, test: 20 }), 'INVALID_SPLIT', /add up to 120 for 100 examples/],
    ['dev and test larger than the data', () => split(x, y, { dev: 60, test: 60 }), 'INVALID_SPLIT', /add up to 120 for 100 examples/],
    ['no dev set', () => split(x, y, { train: 1, dev: 0 }), 'INVALID_SPLIT', /dev 0 must be a positive fraction or count/],
    ['a part smaller than one example', () => split(x, y, { train: 0.996, dev: 0.002, test: 0.002 }), 'INVALID_SPLIT', /dev fraction 0.002 of 100 examples is 0.2/],
    ['mixed fractions and counts', () => split(x, y, { train: 80, dev: 0.5 }), 'INVALID_SPLIT', /mixed fractions and counts/],
    ['a class too small to stratify', () => split(x, y, { train: 0.6, dev: 0.2, test: 0.2, stratify: true }), 'CLASS_TOO_SMALL', /class 1 has 2 examples, too few to appear in every part/],
    ['lengths differ', () => split(x, y.slice(1), { dev: 0.2 }), 'SHAPE_MISMATCH', /x has 100 examples but y has 99/],
    ['labels that are not integers', () => split(x, y.map((v) => v + 0.5), { dev: 0.2, stratify: true }), 'LABEL_OUT_OF_RANGE', /label 0.5 at index 0/],
    ['NaN features', () => split(tensor([1, Number.NaN, 3, 4], [2, 2]), [0, 1], { dev: 0.5 }), 'NON_FINITE', /x has NaN at row 0, feature 1/],
    ['a bad seed', () => split(x, y, { dev: 0.2, seed: -1 }), 'INVALID_ARGUMENT', /seed -1 must be a non-negative safe integer/],
  ];
  test.each(cases)('%s', (_name, run, code, message) => {
    const before = memory().tensors;
    let caught: unknown;
    try {
      run();
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(NnkitError);
    expect((caught as NnkitError).code).toBe(code);
    expect((caught as NnkitError).message).toMatch(message);
    expect(memory().tensors).toBeLessThanOrEqual(before + 1); // at most the NaN case's own input
  });
});
