// Checks the built packages as a user gets them: every package loads from dist through its exports
// map, as ESM and as CommonJS, both expose the same names, and a real computation runs on each.
import { createRequire } from 'node:module';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const require = createRequire(join(root, 'tools', 'bench', 'package.json'));
let failures = 0;
let passes = 0;

function check(name, ok, detail) {
  if (ok) passes++;
  else failures++;
  console.log(`${ok ? '✓' : '✗'} ${name}${detail ? ` — ${detail}` : ''}`);
}

const packages = readdirSync(join(root, 'packages')).map((dir) => JSON.parse(readFileSync(join(root, 'packages', dir, 'package.json'), 'utf8')).name);
for (const name of packages) {
  const esm = await import(name);
  const cjs = require(name);
  const esmNames = Object.keys(esm).filter((k) => k !== 'default').sort();
  const cjsNames = Object.keys(cjs).filter((k) => k !== 'default' && k !== '__esModule').sort();
  check(`${name}: ESM and CJS builds load and export the same ${esmNames.length} names`, esmNames.length > 0 && esmNames.join() === cjsNames.join(),
    esmNames.join() === cjsNames.join() ? '' : `ESM [${esmNames}] vs CJS [${cjsNames}]`);
}

// A real computation through the built kernel, in both module systems: [1 2; 3 4]·[5 6; 7 8].
for (const [kind, t] of [['ESM', await import('@nnkit/tensor-wasm')], ['CJS', require('@nnkit/tensor-wasm')]]) {
  await t.init();
  const c = Array.from(t.matmul(t.tensor([1, 2, 3, 4], [2, 2]), t.tensor([5, 6, 7, 8], [2, 2])).toArray());
  check(`@nnkit/tensor-wasm (${kind}) multiplies with the inlined SIMD kernel`, c.join() === '19,22,43,50' && t.backendInfo().simd, c.join());
}

console.log(`\n${passes} passed, ${failures} failed`);
process.exit(failures === 0 ? 0 : 1);
