// After training: loss and accuracy on each set (in inference mode, without augmentation), the
// bias/variance diagnosis against Bayes error, and the confusion matrix of the held-out set.
import { confusionMatrix, type Diagnosis, diagnose } from '@nnkit/metrics';
import type { Sequential } from '@nnkit/layers';
import type { PreparedData } from '../data/prepare';
import { predictClasses } from '../model/predict';

/** Loss and accuracy of one set. */
export interface SetResult {
  loss: number;
  accuracy: number;
  examples: number;
}

/** What {@link finalEvaluation} returns. */
export interface FinalEvaluation {
  train: SetResult;
  dev: SetResult;
  test: SetResult | null;
  diagnosis: Diagnosis;
  /** Rows: true class; columns: predicted — on the test set, or on dev when there is no test set. */
  confusion: { set: 'test' | 'dev'; matrix: number[][] };
}

/**
 * Evaluates the trained model on every set and diagnoses bias and variance.
 * @param model - the trained model
 * @param data - the prepared split
 * @param bayesError - Bayes (or human-level) error, a fraction
 * @param classes - number of classes
 */
export function finalEvaluation(model: Sequential, data: PreparedData, bayesError: number, classes: number): FinalEvaluation {
  const evalSet = (p: { x: PreparedData['dev']['x']; y: PreparedData['dev']['y'] }): SetResult => {
    const r = model.evaluate(p.x, p.y);
    return { loss: r.loss, accuracy: r.accuracy, examples: p.x.shape[0] };
  };
  const train = evalSet(data.train);
  const dev = evalSet(data.dev);
  const test = data.test ? evalSet(data.test) : null;
  const diagnosis = diagnose({
    trainError: 1 - train.accuracy,
    devError: 1 - dev.accuracy,
    bayesError,
    ...(test && { testError: 1 - test.accuracy }),
  });
  const held = data.test ?? data.dev;
  const matrix = confusionMatrix(Array.from(held.labels), Array.from(predictClasses(model, held.x)), { classes });
  return { train, dev, test, diagnosis, confusion: { set: data.test ? 'test' : 'dev', matrix } };
}
