import { NnkitError } from './errors';

/** Element type of a tensor. float64 is for gradient checking, references and exact work. */
export type DType = 'float32' | 'float64';

export const DTYPES: readonly DType[] = ['float32', 'float64'];

export function checkDType(dtype: unknown, where: string): DType {
  if (dtype === 'float32' || dtype === 'float64') return dtype;
  throw new NnkitError('UNKNOWN_DTYPE', `${where}: unknown dtype ${JSON.stringify(dtype)}; expected 'float32' or 'float64'`);
}

export function bytesPerElement(dtype: DType): number {
  return dtype === 'float32' ? 4 : 8;
}
