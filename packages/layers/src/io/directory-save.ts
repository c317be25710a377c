// model.save(dir) in Node.
import { randomBytes } from 'node:crypto';
import { dirname, join, resolve } from 'node:path';
import { MODEL_JSON_NAME, type ModelArtifacts } from './artifacts';
import { checkFileName } from './manifest-validation';
import { localPath } from './node-files';
import { nodeSaveFileSystem, type SaveFileSystem } from './save-file-system';

async function writeFileAtomic(fs: SaveFileSystem, path: string, data: Uint8Array): Promise<void> {
  const tmp = join(dirname(path), `.${randomBytes(6).toString('hex')}.tmp`);
  const handle = await fs.create(tmp);
  try {
    await handle.write(data);
    await handle.sync();
  } catch (e) {
    await handle.close();
    await fs.remove(tmp);
    throw e;
  }
  await handle.close();
  try {
    await fs.rename(tmp, path);
  } catch (e) {
    await fs.remove(tmp);
    throw e;
  }
}

/**
 * Writes model.json and the weight file into `dir` (created when missing).
 *
 * @param target - a directory path or file:// URL
 * @param artifacts - what to write
 * @param fs - the file system (tests pass one that fails on purpose)
 * @returns the model.json written
 */
export async function saveToDirectory(target: string, artifacts: ModelArtifacts, fs: SaveFileSystem = nodeSaveFileSystem): Promise<ModelArtifacts['modelJson']> {
  const dir = resolve(localPath(target));
  await fs.mkdir(dir);
  const [group] = artifacts.modelJson.weightsManifest;
  await writeFileAtomic(fs, join(dir, checkFileName(group.paths[0], 'save()')), artifacts.weights);
  await writeFileAtomic(fs, join(dir, MODEL_JSON_NAME), new TextEncoder().encode(JSON.stringify(artifacts.modelJson)));
  await fs.syncDirectory(dir);
  return artifacts.modelJson;
}
