// Heartbeats of a shared study's running trials, sent from a small worker thread of their own.
// A function objective runs in the main thread, and training awaits only microtasks, so a timer of
// the main thread would not fire until the trial ends: the other processes would take a busy trial
// for a dead one. The worker's timer fires whatever the main thread does, and dies with the
// process, which is exactly what a heartbeat must tell. The main thread only posts "trial k
// started / ended", which it does between trials.
//
// The worker is started from source text (like the trial workers), so it cannot import packages:
// it writes heartbeat files with node:fs, or speaks the few Redis commands it needs (AUTH, SELECT,
// SET … PX, DEL) over node:net / node:tls itself.
import { nodeImport } from './node-import';

/** Where heartbeats go. */
export type HeartbeatTarget =
  /** One file per running trial, `<dir>/<id>`, rewritten at each beat: its mtime is the last beat. */
  | { kind: 'files'; dir: string; owner: string }
  /** One Redis key per running trial, `<prefix><id>` = owner, set to expire `ttlMs` after each beat. */
  | { kind: 'redis'; url: string; prefix: string; ttlMs: number; owner: string };

/** A running heartbeat thread. */
export interface HeartbeatThread {
  /** Beats for trial `id` now and every interval until `stop(id)`. */
  start(id: number): void;
  /** Stops beating for trial `id` (its file or key is removed). */
  stop(id: number): void;
  /** Ends the thread. */
  close(): void;
}

/**
 * A storage's `heartbeat(id)`: starts beating for trial `id` on `thread` and returns the function
 * that stops it. The thread starts with the storage's first `exclusive()`, which claims a trial
 * before it can beat.
 */
export function beatTrial(thread: HeartbeatThread | undefined, id: number): () => void {
  if (!thread) throw new Error('heartbeat() before exclusive(): a trial is claimed before it beats');
  thread.start(id);
  return () => thread.stop(id);
}

const SOURCE = `
const { parentPort, workerData } = await import('node:worker_threads');
const { target, intervalMs } = workerData;
const ids = new Set();
let beat, forget;
if (target.kind === 'files') {
  const fs = await import('node:fs');
  const file = (id) => target.dir + '/' + id;
  // The folder is made again when it is missing: a process that ends removes it once it is empty.
  const write = (id) => {
    try { fs.writeFileSync(file(id), target.owner); } catch { fs.mkdirSync(target.dir, { recursive: true }); fs.writeFileSync(file(id), target.owner); }
  };
  beat = (list) => {
    for (const id of list) {
      try { write(id); } catch {}
    }
  };
  forget = (id) => { try { fs.rmSync(file(id), { force: true }); } catch {} };
} else {
  const net = await import('node:net');
  const tls = await import('node:tls');
  const u = new URL(target.url);
  const cmd = (...args) => '*' + args.length + '\\r\\n' + args.map((a) => { const s = String(a); return '$' + Buffer.byteLength(s) + '\\r\\n' + s + '\\r\\n'; }).join('');
  let sock, up = false;
  const connect = () => {
    const host = u.hostname.replace(/^\\[|\\]$/g, '') || '127.0.0.1';
    const port = Number(u.port || 6379);
    const secure = u.protocol === 'rediss:';
    sock = secure ? tls.connect({ host, port, servername: host }) : net.connect({ host, port });
    sock.on(secure ? 'secureConnect' : 'connect', () => {
      let hello = '';
      if (u.password) hello += u.username ? cmd('AUTH', decodeURIComponent(u.username), decodeURIComponent(u.password)) : cmd('AUTH', decodeURIComponent(u.password));
      const db = u.pathname.slice(1);
      if (db) hello += cmd('SELECT', db);
      if (hello) sock.write(hello);
      up = true;
      beat([...ids]);
    });
    sock.on('data', () => {});
    sock.on('error', () => {});
    sock.on('close', () => { up = false; setTimeout(connect, Math.min(1000, intervalMs)); });
  };
  connect();
  beat = (list) => { if (up && list.length > 0) sock.write(list.map((id) => cmd('SET', target.prefix + id, target.owner, 'PX', target.ttlMs)).join('')); };
  forget = (id) => { if (up) sock.write(cmd('DEL', target.prefix + id)); };
}
parentPort.on('message', (m) => {
  if (m.type === 'start') { ids.add(m.id); beat([m.id]); }
  else if (m.type === 'stop') { ids.delete(m.id); forget(m.id); }
});
setInterval(() => beat([...ids]), intervalMs);
`;

/**
 * Starts a heartbeat thread (Node only). Once it resolves, `start` posts to the thread at once,
 * so a trial that blocks this thread right after `start(id)` is already being beaten for. The
 * thread does not keep the process alive.
 *
 * @param target - heartbeat files or Redis keys
 * @param intervalMs - time between beats
 * @returns the thread's handle
 * @example
 * const beats = await startHeartbeatThread({ kind: 'files', dir: 'study.jsonl.beats', owner: 'host:123' }, 1000);
 * beats.start(7); … beats.stop(7); beats.close();
 */
export async function startHeartbeatThread(target: HeartbeatTarget, intervalMs: number): Promise<HeartbeatThread> {
  const { Worker } = await nodeImport<typeof import('node:worker_threads')>('node:worker_threads');
  return startHeartbeatWorker(Worker, target, intervalMs);
}

/**
 * {@link startHeartbeatThread} for a caller that already holds node:worker_threads' Worker: starts
 * the thread at once, without awaiting.
 *
 * @param Worker - node:worker_threads' Worker
 * @param target - heartbeat files or Redis keys
 * @param intervalMs - time between beats
 * @returns the thread's handle
 * @example
 * const beats = startHeartbeatWorker(Worker, { kind: 'files', dir: 'study.log.beats', owner: 'host:123' }, 5000);
 */
export function startHeartbeatWorker(Worker: typeof import('node:worker_threads').Worker, target: HeartbeatTarget, intervalMs: number): HeartbeatThread {
  const worker = new Worker(new URL(`data:text/javascript,${encodeURIComponent(SOURCE)}`), { workerData: { target, intervalMs } });
  worker.unref();
  worker.on('error', () => {});
  return {
    start: (id) => worker.postMessage({ type: 'start', id }),
    stop: (id) => worker.postMessage({ type: 'stop', id }),
    close: () => void worker.terminate(),
  };
}
