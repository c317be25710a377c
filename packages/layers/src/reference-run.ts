// A small seeded training run whose final weights must be bit-identical in Node and in Chromium:
// He init, batch norm, dropout, shuffled mini-batches with a smaller last batch, Adam, L2.
// weights-checksum.browser.test.ts runs it in Chromium and, through the runInNode test command, in
// Node, and compares the two.
import { moons } from '@nnkit/data';
import { adam } from '@nnkit/optimizers';
import { init } from '@nnkit/tensor-wasm';
import { l2 } from '@nnkit/regularizers';
import { activation } from './activation-layer';
import { batchNorm } from './batch-norm';
import { dense } from './dense';
import { dropout } from './dropout';
import { sequential } from './sequential';

/** What both runs must agree on. */
export interface WeightsChecksum {
  /** FNV-1a (32-bit) over the float32 bit patterns of every weight, in getWeights() order. */
  fnv1a: string;
  /** The first weights, for a readable diff when the checksum changes. */
  head: number[];
  /** Final training loss. */
  loss: number;
}

/** FNV-1a over the bytes of the weights' float32 representation. */
export function checksumOf(arrays: Float32Array[]): string {
  let h = 0x811c9dc5;
  for (const a of arrays) {
    const bytes = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
    for (let i = 0; i < bytes.length; i++) h = Math.imul(h ^ bytes[i], 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, '0');
}

/** Trains the reference model and returns its checksum. */
export async function referenceRun(): Promise<WeightsChecksum> {
  const { x, labels } = moons({ n: 150, noise: 0.2, seed: 7 });
  const model = sequential(
    [dense(16, { useBias: false, init: 'he', regularizer: l2(0.1) }), batchNorm(), activation('relu'), dropout(0.25), dense(8, { activation: 'tanh' }), dense(2)],
    { inputShape: [2], seed: 2026 },
  );
  model.compile({ loss: 'softmaxCrossEntropy', optimizer: adam({ learningRate: 0.01 }) });
  const history = await model.fit(x, labels, { epochs: 8, batchSize: 32 });
  const weights = model.getWeights().map((w) => w.toArray() as Float32Array);
  const result = { fnv1a: checksumOf(weights), head: Array.from(weights[0].subarray(0, 6)), loss: history.epochs.at(-1)!.loss };
  model.dispose();
  x.dispose();
  return result;
}

/** Instantiates the kernel, then trains the reference model (the entry point the browser test runs in Node). */
export async function initAndRun(): Promise<WeightsChecksum> {
  await init();
  return referenceRun();
}
