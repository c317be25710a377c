// @nnkit/tuning, shared studies: (1) three worker processes against one on an I/O-bound objective
// (each trial waits 40 ms, as a trial waiting on a remote GPU or service would), on Redis and on a
// shared journal file; (2) what the storage adds per trial, against the in-memory storage, with an
// objective that returns at once. Needs the built package (`npx tsup` in packages/tuning) and, for
// the Redis rows, a redis-server on the PATH or in /usr/bin (started here on a free port, with an
// append-only file in a temporary folder, and stopped by its pid).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { journalFile, logUniform, randomSearch, redisStorage } from '@nnkit/tuning';

const TRIALS = 120;
const WAIT_MS = 40;
const space = { lr: logUniform(1e-4, 1) };
const storageOf = (kind, target, study) => (kind === 'redis' ? redisStorage({ url: target, study }) : journalFile(target));

// A worker process: runs its share of the study, then prints when it started and ended (this
// machine's clock, so the parent can take the span from the first start to the last end without
// counting Node's start-up, nor loading ioredis and connecting, which a long study pays once).
if (process.argv[2] === '--worker') {
  const [, , , kind, target, study] = process.argv;
  const storage = storageOf(kind, target, study);
  await storage.load(() => {});
  // Start together: Node's start-up staggers the processes by up to half a second on a busy machine.
  console.log('ready');
  await new Promise((resolve) => process.stdin.once('data', resolve));
  const t0 = Date.now();
  await randomSearch(space, async (p) => {
    await new Promise((r) => setTimeout(r, WAIT_MS));
    return Math.log10(p.lr) ** 2;
  }, { trials: TRIALS, seed: 1, progress: false, storage });
  console.log(JSON.stringify({ t0, t1: Date.now() }));
  process.exit(0);
}

async function freePort() {
  const server = createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function startRedis(dir) {
  const bin = existsSync('/usr/bin/redis-server') ? '/usr/bin/redis-server' : spawnSync('sh', ['-c', 'command -v redis-server'], { encoding: 'utf8' }).stdout.trim();
  if (!bin) return undefined;
  const port = await freePort();
  const child = spawn(bin, ['--port', String(port), '--bind', '127.0.0.1', '--appendonly', 'yes', '--dir', dir, '--save', ''], { stdio: 'ignore' });
  const url = `redis://127.0.0.1:${port}/0`;
  // Ready when a study can be loaded (an empty one has no header: that error means it answered).
  for (let i = 0; ; i++) {
    try {
      await redisStorage({ url, study: 'ping', reconnectMs: 200 }).load(() => {});
      break;
    } catch (e) {
      if (i > 100) throw e;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  return { url, stop: () => process.kill(child.pid, 'SIGTERM') };
}

async function span(processes, kind, target, study) {
  const self = fileURLToPath(import.meta.url);
  const children = Array.from({ length: processes }, () => spawn(process.execPath, [self, '--worker', kind, target, study], { stdio: ['pipe', 'pipe', 'inherit'] }));
  const outputs = children.map(() => '');
  const ready = children.map((child, i) => new Promise((resolve) => child.stdout.on('data', (d) => {
    outputs[i] += d;
    if (outputs[i].startsWith('ready\n')) resolve();
  })));
  const runs = Promise.all(children.map((child, i) => new Promise((resolve, reject) => {
    child.on('close', (code) => (code === 0 ? resolve(JSON.parse(outputs[i].slice('ready\n'.length))) : reject(new Error(`worker exited with ${code}`))));
  })));
  await Promise.all(ready);
  for (const child of children) child.stdin.write('go\n');
  return spanOf(await runs);
}

function spanOf(runs) {
  return (Math.max(...runs.map((r) => r.t1)) - Math.min(...runs.map((r) => r.t0))) / 1000;
}

async function perTrialMs(storage, trials) {
  const t0 = performance.now();
  await randomSearch(space, (p) => p.lr, { trials, seed: 1, progress: false, storage });
  return (performance.now() - t0) / trials;
}

const dir = mkdtempSync(join(tmpdir(), 'nnkit-bench-shared-'));
const redis = await startRedis(dir);
try {
  const rows = [];
  for (const kind of redis ? ['redis', 'file'] : ['file']) {
    const target = (name) => (kind === 'redis' ? redis.url : join(dir, `${name}.jsonl`));
    const one = await span(1, kind, target('one'), 'one');
    const three = await span(3, kind, target('three'), 'three');
    rows.push({ kind, one, three });
  }
  console.log(`${TRIALS} trials of ${WAIT_MS} ms (I/O-bound), seconds from the first process's start to the last one's end:`);
  for (const r of rows) console.log(`  ${r.kind.padEnd(5)}  1 process ${r.one.toFixed(2)} s, 3 processes ${r.three.toFixed(2)} s: ${(r.one / r.three).toFixed(2)}× (target ≥ 2.5×)`);

  const n = 200;
  const memory = await perTrialMs(undefined, n);
  console.log(`storage overhead per trial (${n} trials of an objective that returns at once, minus the in-memory storage's ${memory.toFixed(2)} ms):`);
  if (redis) console.log(`  redis  ${((await perTrialMs(redisStorage({ url: redis.url, study: 'overhead' }), n)) - memory).toFixed(2)} ms (target ≤ 5 ms)`);
  console.log(`  file   ${((await perTrialMs(journalFile(join(dir, 'overhead.jsonl')), n)) - memory).toFixed(2)} ms (an fsync per trial: a finish and the next claim are written together)`);
} finally {
  redis?.stop();
  await new Promise((r) => setTimeout(r, 200));
  rmSync(dir, { recursive: true, force: true });
}
