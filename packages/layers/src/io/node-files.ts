// Saving to and loading from a directory in Node. Only reached through dynamic imports, so browser
// bundles never pull in node:fs. Writes are atomic (temporary file in the same directory, fsync,
// rename, fsync of the directory), so a crash leaves either the old file or the new one. Reads
// trust nothing: the weight files must be plain names whose real paths stay inside the model's
// folder, regular files (a FIFO would block a read forever), and exactly as long as the manifest
// says, all checked before a byte of weights is read.
import { randomBytes } from 'node:crypto';
import { mkdir, open, realpath, rename, rm, stat } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fail } from '../errors';
import { MODEL_JSON_NAME, type ModelArtifacts } from './artifacts';
import { MAX_MODEL_JSON_BYTES, parseModelJson } from './json-guard';
import { type CheckedModelFiles, checkFileName, checkModelJson, checkWeightBytes } from './manifest-validation';

/** A target's file-system path: a file:// URL becomes a path, anything else is one already. */
export function localPath(target: string): string {
  return target.startsWith('file://') ? fileURLToPath(target) : target;
}

function errno(e: unknown): string | undefined {
  return (e as { code?: string })?.code;
}

/** fsync of a directory makes a rename in it durable; some platforms (Windows) cannot open one for it. */
async function syncDirectory(dir: string): Promise<void> {
  let handle: Awaited<ReturnType<typeof open>> | undefined;
  try {
    handle = await open(dir, 'r');
    await handle.sync();
  } catch (e) {
    if (!['EISDIR', 'EPERM', 'EACCES', 'EINVAL'].includes(errno(e) ?? '')) throw e;
  } finally {
    await handle?.close();
  }
}

/**
 * Writes `data` to `path` atomically: a temporary file beside it, fsync, rename over `path`.
 * The caller fsyncs the directory once after its last rename.
 *
 * @param path - the final file
 * @param data - its content
 */
export async function writeFileAtomic(path: string, data: Uint8Array | string): Promise<void> {
  const tmp = join(dirname(path), `.${randomBytes(6).toString('hex')}.tmp`);
  const handle = await open(tmp, 'wx');
  try {
    await handle.writeFile(data);
    await handle.sync();
  } catch (e) {
    await handle.close();
    await rm(tmp, { force: true });
    throw e;
  }
  await handle.close();
  try {
    await rename(tmp, path);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
}

/**
 * Writes model.json and the weight file into `dir` (created when missing). The weights go first and
 * model.json last, so a reader never sees a model.json naming a weight file that is not there yet.
 *
 * @param target - a directory path or file:// URL
 * @param artifacts - what to write
 */
export async function saveToDirectory(target: string, artifacts: ModelArtifacts): Promise<void> {
  const dir = resolve(localPath(target));
  await mkdir(dir, { recursive: true });
  const [group] = artifacts.modelJson.weightsManifest;
  await writeFileAtomic(join(dir, checkFileName(group.paths[0], 'save()')), artifacts.weights);
  await writeFileAtomic(join(dir, MODEL_JSON_NAME), JSON.stringify(artifacts.modelJson));
  await syncDirectory(dir);
}

async function regularFile(path: string, what: string): Promise<number> {
  let info: Awaited<ReturnType<typeof stat>>;
  try {
    info = await stat(path);
  } catch (e) {
    if (errno(e) === 'ENOENT' || errno(e) === 'ENOTDIR') fail('MODEL_NOT_FOUND', `loadModel(): ${what} ${path} does not exist`);
    throw e;
  }
  if (!info.isFile()) fail('INVALID_MODEL', `loadModel(): ${what} ${path} is not a regular file`);
  return info.size;
}

async function readExactly(path: string, into: Uint8Array, offset: number, length: number): Promise<void> {
  const handle = await open(path, 'r');
  try {
    let done = 0;
    while (done < length) {
      const { bytesRead } = await handle.read(into, offset + done, length - done, done);
      if (bytesRead === 0) fail('INVALID_MODEL', `loadModel(): ${path} became shorter while it was read (${done} of ${length} bytes)`);
      done += bytesRead;
    }
  } finally {
    await handle.close();
  }
}

/**
 * Reads and checks a saved model from a directory (or the path of its model.json).
 *
 * @param source - a directory, a model.json path, or a file:// URL of either
 * @param maxWeightBytes - refuse larger weights before reading them
 * @returns the checked model.json, manifest and weight bytes
 */
export async function loadFromDirectory(source: string, maxWeightBytes: number): Promise<CheckedModelFiles> {
  const path = resolve(localPath(source));
  let isDir: boolean;
  try {
    isDir = (await stat(path)).isDirectory();
  } catch (e) {
    if (errno(e) === 'ENOENT' || errno(e) === 'ENOTDIR') fail('MODEL_NOT_FOUND', `loadModel(): ${path} does not exist`);
    throw e;
  }
  const jsonPath = isDir ? join(path, MODEL_JSON_NAME) : path;
  const jsonSize = await regularFile(jsonPath, 'model file');
  if (jsonSize > MAX_MODEL_JSON_BYTES) fail('MODEL_TOO_LARGE', `loadModel(): ${jsonPath} has ${jsonSize} bytes; a model.json may have ${MAX_MODEL_JSON_BYTES}`);
  const text = new Uint8Array(jsonSize);
  await readExactly(jsonPath, text, 0, jsonSize);
  const json = parseModelJson(text);
  const manifest = checkModelJson(json, maxWeightBytes);
  const folder = await realpath(dirname(jsonPath));
  const files: { path: string; size: number }[] = [];
  for (const name of manifest.paths) {
    const candidate = join(folder, checkFileName(name, 'weightsManifest'));
    await regularFile(candidate, 'weight file');
    // Symbolic links are followed only when they stay inside the model's folder.
    const real = await realpath(candidate);
    if (dirname(real) !== folder && !real.startsWith(folder + sep)) {
      fail('UNSAFE_PATH', `loadModel(): weight file ${JSON.stringify(name)} resolves to ${real}, outside the model's folder ${folder}`);
    }
    files.push({ path: real, size: await regularFile(real, 'weight file') });
  }
  checkWeightBytes(manifest, files.reduce((n, f) => n + f.size, 0));
  const weights = new Uint8Array(manifest.totalBytes);
  let offset = 0;
  for (const f of files) {
    await readExactly(f.path, weights, offset, f.size);
    offset += f.size;
  }
  return { json, manifest, weights };
}

/**
 * Removes the weight files of earlier checkpoints in `dir`: files named like `pattern` that the
 * current model.json no longer lists. Run after the new model.json is in place (the commit point).
 *
 * @param dir - the checkpoint directory
 * @param keep - the weight file the current model.json lists
 * @param pattern - names of checkpoint weight files
 */
export async function removeStaleWeights(dir: string, keep: string, pattern: RegExp): Promise<void> {
  const { readdir } = await import('node:fs/promises');
  const folder = resolve(localPath(dir));
  for (const name of await readdir(folder)) {
    if (name !== keep && pattern.test(name)) await rm(join(folder, name), { force: true });
  }
}
