// The tape: while a gradient is being taken, each differentiable op that reads a watched tensor
// appends its output, its inputs and its backward rule. Outside a gradient `activeTape` is null and
// an op pays one check of it; no closure or array is created.
import { NnkitError } from '../errors';
import { formatShape } from '../shape';
import type { Tensor } from '../tensor';

/**
 * A backward rule: given d result (`dy`), the gradient for each input (null where `needs[i]` is false).
 * Rules run with recording off, so their ops are not themselves recorded.
 */
export type BackwardRule = (dy: Tensor, needs: readonly boolean[]) => ReadonlyArray<Tensor | null>;

/** One recorded op. */
export interface TapeEntry {
  readonly op: string;
  readonly output: Tensor;
  readonly inputs: readonly Tensor[];
  readonly backward: BackwardRule;
}

/** The record of one gradient computation. */
export class Tape {
  /** Tensors whose value depends on a differentiated argument. */
  readonly watched = new Set<Tensor>();
  /** Roots of every tensor a recorded op read or wrote: they must not change until the backward pass. */
  readonly held = new Set<Tensor>();
  readonly entries: TapeEntry[] = [];
  readonly #rootOf: (t: Tensor) => Tensor;

  constructor(args: readonly Tensor[], rootOf: (t: Tensor) => Tensor) {
    this.#rootOf = rootOf;
    for (const t of args) {
      this.watched.add(t);
      this.held.add(rootOf(t));
    }
  }

  record(op: string, output: Tensor, inputs: readonly Tensor[], backward: BackwardRule): void {
    if (!this.dependsOnArgument(inputs)) return;
    this.watched.add(output);
    this.held.add(this.#rootOf(output));
    for (const t of inputs) this.held.add(this.#rootOf(t));
    this.entries.push({ op, output, inputs, backward });
  }

  /** Keeps `t` from being written in place until the backward pass (a rule reads it). */
  hold(t: Tensor): void {
    this.held.add(this.#rootOf(t));
  }

  /** True when some of `inputs` depends on a differentiated argument. */
  dependsOnArgument(inputs: readonly Tensor[]): boolean {
    for (const t of inputs) if (this.watched.has(t)) return true;
    return false;
  }

  /** Throws if writing into `t` in place would change a value the backward pass needs. */
  checkWritable(t: Tensor, where: string): void {
    if (this.held.has(this.#rootOf(t))) {
      throw new NnkitError(
        'INVALID_ARGUMENT',
        `${where}: cannot write in place into tensor #${t.id} of shape ${formatShape(t.shape)} while a gradient is being taken: ` +
          'the gradient needs its value; write into a new tensor instead',
      );
    }
  }
}

/** The tape being recorded, or null (the common case: no gradient is being taken). */
export let activeTape: Tape | null = null;

/** @internal Sets the active tape and returns the previous one (restore it in a `finally`). */
export function setActiveTape(tape: Tape | null): Tape | null {
  const previous = activeTape;
  activeTape = tape;
  return previous;
}

/**
 * @internal Runs `fn` with recording off: for a fused op whose inner ops must not be recorded
 * (its own rule covers them). Call only while a tape is active.
 */
export function withoutRecording<T>(fn: () => T): T {
  const previous = setActiveTape(null);
  try {
    return fn();
  } finally {
    setActiveTape(previous);
  }
}

/**
 * @internal Records an op on the active tape. Call only inside `if (activeTape !== null)`, so that
 * the rule's closure is created only while recording.
 */
export function recordOp(op: string, output: Tensor, inputs: readonly Tensor[], backward: BackwardRule): void {
  activeTape?.record(op, output, inputs, backward);
}

/** @internal Throws if `t` may not be written in place now (a no-op when nothing is recorded). */
export function checkWritable(t: Tensor, where: string): void {
  activeTape?.checkWritable(t, where);
}

/** @internal Why the hand-written backward passes refuse a recorded input (no gradients of gradients yet). */
export const BACKWARD_OP = 'is a hand-written backward pass, which is not differentiable';

/**
 * @internal For ops without a backward rule (or returning a plain number): throws when one of
 * `inputs` depends on a differentiated argument, rather than letting the gradient silently miss a path.
 */
export function refuseGrad(op: string, inputs: readonly Tensor[], why = 'is not differentiable yet'): void {
  const tape = activeTape;
  if (tape === null) return;
  for (const t of inputs) {
    if (tape.watched.has(t)) {
      throw new NnkitError(
        'INVALID_ARGUMENT',
        `${op}: ${why}, and its input #${t.id} of shape ${formatShape(t.shape)} depends on the argument of grad()`,
      );
    }
  }
}
