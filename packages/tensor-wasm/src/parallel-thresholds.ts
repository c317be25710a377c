// The sizes from which an op is split over the worker pool, and the benchmarks' way to move them.
// Each threshold is the measured break-even of its kind of op (tools/bench/thresholds.bench.mjs):
// below it, waking a worker and joining it costs more than the half of the work it takes over.
// The split never changes the bits (it runs over output rows or columns), only the speed.
import { describeValue } from './describe-value';
import { NnkitError } from './errors';

/** The thresholds as shipped; {@link applyThresholdOverride} moves the live values below. */
export const DEFAULT_THRESHOLDS = Object.freeze({
  /**
   * Multiply-adds (m·n·k) from which a product is split: 2¹⁶ take about 3 µs on one core at
   * 25–30 GFLOP/s, the order of a hand-off whose worker must be woken (the hand-off to a polling
   * worker costs well under a microsecond).
   */
  gemmMacs: 1 << 16,
  /**
   * Elements from which an elementwise kernel (an optimizer update) is split: these passes move
   * 12–28 bytes per element at a few GB/s, so 2¹⁵ elements take tens of µs, well above a hand-off.
   */
  minElements: 1 << 15,
  /** Elements (rows × columns) from which a row-wise pass (bias + activation, batch-norm normalization) is split. */
  minRowElements: 1 << 15,
});

export type ThresholdName = keyof typeof DEFAULT_THRESHOLDS;

/** Multiply-adds from which a product is split (see DEFAULT_THRESHOLDS.gemmMacs). */
export let PARALLEL_GEMM_MACS: number = DEFAULT_THRESHOLDS.gemmMacs;
/** Elements from which an optimizer update is split (see DEFAULT_THRESHOLDS.minElements). */
export let PARALLEL_MIN_ELEMENTS: number = DEFAULT_THRESHOLDS.minElements;
/** Elements from which a row-wise pass is split (see DEFAULT_THRESHOLDS.minRowElements). */
export let PARALLEL_MIN_ROW_ELEMENTS: number = DEFAULT_THRESHOLDS.minRowElements;

/** Where a benchmark puts its thresholds: not part of the API, see {@link applyThresholdOverride}. */
export const THRESHOLDS_KEY = Symbol.for('nnkit.parallelThresholds');

/**
 * Sets the live thresholds from `globalThis[Symbol.for('nnkit.parallelThresholds')]`, or back to
 * the defaults when it is unset. Every init() call reads it (also one that changes nothing else),
 * so a benchmark sets the object, awaits init(), and times a split op at any size, independently of
 * the shipped constants — for benchmarks only (tools/bench/thresholds.bench.mjs), not an API: the
 * names and the behaviour may change in any release.
 *
 * The object may hold `gemmMacs`, `minElements` and `minRowElements`, each a number ≥ 1
 * (`Infinity`: never split); a missing one keeps its default.
 */
export function applyThresholdOverride(): void {
  const given = (globalThis as Record<symbol, unknown>)[THRESHOLDS_KEY];
  const value = (name: ThresholdName): number => {
    if (given === undefined || given === null) return DEFAULT_THRESHOLDS[name];
    const v = (given as Record<string, unknown>)[name];
    if (v === undefined) return DEFAULT_THRESHOLDS[name];
    if (typeof v !== 'number' || !(v >= 1)) {
      throw new NnkitError('INVALID_ARGUMENT', `init(): the parallel threshold ${name} ${describeValue(v)} must be a number ≥ 1`);
    }
    return v;
  };
  const gemmMacs = value('gemmMacs');
  const minElements = value('minElements');
  const minRowElements = value('minRowElements');
  PARALLEL_GEMM_MACS = gemmMacs;
  PARALLEL_MIN_ELEMENTS = minElements;
  PARALLEL_MIN_ROW_ELEMENTS = minRowElements;
}
