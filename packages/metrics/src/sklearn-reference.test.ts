// Every metric against scikit-learn's answers on the same inputs (test/fixtures/sklearn-metrics.json,
// written by scripts/sklearn-metrics.py).
import { init, tensor } from '@nnkit/tensor-wasm';
import { describe, expect, test } from 'vitest';
import fixture from '../test/fixtures/sklearn-metrics.json';
import { accuracy, topKAccuracy } from './accuracy';
import { confusionMatrix } from './confusion-matrix';
import { logLoss } from './log-loss';
import { f1, precision, recall } from './precision-recall';

// Counts are exact; averages of ratios agree to rounding of float64 arithmetic.
const DIGITS = 12;
// Probabilities pass through float32 tensors (7 significant digits) before the log loss.
const FLOAT32_DIGITS = 6;

const { multiclass, absentClass, binary, scores } = fixture.cases;

await init();

describe('multiclass labels', () => {
  test('accuracy and confusion matrix', () => {
    expect(accuracy(multiclass.yTrue, multiclass.yPred)).toBeCloseTo(multiclass.accuracy, DIGITS);
    expect(confusionMatrix(multiclass.yTrue, multiclass.yPred)).toEqual(multiclass.confusionMatrix);
  });

  for (const average of ['macro', 'micro', 'weighted'] as const) {
    test(`precision, recall, f1 (${average})`, () => {
      const ref = multiclass[average];
      expect(precision(multiclass.yTrue, multiclass.yPred, { average })).toBeCloseTo(ref.precision, DIGITS);
      expect(recall(multiclass.yTrue, multiclass.yPred, { average })).toBeCloseTo(ref.recall, DIGITS);
      expect(f1(multiclass.yTrue, multiclass.yPred, { average })).toBeCloseTo(ref.f1, DIGITS);
    });
  }

  test('per class (average none), and macro is the default for more than two classes', () => {
    const ref = multiclass.none;
    const close = (got: number[], want: number[]) => {
      got.forEach((v, i) => {
        expect(v).toBeCloseTo(want[i], DIGITS);
      });
    };
    close(precision(multiclass.yTrue, multiclass.yPred, { average: 'none' }), ref.precision);
    close(recall(multiclass.yTrue, multiclass.yPred, { average: 'none' }), ref.recall);
    close(f1(multiclass.yTrue, multiclass.yPred, { average: 'none' }), ref.f1);
    expect(f1(multiclass.yTrue, multiclass.yPred)).toBeCloseTo(multiclass.macro.f1, DIGITS);
  });

  test('one-hot Tensors give the same answers as ids', () => {
    const oneHot = (ids: number[]) => tensor(ids.flatMap((c) => [0, 1, 2, 3].map((j) => (j === c ? 1 : 0))), [ids.length, 4]);
    expect(f1(oneHot(multiclass.yTrue), oneHot(multiclass.yPred), { average: 'weighted' })).toBeCloseTo(multiclass.weighted.f1, DIGITS);
  });
});

describe('a class that never occurs', () => {
  test('averages run over the classes present, or over all of them with classes', () => {
    const { yTrue, yPred, present, allFour } = absentClass;
    for (const average of ['macro', 'micro', 'weighted'] as const) {
      expect(precision(yTrue, yPred, { average })).toBeCloseTo(present[average].precision, DIGITS);
      expect(recall(yTrue, yPred, { average })).toBeCloseTo(present[average].recall, DIGITS);
      expect(f1(yTrue, yPred, { average, classes: 4 })).toBeCloseTo(allFour[average].f1, DIGITS);
      expect(precision(yTrue, yPred, { average, classes: 4 })).toBeCloseTo(allFour[average].precision, DIGITS);
    }
    expect(f1(yTrue, yPred, { average: 'none', classes: 4 })).toEqual(allFour.none.f1.map((v) => expect.closeTo(v, DIGITS)));
  });
});

describe('binary probabilities', () => {
  const p = tensor(binary.probability, [binary.probability.length, 1], 'float64');
  test('thresholded at 0.5: accuracy, precision, recall, f1, confusion matrix', () => {
    expect(accuracy(binary.yTrue, p)).toBeCloseTo(binary.accuracy, DIGITS);
    expect(precision(binary.yTrue, p)).toBeCloseTo(binary.precision, DIGITS);
    expect(recall(binary.yTrue, p)).toBeCloseTo(binary.recall, DIGITS);
    expect(f1(binary.yTrue, p)).toBeCloseTo(binary.f1, DIGITS);
    expect(confusionMatrix(binary.yTrue, p)).toEqual(binary.confusionMatrix);
  });
  test('log loss from the probability of class 1, and from its logit', () => {
    expect(logLoss(binary.yTrue, p)).toBeCloseTo(binary.logLoss, DIGITS);
    const logits = binary.probability.map((q) => Math.log(q / (1 - q)));
    expect(logLoss(binary.yTrue, logits, { fromLogits: true })).toBeCloseTo(binary.logLoss, DIGITS);
  });
});

describe('scores over five classes', () => {
  const shape = [scores.rows, scores.cols];
  test('accuracy from probabilities and from logits (argmax)', () => {
    expect(accuracy(scores.yTrue, tensor(scores.probabilities, shape))).toBeCloseTo(scores.accuracy, DIGITS);
    expect(accuracy(scores.yTrue, tensor(scores.logits, shape))).toBeCloseTo(scores.accuracy, DIGITS);
  });
  test('log loss from probabilities (float64 and float32) and from logits', () => {
    expect(logLoss(scores.yTrue, tensor(scores.probabilities, shape, 'float64'))).toBeCloseTo(scores.logLoss, DIGITS);
    expect(logLoss(scores.yTrue, tensor(scores.probabilities, shape))).toBeCloseTo(scores.logLoss, FLOAT32_DIGITS);
    expect(logLoss(scores.yTrue, tensor(scores.logits, shape, 'float64'), { fromLogits: true })).toBeCloseTo(scores.logLoss, DIGITS);
  });
  test('top-k accuracy for k = 1, 2, 3', () => {
    const probs = tensor(scores.probabilities, shape, 'float64');
    expect(topKAccuracy(scores.yTrue, probs, 1)).toBeCloseTo(scores.top1, DIGITS);
    expect(topKAccuracy(scores.yTrue, probs, 2)).toBeCloseTo(scores.top2, DIGITS);
    expect(topKAccuracy(scores.yTrue, probs, 3)).toBeCloseTo(scores.top3, DIGITS);
    expect(topKAccuracy(scores.yTrue, probs, 5)).toBe(1);
  });
});
