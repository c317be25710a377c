// The four optimizers of the race, in the order they are listed and drawn. A module of its own so
// the page can name them without loading the optimizers, which run in the race worker.
import type { OptimizerChoice } from '../training/config';

/** Gradient descent, momentum, RMSprop, Adam. */
export const RUNNERS: readonly OptimizerChoice[] = ['gd', 'momentum', 'rmsprop', 'adam'];
