/**
 * Every stable code of {@link NnkitError}, for all nnkit packages: each names one kind of mistake.
 * This is the one list (the README's table mirrors it); `@nnkit/tuning` declares the subset it uses.
 */
export type NnkitErrorCode =
  // The kernel and memory
  /** A tensor was made or used before `await init()` finished. */
  | 'NOT_INITIALIZED'
  /** The kernel did not compile or instantiate, a module given to `init()` is not an nnkit kernel, or a package a loader needs did not load. */
  | 'INIT_FAILED'
  /** Two copies of @nnkit/tensor-wasm are loaded (two versions, or its ESM and CJS builds) and one was used while the other holds the kernel. */
  | 'DUPLICATE_PACKAGE'
  /** WebAssembly memory cannot grow to hold the tensor (4 GiB at most). */
  | 'OUT_OF_MEMORY'
  /** A tensor was used after `dispose()`. */
  | 'DISPOSED'
  /** A kernel worker thread stopped or failed during an op; the op's result is not usable and kernels fall back to one thread. */
  | 'WORKER_FAILED'
  // Arguments
  /** An argument or option has the wrong type or value (a string for a number, a negative rate, low ≥ high, an unknown name). */
  | 'INVALID_ARGUMENT'
  /** A shape is not a list of non-negative integers, or a tensor has the wrong number of dimensions. */
  | 'INVALID_SHAPE'
  /** Two tensors or arrays that must agree do not (operands, x and y, labels and examples, a weight and its slot). */
  | 'SHAPE_MISMATCH'
  /** Tensors of float32 and float64 were mixed. */
  | 'DTYPE_MISMATCH'
  /** A dtype is neither 'float32' nor 'float64'. */
  | 'UNKNOWN_DTYPE'
  /** A NaN or ±Inf where finite numbers are needed (data, targets, gradients). */
  | 'NON_FINITE'
  /** A class label is not a class id: not an integer, negative, or not below the number of classes. */
  | 'LABEL_OUT_OF_RANGE'
  /** A data set with no examples. */
  | 'EMPTY_DATA'
  // Data (@nnkit/data)
  /** `split()` options that do not describe a train/dev/test split of the data. */
  | 'INVALID_SPLIT'
  /** A class has too few examples to be split with `stratify`. */
  | 'CLASS_TOO_SMALL'
  /** An optional package a feature needs is not installed (`mnist` for `@nnkit/data/mnist`, `ioredis` for `redisStorage()` of @nnkit/tuning); the message says what to install. */
  | 'MISSING_DEPENDENCY'
  // Models and training (@nnkit/layers)
  /** The model or layer has no weights yet (no inputShape given, not fitted). */
  | 'NOT_BUILT'
  /** A layer given to a second model. */
  | 'ALREADY_BUILT'
  /** `backward()` before any `forward()`. */
  | 'NO_FORWARD'
  /** Training or evaluating without a loss or an optimizer. */
  | 'NOT_COMPILED'
  /** A batch that batch norm cannot normalize (one example). */
  | 'INVALID_BATCH'
  /** Training produced a NaN or ±Inf loss or gradient; the update was not applied. */
  | 'DIVERGED'
  /** Something that should not happen; please report it. */
  | 'INTERNAL'
  // Optimizers and schedules (@nnkit/optimizers)
  /** A learning-rate schedule returned NaN, ±Inf or a negative rate. */
  | 'INVALID_LEARNING_RATE'
  /** `setState()` got something that is not a state from `getState()`. */
  | 'INVALID_STATE'
  /** A restored optimizer state does not belong to the parameters it is used with. */
  | 'STATE_MISMATCH'
  // Callbacks (@nnkit/regularizers)
  /** A callback monitors a log (e.g. `valLoss`) that training does not produce. */
  | 'MISSING_METRIC'
  // Saving and loading models (@nnkit/layers)
  /** A model file that is damaged, inconsistent or not a TensorFlow.js layers-model. */
  | 'INVALID_MODEL'
  /** A model file larger than the limits allow. */
  | 'MODEL_TOO_LARGE'
  /** No model at the given path, URL or IndexedDB key. */
  | 'MODEL_NOT_FOUND'
  /** Fetching a model failed. */
  | 'FETCH_FAILED'
  /** A weight file name that would leave the model's folder. */
  | 'UNSAFE_PATH'
  /** A save or load target this environment cannot use (IndexedDB in Node, a file path in a browser, an upload URL). */
  | 'UNSUPPORTED_TARGET'
  /** A TensorFlow.js model format nnkit cannot train (a graph model). */
  | 'UNSUPPORTED_FORMAT'
  /** A model class other than Sequential. */
  | 'UNSUPPORTED_MODEL'
  /** A layer, or a layer setting, with no nnkit equivalent. */
  | 'UNSUPPORTED_LAYER'
  /** An activation with no nnkit equivalent. */
  | 'UNSUPPORTED_ACTIVATION'
  /** A regularizer that cannot be saved (only l1, l2 and l1l2 can). */
  | 'UNSUPPORTED_REGULARIZER'
  /** An optimizer whose state cannot be saved or restored. */
  | 'UNSUPPORTED_OPTIMIZER'
  /** A saved optimizer that followed a schedule: the schedule is code and must be given again. */
  | 'OPTIMIZER_REQUIRED'
  /** A big-endian host, which the little-endian weight files do not support. */
  | 'UNSUPPORTED_PLATFORM'
  // Hyperparameter search (@nnkit/tuning)
  /** A search space with no parameters, or a grid with no points. */
  | 'EMPTY_SPACE'
  /** A search-space entry that is not a distribution, `when(…)` or a finite fixed value. */
  | 'INVALID_SPACE'
  /** A study's storage was written for another space, direction or kind of search. */
  | 'STORAGE_MISMATCH'
  /** A storage this environment cannot use (a journal file outside Node). */
  | 'STORAGE_UNAVAILABLE'
  /** Another process is writing the study's journal (its pid is named), or this study lost its lock on it. */
  | 'STORAGE_LOCKED'
  /** An objective module where there are no workers. */
  | 'WORKER_UNAVAILABLE'
  /** The objective module could not be imported or exports no function. */
  | 'OBJECTIVE_LOAD_FAILED'
  /** `study.best` of a study in which no trial completed. */
  | 'NO_COMPLETED_TRIALS';

/**
 * The brand every nnkit error carries. `Symbol.for` gives the same symbol to every copy of every
 * package in one JavaScript realm, so `instanceof NnkitError` holds for errors of `@nnkit/tuning`
 * (which defines its own class with this brand and imports nothing of ours), of another version of
 * this package, and of its ESM and CJS builds loaded side by side.
 */
const BRAND = Symbol.for('nnkit.error');

/**
 * The one error class of nnkit. Every check throws it before any state changes, with a message that
 * names the offending value and what was expected, and a stable `code` to branch on.
 *
 * @param code - a stable {@link NnkitErrorCode}
 * @param message - names the bad value and the expected one
 * @returns the error, to be thrown
 * @example
 * try { add(a, b) } catch (e) { if (e instanceof NnkitError && e.code === 'SHAPE_MISMATCH') … }
 */
export class NnkitError extends Error {
  readonly code: NnkitErrorCode;

  static {
    // On the prototype and not enumerable: errors print and serialize as before.
    Object.defineProperty(NnkitError.prototype, BRAND, { value: true });
  }

  constructor(code: NnkitErrorCode, message: string) {
    super(message);
    this.name = 'NnkitError';
    this.code = code;
  }

  /** True for an nnkit error of any package or copy: decided by the brand, not by the prototype chain. */
  static override [Symbol.hasInstance](value: unknown): value is NnkitError {
    // A subclass keeps the ordinary prototype test, or every NnkitError would pass as one of it.
    // biome-ignore lint/complexity/noThisInStatic: `this` is the class instanceof was asked about, maybe a subclass
    if (this !== NnkitError) return Function.prototype[Symbol.hasInstance].call(this, value);
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[BRAND] === true;
  }
}
