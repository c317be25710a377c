// "Caviar": many trials at once, each in its own worker (worker_threads in Node, Web Workers in
// browsers), running an objective module given by path or URL. A worker that throws, exits or dies
// fails only the trial it was running; the pool starts a fresh worker for the next one.
import { NnkitError } from './errors';
import { isNode, nodeImport } from './node-import';
import type { Executor, Outcome, TrialTask } from './trial';
import { workerSource } from './worker-source';

interface Handle {
  post(msg: unknown): void;
  terminate(): void;
}

type Message =
  | { type: 'ready' }
  | { type: 'load-error'; message: string }
  | { type: 'report'; id: number; step: number; value: number }
  | { type: 'checkpoint'; id: number; data: unknown }
  | { type: 'done'; id: number; value: unknown }
  | { type: 'pruned'; id: number; message: string }
  | { type: 'error'; id: number; message: string };

interface Slot {
  handle: Handle;
  ready: Promise<void>;
  busy: boolean;
  dead: boolean;
  current?: { task: TrialTask; resolve: (o: Outcome) => void; timer?: ReturnType<typeof setTimeout> };
}

const SCHEME = /^[a-zA-Z][a-zA-Z\d+.-]+:/;

/**
 * Turns an objective module's path or URL into an absolute URL a worker can import.
 *
 * @param module - a file path (Node), or a URL / URL string
 * @returns the absolute URL
 * @example
 * await resolveModuleUrl('./objective.mjs'); // 'file:///home/me/project/objective.mjs'
 */
export async function resolveModuleUrl(module: string | URL): Promise<string> {
  if (module instanceof URL) return module.href;
  if (typeof module !== 'string' || module.length === 0) {
    throw new NnkitError('INVALID_ARGUMENT', `objective module ${JSON.stringify(module)}; expected a path, a URL or a function`);
  }
  if (SCHEME.test(module)) return new URL(module).href;
  if (isNode()) {
    const { pathToFileURL } = await nodeImport<typeof import('node:url')>('node:url');
    const { resolve } = await nodeImport<typeof import('node:path')>('node:path');
    return pathToFileURL(resolve(module)).href;
  }
  return new URL(module, (globalThis as { location?: { href: string } }).location?.href).href;
}

async function spawn(source: string, onMessage: (m: Message) => void, onCrash: (why: string) => void): Promise<Handle> {
  if (isNode()) {
    const { Worker } = await nodeImport<typeof import('node:worker_threads')>('node:worker_threads');
    const w = new Worker(new URL(`data:text/javascript,${encodeURIComponent(source)}`));
    w.on('message', onMessage);
    w.on('error', (e) => onCrash(`worker crashed: ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`));
    w.on('exit', (code) => onCrash(`worker exited with code ${code}`));
    return { post: (m) => w.postMessage(m), terminate: () => void w.terminate() };
  }
  const W = (globalThis as { Worker?: typeof Worker }).Worker;
  if (!W) {
    throw new NnkitError('WORKER_UNAVAILABLE', 'an objective module needs workers, and this environment has no Worker; pass a function instead');
  }
  const url = URL.createObjectURL(new Blob([source], { type: 'text/javascript' }));
  const w = new W(url, { type: 'module' });
  w.onmessage = (e) => onMessage(e.data as Message);
  w.onerror = (e) => {
    e.preventDefault();
    onCrash(`worker crashed: ${e.message}`);
  };
  return {
    post: (m) => w.postMessage(m),
    terminate: () => {
      w.terminate();
      URL.revokeObjectURL(url);
    },
  };
}

/**
 * An executor that runs each trial in a worker loading `moduleUrl`, with at most `size` workers.
 *
 * @param moduleUrl - absolute URL of a module exporting the objective as default or `objective`
 * @param size - the number of workers (the study's concurrency)
 * @param timeoutMs - stop a trial running longer (terminating its worker) and record it as failed
 * @returns the executor; `close()` terminates every worker
 * @example
 * const ex = workerExecutor(await resolveModuleUrl('./objective.mjs'), 2);
 */
export function workerExecutor(moduleUrl: string, size: number, timeoutMs?: number): Executor {
  const source = workerSource();
  const slots: Slot[] = [];

  const finish = (slot: Slot, outcome: Outcome) => {
    const cur = slot.current;
    slot.current = undefined;
    slot.busy = false;
    if (cur?.timer !== undefined) clearTimeout(cur.timer);
    cur?.resolve(outcome);
  };

  const create = async (): Promise<Slot> => {
    let readyResolve!: () => void;
    let readyReject!: (e: Error) => void;
    const slot = {
      busy: false,
      dead: false,
      ready: new Promise<void>((res, rej) => {
        readyResolve = res;
        readyReject = rej;
      }),
    } as Slot;
    const onMessage = (m: Message) => {
      if (m.type === 'ready') return readyResolve();
      if (m.type === 'load-error') {
        return readyReject(new NnkitError('OBJECTIVE_LOAD_FAILED', `objective module ${moduleUrl} failed to load: ${m.message}`));
      }
      const task = slot.current?.task;
      if (!task || task.id !== m.id) return;
      if (m.type === 'report') task.onReport(m.step, m.value);
      else if (m.type === 'checkpoint') task.onCheckpoint(m.data);
      else if (m.type === 'done') finish(slot, { kind: 'value', value: m.value });
      else if (m.type === 'pruned') finish(slot, { kind: 'pruned', message: m.message });
      else finish(slot, { kind: 'error', message: m.message });
    };
    const onCrash = (why: string) => {
      if (slot.dead) return;
      slot.dead = true;
      readyReject(new NnkitError('OBJECTIVE_LOAD_FAILED', `objective module ${moduleUrl}: ${why} while loading`));
      slot.handle?.terminate();
      finish(slot, { kind: 'error', message: why });
    };
    slot.handle = await spawn(source, onMessage, onCrash);
    slot.handle.post({ type: 'load', url: moduleUrl });
    slots.push(slot);
    return slot;
  };

  return {
    async run(task) {
      for (let i = slots.length - 1; i >= 0; i--) if (slots[i].dead) slots.splice(i, 1);
      let slot = slots.find((s) => !s.busy);
      if (!slot) {
        if (slots.length >= size) throw new Error(`worker pool of ${size} is full`);
        slot = await create();
      }
      slot.busy = true;
      await slot.ready;
      const { id, params, meta, restore } = task;
      return new Promise<Outcome>((resolve) => {
        slot.current = { task, resolve };
        if (slot.dead) return finish(slot, { kind: 'error', message: 'worker died before the trial started' });
        slot.handle.post({ type: 'run', id, params, meta, restore, snapshot: task.snapshot() });
        if (timeoutMs !== undefined) {
          slot.current.timer = setTimeout(() => {
            // A worker cannot be interrupted, only replaced: terminate it, fail the trial, move on.
            slot.dead = true;
            slot.handle.terminate();
            finish(slot, { kind: 'error', message: `trial exceeded trialTimeoutMs = ${timeoutMs}` });
          }, timeoutMs);
        }
      });
    },
    async close() {
      for (const s of slots) {
        s.dead = true;
        s.handle.terminate();
      }
      slots.length = 0;
    },
  };
}
