// Bad input: clear messages naming the bad value and the expected one, non-zero exit codes, and no
// stack traces — run through the real program, in-process.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { captureIo } from './io';
import { main } from './main';

const run = async (...argv: string[]) => {
  const io = captureIo();
  const code = await main(argv, io);
  return { code, out: io.stdout.join('\n'), err: io.stderr.join('\n') };
};
const noStack = (text: string) => expect(text).not.toMatch(/\n\s+at /);
const tmp = mkdtempSync(join(tmpdir(), 'nnkit-cli-'));

describe('bad input', () => {
  test('an unknown flag', async () => {
    const r = await run('train', '--epoch', '3');
    expect(r.code).not.toBe(0);
    expect(r.err).toMatch(/unknown option '--epoch'/);
    noStack(r.err);
  });

  test('an unknown command', async () => {
    const r = await run('trian');
    expect(r.code).not.toBe(0);
    expect(r.err).toMatch(/unknown command 'trian'/);
  });

  test('--epochs -1 names the value and the expectation', async () => {
    const r = await run('train', '--epochs', '-1');
    expect(r.code).not.toBe(0);
    expect(r.err).toMatch(/'--epochs <n>' argument '-1' is invalid\. Expected an integer ≥ 1\./);
    noStack(r.err);
  });

  test('an unknown data set', async () => {
    const r = await run('train', '--dataset', 'cifar', '--report', join(tmp, 'r1'));
    expect(r.code).not.toBe(0);
    expect(r.err).toBe('error: unknown dataset "cifar"; expected one of mnist, moons, circles, spiral or csv:<path>');
  });

  test('an unknown optimizer, decay and course experiment', async () => {
    expect((await run('train', '--optimizer', 'adagrad')).err).toMatch(/Expected one of adam, momentum, rmsprop, sgd/);
    expect((await run('train', '--decay', 'linear')).err).toMatch(/Expected one of none, inverse-time, exponential, step, cosine/);
    const c = await run('course', 'batchnorm');
    expect(c.code).not.toBe(0);
    expect(c.err).toMatch(/'batchnorm' is invalid for argument 'experiment'\. Allowed choices are initialization, regularization, optimization, decay/);
  });

  test('an unknown tune sampler, and --constant-liar without TPE', async () => {
    const r = await run('tune', '--sampler', 'grid', '--report', join(tmp, 'r5'));
    expect(r.code).not.toBe(0);
    expect(r.err).toMatch(/'--sampler <name>' argument 'grid' is invalid\. Expected one of random, tpe\./);
    const l = await run('tune', '--constant-liar', '--dataset', 'moons', '--report', join(tmp, 'r6'));
    expect(l.code).toBe(2);
    expect(l.err).toBe('error: --constant-liar needs --sampler tpe (the sampler is random)');
    noStack(l.err);
  });

  test('a CSV with a ragged row or a non-numeric cell names the line and column', async () => {
    const ragged = join(tmp, 'ragged.csv');
    writeFileSync(ragged, 'x1,x2,label\n0.1,0.2,0\n0.3,1\n');
    const r1 = await run('train', '--dataset', `csv:${ragged}`, '--report', join(tmp, 'r2'));
    expect(r1.code).not.toBe(0);
    expect(r1.err).toBe(`error: ${ragged} line 3: found 2 columns; expected 3 as in the header`);
    const text = join(tmp, 'text.csv');
    writeFileSync(text, 'x1,x2,label\n0.1,0.2,0\n0.3,abc,1\n');
    const r2 = await run('train', '--dataset', `csv:${text}`, '--report', join(tmp, 'r3'));
    expect(r2.err).toBe(`error: ${text} line 3, column 2 (x2): "abc" is not a number`);
    noStack(r2.err);
  });

  test('a report folder that cannot be written is refused before training', async () => {
    const file = join(tmp, 'a-file');
    writeFileSync(file, '');
    const r = await run('train', '--dataset', 'moons', '--report', join(file, 'report'));
    expect(r.code).not.toBe(0);
    expect(r.err).toMatch(/^error: cannot write the report folder .*a-file\/report \(ENOTDIR\); expected a writable folder/);
    expect(r.out).toBe('');
  });

  test('the regularization experiment without --data says what to pass', async () => {
    const r = await run('course', 'regularization', '--report', join(tmp, 'r4'));
    expect(r.code).not.toBe(0);
    expect(r.err).toMatch(/pass --data <path to football\.csv>/);
  });

  test('every command has --help', async () => {
    for (const cmd of ['train', 'course', 'tune', 'gradcheck', 'bench']) {
      const r = await run(cmd, '--help');
      expect(r.code).toBe(0);
      expect(r.out).toMatch(new RegExp(`^Usage: nnkit ${cmd}`));
    }
    expect((await run('--help')).out).toMatch(/Commands:[\s\S]*train[\s\S]*course[\s\S]*tune[\s\S]*gradcheck[\s\S]*bench/);
  });
});
