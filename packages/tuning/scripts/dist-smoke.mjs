// Runs the built package (dist, ESM and CJS) the way a user would: import by package name, run
// trials in worker threads, journal to a file, read the study back. Run after `tsup`.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const esm = await import('@nnkit/tuning');
const cjs = createRequire(import.meta.url)('@nnkit/tuning');
const cpu = fileURLToPath(new URL('../test/fixtures/cpu.mjs', import.meta.url));
const { default: objective } = await import(cpu);
const dir = mkdtempSync(join(tmpdir(), 'nnkit-tuning-dist-'));

try {
  for (const [name, lib] of [['esm', esm], ['cjs', cjs]]) {
    const journal = join(dir, `${name}.jsonl`);
    const space = { x: lib.uniform(0.1, 3), n: lib.choice([1000, 2000]) };
    const study = await lib.randomSearch(space, cpu, { trials: 6, concurrency: 2, seed: 1, storage: journal, progress: false });
    assert.equal(study.trials.length, 6);
    for (const t of study.trials) {
      assert.equal(t.state, 'complete', `${name}: trial ${t.id} ${t.error ?? ''}`);
      assert.equal(t.value, objective(t.params));
    }
    const back = await lib.loadStudy(journal);
    assert.deepEqual(back.trials, study.trials);
    assert.throws(() => lib.logUniform(0, 1), (e) => e instanceof lib.NnkitError && e.code === 'INVALID_ARGUMENT');
    console.log(`${name}: 6 worker trials, journal read back, best x = ${study.best.params.x.toFixed(4)}`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
