// The objective of `nnkit tune`: train one sampled configuration for a few epochs and return its dev
// accuracy, reporting it after every epoch so that the median pruner can stop hopeless trials.
// It runs in the main thread or in a worker (through objective-module.ts), so everything it needs
// comes in `params`; the prepared data is cached per thread.
import type { Trial } from '@nnkit/tuning';
import { init } from '@nnkit/tensor-wasm';
import { loadDataset } from '../data/load-dataset';
import { type PreparedData, prepareData } from '../data/prepare';
import { buildModel, lossFor } from '../model/build-model';
import { buildOptimizer } from '../model/optimizer';
import { trainLoop } from '../train/train-loop';

/** The sampled and fixed parameters a trial receives. */
export interface TuneParams {
  learningRate: number;
  /** Adam's β1, sampled as 1 − β on a log scale. */
  beta: number;
  units: number;
  dropout: number;
  dataset: string;
  examples: number;
  epochs: number;
  batchSize: number;
  seed: number;
}

let cache: { key: string; data: PreparedData; classes: number } | null = null;

async function dataFor(p: TuneParams): Promise<{ data: PreparedData; classes: number }> {
  const key = `${p.dataset}|${p.examples}|${p.seed}`;
  if (cache?.key !== key) {
    await init();
    const loaded = await loadDataset(p.dataset, p.seed);
    const data = prepareData(loaded, { ratios: { train: 0.8, dev: 0.2, test: 0 }, seed: p.seed, normalization: loaded.image ? 'global' : 'feature', examples: p.examples });
    cache = { key, data, classes: loaded.classes };
  }
  return cache;
}

/**
 * Trains a network with two hidden layers (units, units/2) and returns its dev accuracy.
 * @param params - the trial's parameters
 * @param trial - the trial handle (report, prune)
 * @returns dev accuracy of the last epoch
 */
export async function tuneObjective(params: Record<string, unknown>, trial?: Trial): Promise<number> {
  const p = params as unknown as TuneParams;
  const { data, classes } = await dataFor(p);
  const outputs = classes === 2 ? 1 : classes;
  const features = data.train.x.shape[1];
  const model = buildModel(features, outputs, { hidden: [p.units, Math.max(1, Math.round(p.units / 2))], activation: 'relu', init: 'he', batchNorm: false, dropout: p.dropout, l2: 0 }, p.seed);
  const optimizer = buildOptimizer({ optimizer: 'adam', learningRate: p.learningRate, beta: p.beta, decay: 'none', decayEvery: 1, epochs: p.epochs });
  model.compile({ loss: lossFor(outputs), optimizer, metrics: ['accuracy'] });
  let pruned = false;
  try {
    const result = await trainLoop(model, data, {
      epochs: p.epochs, batchSize: p.batchSize, seed: p.seed, patience: 0, normalizer: data.normalizer,
      onEpochEnd: (r) => {
        trial?.report(r.epoch, r.devAccuracy);
        if (trial?.shouldPrune()) {
          pruned = true;
          model.stopTraining = true;
        }
      },
    });
    if (pruned) trial?.prune();
    // A diverged trial scores what it reached; NaN would hide it from the table and the plot.
    return result.epochs.at(-1)?.devAccuracy ?? 0;
  } finally {
    model.dispose();
    optimizer.dispose?.();
  }
}
