// Seeded computations whose float bits must be the same in every engine: their fingerprints are
// computed in Chromium and, through a test command, in Node, and compared.
import {
  activationBackward, createRng, denseForward, exp, init, logSoftmax, matmul, randn, scope, sigmoid, softmaxCrossEntropyWithLogits,
  sum, tanh, zeros, type DType,
} from '../index';
import { fingerprint } from './reference';

export async function fingerprints(): Promise<Record<string, string>> {
  await init();
  const out: Record<string, string> = {};
  for (const dtype of ['float32', 'float64'] as DType[]) {
    scope(() => {
      const rng = createRng(2024);
      const a = randn([67, 300], { rng, dtype });
      const b = randn([300, 45], { rng, dtype });
      const bt = randn([45, 300], { rng, dtype });
      const at = randn([300, 67], { rng, dtype });
      out[`${dtype} randn`] = fingerprint(a.toArray());
      out[`${dtype} gemm nn`] = fingerprint(matmul(a, b).toArray());
      out[`${dtype} gemm tn`] = fingerprint(matmul(at, b, { transposeA: true }).toArray());
      out[`${dtype} gemm nt`] = fingerprint(matmul(a, bt, { transposeB: true }).toArray());
      out[`${dtype} gemm tt`] = fingerprint(matmul(at, bt, { transposeA: true, transposeB: true }).toArray());
      out[`${dtype} exp sigmoid tanh`] = fingerprint(Float64Array.from([...exp(a).toArray(), ...sigmoid(a).toArray(), ...tanh(a).toArray()]));
      out[`${dtype} logSoftmax`] = fingerprint(logSoftmax(a).toArray());
      out[`${dtype} sum axis 0`] = fingerprint(sum(a, 0).toArray());
      const y = denseForward(a, b, randn([45], { rng, dtype }), { activation: 'tanh' });
      const db = zeros([45], dtype);
      out[`${dtype} dense forward/backward`] = fingerprint(
        Float64Array.from([...y.toArray(), ...activationBackward(y, y, { activation: 'tanh', biasGrad: db }).toArray(), ...db.toArray()]),
      );
      const grad = zeros([67, 45], dtype);
      const ids = Int32Array.from({ length: 67 }, () => rng.int(45));
      const loss = softmaxCrossEntropyWithLogits(y, ids, { grad });
      out[`${dtype} softmax cross-entropy`] = `${loss} ${fingerprint(grad.toArray())}`;
    });
  }
  return out;
}
