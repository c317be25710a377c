// nnkit's initializers as Keras initializer configs and back. Every nnkit initializer is a
// VarianceScaling, RandomNormal or Zeros with exactly the same distribution, so TensorFlow.js can
// re-initialize a loaded model the way nnkit would. Reading is lenient on purpose: an initializer
// only decides weights that the file's own values replace, so an unknown one falls back to
// glorotUniform instead of refusing a model that would predict correctly.
import type { Initializer } from '../initializers';
import type { JsonObject } from './json-guard';

type KerasInit = { class_name: string; config: Record<string, unknown> };

/**
 * The Keras config of an nnkit initializer.
 *
 * @param init - an nnkit initializer
 * @returns `{ class_name, config }` as TensorFlow.js writes it
 */
export function kerasInitializer(init: Initializer): KerasInit {
  const scaling = (scale: number, mode: string, distribution: string): KerasInit => ({
    class_name: 'VarianceScaling', config: { scale, mode, distribution, seed: null },
  });
  if (typeof init === 'object') return { class_name: 'RandomNormal', config: { mean: 0, stddev: init.scale, seed: null } };
  switch (init) {
    case 'zeros':
      return { class_name: 'Zeros', config: {} };
    case 'random':
      return { class_name: 'RandomNormal', config: { mean: 0, stddev: 0.01, seed: null } };
    case 'he':
      return scaling(2, 'fan_in', 'normal');
    case 'lecun':
    case 'xavier':
      return scaling(1, 'fan_in', 'normal');
    case 'glorotNormal':
      return scaling(1, 'fan_avg', 'normal');
    case 'glorotUniform':
      return scaling(1, 'fan_avg', 'uniform');
  }
}

const BY_CLASS: Record<string, Initializer> = {
  Zeros: 'zeros', zeros: 'zeros', GlorotUniform: 'glorotUniform', glorot_uniform: 'glorotUniform', GlorotNormal: 'glorotNormal',
  glorot_normal: 'glorotNormal', HeNormal: 'he', he_normal: 'he', LeCunNormal: 'lecun', lecun_normal: 'lecun',
};

/**
 * The nnkit initializer of a Keras initializer config, or 'glorotUniform' when nnkit has no equal.
 *
 * @param value - `kernel_initializer` from a Keras layer config (untrusted, already a checked JSON tree)
 * @returns an nnkit initializer
 */
export function initializerFromKeras(value: unknown): Initializer {
  if (typeof value === 'string') return Object.hasOwn(BY_CLASS, value) ? BY_CLASS[value] : 'glorotUniform';
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return 'glorotUniform';
  const cls = (value as JsonObject).class_name;
  const cfg = (value as JsonObject).config;
  const config = cfg !== null && typeof cfg === 'object' && !Array.isArray(cfg) ? (cfg as JsonObject) : {};
  if (typeof cls !== 'string') return 'glorotUniform';
  if (Object.hasOwn(BY_CLASS, cls)) return BY_CLASS[cls];
  if (cls === 'RandomNormal' && (config.mean ?? 0) === 0 && typeof config.stddev === 'number' && config.stddev >= 0 && Number.isFinite(config.stddev)) {
    return config.stddev === 0.01 ? 'random' : { scale: config.stddev };
  }
  if (cls === 'VarianceScaling' && config.distribution === 'normal') {
    if (config.mode === 'fan_in' && config.scale === 2) return 'he';
    if (config.mode === 'fan_in' && config.scale === 1) return 'lecun';
    if (config.mode === 'fan_avg' && config.scale === 1) return 'glorotNormal';
  }
  return 'glorotUniform';
}
