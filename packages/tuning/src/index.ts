// @nnkit/tuning — hyperparameter search for any objective function, in Node and in browsers.
export { NnkitError, type NnkitErrorCode, TrialPruned } from './errors';
export { createRng, type Rng } from './rng';
export {
  choice,
  type ChoiceDistribution,
  type Distribution,
  type DistributionSpec,
  intLogUniform,
  intUniform,
  isDistribution,
  isNumeric,
  logUniform,
  type NumericDistribution,
  type NumericKind,
  oneMinusLogUniform,
  type ParamValue,
  uniform,
} from './distributions';
export {
  type Conditional,
  describeSpace,
  type EntrySpec,
  isConditional,
  type Params,
  type ParamsOf,
  sampleSpace,
  type Space,
  type SpaceEntry,
  type ValueOf,
  spaceFingerprint,
  validateSpace,
  when,
} from './space';
export {
  decideFromSnapshot,
  type Direction,
  type Intermediate,
  medianPruner,
  nopPruner,
  percentile,
  percentilePruner,
  type PercentilePrunerOptions,
  type PruneSnapshot,
  type Pruner,
  type PrunerHistoryEntry,
} from './pruner';
export { memoryStorage, type MemoryStorage, type StoredNumber, type StudyEvent, type StudyHeaderEvent, type StudyStorage, type TrialMeta } from './storage';
export { journalStorage, type JournalStorageOptions } from './journal-storage';
export { replay, type Replayed, type SkipReporter, type TrialRecord, type TrialState } from './records';
export { Study, type StudyJSON } from './study';
export { formatTable, rankTrials, type TableOptions, toCSV } from './report';
export { epsilonSquared, type ImportanceOptions, type ParamImportance, parameterImportance } from './importance';
export type { Objective, Trial } from './trial';
export { type ObjectiveSource, type Plan, runStudy, type Sampler, type SearchOptions } from './run';
export { randomSampler, randomSearch, type RandomSearchOptions } from './random-search';
export { gridPoints, gridSearch, type GridSearchOptions } from './grid-search';
export { coarseToFine, type CoarseToFineOptions, initialRanges, nextRanges, type RoundRanges } from './coarse-to-fine';
export { type Bracket, type HalvingOptions, halvingSchedule, hyperband, hyperbandSchedule, type Rung, successiveHalving } from './halving';
export { loadStudy } from './load-study';
