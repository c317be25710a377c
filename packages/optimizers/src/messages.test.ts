// Messages describe what they received: a string is quoted and called a string, null is named.
import { expect, test } from 'vitest';
import { adam, exponentialDecay, momentum, sgd } from './index';

test("a number given as a string is quoted and called a string, not shown as the number", () => {
  expect(() => adam({ learningRate: '0.01' as never })).toThrow(
    "adam(): learningRate '0.01' (a string) must be a finite number ≥ 0 or a schedule (t) => number",
  );
  expect(() => momentum({ learningRate: 0.1, nesterov: 'yes' as never })).toThrow("momentum(): nesterov 'yes' (a string) must be true or false");
  expect(() => exponentialDecay({ initial: 0.1, decayRate: '0.5' as never })).toThrow(/decayRate '0\.5' \(a string\) must be/);
});

test('null, NaN and arrays are named', () => {
  expect(() => sgd(null as never)).toThrow('sgd(): options must be an object, got null');
  expect(() => sgd({ learningRate: Number.NaN })).toThrow('sgd(): learningRate NaN must be a finite number ≥ 0 or a schedule (t) => number');
  expect(() => adam({ beta1: [0.9] as never })).toThrow('adam(): beta1 an array of 1 item must be a number in [0, 1)');
});
