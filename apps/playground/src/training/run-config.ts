// One training run built from a RunConfig: the data, the model, the optimizer and a fit stepped a
// few batches at a time (layers' fitSteps, the one training loop). The page's training worker and
// the Node test both build runs through this module only, so the same seed and config give the same
// float32 weights in Chromium and in Node.
import { argMax } from '@nnkit/data';
import { type FitStep, gradCheck, type GradCheckResult, type History, type Sequential } from '@nnkit/layers';
import type { FusedOptimizer } from '@nnkit/optimizers';
import { init, sigmoid, softmax, tensor } from '@nnkit/tensor-wasm';
import { type RunConfig, resolveConfig } from './config';
import { loadRunData, type RunData } from './datasets';
import { buildModel, buildOptimizer, lossFor } from './model';

/** What one mini-batch step reports. */
export interface StepRecord {
  /** Updates done, this one included (1 for the first). */
  iteration: number;
  /** Epoch of the step (0 for the first pass over the data). */
  epoch: number;
  /** Mini-batch cost (loss + L2 term) before the update. */
  loss: number;
  /** The learning rate the update used. */
  learningRate: number;
}

/** Loss and accuracy on the training and dev sets, in inference mode (no dropout, batch-norm averages). */
export interface Evaluation {
  trainLoss: number;
  trainAccuracy: number;
  devLoss: number;
  devAccuracy: number;
}

/** Rows of the training set the gradient check runs on: enough for every class, cheap in float64. */
export const GRAD_CHECK_ROWS = 16;

/** A model in training on the data of its config. */
export class Run {
  readonly config: RunConfig;
  readonly data: RunData;
  readonly model: Sequential;
  readonly optimizer: FusedOptimizer;
  #steps: AsyncGenerator<FitStep, History, undefined>;
  #last: FitStep | null = null;

  constructor(config: RunConfig, data: RunData) {
    this.config = config;
    this.data = data;
    this.model = buildModel(config, data.features, data.classes);
    this.optimizer = buildOptimizer(config);
    this.model.compile({ loss: lossFor(data.classes), optimizer: this.optimizer, metrics: ['accuracy'] });
    const m = data.train.x.shape[0];
    const batchSize = Math.min(config.batchSize, m);
    // Batch norm cannot normalize a batch of one row, so a last batch of one is left out.
    const dropRemainder = config.batchNorm && m % batchSize === 1;
    // The batches of @nnkit/data's batches() with the config's seed, epoch after epoch until the run is disposed.
    this.#steps = this.model.fitSteps(data.train.x, data.train.y, { epochs: Number.POSITIVE_INFINITY, batchSize, seed: config.seed, dropRemainder });
    this.optimizer.setEpoch(0);
  }

  /** Epochs begun (0 during the first pass over the training set). */
  get epoch(): number {
    return this.#last?.epoch ?? 0;
  }

  /** Updates done so far. */
  get iterations(): number {
    return this.optimizer.iterations;
  }

  /**
   * One forward + backward + update on the next mini-batch; a new epoch (a new permutation, and the
   * per-epoch learning rate) starts when the previous one is used up.
   *
   * @returns the step's loss and learning rate
   */
  async step(): Promise<StepRecord> {
    const next = await this.#steps.next();
    if (next.done) throw new Error('the run has ended (it diverged or was disposed); reset it to train again');
    const s = next.value;
    this.#last = s;
    return { iteration: this.optimizer.iterations, epoch: s.epoch, loss: s.loss, learningRate: s.lr ?? Number.NaN };
  }

  /**
   * Runs `count` steps.
   * @returns the record of each
   */
  async train(count: number): Promise<StepRecord[]> {
    const records: StepRecord[] = [];
    for (let i = 0; i < count; i++) records.push(await this.step());
    return records;
  }

  /** Loss and accuracy on both sets, in inference mode. */
  evaluate(): Evaluation {
    const train = this.model.evaluate(this.data.train.x, this.data.train.y);
    const dev = this.model.evaluate(this.data.dev.x, this.data.dev.y);
    return { trainLoss: train.loss, trainAccuracy: train.accuracy, devLoss: dev.loss, devAccuracy: dev.accuracy };
  }

  /** ‖gradient‖₂ of each layer with parameters, from the last step (0 before the first). */
  gradientNorms(): { layer: string; norm: number }[] {
    return this.model.layers
      .filter((layer) => layer.parameters().length > 0)
      .map((layer) => ({ layer: layer.name!, norm: this.#last?.gradientNorms[layer.name!] ?? 0 }));
  }

  // Predictions here run outside scope(): the model caches per-batch-size buffers (and row views
  // of them) created on first use, and a scope would dispose those with its own temporaries,
  // breaking the next prediction of that size. So every temporary is disposed by hand.

  /**
   * Class probabilities at raw input points (standardized as the training data was).
   *
   * @param points - row-major [n, features] in the data's own coordinates
   * @returns [n, k] probabilities, k = 1 (of class 1) for two classes, else one per class
   */
  probabilities(points: Float32Array): Float32Array {
    const n = points.length / this.data.features;
    const raw = tensor(points, [n, this.data.features]);
    const x = this.data.norm.transform(raw);
    raw.dispose();
    const logits = this.model.predict(x);
    x.dispose();
    const probs = this.data.classes === 2 ? sigmoid(logits) : softmax(logits);
    logits.dispose();
    const values = Float32Array.from(probs.toArray());
    probs.dispose();
    return values;
  }

  /** Predicted class of the first `count` dev examples. */
  devPredictions(count: number): Int32Array {
    const logits = this.model.predict(this.data.dev.x.rows(0, Math.min(count, this.data.dev.x.shape[0])));
    const classes = this.data.classes === 2 ? Int32Array.from(logits.toArray(), (z) => (z > 0 ? 1 : 0)) : argMax(logits);
    logits.dispose();
    return classes;
  }

  /** The course's gradient check (float64, two-sided differences) on the first training rows, L2 term included. */
  gradCheck(): GradCheckResult {
    const rows = Math.min(GRAD_CHECK_ROWS, this.data.train.x.shape[0]);
    return gradCheck(this.model, this.data.train.x.rows(0, rows), this.data.train.y.rows(0, rows), {
      trainingExamples: this.data.train.x.shape[0],
      seed: this.config.seed,
    });
  }

  /** Every weight (getWeights order) as the bit patterns of its float32 values, for exact comparison. */
  weightBits(): number[][] {
    return this.model.getWeights().map((w) => Array.from(new Uint32Array(Float32Array.from(w.toArray()).buffer)));
  }

  /** Frees the model, the optimizer's state, the batch buffers (ending the fit) and the data. */
  async dispose(): Promise<void> {
    await this.#steps.return(undefined as never);
    this.model.dispose();
    this.optimizer.dispose();
    this.data.dispose();
  }
}

/**
 * Initializes the kernels (once) and builds a run from (part of) a config.
 *
 * @param partial - settings; the rest come from the defaults
 * @returns a run ready to step
 * @example
 * const run = await createRun({ dataset: 'circles', init: 'he', optimizer: 'adam', seed: 7 });
 * await run.train(100);
 * console.log(run.evaluate().devAccuracy);
 */
export async function createRun(partial: Partial<RunConfig> = {}): Promise<Run> {
  await init();
  const config = resolveConfig(partial);
  return new Run(config, await loadRunData(config));
}
