// diagnose() on the course's worked examples.
import { NnkitError } from '@nnkit/tensor-wasm';
import { describe, expect, test } from 'vitest';
import { ADVICE, diagnose } from './diagnose';

const GAP_DIGITS = 12;

describe('the course examples with Bayes error ≈ 0', () => {
  test.each([
    [0.01, 0.11, 'high variance', 0.01, 0.1],
    [0.15, 0.16, 'high bias', 0.15, 0.01],
    [0.15, 0.3, 'high bias and high variance', 0.15, 0.15],
    [0.005, 0.01, 'good', 0.005, 0.005],
  ] as const)('train %f, dev %f → %s', (trainError, devError, verdict, bias, variance) => {
    const d = diagnose({ trainError, devError });
    expect(d.verdict).toBe(verdict);
    expect(d.avoidableBias).toBeCloseTo(bias, GAP_DIGITS);
    expect(d.variance).toBeCloseTo(variance, GAP_DIGITS);
  });
});

describe('the same errors with a Bayes error of 15%', () => {
  test.each([
    [0.01, 0.11, 'high variance'],
    [0.15, 0.16, 'good'],
    [0.15, 0.3, 'high variance'],
    [0.005, 0.01, 'good'],
  ] as const)('train %f, dev %f → %s', (trainError, devError, verdict) => {
    const d = diagnose({ trainError, devError, bayesError: 0.15 });
    expect(d.verdict).toBe(verdict);
    expect(d.avoidableBias).toBeCloseTo(trainError - 0.15, GAP_DIGITS);
  });

  test('a training error below Bayes error is noted', () => {
    expect(diagnose({ trainError: 0.01, devError: 0.11, bayesError: 0.15 }).notes[0]).toMatch(/below bayesError 0.15/);
    expect(diagnose({ trainError: 0.15, devError: 0.16, bayesError: 0.15 }).notes).toEqual([]);
  });
});

describe('human-level error as a proxy for Bayes error (the course example)', () => {
  test('human 1%, train 8%, dev 10%: focus on bias', () => {
    const d = diagnose({ trainError: 0.08, devError: 0.1, bayesError: 0.01 });
    expect(d.avoidableBias).toBeCloseTo(0.07, GAP_DIGITS);
    expect(d.focus).toBe('avoidable bias');
    expect(d.advice.slice(0, 4)).toEqual([...ADVICE.avoidableBias]);
  });
  test('human 7.5%, train 8%, dev 10%: focus on variance', () => {
    const d = diagnose({ trainError: 0.08, devError: 0.1, bayesError: 0.075 });
    expect(d.verdict).toBe('high variance');
    expect(d.focus).toBe('variance');
    expect(d.advice).toEqual([...ADVICE.variance]);
  });
});

describe('train-dev and test sets', () => {
  test('variance is train-dev − train, data mismatch dev − train-dev', () => {
    const d = diagnose({ trainError: 0.01, trainDevError: 0.015, devError: 0.1 });
    expect(d.variance).toBeCloseTo(0.005, GAP_DIGITS);
    expect(d.dataMismatch).toBeCloseTo(0.085, GAP_DIGITS);
    expect(d.verdict).toBe('good');
    expect(d.focus).toBe('data mismatch');
    expect(d.advice).toEqual([...ADVICE.dataMismatch]);
  });
  test('test − dev measures overfitting to the dev set', () => {
    const d = diagnose({ trainError: 0.01, devError: 0.02, testError: 0.06 });
    expect(d.devOverfitting).toBeCloseTo(0.04, GAP_DIGITS);
    expect(d.focus).toBe('dev overfitting');
  });
  test('without them the optional gaps are absent', () => {
    const d = diagnose({ trainError: 0.01, devError: 0.02 });
    expect('dataMismatch' in d || 'devOverfitting' in d).toBe(false);
    expect(d.advice).toEqual([...ADVICE.good]);
  });
});

describe('thresholds', () => {
  test('reported, and configurable as one number or per gap', () => {
    expect(diagnose({ trainError: 0.15, devError: 0.16 }).thresholds.variance).toBe(0.02);
    expect(diagnose({ trainError: 0.15, devError: 0.16, threshold: 0.01 }).verdict).toBe('high bias and high variance');
    expect(diagnose({ trainError: 0.15, devError: 0.16, threshold: { avoidableBias: 0.2 } }).verdict).toBe('good');
  });
});

describe('bad input', () => {
  test.each([
    [{ trainError: 15, devError: 0.16 }, /trainError 15 must be a fraction in \[0, 1\] \(give errors as fractions: 0.15 for 15%\)/],
    [{ trainError: 0.1, devError: Number.NaN }, /devError NaN/],
    [{ trainError: 0.1, devError: 0.2, bayesError: -0.1 }, /bayesError -0.1/],
    [{ trainError: 0.1, devError: 0.2, threshold: 0 }, /threshold for avoidableBias 0/],
  ])('%o', (input, message) => {
    expect(() => diagnose(input)).toThrow(NnkitError);
    expect(() => diagnose(input)).toThrow(message);
  });
});
