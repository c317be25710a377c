// Lints every published package as it would be published: `pnpm pack` (which turns workspace:
// ranges into versions, as a release does), then publint and arethetypeswrong on the tarball.
// Run it after the build (`pnpm test` does): the tarballs hold dist, not the sources.
//
//   node tools/consumer/lint-packages.mjs [package-dir-name …]
//
// publint: any error or warning fails the package (suggestions are printed only).
// attw: the `strict` profile — resolution as TypeScript does it under node10, node16 from CJS,
// node16 from ESM and bundler. The packages ship ESM and CJS, each with its own declarations
// (.d.ts / .d.cts), so every one of the four must resolve to types of the right module format.
// Our own check: every file that package.json points at (main, module, types, and every condition of
// the exports map, custom ones such as `source` included) is in the tarball. publint checks only the
// conditions it knows, so a `source` entry naming a file that is not published passes it.
// And the metadata a registry page and `npm install` show: license with its LICENSE file in the
// tarball, engines.node, repository (with the package's directory), homepage and bugs.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';

const root = new URL('../..', import.meta.url).pathname;
const bin = new URL('node_modules/.bin/', import.meta.url).pathname;
const ATTW_PROFILE = 'strict';

function run(command, args, cwd) {
  const r = spawnSync(command, args, { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' } });
  return { status: r.status ?? 1, output: `${r.stdout ?? ''}${r.stderr ?? ''}${r.error ? String(r.error) : ''}` };
}

/** The published packages: packages/* that are not private, optionally only the named ones. */
function publishedPackages(only) {
  return readdirSync(join(root, 'packages'))
    .filter((dir) => existsSync(join(root, 'packages', dir, 'package.json')))
    .filter((dir) => only.length === 0 || only.includes(dir))
    .map((dir) => ({ dir: join(root, 'packages', dir), manifest: JSON.parse(readFileSync(join(root, 'packages', dir, 'package.json'), 'utf8')) }))
    .filter(({ manifest }) => !manifest.private);
}

function lint({ dir, manifest }, packDir) {
  const problems = [];
  if (!existsSync(join(dir, 'dist'))) return [`no dist/ in ${dir}: build first (pnpm build)`];
  const before = new Set(readdirSync(packDir));
  const pack = run('pnpm', ['pack', '--pack-destination', packDir], dir);
  const tarball = readdirSync(packDir).find((f) => f.endsWith('.tgz') && !before.has(f));
  if (pack.status !== 0 || !tarball) return [`pnpm pack failed:\n${pack.output}`];
  const tgz = join(packDir, tarball);

  // publint exits non-zero on errors only; warnings (e.g. a file the exports map names but the
  // tarball lacks) matter as much to a user, so they count too.
  const publint = run(join(bin, 'publint'), ['run', tgz, '--level', 'suggestion'], root);
  const publintBad = publint.status !== 0 || /^(Errors|Warnings):/m.test(publint.output);
  if (publintBad) problems.push(`publint:\n${publint.output.trim()}`);
  else if (/^Suggestions:/m.test(publint.output)) console.log(`  ${manifest.name} publint suggestions:\n${publint.output.trim()}`);

  const attw = run(join(bin, 'attw'), [tgz, '--profile', ATTW_PROFILE, '--format', 'table', '--no-emoji', '--no-color'], root);
  if (attw.status !== 0) problems.push(`attw --profile ${ATTW_PROFILE}:\n${attw.output.trim()}`);

  // The published package.json, not the workspace one: pnpm pack applies publishConfig (which
  // drops the `source` condition the workspace's tests resolve through).
  const files = tarballFiles(tgz);
  const published = JSON.parse(run('tar', ['-xzOf', tgz, 'package/package.json'], root).output);
  const missing = missingTargets(published, files);
  if (missing.length > 0) problems.push(`package.json points at files the tarball lacks:\n${missing.join('\n')}`);
  const metadata = metadataProblems(published, files, dir);
  if (metadata.length > 0) problems.push(`metadata:\n${metadata.join('\n')}`);
  return problems;
}

/** The paths in a tarball, without npm's `package/` prefix. */
function tarballFiles(tgz) {
  return new Set(run('tar', ['-tzf', tgz], root).output.split('\n').map((f) => f.replace(/^package\//, '')));
}

/** What a published package.json lacks of the metadata every nnkit package carries. */
function metadataProblems(manifest, files, dir) {
  const problems = [];
  if (typeof manifest.license !== 'string') problems.push('no license');
  if (!files.has('LICENSE')) problems.push('no LICENSE file in the tarball (add it to "files")');
  if (typeof manifest.engines?.node !== 'string') problems.push('no engines.node');
  const expectedDirectory = relative(root, dir);
  if (typeof manifest.repository?.url !== 'string') problems.push('no repository.url');
  else if (manifest.repository.directory !== expectedDirectory) {
    problems.push(`repository.directory is ${JSON.stringify(manifest.repository.directory)}, expected "${expectedDirectory}"`);
  }
  if (typeof manifest.homepage !== 'string') problems.push('no homepage');
  if (!(typeof manifest.bugs === 'string' || typeof manifest.bugs?.url === 'string')) problems.push('no bugs URL');
  return problems;
}

/** Every `field → path` of package.json whose file is not in the tarball (wildcard subpaths are skipped). */
function missingTargets(manifest, files) {
  const targets = [];
  for (const field of ['main', 'module', 'types', 'typings', 'browser']) {
    if (typeof manifest[field] === 'string') targets.push([field, manifest[field]]);
  }
  const walk = (value, at) => {
    if (typeof value === 'string') targets.push([at, value]);
    else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) walk(v, `${at}[${JSON.stringify(k)}]`);
  };
  walk(manifest.exports, 'exports');
  return targets
    .filter(([, path]) => !path.includes('*') && !files.has(path.replace(/^\.\//, '')))
    .map(([at, path]) => `${at} → ${path}`);
}

const packDir = mkdtempSync(join(tmpdir(), 'nnkit-lint-packages-'));
let passed = 0;
let failed = 0;
try {
  for (const pkg of publishedPackages(process.argv.slice(2))) {
    const problems = lint(pkg, packDir);
    if (problems.length === 0) {
      passed++;
      console.log(`✓ ${pkg.manifest.name}: publint and attw (${ATTW_PROFILE}) find nothing`);
    } else {
      failed++;
      console.log(`✗ ${pkg.manifest.name}\n${problems.map((p) => p.replace(/^/gm, '    ')).join('\n')}`);
    }
  }
} finally {
  rmSync(packDir, { recursive: true, force: true });
}
console.log(`lint-packages: ${passed} passed, ${failed} failed`);
process.exitCode = failed === 0 && passed > 0 ? 0 : 1;
