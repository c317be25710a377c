// The `nnkit` program: subcommands, shared error handling, and exit codes. `main` never calls
// process.exit, so tests can run it in-process.
import { Command, CommanderError } from 'commander';
import { registerBench } from './commands/bench';
import { registerCourse } from './commands/course';
import { registerGradcheck } from './commands/gradcheck';
import { registerTrain } from './commands/train';
import { registerTune } from './commands/tune';
import { describeError } from './errors';
import type { Io } from './io';

/** The program's version, shown by --version. */
export const VERSION = '0.0.0';

/**
 * Runs `nnkit` with command-line arguments.
 * @param argv - the arguments after the program name, e.g. ['train', '--epochs', '3']
 * @param io - where to print
 * @returns the exit code
 * @example
 * process.exitCode = await main(process.argv.slice(2), processIo());
 */
export async function main(argv: string[], io: Io): Promise<number> {
  let exitCode = 0;
  const setExit = (code: number) => {
    exitCode = code;
  };
  const program = new Command('nnkit')
    .description('Train and improve deep neural networks the way the course teaches, on WebAssembly SIMD kernels.')
    .version(VERSION)
    .exitOverride()
    .showHelpAfterError('(add --help for usage)')
    .configureOutput({ writeOut: (s) => io.out(s.replace(/\n$/, '')), writeErr: (s) => io.err(s.replace(/\n$/, '')) });
  registerTrain(program, io, setExit);
  registerCourse(program, io, setExit);
  registerTune(program, io, setExit);
  registerGradcheck(program, io, setExit);
  registerBench(program, io, setExit);
  program.addHelpText('after', '\nExamples:\n  nnkit train                        MNIST with the defaults (≈ 97% test accuracy)\n  nnkit course initialization        the course\'s experiment beside its published numbers\n  nnkit tune --trials 12             random search on a log scale');
  try {
    if (argv.length === 0) {
      program.outputHelp();
      return 0;
    }
    await program.parseAsync(argv, { from: 'user' });
    return exitCode;
  } catch (e) {
    if (e instanceof CommanderError) {
      // Commander has printed its message (unknown option, invalid value, --help, --version).
      return e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help' ? 0 : 2;
    }
    const { message, exitCode: code, stack } = describeError(e);
    io.err(`error: ${message}`);
    if (stack) io.err(stack);
    return code;
  }
}
