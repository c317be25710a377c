// The regularizers' factories refuse an option they do not know, naming the valid ones.
import { init } from '@nnkit/tensor-wasm';
import { beforeAll, expect, test } from 'vitest';
import { earlyStopping, gaussianNoise, l1l2, randomFlip, randomRotation, randomShift } from './index';

beforeAll(() => init());

test('a misspelt option is named with the valid ones', () => {
  expect(() => earlyStopping({ patiance: 3 } as never)).toThrow(
    'earlyStopping(): unknown option "patiance"; expected one of monitor, mode, patience, minDelta, restoreBestWeights, baseline, startFromEpoch',
  );
  expect(() => earlyStopping({ restoreBest: true } as never)).toThrow('(did you mean "restoreBestWeights"?)');
  expect(() => l1l2({ L2: 0.1 } as never)).toThrow('l1l2(): unknown option "L2" (did you mean "l2"?); expected one of l1, l2');
  const layout = { height: 2, width: 2, channels: 1 };
  expect(() => randomShift({ ...layout, maxPixels: 1, pad: 0 } as never)).toThrow(
    'randomShift(): unknown option "pad"; expected one of height, width, channels, maxPixels, fill',
  );
  expect(() => randomFlip({ ...layout, prob: 0.5 } as never)).toThrow('randomFlip(): unknown option "prob" (did you mean "probability"?)');
  expect(() => randomRotation({ ...layout, degrees: 10 } as never)).toThrow('randomRotation(): unknown option "degrees"; expected one of');
  expect(() => gaussianNoise({ std: 0.1, stddev: 0.1 } as never)).toThrow('gaussianNoise(): unknown option "stddev"; expected one of std, clip');
});
