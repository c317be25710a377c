// Runs `turbo run <tasks> --continue` with the given arguments and, when a task fails, prints the end
// of each failed task's log again after turbo's summary: with two tasks running at once, a failure's
// lines are otherwise far above the end of a long log, where a CI page shows only the tail.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

const TAIL_LINES = 150;
const RUNS = join('.turbo', 'runs');

const started = Date.now();
const turbo = spawnSync('pnpm', ['exec', 'turbo', 'run', ...process.argv.slice(2), '--continue', '--summarize'], { stdio: 'inherit' });
const code = turbo.status ?? 1;
if (code !== 0) printFailedLogs();
process.exit(code);

/** The end of the log of every task the newest run summary marks as failed. */
function printFailedLogs() {
  const summaries = existsSync(RUNS)
    ? readdirSync(RUNS).map((f) => join(RUNS, f)).filter((f) => f.endsWith('.json') && statSync(f).mtimeMs >= started - 1000)
    : [];
  const newest = summaries.sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs)[0];
  if (newest === undefined) {
    console.error('run-tasks: turbo failed and wrote no run summary');
    return;
  }
  const failed = JSON.parse(readFileSync(newest, 'utf8')).tasks.filter((t) => typeof t.execution?.exitCode === 'number' && t.execution.exitCode !== 0);
  for (const task of failed) {
    console.error(`\n===== ${task.taskId} failed (exit ${task.execution.exitCode}); the last ${TAIL_LINES} lines of its log =====`);
    const log = task.logFile;
    if (log === undefined || !existsSync(log)) {
      console.error(`(no log file at ${log})`);
      continue;
    }
    console.error(readFileSync(log, 'utf8').trimEnd().split('\n').slice(-TAIL_LINES).join('\n'));
  }
}
