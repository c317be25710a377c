// Saving over an existing model is atomic as a pair: a save interrupted at any file-system call
// (each write, fsync, rename, … made to fail in turn, as a crash there would) leaves a folder from
// which loadModel returns exactly the old model or exactly the new one, and the next save removes
// whatever the interrupted one left behind. The reference for "old or new" is the commit point the
// design names: new exactly when the rename onto model.json went through.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { init } from '@nnkit/tensor-wasm';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { batchNorm } from '../batch-norm';
import { dense } from '../dense';
import { type Sequential, sequential } from '../sequential';
import { saveToDirectory } from './directory-save';
import { loadModel } from './load-model';
import { nodeSaveFileSystem, type SaveFileHandle, type SaveFileSystem } from './save-file-system';
import { modelArtifacts } from './save-model';

let root: string;
let oldModel: Sequential;
let newModel: Sequential;

beforeAll(async () => {
  await init();
  root = await mkdtemp(join(tmpdir(), 'nnkit-atomic-'));
  // Two models of different shapes: old model.json over new weights (or the reverse) cannot load as either.
  oldModel = sequential([dense(5, { activation: 'tanh' }), dense(2)], { inputShape: [3], seed: 1 });
  newModel = sequential([dense(7, { activation: 'relu' }), batchNorm(), dense(2)], { inputShape: [3], seed: 2 });
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const values = (m: Sequential) => m.getWeights().map((w) => Array.from(w.toArray()));

async function loadedValues(dir: string): Promise<number[][]> {
  const model = await loadModel(dir);
  const out = values(model);
  model.dispose();
  return out;
}

/**
 * Node's file system, failing at call number `failAt`. 'crash': that call and every later one fail,
 * as if the process died there (a failing write first writes half its data: a torn write).
 * 'error': only that call fails, and the save's own error handling runs.
 */
function faultyFileSystem(failAt: number, mode: 'crash' | 'error') {
  const real = nodeSaveFileSystem;
  const calls: string[] = [];
  const open: SaveFileHandle[] = [];
  let dead = false;
  let committed = false;
  async function step(kind: string, path: string, beforeFailing?: () => Promise<void>): Promise<void> {
    if (dead) throw new Error(`${kind} after the crash`);
    calls.push(`${kind} ${basename(path)}`);
    if (calls.length - 1 !== failAt) return;
    if (mode === 'crash') dead = true;
    await beforeFailing?.();
    throw new Error(`injected failure of ${kind} ${basename(path)}`);
  }
  /** `call`, counted as one step named `kind` on the path of its first argument. */
  const guarded = <A extends [string, ...unknown[]], R>(kind: string, call: (...args: A) => Promise<R>) => async (...args: A): Promise<R> => {
    await step(kind, args[0]);
    return call(...args);
  };
  const fs: SaveFileSystem = {
    mkdir: guarded('mkdir', real.mkdir),
    readdir: guarded('readdir', real.readdir),
    readSmallFile: guarded('read', real.readSmallFile),
    async create(path) {
      await step('create', path);
      const handle = await real.create(path);
      open.push(handle);
      return {
        async write(data) {
          await step('write', path, () => handle.write(data.subarray(0, data.length >> 1)));
          await handle.write(data);
        },
        async sync() {
          await step('sync', path);
          await handle.sync();
        },
        async close() {
          await step('close', path);
          open.splice(open.indexOf(handle), 1);
          await handle.close();
        },
      };
    },
    async rename(from, to) {
      await step('rename', to);
      await real.rename(from, to);
      if (basename(to) === 'model.json') committed = true;
    },
    remove: guarded('remove', real.remove),
    syncDirectory: guarded('syncDirectory', real.syncDirectory),
  };
  return {
    fs,
    calls,
    get committed() {
      return committed;
    },
    /** What the operating system does for a dead process: close its files. */
    async closeLeftovers() {
      for (const handle of open.splice(0)) await handle.close().catch(() => {});
    },
  };
}

async function folderWithOldModel(name: string): Promise<string> {
  const dir = join(root, name);
  await oldModel.save(dir);
  await writeFile(join(dir, 'notes.txt'), 'not part of the model');
  return dir;
}

/** The folder holds model.json, the weight files it names and `others`: nothing else. */
async function expectOnlyCurrentFiles(dir: string, others = ['notes.txt']): Promise<void> {
  const json = JSON.parse(await readFile(join(dir, 'model.json'), 'utf8'));
  expect((await readdir(dir)).sort()).toEqual(['model.json', ...others, ...json.weightsManifest[0].paths].sort());
}

test('a save interrupted at any file-system call leaves exactly the old or the new model; the next save cleans up', async () => {
  const counting = faultyFileSystem(Number.POSITIVE_INFINITY, 'crash');
  await saveToDirectory(await folderWithOldModel('count'), modelArtifacts(newModel), counting.fs);
  const steps = counting.calls.length;
  // Every kind of call a crash could interrupt is among the steps tried below.
  for (const kind of ['create', 'write', 'sync', 'close', 'rename', 'syncDirectory']) expect(counting.calls.some((c) => c.startsWith(kind)), kind).toBe(true);
  const oldValues = values(oldModel);
  const newValues = values(newModel);
  const outcomes = { old: 0, new: 0 };
  for (const mode of ['crash', 'error'] as const) {
    for (let k = 0; k < steps; k++) {
      const dir = await folderWithOldModel(`${mode}-${k}`);
      const faulty = faultyFileSystem(k, mode);
      const outcome = await saveToDirectory(dir, modelArtifacts(newModel), faulty.fs).then(() => 'saved', (e: Error) => e);
      await faulty.closeLeftovers();
      const at = `${mode} at step ${k} (${faulty.calls[k]})`;
      // A save that did not reach its commit point must not report success.
      if (!faulty.committed) expect(outcome, at).toBeInstanceOf(Error);
      expect(await loadedValues(dir), at).toEqual(faulty.committed ? newValues : oldValues);
      outcomes[faulty.committed ? 'new' : 'old']++;
      await saveToDirectory(dir, modelArtifacts(newModel));
      await expectOnlyCurrentFiles(dir);
      expect(await loadedValues(dir), at).toEqual(newValues);
    }
  }
  // Both sides of the commit point were reached: failures before it and after it.
  expect(outcomes.old).toBeGreaterThan(0);
  expect(outcomes.new).toBeGreaterThan(0);
});

test('a folder saved by an earlier version, with leftovers and a damaged model.json, ends with only the new model', async () => {
  const dir = join(root, 'legacy');
  await mkdir(dir);
  const legacy = modelArtifacts(oldModel);
  await writeFile(join(dir, 'model.json'), JSON.stringify(legacy.modelJson));
  await writeFile(join(dir, 'weights.bin'), legacy.weights);
  await writeFile(join(dir, '.0123456789ab.tmp'), 'a temporary file of an interrupted save');
  await writeFile(join(dir, 'weights-e3-0123456789ab.bin'), new Uint8Array(12));
  await writeFile(join(dir, 'notes.txt'), 'not part of the model');
  await saveToDirectory(dir, modelArtifacts(newModel));
  await expectOnlyCurrentFiles(dir);
  expect(await loadedValues(dir)).toEqual(values(newModel));
  await writeFile(join(dir, 'model.json'), '{"weightsManifest": [{"paths": ["notes.txt"');
  await saveToDirectory(dir, modelArtifacts(oldModel));
  await expectOnlyCurrentFiles(dir);
  expect(await loadedValues(dir)).toEqual(values(oldModel));
});

test('save() returns the model.json it wrote, naming a new weight file each time; weightsFileName is the base of the name', async () => {
  const dir = join(root, 'names');
  const first = await newModel.save(dir);
  const second = await newModel.save(dir, { weightsFileName: 'net.bin' });
  const [a] = first.modelJson.weightsManifest[0].paths;
  const [b] = second.modelJson.weightsManifest[0].paths;
  expect(a).toMatch(/^weights-[0-9a-f]{12}\.bin$/);
  expect(b).toMatch(/^net-[0-9a-f]{12}\.bin$/);
  expect(JSON.parse(await readFile(join(dir, 'model.json'), 'utf8'))).toEqual(second.modelJson);
  expect((await readdir(dir)).sort()).toEqual(['model.json', b]);
  expect(new Uint8Array(await readFile(join(dir, b)))).toEqual(second.weights);
});

test('saves to one folder started together run one after the other and leave the last model', async () => {
  const dir = join(root, 'together');
  await mkdir(dir);
  await writeFile(join(dir, 'notes.txt'), 'not part of the model');
  const models = [oldModel, newModel, oldModel, newModel];
  await Promise.all(models.map((m) => m.save(dir)));
  await expectOnlyCurrentFiles(dir);
  expect(await loadedValues(dir)).toEqual(values(newModel));
});

/** Kills of the real-process test: each one a new child process, killed at a random moment. */
const KILLS = 8;

test('kill -9 of a process saving in a loop leaves the complete old or new model, and the next save cleans up', async () => {
  // The child saves oldModel and newModel (built there with the same layers and seeds) in turn, forever.
  const child = fileURLToPath(new URL('../../test/save-loop.mjs', import.meta.url));
  const env = { ...process.env, NNKIT_TS_CACHE: join(root, 'ts-cache') };
  const expected = [JSON.stringify(values(oldModel)), JSON.stringify(values(newModel))];
  let withLeftovers = 0;
  for (let round = 0; round < KILLS; round++) {
    const dir = join(root, `kill-${round}`);
    const saving = spawn(process.execPath, [child, dir], { env, stdio: ['ignore', 'pipe', 'inherit'] });
    const exited = once(saving, 'exit');
    // A first save is complete; a child that dies before that fails the test instead of hanging it.
    const started = await Promise.race([once(saving.stdout, 'data').then(() => true), exited.then(() => false)]);
    if (!started) throw new Error(`the saving child exited before its first save (round ${round}); its stderr is above`);
    await new Promise((resolve) => setTimeout(resolve, Math.random() * 20));
    saving.kill('SIGKILL');
    await exited;
    if ((await readdir(dir)).length > 2) withLeftovers++;
    expect(expected).toContain(JSON.stringify(await loadedValues(dir)));
    await saveToDirectory(dir, modelArtifacts(newModel));
    await expectOnlyCurrentFiles(dir, []);
  }
  console.log(`kill -9: ${withLeftovers} of ${KILLS} kills left files of an interrupted save`);
});
