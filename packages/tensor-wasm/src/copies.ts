// Two loaded copies of this package (two versions in one app, or its ESM and CJS builds in one
// process) must not both run: each would have its own kernel, memory, allocator and Tensor class.
//
// Why a clear error and not one shared kernel: the kernel is the smallest part of a copy's state.
// Tensors of one copy are usable by another only if both share the WebAssembly memory, the
// allocator's free lists, the live-tensor tracking behind memory() and scope(), and the Tensor class
// that every op checks (its fields are private to one class). Sharing the memory without the
// allocator would let two allocators hand out the same bytes; sharing all of it would make every
// module-level variable a global whose layout all versions must keep forever, and one release that
// changes the allocator would corrupt another's tensors silently. So the first copy that calls
// init() owns the kernel (registered on globalThis under Symbol.for('nnkit.tensor-wasm'), which
// every copy in the realm sees), and any other copy that is used or initialized throws
// DUPLICATE_PACKAGE naming both copies, their versions and files, and the remedy: deduplicate.
import { version } from '../package.json';
import { NnkitError } from './errors';

/** What a copy registers about itself. */
export interface PackageCopy {
  /** The version from this copy's package.json, inlined at build time. */
  readonly version: string;
  /** The file this copy was loaded from, when the engine tells (for the message only). */
  readonly file: string;
}

interface Registry {
  owner: PackageCopy | null;
}

const KEY = Symbol.for('nnkit.tensor-wasm');

/** This copy: a module-level object, so another copy's record is never identical to it. */
let self: PackageCopy | null = null;

function thisCopy(): PackageCopy {
  self ??= { version, file: loadedFrom() };
  return self;
}

function registry(): Registry {
  const g = globalThis as unknown as Record<symbol, Registry | undefined>;
  g[KEY] ??= { owner: null };
  return g[KEY];
}

/**
 * The file of this module, read from a stack trace (V8, SpiderMonkey and JavaScriptCore all print
 * file names; import.meta.url would not survive the CJS build). Only for the message.
 */
function loadedFrom(): string {
  const stack = new Error().stack ?? '';
  const match = /((?:file|https?):\/\/[^\s)]+|\/[^\s):]+\.[cm]?[jt]s)/.exec(stack);
  return match ? match[1].replace(/:\d+(:\d+)?$/, '') : 'an unknown file';
}

/** The copy that owns the kernel, when it is another copy than this one. */
export function otherOwner(): PackageCopy | null {
  const owner = registry().owner;
  return owner && owner !== self ? owner : null;
}

/** Makes this copy the kernel's owner; throws DUPLICATE_PACKAGE if another copy owns it. */
export function claimKernel(where: string): void {
  const other = otherOwner();
  if (other) throw duplicateCopies(where, other);
  registry().owner = thisCopy();
}

/** Gives up a claim (init failed), so that another attempt, of any copy, may claim again. */
export function releaseKernel(): void {
  const r = registry();
  if (r.owner === self) r.owner = null;
}

/** The error for using this copy while `other` owns the kernel. */
export function duplicateCopies(where: string, other: PackageCopy): NnkitError {
  const me = thisCopy();
  return new NnkitError(
    'DUPLICATE_PACKAGE',
    `${where}: two copies of @nnkit/tensor-wasm are loaded: ${other.version} (${other.file}) runs the kernel, ` +
      `and ${me.version} (${me.file}) was used here. Tensors of one copy cannot be used by the other; ` +
      'make every package resolve one copy (one version of @nnkit/tensor-wasm that satisfies every range ' +
      '`npm ls @nnkit/tensor-wasm` lists, and only its ESM or only its CJS build in one process)',
  );
}
