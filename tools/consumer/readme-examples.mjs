// Runs the code examples of every README as a reader would: each ```js / ```ts block, unchanged, as an
// ES module in Node, against the built packages (run it after the build; `pnpm test` does).
//
//   node tools/consumer/readme-examples.mjs [README path …]      (VERBOSE=1 prints what each block prints)
//
// - Every ```js / ```ts block runs, with imports or without: a snippet that uses a name it never
//   imports fails here as it would for a reader, so each block imports what it uses.
// - ```js blocks run as written, as `.mjs`. ```ts blocks are stripped of their types by esbuild's
//   transform (nothing else changes) and run the same way; a block without types is labelled js.
// - The blocks of one README run in order, each in its own process, in one temporary folder that
//   is the working directory, so files an example writes land there and are removed afterwards.
//   The folder's node_modules/@nnkit/* link to packages/*, so `@nnkit/…` resolves as in an app (the
//   `import`/`require` conditions, i.e. dist). Other packages an example imports are not available.
// - A block whose first line is a comment naming a file (`// objective.mjs`) is written under that
//   name (a .ts name as .js, after stripping), so a later block can import or pass it
//   (`'./objective.mjs'`); it is also run. The folder's package.json says "type": "module".
// - Each block gets TIMEOUT_MS; a README example should run in seconds.
// - A block may be marked by an HTML comment on the line just before it (blank lines in between are
//   allowed); a marked block is not run in Node:
//     <!-- example: browser -->       needs a browser (IndexedDB, the DOM): bundled by esbuild for the
//                                     browser (no flags) and run in headless Chromium (CHROMIUM_PATH,
//                                     default /usr/bin/chromium); where there is none, it is not run
//     <!-- example: skip <reason> --> anything else CI cannot run: a service, a package the examples
//                                     cannot install, a long training; the reason is printed
// - Every README with a ```js/```ts block needs an `npm install …` line (in a ```sh block) that lists
//   every package its blocks import, marked ones included, so the example works after that line.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, relative, resolve } from 'node:path';
import { transform } from 'esbuild';
import { CHROMIUM_PATH, runInChromium } from './run-in-chromium.mjs';

const root = new URL('../..', import.meta.url).pathname;
const TIMEOUT_MS = 60_000;
const CODE_LANGS = new Set(['js', 'javascript', 'mjs', 'ts', 'typescript']);
const MARKER = /^<!--\s*example:\s*(browser|skip)\b\s*(.*?)\s*-->$/;
const FILE_COMMENT = /^\/\/\s*([\w.-]+\.m?[jt]s)\s*$/;

/** The READMEs to check: the root one, packages/*, apps/*. */
function readmes() {
  const found = [join(root, 'README.md')];
  for (const group of ['packages', 'apps']) {
    for (const dir of readdirSync(join(root, group))) {
      const file = join(root, group, dir, 'README.md');
      if (existsSync(file)) found.push(file);
    }
  }
  return found;
}

/** Fenced code blocks with their language, first line number and the marker before them, if any. */
function codeBlocks(markdown) {
  const lines = markdown.split('\n');
  const blocks = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)(`{3,}|~{3,})\s*([\w-]*)/.exec(lines[i]);
    if (!open) continue;
    const fence = open[2];
    const start = i;
    const body = [];
    for (i++; i < lines.length && !lines[i].trimStart().startsWith(fence); i++) body.push(lines[i]);
    let before = start - 1;
    while (before >= 0 && lines[before].trim() === '') before--;
    const marker = before >= 0 ? MARKER.exec(lines[before].trim()) : null;
    blocks.push({ lang: open[3].toLowerCase(), line: start + 1, code: body.join('\n'), marker: marker ? { kind: marker[1], reason: marker[2] } : null });
  }
  return blocks;
}

/** The package names a block imports (`@scope/name`, `name`), builtins left out. */
function importedPackages(code) {
  const names = new Set();
  const specifiers = /\b(?:import|export)\s[^'"`;]*?\bfrom\s*['"]([^'"]+)['"]|\bimport\s*\(?\s*['"]([^'"]+)['"]/g;
  for (const m of code.matchAll(specifiers)) {
    const spec = m[1] ?? m[2];
    if (spec.startsWith('.') || spec.startsWith('/') || spec.startsWith('node:') || /^[a-z]+:/.test(spec)) continue;
    names.add(spec.split('/').slice(0, spec.startsWith('@') ? 2 : 1).join('/'));
  }
  return names;
}

/** Packages named on the README's `npm install` lines (flags and the global installs left out). */
function installedPackages(blocks) {
  const names = new Set();
  for (const block of blocks.filter((b) => ['sh', 'bash', 'shell', 'console'].includes(b.lang))) {
    for (const m of block.code.matchAll(/\bnpm (?:install|i|add)\b([^\n#&|;]*)/g)) {
      const words = m[1].trim().split(/\s+/);
      if (words.includes('-g') || words.includes('--global')) continue;
      for (const w of words) if (w && !w.startsWith('-')) names.add(w.replace(/(.)@[^/]*$/, '$1'));
    }
  }
  return names;
}

/** A folder whose node_modules/@nnkit/<name> link to packages/<dir>, as an installed app has them. */
function workFolder() {
  const dir = mkdtempSync(join(tmpdir(), 'nnkit-readme-'));
  mkdirSync(join(dir, 'node_modules', '@nnkit'), { recursive: true });
  writeFileSync(join(dir, 'package.json'), '{ "private": true, "type": "module" }\n');
  for (const pkg of readdirSync(join(root, 'packages'))) {
    const manifestPath = join(root, 'packages', pkg, 'package.json');
    if (!existsSync(manifestPath)) continue;
    const { name } = JSON.parse(readFileSync(manifestPath, 'utf8'));
    symlinkSync(join(root, 'packages', pkg), join(dir, 'node_modules', name), 'dir');
  }
  return dir;
}

async function runBlock(block, dir, index) {
  const named = FILE_COMMENT.exec(block.code.split('\n')[0] ?? '');
  const isTs = block.lang === 'ts' || block.lang === 'typescript';
  const code = isTs ? (await transform(block.code, { loader: 'ts', format: 'esm', target: 'es2022' })).code : block.code;
  const file = named ? named[1].replace(/\.(m?)ts$/, '.$1js') : `example-${index}.mjs`;
  writeFileSync(join(dir, file), code);
  const started = performance.now();
  if (block.marker?.kind === 'browser') {
    const result = await runInChromium(dir, file, TIMEOUT_MS);
    return { ...result, seconds: (performance.now() - started) / 1000 };
  }
  const r = spawnSync(process.execPath, [file], { cwd: dir, encoding: 'utf8', timeout: TIMEOUT_MS, env: { ...process.env, NO_COLOR: '1' } });
  const seconds = (performance.now() - started) / 1000;
  const timedOut = r.error?.code === 'ETIMEDOUT';
  return { ok: r.status === 0 && !timedOut, seconds, output: `${r.stdout}${r.stderr}${timedOut ? `\n(timed out after ${TIMEOUT_MS / 1000} s)` : ''}` };
}

let passed = 0;
let failed = 0;
let marked = 0;
const only = process.argv.slice(2).map((p) => resolve(p));
for (const readme of only.length > 0 ? only : readmes()) {
  const name = relative(root, readme);
  const blocks = codeBlocks(readFileSync(readme, 'utf8'));
  const examples = blocks.filter((b) => CODE_LANGS.has(b.lang));
  if (examples.length === 0) continue;

  const installed = installedPackages(blocks);
  const imported = new Set(examples.flatMap((b) => [...importedPackages(b.code)]));
  const missing = [...imported].filter((p) => !installed.has(p));
  if (missing.length > 0) {
    failed++;
    console.log(`✗ ${name}: the npm install line${installed.size ? ` (${[...installed].join(' ')})` : ' is missing and'} lacks ${missing.join(', ')}, which the examples import`);
  } else {
    passed++;
    console.log(`✓ ${name}: npm install lists everything the examples import (${[...imported].join(', ') || 'nothing'})`);
  }

  const dir = workFolder();
  try {
    for (const [index, block] of examples.entries()) {
      const where = `${name}:${block.line}`;
      const inChromium = block.marker?.kind === 'browser' && existsSync(CHROMIUM_PATH);
      if (block.marker && !inChromium) {
        marked++;
        console.log(`- ${where} not run in Node: ${block.marker.kind}${block.marker.reason ? ` — ${block.marker.reason}` : ''}`);
        continue;
      }
      const result = await runBlock(block, dir, index);
      if (result.ok) passed++;
      else failed++;
      console.log(`${result.ok ? '✓' : '✗'} ${where} (${block.lang}${inChromium ? ', in Chromium' : ''}) ${result.seconds.toFixed(1)} s`);
      if (!result.ok || process.env.VERBOSE) console.log(result.output.trim().replace(/^/gm, '    '));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
console.log(`readme-examples: ${passed} passed, ${failed} failed, ${marked} marked and not run (${basename(import.meta.url)})`);
process.exitCode = failed === 0 && passed > 0 ? 0 : 1;
