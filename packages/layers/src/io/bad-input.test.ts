// Loading is a security boundary: each kind of bad model file gets its own clear NnkitError, before
// anything is allocated for it, and nothing in the file can reach Object.prototype.
import { init, memory, NnkitError } from '@nnkit/tensor-wasm';
import { beforeAll, expect, test } from 'vitest';
import { batchNorm } from '../batch-norm';
import { dense } from '../dense';
import { sequential } from '../sequential';
import type { LoadOptions, ModelArtifacts } from './artifacts';
import { loadModel } from './load-model';

let saved: ModelArtifacts;
let text: string;

beforeAll(async () => {
  await init();
  saved = await sequential([dense(4, { activation: 'relu' }), batchNorm(), dense(2)], { inputShape: [3], seed: 1 }).save();
  text = JSON.stringify(saved.modelJson);
});

/** A deep copy of the saved model.json to mutate. */
function json(): any {
  return JSON.parse(text);
}

async function refusal(modelJson: unknown, weights: Uint8Array = saved.weights, opts: LoadOptions = {}): Promise<NnkitError> {
  const error = await loadModel({ modelJson: modelJson as object, weights }, opts).then(() => null, (e) => e);
  expect(error).toBeInstanceOf(NnkitError);
  return error;
}

test('the unmodified file loads (the refusals below come from the mutations)', async () => {
  const model = await loadModel({ modelJson: text, weights: saved.weights });
  expect(model.countParams()).toBe(3 * 4 + 4 + 4 + 4 + 4 * 2 + 2);
});

test('not JSON, not UTF-8, not an object', async () => {
  expect((await refusal('{"modelTopology": ')).message).toMatch(/model\.json: is not JSON/);
  expect((await refusal(new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]))).message).toMatch(/UTF-8/);
  expect((await refusal('[1, 2]')).code).toBe('INVALID_MODEL');
  expect((await refusal('null')).code).toBe('INVALID_MODEL');
});

test('__proto__, constructor and prototype keys are refused anywhere, and nothing is polluted', async () => {
  const top = `{"__proto__": {"polluted": 1}, ${text.slice(1)}`;
  const e1 = await refusal(top);
  expect(e1.message).toContain('"__proto__"');
  const nested = json();
  nested.modelTopology.config.layers[0].config = JSON.parse(`{"constructor": {"prototype": {"polluted": 1}}, ${JSON.stringify(nested.modelTopology.config.layers[0].config).slice(1)}`);
  expect((await refusal(nested)).message).toContain('"constructor"');
  const inMeta = json();
  inMeta.userDefinedMetadata.nnkit.layers = JSON.parse('{"__proto__": {"init": "zeros"}}');
  expect((await refusal(JSON.stringify(inMeta))).message).toContain('"__proto__"');
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  expect(Object.prototype).not.toHaveProperty('init');
});

test('truncated weights, extra bytes, and sizes that disagree with the manifest', async () => {
  const short = await refusal(text, saved.weights.slice(0, saved.weights.byteLength - 3));
  expect(short.message).toMatch(/holds \d+ bytes but the manifest describes \d+ \(truncated\)/);
  expect((await refusal(text, new Uint8Array(saved.weights.byteLength + 4))).message).toContain('longer than its manifest');
  const wrongShape = json();
  wrongShape.weightsManifest[0].weights[0].shape = [3, 5];
  expect((await refusal(wrongShape)).code).toBe('INVALID_MODEL');
  const swapped = json();
  swapped.weightsManifest[0].weights[1].shape = [5];
  swapped.weightsManifest[0].weights[0].shape = [3, 4];
  swapped.modelTopology.config.layers[0].config.units = 5;
  expect((await refusal(swapped)).code).toBe('INVALID_MODEL');
});

test('negative, fractional, huge and too-many dimensions; a configurable size limit checked before allocating', async () => {
  for (const [shape, code] of [[[-3, 4], 'INVALID_MODEL'], [[1.5, 8], 'INVALID_MODEL'], [['3', 4], 'INVALID_MODEL'], [[1e6, 1e6], 'MODEL_TOO_LARGE'],
    [[2 ** 53, 2 ** 53], 'MODEL_TOO_LARGE'], [[1, 1, 1, 1, 1, 1, 1, 1, 1, 12], 'INVALID_MODEL'], [null, 'INVALID_MODEL']] as const) {
    const m = json();
    m.weightsManifest[0].weights[0].shape = shape;
    const error = await refusal(m);
    expect(error.code, JSON.stringify(shape)).toBe(code);
  }
  const limit = await refusal(text, saved.weights, { maxWeightBytes: 64 });
  expect(limit.code).toBe('MODEL_TOO_LARGE');
  expect(limit.message).toContain('64');
  const units = json();
  units.modelTopology.config.layers[0].config.units = 1e12;
  expect((await refusal(units)).code).toBe('INVALID_MODEL');
  const wide = json();
  wide.modelTopology.config.layers[0].config.batch_input_shape = [null, 2 ** 40];
  expect((await refusal(wide)).code).toBe('INVALID_MODEL');
});

test('unknown dtypes, quantized weights, duplicate names, missing and stray weights', async () => {
  for (const dtype of ['int32', 'float16', 'complex64', 'string', 7]) {
    const m = json();
    m.weightsManifest[0].weights[2].dtype = dtype;
    const error = await refusal(m);
    expect(error.code).toBe('UNKNOWN_DTYPE');
    expect(error.message).toContain(String(dtype));
  }
  const quantized = json();
  quantized.weightsManifest[0].weights[0].quantization = { dtype: 'uint8', scale: 1, min: 0 };
  expect((await refusal(quantized)).message).toContain('quantized');
  const dup = json();
  dup.weightsManifest[0].weights[1].name = dup.weightsManifest[0].weights[0].name;
  dup.weightsManifest[0].weights[1].shape = dup.weightsManifest[0].weights[0].shape;
  const d = await refusal(dup, new Uint8Array(saved.weights.byteLength + 32));
  expect(d.message).toContain('repeats the weight name "dense_1/kernel"');
  const missing = json();
  missing.weightsManifest[0].weights[0].name = 'dense_9/kernel';
  const e = await refusal(missing);
  expect(e.message).toContain('"dense_1/kernel"');
  const stray = json();
  stray.weightsManifest[0].weights.push({ name: 'extra/kernel', shape: [1], dtype: 'float32' });
  expect((await refusal(stray, new Uint8Array(saved.weights.byteLength + 4))).message).toContain('"extra/kernel" belongs to no layer');
});

test('NaN and ±Infinity weights are refused by default, naming the weight and the index; allowNonFinite loads them', async () => {
  // The manifest order is dense_1/kernel [3, 4], dense_1/bias [4], four batch-norm vectors [4], dense_2/kernel [4, 2], dense_2/bias [2].
  const withValue = (weights: Uint8Array, index: number, value: number, bytes = 4) => {
    const copy = weights.slice();
    const view = new DataView(copy.buffer);
    if (bytes === 4) view.setFloat32(index * 4, value, true);
    else view.setFloat64(index * 8, value, true);
    return copy;
  };
  const before = memory();
  const nan = await refusal(text, withValue(saved.weights, 5, Number.NaN));
  expect(nan.code).toBe('NON_FINITE');
  expect(nan.message).toContain('"dense_1/kernel" holds NaN at index 5');
  expect(nan.message).toContain('allowNonFinite');
  // The last float of the file: dense_2/bias[1].
  const lastIndex = saved.weights.byteLength / 4 - 1;
  const inf = await refusal(text, withValue(saved.weights, lastIndex, Number.POSITIVE_INFINITY));
  expect(inf.message).toContain('"dense_2/bias" holds Infinity at index 1');
  // The same bytes at an odd offset of their buffer, where no Float32Array view can be made.
  const shifted = new Uint8Array(saved.weights.byteLength + 1);
  shifted.set(withValue(saved.weights, 5, Number.NaN), 1);
  expect((await refusal(text, shifted.subarray(1))).message).toContain('"dense_1/kernel" holds NaN at index 5');
  expect(memory()).toEqual(before);
  const small = sequential([dense(2)], { inputShape: [2], seed: 3, dtype: 'float64' });
  const wide = await small.save(undefined, { dtype: 'float64' });
  small.dispose();
  // float64 file: dense_1/kernel [2, 2] then dense_1/bias [2]; index 4 is the bias's first value.
  const minusInf = await loadModel({ modelJson: wide.modelJson, weights: withValue(wide.weights, 4, Number.NEGATIVE_INFINITY, 8) }).then(() => null, (e) => e);
  expect(minusInf).toMatchObject({ code: 'NON_FINITE', message: expect.stringContaining('"dense_1/bias" holds -Infinity at index 0') });
  const allowed = await loadModel({ modelJson: text, weights: withValue(saved.weights, 5, Number.NaN) }, { allowNonFinite: true });
  expect(Number.isNaN(allowed.getWeights()[0].toArray()[5])).toBe(true);
  allowed.dispose();
  await expect(loadModel({ modelJson: text, weights: saved.weights }, { allowNonFinite: 'yes' } as never)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', message: expect.stringContaining("got 'yes' (a string)") });
});

test('paths that are not plain file names inside the model folder are refused, even in memory', async () => {
  for (const path of ['../../etc/passwd', '/etc/passwd', 'a/b.bin', '..', 'C:\\x.bin', 'http://evil.test/w.bin', '%2e%2e%2fx', '', 'w.bin\u0000']) {
    const m = json();
    m.weightsManifest[0].paths = [path];
    const error = await refusal(m);
    expect(error.code, path).toBe('UNSAFE_PATH');
  }
});

test('graph models, other model classes, unsupported layers and activations are named', async () => {
  const graph = json();
  graph.format = 'graph-model';
  expect((await refusal(graph)).code).toBe('UNSUPPORTED_FORMAT');
  const functional = json();
  functional.modelTopology.class_name = 'Model';
  expect((await refusal(functional)).code).toBe('UNSUPPORTED_MODEL');
  const conv = json();
  conv.modelTopology.config.layers[1].class_name = 'Conv2D';
  const c = await refusal(conv);
  expect(c.code).toBe('UNSUPPORTED_LAYER');
  expect(c.message).toContain('"Conv2D"');
  const selu = json();
  selu.modelTopology.config.layers[0].config.activation = 'selu';
  expect((await refusal(selu)).message).toContain('"selu"');
});

test('absurd nesting and non-data values are refused without a stack overflow', async () => {
  const deep = json();
  deep.userDefinedMetadata.junk = JSON.parse(`${'['.repeat(5000)}${']'.repeat(5000)}`);
  expect((await refusal(deep)).message).toMatch(/nests deeper than/);
  const fn = json();
  fn.modelTopology.config.layers[0].config.units = () => 4;
  expect((await refusal(fn)).code).toBe('INVALID_MODEL');
  const cls = json();
  cls.modelTopology.config = new Map();
  expect((await refusal(cls)).code).toBe('INVALID_MODEL');
});

test('bad sources and options', async () => {
  await expect(loadModel(42 as never)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  await expect(loadModel({ modelJson: text, weights: 'abc' } as never)).rejects.toMatchObject({ code: 'INVALID_MODEL' });
  await expect(loadModel({ modelJson: text, weights: saved.weights }, { maxWeightBytes: -1 })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  await expect(loadModel({ load: async () => null } as never)).rejects.toMatchObject({ code: 'INVALID_MODEL' });
});
