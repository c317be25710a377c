// `nnkit tune`: hyperparameter search, random or TPE.
import type { Command } from 'commander';
import type { Io } from '../io';
import { integer, oneOf } from '../options';
import { runTune } from '../tune/run-tune';

/**
 * Adds `tune` to the program.
 * @param program - the root command
 * @param io - where the command prints
 * @param setExit - receives the command's exit code
 */
export function registerTune(program: Command, io: Io, setExit: (code: number) => void): void {
  program
    .command('tune')
    .description('random or TPE search over learning rate, β1, hidden units and dropout, trials in parallel workers')
    .option('--dataset <name>', 'mnist, moons, circles, spiral, or csv:<path>', 'mnist')
    .option('--examples <n>', 'examples used (a stratified random subset), split 80/20 into train/dev', integer(10), 4000)
    .option('--trials <n>', 'number of trials in the study', integer(1), 12)
    .option('--concurrency <n>', 'trials running at once, each in its own worker thread', integer(1, 64), 2)
    .option('--epochs <n>', 'epochs per trial', integer(1), 4)
    .option('--batch-size <n>', 'mini-batch size', integer(1), 64)
    .option('--sampler <name>', "random, or tpe (Optuna's tree-structured Parzen estimator: learns from finished trials after 10 random ones)", oneOf(['random', 'tpe'] as const), 'random')
    .option('--constant-liar', 'with --sampler tpe and --concurrency > 1: count running trials as the worst, so parallel trials spread out', false)
    .option('--seed <n>', 'seed of the sampler, the data subset and the models', integer(0), 1)
    .option('--resume', 'continue the study journaled in the report folder instead of starting over', false)
    .option('--report <dir>', 'report folder (study.jsonl, trials.json, the scatter plot)', 'nnkit-report/tune')
    .option('--storage <url|path>', 'a study shared with other processes and machines: redis://host:6379/0, or a journal file for processes on this machine')
    .option('--study <name>', 'the study to join in Redis (every process naming it shares its trials)')
    .option('--status', "print the shared study's trials and best trial, and run nothing", false)
    .action(async (o) => {
      await runTune(o, io);
      setExit(0);
    });
}
