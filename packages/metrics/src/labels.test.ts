// How metrics read their inputs, checked on small cases worked out by hand, and bad input.
import { init, NnkitError, tensor } from '@nnkit/tensor-wasm';
import { describe, expect, test } from 'vitest';
import { accuracy, topKAccuracy } from './accuracy';
import { confusionMatrix, formatConfusionMatrix } from './confusion-matrix';
import { logLoss } from './log-loss';
import { f1, precision, recall } from './precision-recall';

await init();

describe('accepted forms', () => {
  test('class ids, one-hot rows and probability rows agree', () => {
    const ids = [0, 1, 2, 2];
    const oneHot = tensor([1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 1], [4, 3]);
    const probs = tensor([0.7, 0.2, 0.1, 0.1, 0.1, 0.8, 0.2, 0.3, 0.5, 0, 0, 1], [4, 3]);
    expect(accuracy(ids, [0, 2, 2, 2])).toBe(0.75);
    expect(accuracy(oneHot, probs)).toBe(0.75);
    expect(accuracy(Int32Array.from(ids), probs)).toBe(0.75);
  });
  test('single-column scores: probabilities at 0.5, logits at 0, or a given threshold', () => {
    expect(accuracy([1, 0, 1], tensor([0.9, 0.4, 0.3], [3, 1]))).toBeCloseTo(2 / 3, 15);
    expect(accuracy([1, 0, 1], tensor([2, -1, -0.5]), { fromLogits: true })).toBeCloseTo(2 / 3, 15);
    expect(accuracy([1, 0, 1], [0.9, 0.4, 0.3], { threshold: 0.25 })).toBeCloseTo(2 / 3, 15);
    expect(accuracy(tensor([1, 0, 1], [3, 1]), tensor([1, 0, 0], [3, 1]))).toBeCloseTo(2 / 3, 15);
  });
  test('binary precision scores class 1 by default, another with positiveLabel', () => {
    // tp = 1, fp = 1 for class 1; for class 0: tp = 1, fp = 1
    expect(precision([0, 1, 1, 0], [0, 1, 0, 1])).toBe(0.5);
    expect(precision([0, 0, 0, 1], [0, 0, 1, 1], { positiveLabel: 0 })).toBe(1);
    expect(f1([0, 0, 0, 1], [0, 0, 1, 1])).toBeCloseTo(2 / 3, 15);
  });
  test('top-k counts ties in favour of the true class', () => {
    expect(topKAccuracy([2, 0], tensor([0.1, 0.5, 0.4, 0.2, 0.3, 0.5], [2, 3]), 2)).toBe(0.5);
    expect(topKAccuracy([0], tensor([0.5, 0.5, 0.5], [1, 3]), 1)).toBe(1);
  });
  test('log loss of a hand-computed case, hard and soft targets', () => {
    const p = tensor([0.9, 0.1, 0.2, 0.8], [2, 2], 'float64');
    expect(logLoss([0, 1], p)).toBeCloseTo(-(Math.log(0.9) + Math.log(0.8)) / 2, 14);
    const soft = tensor([0.5, 0.5, 0, 1], [2, 2], 'float64');
    expect(logLoss(soft, p)).toBeCloseTo(-(0.5 * Math.log(0.9) + 0.5 * Math.log(0.1) + Math.log(0.8)) / 2, 14);
  });
});

describe('confusion matrix rendering', () => {
  test('rows are true classes, columns predicted, counts right-aligned', () => {
    const cm = confusionMatrix([0, 0, 0, 0, 0, 0, 1, 1, 1], [0, 0, 0, 0, 0, 1, 0, 0, 1]);
    expect(cm).toEqual([[5, 1], [2, 1]]);
    expect(formatConfusionMatrix(cm, { labels: ['cat', 'dog'] })).toBe(
      ['true\\pred  cat  dog', '      cat    5    1', '      dog    2    1'].join('\n'),
    );
    expect(confusionMatrix([0, 1], [1, 1], { classes: 3 })).toEqual([[0, 1, 0], [0, 1, 0], [0, 0, 0]]);
  });
});

describe('bad input', () => {
  const cases: Array<[string, () => unknown, string, RegExp]> = [
    ['lengths differ', () => accuracy([0, 1, 2], [0, 1]), 'SHAPE_MISMATCH', /yTrue has 3 examples but yPred has 2/],
    ['labels are not integers', () => f1([0, 1.5], [0, 1]), 'LABEL_OUT_OF_RANGE', /yTrue\[1\] = 1.5 is not a class id/],
    ['negative labels', () => confusionMatrix([0, -1], [0, 1]), 'LABEL_OUT_OF_RANGE', /yTrue\[1\] = -1/],
    ['scores out of [0, 1]', () => accuracy([0, 1], [0.2, 1.5]), 'INVALID_ARGUMENT', /yPred\[1\] = 1.5 is neither a class id nor a probability/],
    ['NaN predictions', () => accuracy([0, 1], tensor([0.1, Number.NaN, 0.3, 0.2], [2, 2])), 'INVALID_ARGUMENT', /NaN at row 0, column 1/],
    ['ids beyond classes', () => confusionMatrix([0, 3], [0, 1], { classes: 3 }), 'INVALID_ARGUMENT', /found class id 3, but classes is 3/],
    ['binary on three classes', () => precision([0, 1, 2], [0, 1, 2], { average: 'binary' }), 'INVALID_ARGUMENT', /needs at most 2 classes, found 3/],
    ['binary without the positive class', () => precision([0, 2, 2], [0, 2, 0]), 'INVALID_ARGUMENT', /positiveLabel 1 is not one of the classes present \(0, 2\)/],
    ['unknown average', () => recall([0, 1], [0, 1], { average: 'mean' as never }), 'INVALID_ARGUMENT', /average 'mean' must be one of/],
    ['top-k of ids', () => topKAccuracy([0], [0] as never, 1), 'INVALID_SHAPE', /yScores must be a Tensor \[m, classes\]/],
    ['top-k with k = 0', () => topKAccuracy([0], tensor([1, 2], [1, 2]), 0), 'INVALID_ARGUMENT', /k 0 must be a positive integer/],
    ['log loss with labels 2 on binary', () => logLoss([2], [0.5]), 'INVALID_ARGUMENT', /yTrue\[0\] = 2; binary predictions need labels 0 or 1/],
    ['no examples', () => accuracy([], []), 'INVALID_ARGUMENT', /no examples/],
  ];
  test.each(cases)('%s', (_name, run, code, message) => {
    let caught: unknown;
    try {
      run();
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(NnkitError);
    expect((caught as NnkitError).code).toBe(code);
    expect((caught as NnkitError).message).toMatch(message);
  });
});
