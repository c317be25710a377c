// `nnkit course <experiment>`: the course's experiments beside its published numbers.
import { type Command, Argument } from 'commander';
import { EXPERIMENTS, type ExperimentName } from '../course/experiments';
import { runCourse } from '../course/run-course';
import type { Io } from '../io';
import { integer } from '../options';

/**
 * Adds `course` to the program.
 * @param program - the root command
 * @param io - where the command prints
 * @param setExit - receives the command's exit code
 */
export function registerCourse(program: Command, io: Io, setExit: (code: number) => void): void {
  program
    .command('course')
    .description("reproduce a course experiment on its 2-D data and print our accuracies beside the published ones")
    .addArgument(new Argument('<experiment>', 'the experiment').choices(EXPERIMENTS))
    .option('--data <path>', 'the football CSV (pos_x, pos_y, team) for the regularization experiment')
    .option('--seed <n>', 'model seed (initial weights, batch order, dropout masks)', integer(0), 1)
    .option('--seeds <n>', 'runs per variant with seeds seed, seed+1, …: median and range', integer(1, 50), 1)
    .option('--report <dir>', 'folder for the decision boundaries and the results JSON', 'nnkit-report/course')
    .option('--no-plots', 'skip the decision-boundary charts')
    .action(async (experiment: ExperimentName, o: { data?: string; seed: number; seeds: number; report: string; plots: boolean }) => {
      await runCourse({ experiment, ...o }, io);
      setExit(0);
    });
}
