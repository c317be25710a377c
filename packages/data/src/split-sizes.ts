// Turning split options (fractions or counts) into exact part sizes, and stratified allocations.
import { describeValue, NnkitError } from '@nnkit/tensor-wasm';

/** Sizes of the parts: fractions of the data (summing to 1) or counts of examples. */
export interface SplitSizes {
  /** Fraction or count of the training set; omitted: everything not in dev and test. */
  train?: number;
  /** Fraction or count of the dev (validation) set. */
  dev: number;
  /** Fraction or count of the test set; omitted or 0: no test set. */
  test?: number;
}

/** Fractions must sum to 1 within this (0.98 + 0.01 + 0.01 is 0.9999999999999999 in floats). */
const FRACTION_SUM_TOLERANCE = 1e-9;

export type Part = 'train' | 'dev' | 'test';

/** Exact sizes of train, dev and test (0 when there is no test set) for m examples. */
export function partSizes(opts: SplitSizes, m: number, where: string): Record<Part, number> {
  const { train, dev, test } = opts;
  const given: Array<[Part, number | undefined]> = [['train', train], ['dev', dev], ['test', test]];
  for (const [name, v] of given) {
    if (v !== undefined && (typeof v !== 'number' || !Number.isFinite(v) || v < 0)) {
      throw new NnkitError('INVALID_SPLIT', `${where}: ${name} ${describeValue(v)} must be a fraction in [0, 1] or a count of examples`);
    }
  }
  if (dev === undefined || dev === 0) {
    throw new NnkitError('INVALID_SPLIT', `${where}: dev ${String(dev)} must be a positive fraction or count; a dev set is required (test is optional)`);
  }
  const values = given.filter(([, v]) => v !== undefined).map(([, v]) => v as number);
  const counts = values.every((v) => Number.isInteger(v)) && values.some((v) => v > 1);
  const sizes: Record<Part, number> = { train: 0, dev: 0, test: 0 };
  if (counts) {
    sizes.dev = dev;
    sizes.test = test ?? 0;
    sizes.train = train ?? m - sizes.dev - sizes.test;
    const total = sizes.train + sizes.dev + sizes.test;
    if (total !== m || sizes.train < 0) {
      const list = given.map(([n, v]) => `${n} ${v ?? '(rest)'}`).join(', ');
      throw new NnkitError(
        'INVALID_SPLIT',
        `${where}: counts ${list} add up to ${train === undefined ? sizes.dev + sizes.test : total} for ${m} examples; expected exactly ${m} (omit train to give it the rest)`,
      );
    }
  } else {
    if (values.some((v) => v > 1)) {
      throw new NnkitError('INVALID_SPLIT', `${where}: mixed fractions and counts (${given.map(([n, v]) => `${n} ${v}`).join(', ')}); give all as fractions or all as counts`);
    }
    const fTest = test ?? 0;
    const fTrain = train ?? 1 - dev - fTest;
    const sum = fTrain + dev + fTest;
    if (Math.abs(sum - 1) > FRACTION_SUM_TOLERANCE || fTrain < 0) {
      throw new NnkitError(
        'INVALID_SPLIT',
        `${where}: fractions train ${fTrain}, dev ${dev}, test ${fTest} sum to ${Number(sum.toPrecision(12))}; expected 1`,
      );
    }
    sizes.dev = Math.round(dev * m);
    sizes.test = Math.round(fTest * m);
    sizes.train = m - sizes.dev - sizes.test;
    for (const [name, f] of [['train', fTrain], ['dev', dev], ['test', fTest]] as const) {
      if (f > 0 && sizes[name] < 1) {
        throw new NnkitError('INVALID_SPLIT', `${where}: ${name} fraction ${f} of ${m} examples is ${f * m}, less than one example`);
      }
    }
  }
  if (sizes.train < 1) throw new NnkitError('INVALID_SPLIT', `${where}: the training set would be empty (${m} examples)`);
  return sizes;
}

/**
 * How many examples of each class go to each part so that every part keeps the class proportions:
 * dev and test take each class's ideal share m_c·size/m rounded down, the examples still missing go
 * to the classes with the largest remainders, and train takes the rest. Every class must appear in
 * every part.
 */
export function stratifiedCounts(
  classSizes: readonly number[],
  sizes: Record<Part, number>,
  where: string,
): Array<Record<Part, number>> {
  const m = classSizes.reduce((s, c) => s + c, 0);
  const parts: Part[] = sizes.test > 0 ? ['train', 'dev', 'test'] : ['train', 'dev'];
  const out = classSizes.map(() => ({ train: 0, dev: 0, test: 0 }));
  for (const part of ['dev', 'test'] as const) {
    if (sizes[part] === 0) continue;
    const ideal = classSizes.map((c) => (c * sizes[part]) / m);
    let missing = sizes[part];
    ideal.forEach((q, c) => {
      out[c][part] = Math.floor(q);
      missing -= out[c][part];
    });
    const order = ideal.map((q, c) => [q - Math.floor(q), c]).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
    for (let i = 0; missing > 0; i++, missing--) out[order[i][1]][part]++;
  }
  out.forEach((o, c) => {
    o.train = classSizes[c] - o.dev - o.test;
  });
  out.forEach((o, c) => {
    for (const part of parts) {
      if (classSizes[c] > 0 && o[part] < 1) {
        throw new NnkitError(
          'CLASS_TOO_SMALL',
          `${where}: class ${c} has ${classSizes[c]} examples, too few to appear in every part (${parts.map((p) => `${p} ${sizes[p]}`).join(', ')} of ${m}); its share of ${part} is ${((classSizes[c] * sizes[part]) / m).toFixed(2)} examples, expected ≥ 1`,
        );
      }
    }
  });
  return out;
}
