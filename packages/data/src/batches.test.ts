// Mini-batches: partition, smaller last batch, a fresh seeded permutation per epoch, reused buffers,
// copies, no leaks; and streaming from an async source.
import { createRng, init, memory, NnkitError, tensor, type Tensor } from '@nnkit/tensor-wasm';
import { describe, expect, test } from 'vitest';
import { batches } from './batches';
import { permutation } from './permutation';
import { streamBatches } from './stream-batches';

await init();

const m = 10;
/** Row i of x is [i, −i]; y[i] = 100 + i: every batch can be checked against its indices. */
const x = tensor(Array.from({ length: m }, (_, i) => [i, -i]).flat(), [m, 2]);
const y = tensor(Array.from({ length: m }, (_, i) => 100 + i), [m, 1]);

function epochOf(it: Iterable<{ x: Tensor; y: Tensor | Int32Array; indices: Int32Array; index: number }>) {
  const out: Array<{ rows: number; indices: number[] }> = [];
  for (const b of it) {
    const xv = Array.from(b.x.toArray());
    expect(xv).toEqual(Array.from(b.indices).flatMap((i) => [i, -i]));
    const yv = b.y instanceof Int32Array ? Array.from(b.y) : Array.from(b.y.toArray());
    expect(yv).toEqual(Array.from(b.indices, (i) => 100 + i));
    expect(b.index).toBe(out.length);
    out.push({ rows: b.x.shape[0], indices: Array.from(b.indices) });
  }
  return out;
}

describe('batches', () => {
  test('shuffle then partition: sizes 4, 4, 2 covering every example once', () => {
    const data = batches(x, y, { batchSize: 4, seed: 1 });
    expect(data.length).toBe(3);
    const epoch = epochOf(data);
    expect(epoch.map((b) => b.rows)).toEqual([4, 4, 2]);
    expect(epoch.flatMap((b) => b.indices).sort((a, b) => a - b)).toEqual([...Array(m).keys()]);
    expect(epoch.flatMap((b) => b.indices)).not.toEqual([...Array(m).keys()]);
  });
  test('a new permutation each epoch, the same sequence for the same seed', () => {
    const a = batches(x, y, { batchSize: 3, seed: 7 });
    const b = batches(x, y, { batchSize: 3, seed: 7 });
    const a1 = epochOf(a).flatMap((e) => e.indices);
    const a2 = epochOf(a).flatMap((e) => e.indices);
    expect(a2).not.toEqual(a1);
    expect(epochOf(b).flatMap((e) => e.indices)).toEqual(a1);
    expect(epochOf(b).flatMap((e) => e.indices)).toEqual(a2);
    expect(a.epoch).toBe(2);
  });
  test('batch GD (size m), SGD (size 1), no shuffle, dropRemainder, labels as ids', () => {
    expect(epochOf(batches(x, y, { batchSize: m })).map((b) => b.rows)).toEqual([m]);
    expect(epochOf(batches(x, y, { batchSize: 1 })).length).toBe(m);
    expect(epochOf(batches(x, y, { batchSize: 4, shuffle: false })).map((b) => b.indices)).toEqual([[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]]);
    expect(epochOf(batches(x, y, { batchSize: 4, dropRemainder: true })).map((b) => b.rows)).toEqual([4, 4]);
    const ids = Array.from({ length: m }, (_, i) => 100 + i);
    expect(epochOf(batches(x, ids, { batchSize: 4 })).length).toBe(3);
  });
  test('batches reuse two buffers across epochs, freed by dispose(); copies belong to the caller', () => {
    const before = memory().tensors;
    const seen = new Set<number>();
    const data = batches(x, y, { batchSize: 4, seed: 2 });
    for (let epoch = 0; epoch < 3; epoch++) {
      for (const b of data) {
        seen.add(b.x.id);
        // two buffers and the two row views of the smaller last batch, made once
        expect(memory().tensors).toBeLessThanOrEqual(before + 4);
      }
    }
    expect(seen.size).toBe(2); // the full buffer and the last batch's view, the same every epoch
    data.dispose();
    expect(memory().tensors).toBe(before);
    {
      using scoped = batches(x, y, { batchSize: 4 });
      for (const _ of scoped) break;
    }
    expect(memory().tensors).toBe(before);
    const kept = [...batches(x, y, { batchSize: 4, copy: true, seed: 2 })];
    expect(memory().tensors).toBe(before + 6);
    expect(Array.from(kept[0].x.toArray()).length).toBe(8);
    for (const b of kept) {
      b.x.dispose();
      (b.y as Tensor).dispose();
    }
  });
  test('class ids come in a reused array too; with copy: true each batch has its own', () => {
    const ids = Array.from({ length: m }, (_, i) => 100 + i);
    const reused = [...batches(x, ids, { batchSize: 4, shuffle: false })].map((b) => b.y);
    expect(reused[0].buffer).toBe(reused[1].buffer);
    const copies = [...batches(x, ids, { batchSize: 4, shuffle: false, copy: true })];
    expect(Array.from(copies[0].y)).toEqual([100, 101, 102, 103]);
    expect(Array.from(copies[2].y)).toEqual([108, 109]);
    for (const b of copies) b.x.dispose();
  });
  test('from a generator: each epoch forks its streams from it, so a saved state resumes the same epochs', () => {
    const order = (data: Iterable<{ indices: Int32Array }>) => [...data].flatMap((b) => Array.from(b.indices));
    const rng = createRng(5);
    const straight = batches(x, y, { batchSize: 4, rng });
    const first = order(straight);
    const saved = rng.state();
    const second = order(straight);
    const resumed = batches(x, y, { batchSize: 4, rng: createRng(saved) });
    expect(order(resumed)).toEqual(second);
    expect(second).not.toEqual(first);
    // by hand: epoch 1's shuffle stream is the first of two forks of createRng(5)
    expect(first).toEqual(Array.from(permutation(m, createRng(5).fork())));
    expect(() => batches(x, y, { batchSize: 4, rng, seed: 1 })).toThrow(/seed or rng, not both/);
    straight.dispose();
    resumed.dispose();
  });
  test('changing a batch in place (augmentation) leaves x alone', () => {
    const original = Array.from(x.toArray());
    for (const b of batches(x, y, { batchSize: 4 })) b.x.assign(new Array(b.x.size).fill(0));
    expect(Array.from(x.toArray())).toEqual(original);
  });
  test('bad input', () => {
    expect(() => batches(x, y, { batchSize: 0 })).toThrow(/batchSize 0 must be an integer ≥ 1/);
    expect(() => batches(x, [1, 2], { batchSize: 2 })).toThrow(/x has 10 examples but y has 2/);
    expect(() => batches(x, Array(10).fill(0.5), { batchSize: 2 })).toThrow(NnkitError);
  });
});

describe('streamBatches', () => {
  async function* chunks(sizes: number[]) {
    let start = 0;
    for (const n of sizes) {
      const xs = tensor(Array.from({ length: n }, (_, i) => [start + i, -(start + i)]).flat(), [n, 2]);
      const ys = tensor(Array.from({ length: n }, (_, i) => 100 + start + i), [n, 1]);
      yield { x: xs, y: ys };
      xs.dispose(); // the source may free a chunk once the next is asked for
      ys.dispose();
      start += n;
    }
  }
  async function collect(sizes: number[], opts: Parameters<typeof streamBatches>[1]) {
    const out: number[][] = [];
    for await (const b of streamBatches(chunks(sizes), opts)) {
      const xv = Array.from(b.x.toArray());
      const ids = xv.filter((_, i) => i % 2 === 0);
      expect(Array.from((b.y as Tensor).toArray())).toEqual(ids.map((i) => 100 + i));
      out.push(ids);
    }
    return out;
  }
  test('re-cuts chunks of any size into batches, in order', async () => {
    const before = memory().tensors;
    const out = await collect([3, 5, 1, 4], { batchSize: 4 });
    expect(out).toEqual([[0, 1, 2, 3], [4, 5, 6, 7], [8, 9, 10, 11], [12]]);
    expect(memory().tensors).toBe(before);
  });
  test('shuffles within the buffer, seeded, losing nothing', async () => {
    const a = await collect([7, 7, 7], { batchSize: 5, shuffleBuffer: 21, seed: 3 });
    const b = await collect([7, 7, 7], { batchSize: 5, shuffleBuffer: 21, seed: 3 });
    expect(a).toEqual(b);
    expect(a.map((batch) => batch.length)).toEqual([5, 5, 5, 5, 1]);
    expect(a.flat().sort((p, q) => p - q)).toEqual([...Array(21).keys()]);
    expect(a.flat()).not.toEqual([...Array(21).keys()]);
  });
  test('augmentation applies to streamed batches too', async () => {
    const doubled = { apply: (t: Tensor) => t.assign(Array.from(t.toArray(), (v) => 2 * v)) };
    for await (const b of streamBatches(chunks([3, 3]), { batchSize: 2, augment: doubled })) {
      const v = Array.from(b.x.toArray());
      expect(v[0]).toBe(-v[1]);
      expect(v[0] % 2).toBe(0);
      expect(Array.from((b.y as Tensor).toArray())).toEqual([100 + v[0] / 2, 100 + v[2] / 2]);
    }
  });
  test('chunks must agree on shapes', async () => {
    async function* bad() {
      yield { x: tensor([1, 2], [1, 2]), y: [0] };
      yield { x: tensor([1, 2, 3], [1, 3]), y: [0] };
    }
    await expect(async () => {
      for await (const _ of streamBatches(bad(), { batchSize: 4 }));
    }).rejects.toThrow(/chunk 1: rows \[3\] float32 with labels ids differ from the first chunk's \[2\] float32 with ids/);
  });
});

describe('augmentation inside batches', () => {
  test('applied to every batch copy with its own stream; the order of batches does not change', () => {
    const calls: number[] = [];
    const addOne = {
      apply(t: Tensor, rng: { uniform(): number }) {
        calls.push(rng.uniform());
        t.assign(Array.from(t.toArray(), (v) => v + 1000));
      },
    };
    const plain = batches(x, y, { batchSize: 4, seed: 3 });
    const augmented = batches(x, y, { batchSize: 4, seed: 3, augment: addOne });
    const order = [...plain].map((b) => Array.from(b.indices));
    for (const b of augmented) {
      expect(Array.from(b.indices)).toEqual(order[b.index]);
      expect(Array.from(b.x.toArray())).toEqual(Array.from(b.indices).flatMap((i) => [i + 1000, -i + 1000]));
    }
    expect(calls).toHaveLength(3);
    expect(new Set(calls).size).toBe(3);
    expect(Array.from(x.toArray()).slice(0, 4)).toEqual([0, -0, 1, -1]);
    expect(() => batches(x, y, { batchSize: 4, augment: {} as never })).toThrow(/augment must have apply\(x, rng\)/);
  });
});
