// The file-system calls a directory save makes, as one small interface: Node's implementation for
// real saves, and a replacement in tests that fails at any chosen call, so every point where a
// crash could interrupt a save is tried without timing. Only reached through dynamic imports, so
// browser bundles never pull in node:fs.
import { mkdir, open, readdir, readFile, rename, rm, stat } from 'node:fs/promises';

/** A file being written: the data, then fsync, then close. */
export interface SaveFileHandle {
  write(data: Uint8Array): Promise<void>;
  sync(): Promise<void>;
  close(): Promise<void>;
}

/** What saving into a directory needs of the file system. */
export interface SaveFileSystem {
  /** Creates `dir` and its parents when missing. */
  mkdir(dir: string): Promise<void>;
  /** The names in `dir`. */
  readdir(dir: string): Promise<string[]>;
  /** The bytes of a regular file of at most `maxBytes`, or null when it is missing, not a regular file, or longer. */
  readSmallFile(path: string, maxBytes: number): Promise<Uint8Array | null>;
  /** Creates a new file; fails if `path` exists. */
  create(path: string): Promise<SaveFileHandle>;
  /** Renames atomically, replacing `to`. */
  rename(from: string, to: string): Promise<void>;
  /** Removes a file; a missing one is not an error. */
  remove(path: string): Promise<void>;
  /** fsync of a directory, which makes the names created and renamed in it durable. */
  syncDirectory(dir: string): Promise<void>;
}

function errno(e: unknown): string | undefined {
  return (e as { code?: string })?.code;
}

/** Node's file system. */
export const nodeSaveFileSystem: SaveFileSystem = {
  async mkdir(dir) {
    await mkdir(dir, { recursive: true });
  },
  readdir: (dir) => readdir(dir),
  async readSmallFile(path, maxBytes) {
    try {
      const info = await stat(path);
      if (!info.isFile() || info.size > maxBytes) return null;
      return await readFile(path);
    } catch (e) {
      if (errno(e) === 'ENOENT' || errno(e) === 'ENOTDIR') return null;
      throw e;
    }
  },
  async create(path) {
    const handle = await open(path, 'wx');
    return {
      write: (data) => handle.writeFile(data),
      sync: () => handle.sync(),
      close: () => handle.close(),
    };
  },
  rename: (from, to) => rename(from, to),
  remove: (path) => rm(path, { force: true }),
  async syncDirectory(dir) {
    let handle: Awaited<ReturnType<typeof open>> | undefined;
    try {
      handle = await open(dir, 'r');
      await handle.sync();
    } catch (e) {
      // Some platforms (Windows) cannot open a directory to fsync it; their renames are durable anyway.
      if (!['EISDIR', 'EPERM', 'EACCES', 'EINVAL'].includes(errno(e) ?? '')) throw e;
    } finally {
      await handle?.close();
    }
  },
};
