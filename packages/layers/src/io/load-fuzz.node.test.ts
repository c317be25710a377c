// Seeded fuzzing of loadModel: ≥ 10,000 mutations of a valid saved model (byte flips and truncations
// of model.json and of the weights, JSON field replacements with junk, huge numbers, nested junk,
// forbidden keys, deleted and duplicated fields). Every case must either load or throw NnkitError —
// never a TypeError, RangeError, hang or crash — and no case may leak a tensor.
import { adam } from '@nnkit/optimizers';
import { createRng, init, memory, NnkitError, randn, type Rng } from '@nnkit/tensor-wasm';
import { beforeAll, expect, test } from 'vitest';
import { activation } from '../activation-layer';
import { batchNorm } from '../batch-norm';
import { dense } from '../dense';
import { dropout } from '../dropout';
import { sequential } from '../sequential';
import { loadModel } from './load-model';

/** The issue asks for at least 10,000 mutated files. */
const CASES = 20_000;
/** A small limit keeps oversized mutations cheap to refuse (the real default is 1 GiB). */
const MAX_WEIGHT_BYTES = 1 << 20;

let baseText: string;
let baseWeights: Uint8Array;

beforeAll(async () => {
  await init();
  const model = sequential([
    dense(6, { activation: 'leakyRelu', alpha: 0.1 }), batchNorm(), dropout(0.2), activation('tanh'), dense(3, { useBias: false }),
  ], { inputShape: [4], seed: 2 });
  model.compile({ loss: 'meanSquaredError', optimizer: adam() });
  // One step, so the file carries optimizer moments and moved batch-norm statistics.
  model.trainStep(randn([8, 4], { seed: 5 }), randn([8, 3], { seed: 6 }));
  const saved = await model.save(undefined, { includeOptimizer: true });
  baseText = JSON.stringify(saved.modelJson);
  baseWeights = saved.weights;
  model.dispose();
});

const JUNK: readonly unknown[] = [
  null, true, false, 0, -1, -0.5, 1.5, 1e308, -1e308, 2 ** 53, 2 ** 31, 4294967296, '', 'x', 'float16', 'int32', '../../etc/passwd',
  '/etc/passwd', 'constructor', '__proto__', [], {}, [[[[[]]]]], [null, 1e9], [-1, 4], { class_name: 'Conv2D', config: {} },
  { name: 'a', shape: [1e9, 1e9], dtype: 'float32' }, 'Dense', 'layers-model', 'graph-model', [0], { paths: ['w.bin'], weights: [] },
];

function pick<T>(rng: Rng, values: readonly T[]): T {
  return values[rng.int(values.length)];
}

/** Every container (object or array) in the tree, with the keys to mutate. */
function containers(root: unknown): { node: Record<string, unknown> | unknown[]; keys: (string | number)[] }[] {
  const out: { node: Record<string, unknown> | unknown[]; keys: (string | number)[] }[] = [];
  const stack = [root];
  while (stack.length) {
    const v = stack.pop();
    if (v === null || typeof v !== 'object') continue;
    const keys = Array.isArray(v) ? v.map((_, i) => i) : Object.keys(v);
    out.push({ node: v as Record<string, unknown>, keys });
    for (const k of keys) stack.push((v as Record<string | number, unknown>)[k]);
  }
  return out;
}

function nestedJunk(rng: Rng, depth: number): unknown {
  if (depth === 0 || rng.uniform() < 0.3) return pick(rng, JUNK);
  return rng.uniform() < 0.5 ? [nestedJunk(rng, depth - 1)] : { k: nestedJunk(rng, depth - 1) };
}

function mutateJson(rng: Rng): string {
  const tree = JSON.parse(baseText);
  const all = containers(tree);
  const rounds = 1 + rng.int(3);
  let forbidden = '';
  for (let r = 0; r < rounds; r++) {
    const { node, keys } = pick(rng, all);
    if (keys.length === 0) continue;
    const key = pick(rng, keys);
    const op = rng.int(7);
    const target = node as Record<string | number, unknown>;
    if (op === 0) target[key] = pick(rng, JUNK);
    else if (op === 1) target[key] = nestedJunk(rng, 1 + rng.int(30));
    else if (op === 2 && !Array.isArray(node)) delete target[key];
    else if (op === 3 && Array.isArray(node)) node.push(structuredClone(node[rng.int(node.length)]));
    else if (op === 4 && typeof target[key] === 'number') target[key] = pick(rng, [1e9, 2 ** 40, -7, 0, 3.25, 1e300]);
    else if (op === 5 && Array.isArray(node) && node.length > 0) node.splice(rng.int(node.length), 1);
    else forbidden = pick(rng, ['__proto__', 'constructor', 'prototype']);
  }
  let text = JSON.stringify(tree);
  // JSON.stringify drops a __proto__ set through assignment, so forbidden keys are spliced into the text.
  if (forbidden) {
    const braces = [...text.matchAll(/\{/g)].map((m) => m.index!);
    const at = pick(rng, braces) + 1;
    text = `${text.slice(0, at)}"${forbidden}":{"polluted":1},${text.slice(at)}`.replace(',}', '}');
  }
  return text;
}

function flipBytes(bytes: Uint8Array, rng: Rng, count: number): Uint8Array {
  const out = bytes.slice();
  for (let i = 0; i < count; i++) out[rng.int(out.length)] = rng.int(256);
  return out;
}

function mutate(rng: Rng, i: number): { modelJson: string | Uint8Array; weights: Uint8Array } {
  const jsonBytes = new TextEncoder().encode(baseText);
  switch (i % 8) {
    case 0:
      return { modelJson: flipBytes(jsonBytes, rng, 1 + rng.int(4)), weights: baseWeights };
    case 1:
      return { modelJson: jsonBytes.slice(0, rng.int(jsonBytes.length)), weights: baseWeights };
    case 2:
      return { modelJson: baseText, weights: rng.uniform() < 0.5 ? baseWeights.slice(0, rng.int(baseWeights.length)) : flipBytes(baseWeights, rng, 1 + rng.int(16)) };
    case 3: {
      const extended = new Uint8Array(baseWeights.length + 1 + rng.int(64));
      extended.set(baseWeights);
      return { modelJson: baseText, weights: extended };
    }
    default:
      return { modelJson: mutateJson(rng), weights: baseWeights };
  }
}

test(`${CASES} mutated model files each load or throw NnkitError, without leaking`, async () => {
  const rng = createRng(20261126);
  const before = memory().tensors;
  const codes = new Map<string, number>();
  let loaded = 0;
  const started = performance.now();
  for (let i = 0; i < CASES; i++) {
    const files = mutate(rng, i);
    try {
      const model = await loadModel(files, { maxWeightBytes: MAX_WEIGHT_BYTES });
      loaded++;
      model.dispose();
    } catch (e) {
      if (!(e instanceof NnkitError)) {
        const text = typeof files.modelJson === 'string' ? files.modelJson : new TextDecoder().decode(files.modelJson);
        throw new Error(`case ${i}: ${(e as Error)?.name}: ${(e as Error)?.message}\nmodel.json: ${text.slice(0, 2000)}`);
      }
      codes.set(e.code, (codes.get(e.code) ?? 0) + 1);
    }
  }
  const seconds = (performance.now() - started) / 1000;
  console.log(`fuzz: ${CASES} cases in ${seconds.toFixed(1)} s; ${loaded} loaded; refusals by code: ${JSON.stringify(Object.fromEntries(codes))}`);
  expect(memory().tensors).toBe(before);
  // The mutations reach deep enough to be refused for many different reasons, and some still load.
  expect(loaded).toBeGreaterThan(100);
  expect(codes.size).toBeGreaterThanOrEqual(6);
}, 120_000);
