// Setting up the data the course's way: an optional seeded subset, a seeded stratified
// train/dev/test split, and normalization fitted on the training part only.
import { split } from '@nnkit/data';
import type { Tensor } from '@nnkit/tensor-wasm';
import { CliError } from '../errors';
import type { LoadedData } from './load-dataset';
import { fitNormalizer, type NormalizationKind, type Normalizer } from './normalize';

/** One part of the split. */
export interface Part {
  /** Raw inputs (what augmentation works on). */
  raw: Tensor;
  /** Normalized inputs. */
  x: Tensor;
  y: Tensor;
  labels: Int32Array;
}

/** The prepared data. */
export interface PreparedData {
  train: Part;
  dev: Part;
  test: Part | null;
  normalizer: Normalizer;
  /** Examples used (after --examples). */
  examples: number;
}

/** Options of {@link prepareData}. */
export interface PrepareOptions {
  ratios: { train: number; dev: number; test: number };
  seed: number;
  normalization: NormalizationKind;
  /** Use a stratified random subset of this many examples. */
  examples?: number;
}

const pick = (labels: Int32Array, indices: Int32Array) => Int32Array.from(indices, (i) => labels[i]);

/**
 * Subset, split and normalize.
 * @param data - the loaded data set
 * @param opts - ratios, seed, normalization, examples
 * @returns train, dev and (when its share is not 0) test parts, and the fitted normalizer
 */
export function prepareData(data: LoadedData, opts: PrepareOptions): PreparedData {
  let { x, y, labels } = data;
  const m = x.shape[0];
  if (opts.examples !== undefined && opts.examples < m) {
    const sub = split(x, y, { train: opts.examples, dev: m - opts.examples, stratify: true, seed: opts.seed });
    sub.dev.x.dispose();
    (sub.dev.y as Tensor).dispose();
    ({ x, y } = sub.train as { x: Tensor; y: Tensor });
    labels = pick(labels, sub.train.indices);
  }
  const n = x.shape[0];
  const { train: tr, dev: dv, test: ts } = opts.ratios;
  if (Math.round(n * dv) < 1 || Math.round(n * tr) < 2) {
    throw new CliError(`${n} examples are too few for a ${fmt(tr)}/${fmt(dv)}/${fmt(ts)} split; expected at least 2 training and 1 dev example`);
  }
  const parts = split(x, y, ts > 0 ? { train: tr, dev: dv, test: ts, stratify: true, seed: opts.seed } : { train: tr, dev: dv, stratify: true, seed: opts.seed });
  const normalizer = fitNormalizer(opts.normalization, parts.train.x);
  const part = (p: { x: Tensor; y: unknown; indices: Int32Array }): Part => ({ raw: p.x, x: normalizer.apply(p.x), y: p.y as Tensor, labels: pick(labels, p.indices) });
  return { train: part(parts.train), dev: part(parts.dev), test: parts.test ? part(parts.test) : null, normalizer, examples: n };
}

const fmt = (f: number) => String(Math.round(f * 1000) / 10);
