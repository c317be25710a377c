/**
 * @nnkit/metrics — accuracy, precision, recall, F1, confusion matrices, log loss, bias/variance
 * diagnosis and exponentially weighted averages.
 * @packageDocumentation
 */
export { accuracy, topKAccuracy } from './accuracy';
export { confusionMatrix, formatConfusionMatrix } from './confusion-matrix';
export type { ConfusionMatrixOptions, FormatConfusionMatrixOptions } from './confusion-matrix';
export { precision, recall, f1 } from './precision-recall';
export type { Average, ClassificationOptions } from './precision-recall';
export { logLoss, LOG_LOSS_EPSILON } from './log-loss';
export type { LogLossOptions } from './log-loss';
export { diagnose, ADVICE, DEFAULT_GAP_THRESHOLD } from './diagnose';
export type { DiagnoseInput, DiagnoseThresholds, Diagnosis, Verdict } from './diagnose';
export { ewma, ewmaStream } from './ewma';
export type { EwmaOptions, EwmaStream } from './ewma';
export { DEFAULT_PROBABILITY_THRESHOLD } from './labels';
export type { Labels, PredictionOptions } from './labels';
