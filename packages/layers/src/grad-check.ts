// Gradient checking as the course teaches it: two-sided differences (J(θ+ε) − J(θ−ε))/2ε over the
// flattened parameters, compared with back-propagation by ‖g − g'‖/(‖g‖ + ‖g'‖). It runs in
// float64 on a copy of the model (so neither a float32 model's rounding nor batch-norm statistics
// are touched), includes the regularization cost, and turns dropout off, since a random mask makes
// J a different function at every evaluation.
import { cast, checkOptionKeys, createRng, Tensor } from '@nnkit/tensor-wasm';
import { checkInputs, checkTargets } from './data-checks';
import { checkNumber, checkPositiveInt, fail } from './errors';
import { Dropout } from './dropout';
import { type Loss, type LossFunction, type LossName, type LossTargets, resolveLoss } from './losses/index';
import { Sequential, sequential } from './sequential';

/** The course's ε: small enough for O(ε²) truncation, large enough for float64 round-off. */
export const GRAD_CHECK_EPSILON = 1e-7;
/** Pass threshold on the relative difference; the course reads ≈1e-7 as correct, 1e-5 as suspicious, 1e-3 as wrong. */
export const GRAD_CHECK_THRESHOLD = 2e-7;
/** Parameters checked at most; larger models are checked on a seeded sample of this size. */
export const GRAD_CHECK_MAX_ENTRIES = 2000;
const WORST_ENTRIES = 5;

/** Options of {@link gradCheck}. */
/** Every key of {@link GradCheckOptions}, for the unknown-option check. */
const GRAD_CHECK_OPTION_KEYS = ['loss', 'epsilon', 'threshold', 'maxEntries', 'seed', 'trainingExamples'] as const satisfies readonly (keyof GradCheckOptions)[];

export interface GradCheckOptions {
  /** The loss (a name or a function (yTrue, yPred) => scalar Tensor); default the compiled one. */
  loss?: LossName | LossFunction;
  /** Step of the two-sided difference (default 1e-7). */
  epsilon?: number;
  /** `passed` when the relative difference is below this (default 2e-7). */
  threshold?: number;
  /** Check at most this many parameter entries, sampled with `seed` when there are more (default 2000). */
  maxEntries?: number;
  /** Seed of the sample (default 0). */
  seed?: number;
  /** The m of the regularizer's λ/m (default: the rows of x). */
  trainingExamples?: number;
}

/** One checked entry. */
export interface GradCheckEntry {
  /** Parameter name, e.g. 'dense_1/kernel'. */
  name: string;
  /** Row-major index into the parameter. */
  index: number;
  analytic: number;
  numeric: number;
}

/** What {@link gradCheck} returns. */
export interface GradCheckResult {
  /** ‖g − g'‖/(‖g‖ + ‖g'‖) over the checked entries. */
  relativeDifference: number;
  passed: boolean;
  threshold: number;
  epsilon: number;
  /** Entries checked, and how many the model has. */
  checked: number;
  total: number;
  /** The entries with the largest |analytic − numeric|, worst first. */
  worst: GradCheckEntry[];
  /** True when dropout layers were turned off for the check. */
  dropoutDisabled: boolean;
  /** Plain-language remarks: dropout turned off, sampling, the float64 copy. */
  notes: string[];
}

function costOf(model: Sequential, x: Tensor, y: LossTargets, loss: Loss, m: number): number {
  const pred = model.forward(x, { training: true, dropout: false });
  return loss.compute(pred, y) + model.regularizationPenalty(m);
}

/**
 * Compares back-propagation with two-sided numerical differences on (x, y).
 *
 * @param model - a built model (any dtype; the check runs on a float64 copy)
 * @param x - a few examples [m, features]
 * @param y - their targets, as for fit
 * @param opts - loss, epsilon, threshold, maxEntries, seed, trainingExamples
 * @returns the relative difference, `passed`, and the worst entries by name and index
 * @example
 * const { relativeDifference, passed, worst } = gradCheck(model, x.rows(0, 8), y.rows(0, 8), { loss: 'softmaxCrossEntropy' });
 */
export function gradCheck(model: Sequential, x: Tensor, y: Tensor | ArrayLike<number>, opts: GradCheckOptions = {}): GradCheckResult {
  const where = 'gradCheck()';
  if (!(model instanceof Sequential)) fail('INVALID_ARGUMENT', `${where}: model must be a sequential() model`);
  checkOptionKeys(opts, GRAD_CHECK_OPTION_KEYS, where);
  if (!model.built) fail('NOT_BUILT', `${where}: the model has no weights yet; give it an inputShape or fit it first`);
  const loss = opts.loss !== undefined ? resolveLoss(opts.loss, where) : model.loss;
  if (!loss) fail('NOT_COMPILED', `${where}: pass { loss } or compile the model first`);
  const epsilon = checkNumber(opts.epsilon ?? GRAD_CHECK_EPSILON, 'epsilon', where, 0, 1, true);
  const threshold = checkNumber(opts.threshold ?? GRAD_CHECK_THRESHOLD, 'threshold', where, 0, Number.MAX_VALUE, true);
  const maxEntries = checkPositiveInt(opts.maxEntries ?? GRAD_CHECK_MAX_ENTRIES, 'maxEntries', where);
  checkInputs(x, 'x', where, model.inputShape![0], model.dtype);
  const m = x.shape[0];
  const trainingExamples = opts.trainingExamples === undefined ? m : checkPositiveInt(opts.trainingExamples, 'trainingExamples', where);
  const { targets, made } = checkTargets(y, loss, m, model.outputShape[0], model.dtype, where);

  let copy: Sequential | null = null;
  let x64: Tensor | null = null;
  let y64: LossTargets | null = null;
  try {
    copy = sequential(model.layers.map((l) => l.clone()), { inputShape: model.inputShape!, dtype: 'float64', seed: model.seed });
    x64 = cast(x, 'float64');
    y64 = targets instanceof Tensor ? cast(targets, 'float64') : targets;
    copy.setWeights(model.getWeights());

    const pred = copy.forward(x64, { training: true, dropout: false });
    const dLogits = copy.lossGradBuffer(m);
    loss.compute(pred, y64, dLogits);
    copy.backward(dLogits);
    for (const layer of copy.layers) layer.addRegularizationGrad(trainingExamples);
    const params = copy.parameters();
    const analytic = params.map((p) => p.grad.toArray());

    const total = params.reduce((n, p) => n + p.value.size, 0);
    const entries = selectEntries(params.map((p) => p.value.size), total, maxEntries, opts.seed ?? 0);
    const flats = params.map((p) => p.value.reshape([p.value.size]));
    const values = params.map((p) => p.value.toArray());
    const checkedEntries: GradCheckEntry[] = [];
    let diff2 = 0;
    let a2 = 0;
    let n2 = 0;
    for (const [pi, index] of entries) {
      const cell = flats[pi].rows(index, index + 1);
      const original = values[pi][index];
      cell.assign([original + epsilon]);
      const plus = costOf(copy, x64, y64, loss, trainingExamples);
      cell.assign([original - epsilon]);
      const minus = costOf(copy, x64, y64, loss, trainingExamples);
      cell.assign([original]);
      cell.dispose();
      const numeric = (plus - minus) / (2 * epsilon);
      const g = analytic[pi][index];
      diff2 += (g - numeric) ** 2;
      a2 += g * g;
      n2 += numeric * numeric;
      checkedEntries.push({ name: params[pi].name, index, analytic: g, numeric });
    }
    for (const f of flats) f.dispose();
    const denominator = Math.sqrt(a2) + Math.sqrt(n2);
    const relativeDifference = denominator === 0 ? 0 : Math.sqrt(diff2) / denominator;
    const worst = checkedEntries
      .sort((p, q) => Math.abs(q.analytic - q.numeric) - Math.abs(p.analytic - p.numeric))
      .slice(0, WORST_ENTRIES);
    const dropouts = model.layers.filter((l) => l instanceof Dropout && l.rate > 0).map((l) => `'${l.name}'`);
    const notes: string[] = [];
    if (dropouts.length > 0) notes.push(`dropout was turned off in ${dropouts.join(', ')}: a random mask makes the cost a different function at each evaluation`);
    if (entries.length < total) notes.push(`checked a seeded sample of ${entries.length} of ${total} parameter entries`);
    if (model.dtype === 'float32') notes.push('checked on a float64 copy of the float32 model');
    return {
      relativeDifference, passed: relativeDifference < threshold && Number.isFinite(relativeDifference), threshold, epsilon,
      checked: entries.length, total, worst, dropoutDisabled: dropouts.length > 0, notes,
    };
  } finally {
    // Whatever was made before a failure (an OUT_OF_MEMORY on the float64 copy) is freed too.
    copy?.dispose();
    x64?.dispose();
    if (y64 instanceof Tensor) y64.dispose();
    made?.dispose();
  }
}

/** Every (parameter, index) pair, or a seeded sample of `max` of them without repeats. */
function selectEntries(sizes: number[], total: number, max: number, seed: number): [number, number][] {
  const locate = (flat: number): [number, number] => {
    let p = 0;
    while (flat >= sizes[p]) flat -= sizes[p++];
    return [p, flat];
  };
  if (total <= max) return Array.from({ length: total }, (_, i) => locate(i));
  const rng = createRng(seed);
  const chosen = new Set<number>();
  while (chosen.size < max) chosen.add(rng.int(total));
  return [...chosen].sort((a, b) => a - b).map(locate);
}
