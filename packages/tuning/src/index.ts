// @nnkit/tuning — hyperparameter search for any objective function, in Node and in browsers.
// The public surface is what the README documents: searches, search-space entries, pruners,
// storages and the types that name their options and results. Samplers, the journal's replay,
// the seeded generator and the space's internals stay inside (tests import them from their files).
export { NnkitError, type NnkitErrorCode, TrialPruned } from './errors';
export {
  choice,
  type ChoiceDistribution,
  type Distribution,
  intLogUniform,
  intUniform,
  logUniform,
  type NumericDistribution,
  type NumericKind,
  oneMinusLogUniform,
  type ParamValue,
  uniform,
} from './distributions';
export { type Conditional, type Params, type ParamsOf, type Space, when } from './space';
export { type Direction, medianPruner, percentilePruner, type PercentilePrunerOptions, type Pruner } from './pruner';
export { memoryStorage, type MemoryStorage, type StudyEvent, type StudyStorage } from './storage';
export { journalStorage, type JournalStorageOptions } from './journal-storage';
export { journalFile, type JournalFileOptions } from './journal-file';
export { redisStorage, type RedisStorageOptions } from './redis-storage';
export { optunaJournal, type OptunaJournalOptions, type OptunaJournalStorage } from './optuna-journal';
export type { TrialRecord, TrialState } from './records';
export { Study, type StudyJSON } from './study';
export type { TableOptions } from './report';
export type { ImportanceOptions, ParamImportance } from './importance';
export type { Objective, Trial } from './trial';
export type { ObjectiveSource, SearchOptions } from './run';
export { randomSearch, type RandomSearchOptions } from './random-search';
export { type SamplerName, search, type SearchSamplerOptions } from './search';
export { gridSearch, type GridSearchOptions } from './grid-search';
export { coarseToFine, type CoarseToFineOptions, type RoundRanges } from './coarse-to-fine';
export { type Bracket, type HalvingOptions, hyperband, type Rung, successiveHalving } from './halving';
export { loadStudy } from './load-study';
