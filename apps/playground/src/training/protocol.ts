// The messages between the page and its training worker. The page only draws; everything numeric
// happens in the worker, which sends plain data (typed arrays where the payload is large).
import type { RunConfig } from './config';
import type { Evaluation } from './run-config';

/** Page → worker. */
export type TrainerRequest =
  /** Build a fresh run (reset); the worker answers with `ready`. */
  | { type: 'reset'; config: RunConfig }
  | { type: 'play' }
  | { type: 'pause' }
  /** Run `count` steps and report, whether playing or not. */
  | { type: 'step'; count: number }
  | { type: 'gradCheck' }
  /** At most this many steps per slice while playing (Infinity: as fast as the machine goes). */
  | { type: 'speed'; stepsPerSlice: number }
  /** Test hook: build an independent run of `config`, train `steps` steps, answer with its weights. */
  | { type: 'probe'; id: number; config: RunConfig; steps: number };

/** Grid on which the decision boundary is drawn. */
export interface BoundaryGrid {
  /** Cells per side. */
  resolution: number;
  /** Data coordinates covered: [xMin, xMax, yMin, yMax]. */
  bounds: [number, number, number, number];
}

/** Sent once per reset: what the page needs to lay out its views. */
export interface ReadyMessage {
  type: 'ready';
  config: RunConfig;
  classes: number;
  features: number;
  trainSize: number;
  devSize: number;
  /** Number of trainable scalars. */
  parameters: number;
  /** Names of the layers with parameters, input to output. */
  layers: string[];
  /** Raw 2-D points (toy problems) with class ids, for the scatter over the heatmap. */
  points: { train: Float32Array; trainLabels: Int32Array; dev: Float32Array; devLabels: Int32Array } | null;
  grid: BoundaryGrid | null;
  /** The first dev images (MNIST), 784 intensities each, with their labels. */
  digits: { pixels: Float32Array; labels: Int32Array } | null;
}

/** Sent after every slice of training. */
export interface ProgressMessage {
  type: 'progress';
  playing: boolean;
  epoch: number;
  /** Iteration, loss, EWMA-smoothed loss and learning rate of each step of the slice. */
  iterations: Float64Array;
  losses: Float64Array;
  smoothed: Float64Array;
  learningRates: Float64Array;
  /** Per layer, ‖gradient‖₂ at the last step. */
  gradientNorms: { layer: string; norm: number }[];
  /** Present at most a few times a second: inference-mode numbers on the full sets. */
  evaluation?: Evaluation & { iteration: number };
  /** Class probabilities on the boundary grid ([cells, 1] for two classes, else [cells, classes]). */
  boundary?: Float32Array;
  /** Predicted classes of the digits sent in `ready`. */
  digitPredictions?: Int32Array;
}

export interface GradCheckMessage {
  type: 'gradCheck';
  relativeDifference: number;
  passed: boolean;
  checked: number;
  total: number;
  worst: { name: string; index: number; analytic: number; numeric: number }[];
  notes: string[];
}

export interface ProbeMessage {
  type: 'probe';
  id: number;
  /** float32 bit patterns of every weight, getWeights order. */
  bits: number[][];
  /** Threads the worker's kernels ran on (backendInfo().threads). */
  threads: number;
}

/** Training stopped: divergence (NaN/Inf) or a bad setting. */
export interface ErrorMessage {
  type: 'error';
  message: string;
  /** The NnkitError code, e.g. 'DIVERGED'. */
  code?: string;
  /** The probe it answers, if any. */
  id?: number;
}

/** Worker → page. */
export type TrainerMessage = ReadyMessage | ProgressMessage | GradCheckMessage | ProbeMessage | ErrorMessage;
