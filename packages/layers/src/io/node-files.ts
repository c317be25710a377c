// The file system side of `#node-files` in Node: loading a saved model from a directory here, saving
// re-exported from directory-save.ts. Only reached through dynamic imports of `#node-files`, which
// browser builds resolve to node-files-unavailable.ts, so browser bundles never pull in node:fs. Reads trust nothing: the
// weight files must be plain names whose real paths stay inside the model's folder, regular files
// (a FIFO would block a read forever), and exactly as long as the manifest says, all checked before
// a byte of weights is read.
import { open, realpath, stat } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fail } from '../errors';
import { MODEL_JSON_NAME } from './artifacts';
import { MAX_MODEL_JSON_BYTES, parseModelJson } from './json-guard';
import { type CheckedModelFiles, checkFileName, checkModelJson, checkWeightBytes } from './manifest-validation';

export { saveToDirectory } from './directory-save';

/** A target's file-system path: a file:// URL becomes a path, anything else is one already. */
export function localPath(target: string): string {
  return target.startsWith('file://') ? fileURLToPath(target) : target;
}

function errno(e: unknown): string | undefined {
  return (e as { code?: string })?.code;
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
