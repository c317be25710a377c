// Module hooks that let a plain `node` child process run the TypeScript sources, as the tests do:
// `@nnkit/<name>` resolves to packages/<name>/src/index.ts, relative imports without an extension
// find their .ts file, .ts files are transpiled (types dropped) as they load, and JSON files they
// import become modules. With NNKIT_TS_CACHE set to a folder, transpiled files are kept there by
// content hash, so later children start without loading the compiler.
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const packages = new URL('../../', import.meta.url);

export async function resolve(specifier, context, next) {
  const workspace = /^@nnkit\/([a-z0-9-]+)$/.exec(specifier);
  if (workspace) return { url: new URL(`${workspace[1]}/src/index.ts`, packages).href, shortCircuit: true };
  if (specifier.startsWith('.') && context.parentURL?.endsWith('.ts') && !/\.[cm]?[jt]s$/.test(specifier)) {
    for (const suffix of ['.ts', '/index.ts']) {
      const url = new URL(specifier + suffix, context.parentURL);
      if (existsSync(fileURLToPath(url))) return { url: url.href, shortCircuit: true };
    }
  }
  return next(specifier, context);
}

async function transpile(source, fileName) {
  const { default: ts } = await import('typescript');
  return ts.transpileModule(source, { fileName, compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } }).outputText;
}

// A JSON file imported by a .ts source (`import { version } from '../package.json'`, which the
// build inlines) becomes a module with a default export and one named export per top-level key.
function jsonModule(text) {
  const value = JSON.parse(text);
  const names = Object.keys(value).filter((k) => /^[A-Za-z_$][\w$]*$/.test(k));
  return [`const value = ${JSON.stringify(value)};`, 'export default value;', ...names.map((k) => `export const ${k} = value.${k};`)].join('\n');
}

export async function load(url, context, next) {
  if (url.endsWith('.json') && context.importAttributes?.type !== 'json') {
    return { format: 'module', source: jsonModule(await readFile(fileURLToPath(url), 'utf8')), shortCircuit: true };
  }
  if (!url.endsWith('.ts')) return next(url, context);
  const path = fileURLToPath(url);
  const source = await readFile(path, 'utf8');
  const cacheDir = process.env.NNKIT_TS_CACHE;
  if (!cacheDir) return { format: 'module', source: await transpile(source, path), shortCircuit: true };
  const cached = join(cacheDir, `${createHash('sha256').update(path).update('\0').update(source).digest('hex')}.mjs`);
  if (existsSync(cached)) return { format: 'module', source: await readFile(cached, 'utf8'), shortCircuit: true };
  const output = await transpile(source, path);
  await mkdir(cacheDir, { recursive: true });
  await writeFile(`${cached}.${process.pid}`, output);
  await rename(`${cached}.${process.pid}`, cached);
  return { format: 'module', source: output, shortCircuit: true };
}
