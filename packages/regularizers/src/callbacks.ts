// The training-callback contract. It is structural: @nnkit/layers' fit() and any hand-written loop
// call these hooks, and neither package imports the other.
import type { Tensor } from '@nnkit/tensor-wasm';

/** What a callback may do to the model it watches. */
export interface TrainableModel {
  /** The model's live weight tensors, in layer order (callbacks clone what they keep). */
  getWeights(): Tensor[];
  /** Copies values into the model's weights (the model does not keep the given tensors). */
  setWeights(weights: Tensor[]): void;
  /** Set to true to end training after the current epoch. */
  stopTraining: boolean;
}

/** The numbers of one epoch; `val*` ones exist when there is validation data. */
export interface EpochLogs {
  loss: number;
  valLoss?: number;
  accuracy?: number;
  valAccuracy?: number;
  lr?: number;
  [metric: string]: number | undefined;
}

/** What a loop tells `onBatchEnd` about one step (@nnkit/layers' fit passes its `FitStep`). */
export interface BatchLogs {
  /** The batch's cost before the update (dropout and augmentation on). */
  loss: number;
  /** Examples in the batch. */
  size?: number;
  /** Accuracy on the batch as trained. */
  accuracy?: number;
  /** The learning rate of the update. */
  lr?: number;
}

/** Hooks a training loop calls; every one is optional and may be async. */
export interface Callback {
  setModel?(model: TrainableModel): void;
  onTrainBegin?(): void | Promise<void>;
  onEpochBegin?(epoch: number): void | Promise<void>;
  onBatchEnd?(batch: number, logs: BatchLogs): void | Promise<void>;
  onEpochEnd?(epoch: number, logs: EpochLogs): void | Promise<void>;
  onTrainEnd?(logs?: EpochLogs): void | Promise<void>;
}
