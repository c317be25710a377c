// The script every trial worker runs. It is shipped as source text and started from a data: URL
// (Node) or a blob: URL (browsers), so no file has to be located next to the bundle — it works the
// same from the TypeScript sources, from dist, and from a user's bundle. The pruning decision is
// the very function the main thread uses, inlined from its source.
import { describeValue } from './describe-value';
import { decideFromSnapshot } from './pruner';

const BODY = `
// A study runs trials side by side, which already uses the cores: @nnkit/tensor-wasm's init()
// reads this as its default thread count (an explicit init({ threads }) still wins).
globalThis[Symbol.for('nnkit.defaultThreads')] = 1;
const isNode = typeof process !== 'undefined' && typeof process.versions?.node === 'string';
let post, listen;
if (isNode) {
  const { parentPort } = await import('node:worker_threads');
  post = (m) => parentPort.postMessage(m);
  listen = (f) => parentPort.on('message', f);
} else {
  post = (m) => self.postMessage(m);
  listen = (f) => self.addEventListener('message', (e) => f(e.data));
}
const clone = (x) => (x === undefined ? undefined : structuredClone(x));
let objective;
const describe = (e) => (e instanceof Error ? e.name + ': ' + e.message : String(e));
// An error that passes \`instanceof NnkitError\` of every nnkit package (see src/errors.ts).
const nnkitError = (code, message) => {
  const e = new Error(message);
  e.name = 'NnkitError';
  e.code = code;
  Object.defineProperty(e, Symbol.for('nnkit.error'), { value: true });
  return e;
};
listen(async (msg) => {
  if (msg.type === 'load') {
    try {
      const mod = await import(msg.url);
      objective = typeof mod.default === 'function' ? mod.default : mod.objective;
      if (typeof objective !== 'function') {
        throw new Error(msg.url + ' exports neither a default function nor a function named objective');
      }
      post({ type: 'ready' });
    } catch (e) {
      post({ type: 'load-error', message: describe(e) });
    }
    return;
  }
  if (msg.type !== 'run') return;
  const { id, params, meta, snapshot } = msg;
  const intermediate = [];
  let latest = msg.restore;
  const trial = {
    id, params, meta, intermediate, resource: meta.resource,
    report(step, value) {
      if (!Number.isInteger(step) || step < 0) {
        throw nnkitError('INVALID_ARGUMENT', 'trial.report(): step ' + step + '; expected an integer ≥ 0');
      }
      if (typeof value !== 'number') {
        throw nnkitError('INVALID_ARGUMENT', 'trial.report(): value ' + describeReceived(value) + ' is not a number');
      }
      if (intermediate.some((r) => r.step === step)) return;
      intermediate.push({ step, value });
      post({ type: 'report', id, step, value });
    },
    shouldPrune: () => decide(snapshot, intermediate),
    prune() {
      const e = new Error('trial pruned');
      e.name = 'TrialPruned';
      throw e;
    },
    checkpoint(state) {
      latest = clone(state);
      post({ type: 'checkpoint', id, data: latest });
    },
    restore: () => clone(latest),
  };
  try {
    const value = await objective(params, trial);
    post({ type: 'done', id, value: typeof value === 'number' ? value : describeValue(value) });
  } catch (e) {
    if (e && e.name === 'TrialPruned') post({ type: 'pruned', id, message: e.message });
    else post({ type: 'error', id, message: describe(e) });
  }
});
function describeValue(v) {
  return { notANumber: typeof v + ' ' + String(v).slice(0, 60) };
}
`;

/**
 * The worker script's source text.
 *
 * @returns JavaScript module source
 * @example
 * new Worker(new URL('data:text/javascript,' + encodeURIComponent(workerSource())));
 */
export function workerSource(): string {
  return `const decide = (${decideFromSnapshot.toString()});\nconst describeReceived = (${describeValue.toString()});\n${BODY}`;
}
