// model.save(dir) in Node, atomic as a pair. model.json is the one commit point: the weights go to
// a file with a new name on each save (`weights-<12 hex digits>.bin`, named by model.json's
// manifest, which TensorFlow.js follows), written and fsynced first; then model.json is written
// to a temporary file, fsynced and renamed over the old one, and the folder fsynced. A crash at any
// moment leaves the old model.json naming the old weights or the new one naming the new weights,
// never a mix. After the commit the save removes what it replaced (the files the old model.json
// named) and what an interrupted save left (weight files no model.json names, temporary files), so
// the next save after a crash cleans up. Saves to one folder in this process run one at a time; two
// processes must not save into one folder at once (each would remove the other's new files).
import { randomBytes } from 'node:crypto';
import { join, resolve } from 'node:path';
import { MODEL_JSON_NAME, type ModelArtifacts, type ModelJson } from './artifacts';
import { type JsonObject, MAX_MODEL_JSON_BYTES, own, parseModelJson } from './json-guard';
import { checkFileName } from './manifest-validation';
import { localPath } from './node-files';
import { nodeSaveFileSystem, type SaveFileSystem } from './save-file-system';

/** Names `save(dir)` gives weight files: `<name>-<12 hex digits>.bin`. Others of this form that model.json does not name are removed. */
const GENERATED_WEIGHTS = /^[A-Za-z0-9._-]*-[0-9a-f]{12}\.bin$/;
/** Temporary files of a save (the same form earlier versions used). */
const TEMPORARY_FILE = /^\.[0-9a-f]{12}\.tmp$/;

const hex = () => randomBytes(6).toString('hex');

/** `weights.bin` → `weights-3f9a1c2b7d4e.bin`; a name without `.bin` keeps it whole before the suffix. */
function generatedName(base: string): string {
  return `${base.endsWith('.bin') ? base.slice(0, -4) : base}-${hex()}.bin`;
}

function isPlainName(name: unknown): name is string {
  try {
    checkFileName(name, 'model.json');
    return true;
  } catch {
    return false;
  }
}

/** The weight files the folder's current model.json names; none when it is missing or unreadable. */
async function namedWeightFiles(fs: SaveFileSystem, dir: string): Promise<string[]> {
  const bytes = await fs.readSmallFile(join(dir, MODEL_JSON_NAME), MAX_MODEL_JSON_BYTES);
  if (bytes === null) return [];
  let json: JsonObject;
  try {
    json = parseModelJson(bytes);
  } catch {
    return []; // a damaged model.json names nothing the save could safely remove
  }
  const groups = own(json, 'weightsManifest');
  if (!Array.isArray(groups)) return [];
  return groups.flatMap((g) => {
    const paths = g !== null && typeof g === 'object' ? own(g as JsonObject, 'paths') : undefined;
    return Array.isArray(paths) ? paths.filter(isPlainName) : [];
  });
}

/** Creates `path` (it must not exist), writes `data` and fsyncs it. */
async function writeNewFile(fs: SaveFileSystem, path: string, data: Uint8Array): Promise<void> {
  const handle = await fs.create(path);
  try {
    await handle.write(data);
    await handle.sync();
  } catch (e) {
    await handle.close().catch(() => {});
    throw e;
  }
  await handle.close();
}

/** Removes what the save replaced or an interrupted save left. A file that cannot be removed stays for the next save. */
async function removeLeftovers(fs: SaveFileSystem, dir: string, current: string, replaced: readonly string[]): Promise<void> {
  let names: string[];
  try {
    names = await fs.readdir(dir);
  } catch {
    return;
  }
  for (const name of names) {
    if (name === current || name === MODEL_JSON_NAME) continue;
    if (replaced.includes(name) || GENERATED_WEIGHTS.test(name) || TEMPORARY_FILE.test(name)) await fs.remove(join(dir, name)).catch(() => {});
  }
}

async function save(dir: string, artifacts: ModelArtifacts, fs: SaveFileSystem): Promise<ModelJson> {
  const groups = artifacts.modelJson.weightsManifest;
  const weightsName = generatedName(checkFileName(groups[0]?.paths[0], 'save()'));
  // All weights in one file: the bytes are every group's files concatenated in manifest order.
  const modelJson: ModelJson = { ...artifacts.modelJson, weightsManifest: [{ paths: [weightsName], weights: groups.flatMap((g) => g.weights) }] };
  await fs.mkdir(dir);
  const replaced = await namedWeightFiles(fs, dir);
  const weightsPath = join(dir, weightsName);
  const tmpPath = join(dir, `.${hex()}.tmp`);
  let renaming = false;
  try {
    await writeNewFile(fs, weightsPath, artifacts.weights);
    await writeNewFile(fs, tmpPath, new TextEncoder().encode(JSON.stringify(modelJson)));
    // The new files' names must be durable before model.json names them.
    await fs.syncDirectory(dir);
    renaming = true;
    await fs.rename(tmpPath, join(dir, MODEL_JSON_NAME));
  } catch (e) {
    await fs.remove(tmpPath).catch(() => {});
    // After a failed rename the new weights stay: had the rename gone through after all, model.json names them.
    if (!renaming) await fs.remove(weightsPath).catch(() => {});
    throw e;
  }
  await fs.syncDirectory(dir);
  await removeLeftovers(fs, dir, weightsName, replaced);
  return modelJson;
}

const queues = new Map<string, Promise<unknown>>();

/** Runs `task` after every earlier task of `key` has settled. */
function oneAtATime<T>(key: string, task: () => Promise<T>): Promise<T> {
  const run = (queues.get(key) ?? Promise.resolve()).then(task);
  const settled = run.catch(() => {});
  queues.set(key, settled);
  void settled.then(() => {
    if (queues.get(key) === settled) queues.delete(key);
  });
  return run;
}

/**
 * Saves the model into `target` (created when missing), atomically as a pair: afterwards, or after
 * a crash at any moment of it, the folder holds the complete old or the complete new model.
 *
 * @param target - a directory path or file:// URL
 * @param artifacts - what to write; the weight file's name in its manifest is the base of the new name
 * @param fs - the file system (tests pass one that fails on purpose)
 * @returns the model.json written, naming the new weight file
 */
export function saveToDirectory(target: string, artifacts: ModelArtifacts, fs: SaveFileSystem = nodeSaveFileSystem): Promise<ModelJson> {
  const dir = resolve(localPath(target));
  return oneAtATime(dir, () => save(dir, artifacts, fs));
}
