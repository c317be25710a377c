// A check that two sets (dev and test above all) come from the same distribution: label proportions
// by a χ² test of homogeneity, and each feature's mean by Welch's t-test and variance by an F-test,
// at a family-wise level α with Bonferroni's correction.
import { checkOptionKeys, describeValue, NnkitError, type Tensor } from '@nnkit/tensor-wasm';
import { checkFeatures, checkFinite } from './check';
import { classIds, type Labels, labelCount } from './labels';
import { chiSquarePValue, fCdf, tTwoSidedPValue } from './statistics';

/** Family-wise significance level: a warning means < 1% chance of a false alarm over all tests. */
export const DEFAULT_ALPHA = 0.01;

/** A set of examples: features, labels, or both. */
export interface ExampleSet {
  x?: Tensor;
  y?: Labels;
}

/** Options of {@link sameDistribution}. */
export interface SameDistributionOptions {
  /** Family-wise significance level (default {@link DEFAULT_ALPHA}). */
  alpha?: number;
  /** Called with each warning (default console.warn); false to stay silent. */
  warn?: ((message: string) => void) | false;
  /** Names for the two sets in messages (default ['dev', 'test']). */
  names?: readonly [string, string];
}

/** Every key of {@link SameDistributionOptions}, for the unknown-option check. */
const SAME_DISTRIBUTION_OPTION_KEYS = ['alpha', 'warn', 'names'] as const satisfies readonly (keyof SameDistributionOptions)[];

/** Per-feature comparison. */
export interface FeatureComparison {
  feature: number;
  meanA: number;
  meanB: number;
  varianceA: number;
  varianceB: number;
  /** Welch's t-test of equal means, two-sided. */
  meanPValue: number;
  /** F-test of equal variances, two-sided. */
  variancePValue: number;
}

/** What {@link sameDistribution} found. */
export interface DistributionReport {
  /** False when any test rejects at the corrected level. */
  same: boolean;
  alpha: number;
  /** The level each test is held to: α divided by the number of tests (Bonferroni). */
  perTestAlpha: number;
  labels?: { chiSquare: number; df: number; pValue: number; proportionsA: number[]; proportionsB: number[] };
  features?: FeatureComparison[];
  /** One sentence per rejected test, naming the values. */
  warnings: string[];
}

function moments(x: Tensor): { mean: Float64Array; variance: Float64Array; n: number } {
  const n = x.shape[0];
  const d = n === 0 ? 0 : x.size / n;
  const v = x.toArray();
  const mean = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mean[j] += v[i * d + j];
  mean.forEach((s, j) => {
    mean[j] = s / n;
  });
  const variance = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) {
      const e = v[i * d + j] - mean[j];
      variance[j] += e * e;
    }
  }
  variance.forEach((s, j) => {
    variance[j] = s / (n - 1); // unbiased, as the t and F tests assume
  });
  return { mean, variance, n };
}

function compareFeature(j: number, a: ReturnType<typeof moments>, b: ReturnType<typeof moments>): FeatureComparison {
  const [ma, mb, va, vb] = [a.mean[j], b.mean[j], a.variance[j], b.variance[j]];
  const sa = va / a.n;
  const sb = vb / b.n;
  let meanPValue: number;
  let variancePValue: number;
  if (va === 0 && vb === 0) {
    meanPValue = ma === mb ? 1 : 0;
    variancePValue = 1;
  } else {
    const t = (ma - mb) / Math.sqrt(sa + sb);
    // Welch–Satterthwaite degrees of freedom.
    const df = (sa + sb) ** 2 / (sa ** 2 / (a.n - 1) + sb ** 2 / (b.n - 1));
    meanPValue = tTwoSidedPValue(t, df);
    if (va === 0 || vb === 0) variancePValue = 0;
    else {
      const cdf = fCdf(va / vb, a.n - 1, b.n - 1);
      variancePValue = Math.min(1, 2 * Math.min(cdf, 1 - cdf));
    }
  }
  return { feature: j, meanA: ma, meanB: mb, varianceA: va, varianceB: vb, meanPValue, variancePValue };
}

/**
 * Tests whether two sets look drawn from the same distribution — the course's rule that dev and
 * test sets must come from the same distribution. Labels: χ² test of homogeneity of the class
 * counts. Features: per feature, Welch's t-test of the means and the F-test of the variances (which
 * assumes roughly normal features). All tests together are held to α by Bonferroni's correction;
 * a rejection produces a warning (to `console.warn` by default) and `same: false`. Passing is not
 * proof of sameness: small sets detect only large differences.
 *
 * @param a - the first set, `{ x?, y? }` (e.g. dev)
 * @param b - the second set (e.g. test)
 * @param opts - alpha, warn, names
 * @returns a {@link DistributionReport}
 * @example
 * const report = sameDistribution(dev, test);
 * if (!report.same) console.log(report.warnings);
 */
export function sameDistribution(a: ExampleSet, b: ExampleSet, opts: SameDistributionOptions = {}): DistributionReport {
  const where = 'sameDistribution()';
  checkOptionKeys(opts, SAME_DISTRIBUTION_OPTION_KEYS, where);
  const { alpha = DEFAULT_ALPHA, warn = console.warn, names = ['dev', 'test'] } = opts;
  if (typeof alpha !== 'number' || !(alpha > 0 && alpha < 1)) {
    throw new NnkitError('INVALID_ARGUMENT', `${where}: alpha ${describeValue(alpha)} must be a number in (0, 1)`);
  }
  for (const [name, s] of [[names[0], a], [names[1], b]] as const) {
    if (s === null || typeof s !== 'object' || (s.x === undefined && s.y === undefined)) {
      throw new NnkitError('INVALID_ARGUMENT', `${where}: ${name} must be { x?, y? } with at least one of them, got ${describeValue(s)}`);
    }
  }
  const useX = a.x !== undefined && b.x !== undefined;
  const useY = a.y !== undefined && b.y !== undefined;
  if (!useX && !useY) throw new NnkitError('INVALID_ARGUMENT', `${where}: the two sets share neither x nor y; nothing to compare`);

  let ma: ReturnType<typeof moments> | null = null;
  let mb: ReturnType<typeof moments> | null = null;
  if (useX) {
    const xa = checkFeatures(a.x, `${names[0]}.x`, where);
    const xb = checkFeatures(b.x, `${names[1]}.x`, where);
    const ra = xa.shape.slice(1).join(', ');
    const rb = xb.shape.slice(1).join(', ');
    if (ra !== rb) throw new NnkitError('SHAPE_MISMATCH', `${where}: ${names[0]} rows [${ra}] and ${names[1]} rows [${rb}] differ`);
    for (const [name, x] of [[names[0], xa], [names[1], xb]] as const) {
      if (x.shape[0] < 2) throw new NnkitError('INVALID_SHAPE', `${where}: ${name}.x has ${x.shape[0]} examples; the tests need at least 2`);
      checkFinite(x, `${name}.x`, where);
    }
    ma = moments(xa);
    mb = moments(xb);
  }
  let ids: [Int32Array, Int32Array] | null = null;
  if (useY) {
    ids = [classIds(a.y!, where), classIds(b.y!, where)];
  }
  for (const [name, s] of [[names[0], a], [names[1], b]] as const) {
    if (s.x !== undefined && s.y !== undefined && s.x.shape[0] !== labelCount(s.y, where)) {
      throw new NnkitError('SHAPE_MISMATCH', `${where}: ${name}.x has ${s.x.shape[0]} examples but ${name}.y has ${labelCount(s.y, where)}; expected the same number`);
    }
  }
  const features = ma ? ma.mean.length : 0;
  const tests = (useY ? 1 : 0) + 2 * features;
  const perTestAlpha = alpha / tests;
  const report: DistributionReport = { same: true, alpha, perTestAlpha, warnings: [] };

  if (ids) {
    let k = 1;
    for (const v of ids) for (let i = 0; i < v.length; i++) k = Math.max(k, v[i] + 1);
    const counts = ids.map((v) => {
      const c = new Array<number>(k).fill(0);
      for (const id of v) c[id]++;
      return c;
    });
    const [na, nb] = [ids[0].length, ids[1].length];
    let chiSquare = 0;
    let used = 0;
    for (let c = 0; c < k; c++) {
      const total = counts[0][c] + counts[1][c];
      if (total === 0) continue;
      used++;
      for (const [n, o] of [[na, counts[0][c]], [nb, counts[1][c]]]) {
        const expected = (total * n) / (na + nb);
        chiSquare += (o - expected) ** 2 / expected;
      }
    }
    const df = Math.max(1, used - 1);
    const pValue = used < 2 ? 1 : chiSquarePValue(chiSquare, df);
    report.labels = { chiSquare, df, pValue, proportionsA: counts[0].map((c) => c / na), proportionsB: counts[1].map((c) => c / nb) };
    if (pValue < perTestAlpha) {
      const fmt = (p: number[]) => p.map((v) => v.toFixed(3)).join(', ');
      report.warnings.push(
        `label proportions differ: ${names[0]} [${fmt(report.labels.proportionsA)}] vs ${names[1]} [${fmt(report.labels.proportionsB)}] (χ² = ${chiSquare.toFixed(2)}, df ${df}, p = ${pValue.toExponential(2)} < ${perTestAlpha.toExponential(2)})`,
      );
    }
  }
  if (ma && mb) {
    report.features = Array.from({ length: features }, (_, j) => compareFeature(j, ma!, mb!));
    for (const f of report.features) {
      if (f.meanPValue < perTestAlpha) {
        report.warnings.push(`feature ${f.feature}: mean ${f.meanA.toPrecision(4)} in ${names[0]} vs ${f.meanB.toPrecision(4)} in ${names[1]} (Welch t-test p = ${f.meanPValue.toExponential(2)} < ${perTestAlpha.toExponential(2)})`);
      }
      if (f.variancePValue < perTestAlpha) {
        report.warnings.push(`feature ${f.feature}: variance ${f.varianceA.toPrecision(4)} in ${names[0]} vs ${f.varianceB.toPrecision(4)} in ${names[1]} (F-test p = ${f.variancePValue.toExponential(2)} < ${perTestAlpha.toExponential(2)})`);
      }
    }
  }
  report.same = report.warnings.length === 0;
  if (!report.same && warn) {
    warn(`${names[0]} and ${names[1]} do not look like the same distribution (${report.warnings.length} of ${tests} tests reject at family-wise α = ${alpha}): ${report.warnings.slice(0, 3).join('; ')}${report.warnings.length > 3 ? '; …' : ''}`);
  }
  return report;
}
