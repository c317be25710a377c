// `nnkit bench`: runs the repository's benchmarks (tools/bench), which compare nnkit with
// TensorFlow.js in one run on this machine.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { Command } from 'commander';
import { CliError } from '../errors';
import type { Io } from '../io';

/** The benchmark runner, searched for from the working directory upwards. */
export function findBenchRunner(from: string): string | null {
  let dir = resolve(from);
  for (;;) {
    const candidate = join(dir, 'tools', 'bench', 'index.mjs');
    if (existsSync(candidate)) return candidate;
    const up = dirname(dir);
    if (up === dir) return null;
    dir = up;
  }
}

/**
 * Adds `bench` to the program.
 * @param program - the root command
 * @param io - where the command prints
 * @param setExit - receives the command's exit code
 */
export function registerBench(program: Command, io: Io, setExit: (code: number) => void): void {
  program
    .command('bench')
    .description('run the benchmarks beside TensorFlow.js (from a clone of the nnkit repository, after pnpm build)')
    .argument('[names...]', 'benchmarks to run, by file-name prefix (e.g. mlp, gemm); default all')
    .action((names: string[]) => {
      const runner = findBenchRunner(process.cwd());
      if (!runner) {
        throw new CliError('nnkit bench runs the benchmarks in tools/bench of the nnkit repository; run it from inside a clone of the repository (after pnpm install and pnpm build)');
      }
      io.err(`running ${runner}${names.length ? ` ${names.join(' ')}` : ''}`);
      const r = spawnSync(process.execPath, [runner, ...names], { stdio: 'inherit' });
      setExit(r.status ?? 1);
    });
}
