// The sizes from which an op is split over the worker pool, and the benchmarks' way to move them.
// Each threshold is the measured break-even of its kind of op (tools/bench/thresholds.bench.mjs):
// below it, waking a worker and joining it costs more than the half of the work it takes over.
// The split never changes the bits (it runs over output rows or columns), only the speed.
import { describeValue } from './describe-value';
import { NnkitError } from './errors';

/**
 * The thresholds as shipped; {@link applyThresholdOverride} moves the live values below. Measured
 * 2026-12-02 with tools/bench/thresholds.bench.mjs on the 2-core AMD EPYC (family 26 model 2, 1 MB
 * L2 per core), Node 20.20, in five runs of 30–40 rounds while other jobs kept the load average at
 * 3–8: a worker then often waits for a core, and the median split ran 0.6–1.0× the calling thread
 * alone at every size in four of the runs (in the least loaded one, at load 3–4, the medians came
 * within one power of two of the figures below). The break-evens below are therefore those of the
 * fastest timing of all rounds (both cores free), each op split into two parts at exactly the size
 * timed. Break-even: the smallest size from which every size timed ran at least 1.1× as fast split.
 */
export const DEFAULT_THRESHOLDS = Object.freeze({
  /**
   * Multiply-adds (m·n·k) from which a product is split. 2¹⁶ (64×32·32×32, 3.6–3.9 µs alone) ran
   * 1.13–1.23× split in all five runs, 2¹⁵ 0.82–1.22×, 2¹⁴ and less 0.55–1.03×; from 2¹⁸ on
   * 1.3–2.0×. The 10-unit output layer's three products at batch 64 (81,920 multiply-adds, 5.5–8.5
   * µs alone, one of them 64×10·(128×10)ᵀ) ran 0.97–1.66× alone, but inside the benchmark MLP's
   * training step they ran 0.68–0.94× split (8–10 µs each on one thread), and keeping them on the
   * calling thread made the two-thread epoch 1.02× as fast on one warm pool (0.97–1.21× over 14
   * interleaved rounds) and 1.08× (1.01–1.16×) when each round started a new pool: products split
   * from 2¹⁷.
   */
  gemmMacs: 1 << 17,
  /**
   * Elements from which an optimizer update is split. Adam (about 0.65 ns an element alone) broke
   * even at 2¹⁴ (1.30–1.38×; 2¹³: 0.98–1.08×), SGD (about 0.15 ns) at 2¹⁵ (1.06–1.20×; 2¹⁴:
   * 0.87–0.89×, 2¹⁶: 1.37–1.48×); one threshold serves the four updates, momentum and RMSprop lying
   * between the two.
   */
  minElements: 1 << 15,
  /**
   * Elements (rows × columns) from which a row-wise pass is split: activationBackward without a
   * bias gradient (2¹⁵ of 128 columns: 1.24–1.31× in three runs, 0.93× in one where nothing below
   * 2¹⁷ gained; 2¹⁴: 0.87–1.04×) and batch-norm normalization (2¹⁵: 0.98–1.61×, break-even 2¹⁴–2¹⁶
   * in the five runs). With a bias gradient activationBackward splits over columns instead (see
   * minColumnElements): its earlier row split, followed by the column sums on the calling thread,
   * ran 0.73–0.79× in the median from 2¹⁵ to 2²⁰ elements.
   */
  minRowElements: 1 << 15,
  /**
   * Elements from which a dense layer's bias + activation is split. It reads what the product just
   * wrote, from the calling thread's caches: 2¹⁵ ran 0.79–0.91× split, 2¹⁶ 0.94–0.97×, 2¹⁷
   * 0.97–1.07×, 2¹⁸ 1.00–1.76× (1.18–1.76× in three of four runs), 2¹⁹–2²⁰ 1.00–1.59×.
   */
  minBiasActivationElements: 1 << 18,
  /**
   * Elements (rows × columns) from which a column-wise sum down the rows (batch-norm statistics and
   * its backward sums, a bias gradient with its dz) is split over ranges of columns: like a row-wise
   * pass, one or two reads per element.
   */
  minColumnElements: 1 << 15,
  /**
   * Elements (rows × classes) from which a softmax cross-entropy is split over rows: each element
   * costs two exps (and each row a log), 20–45 ns here, so 2¹⁴ elements take a few hundred µs, far
   * longer than a hand-off.
   */
  softmaxXentElements: 1 << 14,
  /** Elements from which a sigmoid cross-entropy is split: an exp, a log1p and a sigmoid per element (25–50 ns here). */
  sigmoidXentElements: 1 << 14,
  /**
   * Elements from which countNonFinite is split: a read-only SIMD pass at about 0.1 ns per element
   * (2¹⁷ float32 took 12 µs on one thread here), so it takes more elements than an optimizer update
   * to outweigh a hand-off.
   */
  countElements: 1 << 18,
});

export type ThresholdName = keyof typeof DEFAULT_THRESHOLDS;

/** The live thresholds: the defaults, or a benchmark's override (see {@link applyThresholdOverride}). */
export const thresholds: Record<ThresholdName, number> = { ...DEFAULT_THRESHOLDS };

/** Where a benchmark puts its thresholds: not part of the API, see {@link applyThresholdOverride}. */
export const THRESHOLDS_KEY = Symbol.for('nnkit.parallelThresholds');

/**
 * Sets the live thresholds from `globalThis[Symbol.for('nnkit.parallelThresholds')]`, or back to
 * the defaults when it is unset. Every init() call reads it (also one that changes nothing else),
 * so a benchmark sets the object, awaits init(), and times a split op at any size, independently of
 * the shipped constants — for benchmarks only (tools/bench/thresholds.bench.mjs), not an API: the
 * names and the behaviour may change in any release.
 *
 * The object may hold any key of {@link DEFAULT_THRESHOLDS}, each a number ≥ 1 (`Infinity`: never split); a missing one keeps its default.
 */
export function applyThresholdOverride(): void {
  const given = (globalThis as Record<symbol, unknown>)[THRESHOLDS_KEY] as Record<string, unknown> | null | undefined;
  const next = { ...DEFAULT_THRESHOLDS };
  for (const name of Object.keys(next) as ThresholdName[]) {
    const v = given?.[name];
    if (v === undefined) continue;
    if (typeof v !== 'number' || !(v >= 1)) {
      throw new NnkitError('INVALID_ARGUMENT', `init(): the parallel threshold ${name} ${describeValue(v)} must be a number ≥ 1`);
    }
    next[name] = v;
  }
  Object.assign(thresholds, next);
}
