// The training controls, declared as data: which setting each one edits, its range or choices, and
// when it applies. controls.ts turns them into labelled form elements.
import type { RunConfig } from '../training/config';

type NumberKey = { [K in keyof RunConfig]: RunConfig[K] extends number ? K : never }[keyof RunConfig];
type ChoiceKey = 'activation' | 'init' | 'optimizer' | 'schedule';

/** A slider over a list of values (even steps, log steps or hand-picked ones). */
export interface SliderSpec {
  kind: 'slider';
  key: NumberKey;
  label: string | ((c: RunConfig) => string);
  values: readonly number[];
  format?: (v: number, c: RunConfig) => string;
  hint?: string;
  when?: (c: RunConfig) => boolean;
}

export interface SelectSpec {
  kind: 'select';
  key: ChoiceKey;
  label: string;
  options: readonly (readonly [string, string])[];
  hint?: string;
  when?: (c: RunConfig) => boolean;
}

export interface ToggleSpec {
  kind: 'toggle';
  key: 'batchNorm';
  label: string;
  hint?: string;
}

export interface SeedSpec {
  kind: 'seed';
  key: 'seed';
  label: string;
}

export type ControlSpec = SliderSpec | SelectSpec | ToggleSpec | SeedSpec;

/** `count` values from `low` to `high` in equal steps. */
function steps(low: number, high: number, step: number): number[] {
  const n = Math.round((high - low) / step);
  return Array.from({ length: n + 1 }, (_, i) => Number((low + i * step).toFixed(10)));
}

/** 10^r for r from `lowExp` to `highExp` in steps of 1/perDecade (a log-scale slider). */
function decades(lowExp: number, highExp: number, perDecade: number): number[] {
  const n = Math.round((highExp - lowExp) * perDecade);
  return Array.from({ length: n + 1 }, (_, i) => Number((10 ** (lowExp + i / perDecade)).toPrecision(2)));
}

const percent = (v: number) => `${Math.round(v * 100)}%`;
/** Larger than any training set here: the slider's "all" end, batch gradient descent. */
export const FULL_BATCH = 10000;

/** The controls, in groups, as they appear in the panel. */
export const CONTROL_GROUPS: readonly { title: string; controls: readonly ControlSpec[] }[] = [
  {
    title: 'Data',
    controls: [
      { kind: 'slider', key: 'examples', label: 'Examples', values: [100, 200, 300, 400, 600, 800, 1000, 1500, 2000], when: (c) => c.dataset !== 'mnist' },
      { kind: 'slider', key: 'noise', label: 'Noise', values: steps(0, 0.5, 0.01), when: (c) => c.dataset !== 'mnist' },
      {
        kind: 'slider', key: 'trainFraction', label: 'Train / dev split', values: steps(0.5, 0.9, 0.05),
        format: (v) => `${percent(v)} / ${percent(1 - v)}`,
      },
    ],
  },
  {
    title: 'Network',
    controls: [
      { kind: 'slider', key: 'hiddenLayers', label: 'Hidden layers', values: steps(0, 6, 1) },
      { kind: 'slider', key: 'units', label: 'Units per layer', values: [1, 2, 3, 4, 6, 8, 12, 16, 24, 32, 48, 64, 128], when: (c) => c.hiddenLayers > 0 },
      {
        kind: 'select', key: 'activation', label: 'Activation',
        options: [['relu', 'ReLU'], ['leakyRelu', 'Leaky ReLU'], ['tanh', 'tanh'], ['sigmoid', 'sigmoid']],
      },
      {
        kind: 'select', key: 'init', label: 'Initialization',
        options: [['zeros', 'Zeros'], ['random', 'Random × 0.01'], ['he', 'He √(2/n)'], ['xavier', 'Xavier √(1/n)']],
        hint: 'Zeros never break symmetry; He suits ReLU, Xavier suits tanh.',
      },
      { kind: 'toggle', key: 'batchNorm', label: 'Batch norm', hint: 'Normalizes z before each hidden activation.' },
    ],
  },
  {
    title: 'Optimization',
    controls: [
      {
        kind: 'select', key: 'optimizer', label: 'Optimizer',
        options: [['gd', 'Gradient descent'], ['momentum', 'Momentum'], ['rmsprop', 'RMSprop'], ['adam', 'Adam']],
      },
      { kind: 'slider', key: 'learningRate', label: 'Learning rate α', values: decades(-4, 1, 10) },
      {
        kind: 'slider', key: 'beta', label: (c) => (c.optimizer === 'adam' ? 'β1' : 'Momentum β'),
        values: [0, 0.5, 0.8, 0.9, 0.95, 0.98, 0.99, 0.999], when: (c) => c.optimizer === 'momentum' || c.optimizer === 'adam',
      },
      {
        kind: 'slider', key: 'beta2', label: 'β2', values: [0.9, 0.95, 0.99, 0.999, 0.9999], when: (c) => c.optimizer === 'adam',
      },
      {
        kind: 'slider', key: 'rho', label: 'RMSprop ρ', values: [0.9, 0.95, 0.99, 0.999, 0.9999], when: (c) => c.optimizer === 'rmsprop',
      },
      {
        kind: 'select', key: 'schedule', label: 'Learning-rate decay',
        options: [
          ['constant', 'None'], ['inverseTime', 'α0 / (1 + rate·epoch)'], ['exponential', 'α0 · rate^epoch'],
          ['inverseSqrt', 'α0 / √epoch'], ['staircase', 'Staircase (every 10 epochs)'],
        ],
      },
      {
        kind: 'slider', key: 'decayRate', label: 'Decay rate', values: [0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 0.8, 0.9, 0.95, 0.99, 1, 2],
        when: (c) => c.schedule !== 'constant' && c.schedule !== 'inverseSqrt',
      },
      {
        kind: 'slider', key: 'batchSize', label: 'Batch size', values: [1, 4, 8, 16, 32, 64, 128, 256, FULL_BATCH],
        format: (v) => (v === FULL_BATCH ? 'all (batch GD)' : v === 1 ? '1 (SGD)' : String(v)),
      },
    ],
  },
  {
    title: 'Regularization',
    controls: [
      { kind: 'slider', key: 'l2', label: 'L2 λ', values: [0, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 0.7, 1, 3, 10] },
      { kind: 'slider', key: 'dropout', label: 'Dropout rate', values: steps(0, 0.8, 0.05), format: (v) => (v === 0 ? 'off' : percent(v)), when: (c) => c.hiddenLayers > 0 },
    ],
  },
  { title: 'Reproducibility', controls: [{ kind: 'seed', key: 'seed', label: 'Seed' }] },
];
