// The objective every tuning trial runs in its own Web Worker (loaded by @nnkit/tuning from this
// module's URL): train the page's current model with the sampled learning rate and β, report the
// dev accuracy after each epoch so hopeless trials can be pruned, and return the last one.
import type { Params, Trial } from '@nnkit/tuning';
import type { RunConfig } from '../training/config';
import { createRun } from '../training/run-config';

/** What the tuning panel puts in the search space besides the sampled values. */
export interface FixedTrialSettings {
  /** The training tab's settings, as JSON (a search space holds only plain values). */
  config: string;
  /** Passes over the training set per trial. */
  epochs: number;
}

/**
 * Trains one configuration and scores it.
 *
 * @param params - `learningRate`, `beta`, and the fixed `config` and `epochs`
 * @param trial - reports per epoch and the pruning question
 * @returns the dev accuracy after the last epoch
 */
export default async function objective(params: Params, trial: Trial): Promise<number> {
  const fixed = params as unknown as FixedTrialSettings & { learningRate: number; beta: number };
  const config = JSON.parse(fixed.config) as RunConfig;
  const run = await createRun({ ...config, learningRate: fixed.learningRate, beta: fixed.beta });
  try {
    const stepsPerEpoch = Math.ceil(run.data.train.x.shape[0] / Math.min(config.batchSize, run.data.train.x.shape[0]));
    let accuracy = 0;
    for (let epoch = 0; epoch < fixed.epochs; epoch++) {
      await run.train(stepsPerEpoch);
      accuracy = run.evaluate().devAccuracy;
      trial.report(epoch, accuracy);
      if (trial.shouldPrune()) trial.prune();
    }
    return accuracy;
  } finally {
    await run.dispose();
  }
}
