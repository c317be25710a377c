// sameDistribution's statistics against SciPy (chi2_contingency, ttest_ind with equal_var=False,
// the F distribution), and its verdicts.
import { init, NnkitError, tensor } from '@nnkit/tensor-wasm';
import { describe, expect, test } from 'vitest';
import reference from '../test/fixtures/reference-data.json';
import { sameDistribution } from './same-distribution';
import { betaI, chiSquarePValue, gammaQ, logGamma } from './statistics';

await init();

// p-values are compared relatively: continued fractions converge to ~1e-14, and the moments pass
// through float64 sums of a few hundred terms.
const relativeClose = (got: number, want: number, tolerance = 1e-9) => {
  expect(Math.abs(got - want)).toBeLessThanOrEqual(tolerance * Math.max(Math.abs(want), 1e-300));
};

function sets(c: typeof reference.same) {
  const x = (v: number[]) => tensor(v, [v.length / c.features, c.features], 'float64');
  return [{ x: x(c.a), y: c.ya }, { x: x(c.b), y: c.yb }] as const;
}

describe('the statistics', () => {
  test('special functions at known values', () => {
    expect(logGamma(5)).toBeCloseTo(Math.log(24), 13);
    expect(logGamma(0.5)).toBeCloseTo(Math.log(Math.sqrt(Math.PI)), 13);
    expect(gammaQ(1, 2)).toBeCloseTo(Math.exp(-2), 14); // Q(1, x) = e^−x
    expect(betaI(1, 1, 0.3)).toBeCloseTo(0.3, 14); // the uniform distribution
    expect(chiSquarePValue(3.841458820694124, 1)).toBeCloseTo(0.05, 12);
  });
  test.each(['same', 'different'] as const)('%s: χ², t and F p-values equal SciPy’s', (name) => {
    const c = reference[name];
    const [a, b] = sets(c);
    const r = sameDistribution(a, b, { warn: false });
    relativeClose(r.labels!.chiSquare, c.chiSquare);
    expect(r.labels!.df).toBe(c.df);
    relativeClose(r.labels!.pValue, c.labelPValue);
    r.features!.forEach((f, j) => {
      relativeClose(f.meanPValue, c.meanPValues[j]);
      relativeClose(f.variancePValue, c.variancePValues[j]);
    });
  });
});

describe('verdicts', () => {
  test('samples of one distribution pass', () => {
    const [a, b] = sets(reference.same);
    const r = sameDistribution(a, b, { warn: false });
    expect(r.same).toBe(true);
    expect(r.perTestAlpha).toBeCloseTo(0.01 / 7, 15); // 1 label test + 2 × 3 features
  });
  test('a shifted mean, a wider feature and other class proportions are each reported', () => {
    const [a, b] = sets(reference.different);
    const messages: string[] = [];
    const r = sameDistribution(a, b, { warn: (m) => messages.push(m) });
    expect(r.same).toBe(false);
    expect(r.warnings).toHaveLength(3);
    expect(r.warnings[0]).toMatch(/^label proportions differ: dev \[/);
    expect(r.warnings[1]).toMatch(/^feature 1: mean .* \(Welch t-test p = /);
    expect(r.warnings[2]).toMatch(/^feature 2: variance .* \(F-test p = /);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatch(/dev and test do not look like the same distribution \(3 of 7 tests reject at family-wise α = 0.01\)/);
  });
  test('labels alone, or features alone', () => {
    const [a, b] = sets(reference.different);
    expect(sameDistribution({ y: a.y }, { y: b.y }, { warn: false }).warnings).toHaveLength(1);
    expect(sameDistribution({ x: a.x }, { x: b.x }, { warn: false }).warnings).toHaveLength(2);
  });
});

describe('bad input', () => {
  test.each([
    [() => sameDistribution({}, { y: [0] }), /dev must be \{ x\?, y\? \} with at least one of them/],
    [() => sameDistribution({ y: [0, 1] }, { x: tensor([1, 2], [2, 1]) }), /share neither x nor y/],
    [() => sameDistribution({ y: [0, 1] }, { y: [0, 1] }, { alpha: 1 }), /alpha 1 must be a number in \(0, 1\)/],
    [() => sameDistribution({ y: [0, 1.5] }, { y: [0, 1] }), /label 1.5 at index 1 is not a class id/],
    [() => sameDistribution({ x: tensor([1, 2], [2, 1]) }, { x: tensor([1, 2, 3, 4], [2, 2]) }), /dev rows \[1\] and test rows \[2\] differ/],
    [() => sameDistribution({ x: tensor([1, Number.NaN], [2, 1]) }, { x: tensor([1, 2], [2, 1]) }), /dev.x has NaN at row 1/],
    [() => sameDistribution({ x: tensor([1, 2], [2, 1]), y: [0] }, { x: tensor([1, 2], [2, 1]), y: [0, 1] }), /dev.x has 2 examples but dev.y has 1/],
  ])('%#', (run, message) => {
    expect(run).toThrow(NnkitError);
    expect(run).toThrow(message);
  });
});
