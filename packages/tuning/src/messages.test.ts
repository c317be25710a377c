// Messages describe what they received: a string is quoted and called a string (the string '5' is
// not the number 5); objects and arrays are described, not printed as [object Object].
import { describe, expect, it } from 'vitest';
import { describeValue } from './describe-value';
import { NnkitError } from './errors';
import { randomSearch, uniform } from './index';
import { validateSpace } from './space';
import { checkReport } from './trial';
import { workerSource } from './worker-source';

const quiet = { progress: false } as const;

describe('messages', () => {
  it("quote a number given as a string and call it a string", async () => {
    await expect(randomSearch({ x: uniform(0, 1) }, () => 0, { trials: '5' as never, ...quiet })).rejects.toThrow(
      new NnkitError('INVALID_ARGUMENT', "randomSearch(): trials = '5' (a string); expected an integer ≥ 1"),
    );
    expect(() => uniform('0' as never, 1)).toThrow("uniform(): bounds '0' (a string), 1 must be finite numbers");
    expect(() => checkReport(1, '0.5' as never)).toThrow("trial.report(): value '0.5' (a string) is not a number");
  });

  it('describe arrays and objects by what they are', () => {
    expect(() => validateSpace([1, 2] as never)).toThrow('space is an array of 2 items; expected an object of name → distribution');
    expect(() => validateSpace('lr' as never)).toThrow("space is 'lr' (a string); expected an object of name → distribution");
  });
});

describe('describeValue', () => {
  it.each([
    [5, '5'],
    [Number.NaN, 'NaN'],
    ['5', "'5' (a string)"],
    [null, 'null'],
    [undefined, 'undefined'],
    [[1, 2, 3], 'an array of 3 items'],
    [{ lr: 0.1 }, 'an object with keys lr'],
  ])('%o → %s', (value, text) => {
    expect(describeValue(value)).toBe(text);
  });

  it('is self-contained, so the trial worker can inline its source', () => {
    // The source alone, without this module's scope, as the worker gets it.
    const inlined = new Function(`return (${describeValue.toString()});`)() as typeof describeValue;
    expect(inlined('5')).toBe("'5' (a string)");
    expect(inlined({ a: 1, b: 2 })).toBe('an object with keys a, b');
    expect(workerSource()).toContain(`const describeReceived = (${describeValue.toString()});`);
  });
});
