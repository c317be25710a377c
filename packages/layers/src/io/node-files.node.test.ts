// Saving to and loading from disk and over HTTP in Node: the files TensorFlow.js expects, and the
// file-system side of the security boundary (paths, symlinks, FIFOs, missing files, servers that
// send too much).
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { init, NnkitError, randn } from '@nnkit/tensor-wasm';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { batchNorm } from '../batch-norm';
import { dense } from '../dense';
import { type Sequential, sequential } from '../sequential';
import { loadModel } from './load-model';

let root: string;
let model: Sequential;

beforeAll(async () => {
  await init();
  root = await mkdtemp(join(tmpdir(), 'nnkit-files-'));
  model = sequential([dense(5, { activation: 'tanh' }), batchNorm(), dense(2)], { inputShape: [3], seed: 4 });
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

async function savedCopy(name: string): Promise<string> {
  const dir = join(root, name);
  await model.save(dir);
  return dir;
}

/** The weight file a saved folder's model.json names (a new name on each save). */
async function weightsFile(dir: string): Promise<string> {
  const json = JSON.parse(await readFile(join(dir, 'model.json'), 'utf8'));
  return join(dir, json.weightsManifest[0].paths[0]);
}

async function editManifest(dir: string, edit: (json: any) => void): Promise<void> {
  const json = JSON.parse(await readFile(join(dir, 'model.json'), 'utf8'));
  edit(json);
  await writeFile(join(dir, 'model.json'), JSON.stringify(json));
}

async function refusal(source: string, code: string): Promise<NnkitError> {
  const error = await loadModel(source).then(() => null, (e) => e);
  expect(error).toBeInstanceOf(NnkitError);
  expect(error.code).toBe(code);
  return error;
}

test('save writes model.json and the weight file it names (no temporary files left); a folder, its model.json or a file:// URL loads', async () => {
  const dir = await savedCopy('plain');
  const [name] = (await readdir(dir)).filter((f) => f !== 'model.json');
  expect(name).toMatch(/^weights-[0-9a-f]{12}\.bin$/);
  expect((await readdir(dir)).sort()).toEqual(['model.json', name]);
  const json = JSON.parse(await readFile(join(dir, 'model.json'), 'utf8'));
  expect(json.format).toBe('layers-model');
  expect(json.weightsManifest[0].paths).toEqual([name]);
  expect((await readFile(join(dir, name))).byteLength).toBe(4 * (3 * 5 + 5 + 4 * 5 + 5 * 2 + 2));
  const x = randn([6, 3], { seed: 1 });
  const expected = Array.from(model.predict(x).toArray());
  for (const source of [dir, join(dir, 'model.json'), pathToFileURL(dir).href]) {
    expect(Array.from((await loadModel(source)).predict(x).toArray())).toEqual(expected);
  }
  // Saving again over the same folder replaces the pair atomically: new weights, then model.json; the old weights go.
  await model.save(dir);
  const files = await readdir(dir);
  expect(files).toHaveLength(2);
  expect(files).not.toContain(name);
});

test('path traversal in the manifest is refused and the outside file is never opened', async () => {
  const dir = await savedCopy('traversal');
  await writeFile(join(root, 'secret.bin'), new Uint8Array(4 * 42));
  for (const path of ['../secret.bin', `${root}/secret.bin`, '../../../../etc/passwd']) {
    await editManifest(dir, (j) => {
      j.weightsManifest[0].paths = [path];
    });
    expect((await refusal(dir, 'UNSAFE_PATH')).message).toContain('plain file name');
  }
});

test('a symbolic link leaving the folder is refused; one staying inside is followed', async () => {
  const dir = await savedCopy('links');
  const weights = await weightsFile(dir);
  await writeFile(join(root, 'outside.bin'), await readFile(weights));
  await symlink(join(root, 'outside.bin'), join(dir, 'escape.bin'));
  await editManifest(dir, (j) => {
    j.weightsManifest[0].paths = ['escape.bin'];
  });
  expect((await refusal(dir, 'UNSAFE_PATH')).message).toContain('outside the model');
  await symlink(weights, join(dir, 'inside.bin'));
  await editManifest(dir, (j) => {
    j.weightsManifest[0].paths = ['inside.bin'];
  });
  expect((await loadModel(dir)).countParams()).toBe(model.countParams());
});

test('a link into a sibling folder whose name starts with the model folder\'s name is outside it', async () => {
  // 'model-evil' starts with 'model': a containment check without the separator would let it pass.
  const dir = await savedCopy('model');
  const sibling = join(root, 'model-evil');
  await mkdir(sibling);
  await writeFile(join(sibling, 'weights.bin'), await readFile(await weightsFile(dir)));
  await symlink(join(sibling, 'weights.bin'), join(dir, 'evil.bin'));
  await editManifest(dir, (j) => {
    j.weightsManifest[0].paths = ['evil.bin'];
  });
  expect((await refusal(dir, 'UNSAFE_PATH')).message).toContain('model-evil');
});

test('missing folder, missing model.json, missing weights, a directory or FIFO as weights, sizes that disagree', async () => {
  await refusal(join(root, 'nothing-here'), 'MODEL_NOT_FOUND');
  const empty = join(root, 'empty');
  await mkdir(empty);
  await refusal(empty, 'MODEL_NOT_FOUND');
  const dir = await savedCopy('missing');
  const weights = await weightsFile(dir);
  await rm(weights);
  expect((await refusal(dir, 'MODEL_NOT_FOUND')).message).toContain(weights);
  await mkdir(weights);
  await refusal(dir, 'INVALID_MODEL');
  await rm(weights, { recursive: true });
  // Opening a FIFO for reading would block until a writer comes: it must be refused unopened.
  execFileSync('mkfifo', [weights]);
  expect((await refusal(dir, 'INVALID_MODEL')).message).toContain('not a regular file');
  const short = await savedCopy('short');
  await writeFile(await weightsFile(short), new Uint8Array(10));
  expect((await refusal(short, 'INVALID_MODEL')).message).toContain('truncated');
  await writeFile(join(short, 'model.json'), 'not json');
  await refusal(short, 'INVALID_MODEL');
});

test('weights split over several files (TensorFlow.js shards) load in manifest order', async () => {
  const dir = await savedCopy('shards');
  const weights = await weightsFile(dir);
  const bytes = await readFile(weights);
  await writeFile(join(dir, 'group1-shard1of2.bin'), bytes.subarray(0, 37));
  await writeFile(join(dir, 'group1-shard2of2.bin'), bytes.subarray(37));
  await rm(weights);
  await editManifest(dir, (j) => {
    j.weightsManifest[0].paths = ['group1-shard1of2.bin', 'group1-shard2of2.bin'];
  });
  const x = randn([4, 3], { seed: 2 });
  expect(Array.from((await loadModel(dir)).predict(x).toArray())).toEqual(Array.from(model.predict(x).toArray()));
});

async function serve(handler: Parameters<typeof createServer>[1]): Promise<{ server: Server; url: string }> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address() as { port: number };
  return { server, url: `http://127.0.0.1:${address.port}` };
}

test('a URL of model.json loads over HTTP; a server that never stops sending is cut off at the expected size', async () => {
  const dir = await savedCopy('http');
  const files = await serve(async (req, res) => {
    try {
      res.end(await readFile(join(dir, req.url!.split('/').pop()!)));
    } catch {
      res.statusCode = 404;
      res.end();
    }
  });
  const x = randn([4, 3], { seed: 3 });
  expect(Array.from((await loadModel(`${files.url}/models/m/model.json`)).predict(x).toArray())).toEqual(Array.from(model.predict(x).toArray()));
  await expect(loadModel(`${files.url}/nope/absent.json`)).rejects.toMatchObject({ code: 'MODEL_NOT_FOUND' });
  files.server.close();
  const json = await readFile(join(dir, 'model.json'));
  const endless = await serve((req, res) => {
    if (req.url!.endsWith('model.json')) return res.end(json);
    const chunk = new Uint8Array(1 << 16);
    const pump = () => {
      while (res.write(chunk)) {
        /* keep the socket full */
      }
    };
    res.on('drain', pump);
    res.on('close', () => res.off('drain', pump));
    pump();
  });
  const error = await loadModel(`${endless.url}/model.json`).then(() => null, (e) => e);
  expect(error).toBeInstanceOf(NnkitError);
  expect(error.code).toBe('MODEL_TOO_LARGE');
  endless.server.closeAllConnections();
  endless.server.close();
  await expect(loadModel('http://127.0.0.1:9/model.json')).rejects.toMatchObject({ code: 'FETCH_FAILED' });
});
