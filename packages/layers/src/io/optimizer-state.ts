// The optimizer in a saved model: its kind and options and counters in model.json (nnkit metadata),
// its moments as manifest weights of group 'optimizer' — TensorFlow.js sets those only on a model
// compiled from a training config, which nnkit never writes, so TensorFlow.js skips them.
// Restoring goes through the optimizer's own setState, which checks the state again.
import { adam, adamw, momentum, rmsprop, sgd } from '@nnkit/optimizers';
import type { DType } from '@nnkit/tensor-wasm';
import { fail } from '../errors';
import type { Optimizer, Param } from '../types';
import type { SavedOptimizer } from './nnkit-metadata';
import type { WeightToEncode } from './weights-codec';

/** The optimizer options saved per kind (everything but the learning rate). */
const OPTIONS: Record<string, readonly string[]> = {
  sgd: ['checkFinite'],
  momentum: ['beta', 'form', 'nesterov', 'checkFinite'],
  rmsprop: ['rho', 'epsilon', 'epsilonInsideSqrt', 'centered', 'checkFinite'],
  adam: ['beta1', 'beta2', 'epsilon', 'weightDecay', 'checkFinite'],
  adamw: ['beta1', 'beta2', 'epsilon', 'weightDecay', 'checkFinite'],
};
const FACTORIES: Record<string, (o: Record<string, unknown>) => Optimizer> = {
  sgd: (o) => sgd(o as never) as unknown as Optimizer,
  momentum: (o) => momentum(o as never) as unknown as Optimizer,
  rmsprop: (o) => rmsprop(o as never) as unknown as Optimizer,
  adam: (o) => adam(o as never) as unknown as Optimizer,
  adamw: (o) => adamw(o as never) as unknown as Optimizer,
};

/** What @nnkit/optimizers' optimizers offer beyond the structural Optimizer. */
interface StatefulOptimizer extends Optimizer {
  readonly className: string;
  getState(): {
    optimizer: string; iterations: number; epoch: number; learningRate: number | null; schedule?: unknown;
    slots: { name?: string; shape: number[]; dtype: DType; values: Record<string, ArrayLike<number>> }[];
  };
  setState(state: unknown): void;
}

function stateful(optimizer: Optimizer | null, where: string): StatefulOptimizer {
  const o = optimizer as StatefulOptimizer | null;
  if (!o || typeof o.getState !== 'function' || typeof o.setState !== 'function' || !Object.hasOwn(OPTIONS, String(o.className))) {
    fail('UNSUPPORTED_OPTIMIZER', `${where}: includeOptimizer needs an optimizer of @nnkit/optimizers (${Object.keys(OPTIONS).join(', ')}) with getState(); got ${o ? String(o.className ?? 'a custom optimizer') : 'none (compile the model first)'}`);
  }
  return o;
}

/**
 * The optimizer's description and its moments as weights named `optimizer/<param>/<slot>`.
 *
 * @param optimizer - the model's optimizer
 * @param dtype - the dtype the moments are stored in
 * @returns `{ saved, weights }`
 */
export function optimizerToSave(optimizer: Optimizer | null, dtype: DType): { saved: SavedOptimizer; weights: WeightToEncode[] } {
  const o = stateful(optimizer, 'save()');
  const state = o.getState();
  const config: Record<string, number | boolean | string> = {};
  for (const key of OPTIONS[o.className]) {
    const v = (o as unknown as Record<string, unknown>)[key];
    if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'string') config[key] = v;
  }
  const weights: WeightToEncode[] = [];
  const slots = state.slots.map((slot, i) => {
    const names: Record<string, string> = {};
    for (const [slotName, values] of Object.entries(slot.values)) {
      const name = `optimizer/${slot.name ?? `param_${i}`}/${slotName}`;
      names[slotName] = name;
      const array = values instanceof Float32Array || values instanceof Float64Array ? values : Float64Array.from(values);
      weights.push({ name, values: array, dtype, group: 'optimizer' });
    }
    return { ...(slot.name === undefined ? {} : { name: slot.name }), weights: names };
  });
  const saved: SavedOptimizer = {
    className: o.className, config, iterations: state.iterations, epoch: state.epoch, learningRate: state.learningRate,
    ...(state.schedule === undefined ? {} : { schedule: state.schedule }), slots,
  };
  return { saved, weights };
}

/**
 * An optimizer holding the saved state: `given` (checked by its own setState) or a new one of the
 * saved kind and options.
 *
 * @param saved - the checked description
 * @param slotValues - the moment values by manifest name
 * @param params - the loaded model's parameters, in step order
 * @param given - the caller's optimizer, required when the saved one followed a schedule
 * @returns the restored optimizer
 */
export function restoreOptimizer(saved: SavedOptimizer, slotValues: (name: string) => Float32Array | Float64Array, params: Param[], given?: Optimizer): Optimizer {
  const where = 'loadModel()';
  if (!given && saved.learningRate === null) {
    fail('OPTIMIZER_REQUIRED', `${where}: the saved ${saved.className} followed a learning-rate schedule, which is code and is not saved; pass loadModel(source, { optimizer: ${saved.className}({ learningRate: yourSchedule }) })`);
  }
  if (!given && !Object.hasOwn(FACTORIES, saved.className)) {
    fail('UNSUPPORTED_OPTIMIZER', `${where}: optimizer ${JSON.stringify(saved.className)} is not one of ${Object.keys(FACTORIES).join(', ')}`);
  }
  if (saved.slots.length !== 0 && saved.slots.length !== params.length) {
    fail('INVALID_MODEL', `${where}: the optimizer state has ${saved.slots.length} parameters; the model has ${params.length}`);
  }
  const slots = saved.slots.map((slot, i) => {
    const p = params[i];
    const values: Record<string, Float32Array | Float64Array> = {};
    for (const [slotName, weightName] of Object.entries(slot.weights)) {
      const v = slotValues(weightName);
      if (v.length !== p.value.size) fail('INVALID_MODEL', `${where}: optimizer weight ${JSON.stringify(weightName)} has ${v.length} values; parameter ${JSON.stringify(p.name)} has ${p.value.size}`);
      values[slotName] = v;
    }
    return { ...(slot.name === undefined ? {} : { name: slot.name }), shape: [...p.value.shape], dtype: p.value.dtype, values };
  });
  const optimizer = given ?? FACTORIES[saved.className]({ ...saved.config, learningRate: saved.learningRate });
  const o = stateful(optimizer, where);
  // A state taken before the first step has no slots; the fresh optimizer is that state already.
  if (slots.length > 0 || saved.iterations > 0) {
    o.setState({ optimizer: saved.className, iterations: saved.iterations, epoch: saved.epoch, learningRate: saved.learningRate, ...(saved.schedule === undefined ? {} : { schedule: saved.schedule }), slots });
  }
  return optimizer;
}
