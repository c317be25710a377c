// sin and cos from basic IEEE-754 arithmetic only, so that data sets, augmentations and schedules
// built on them give the same bits in every JavaScript engine (Math.sin/Math.cos are not specified
// to be exact and differ between engine versions). The method is fdlibm's: reduce x by multiples of
// π/2 with a three-part constant (Cody–Waite; exact for |x| < 2^19·π/2), then evaluate the minimax
// polynomials of __kernel_sin/__kernel_cos on [−π/4, π/4]; |error| < 1 ulp.
import { NnkitError } from './errors';

const S1 = -0.16666666666666632;
const S2 = 0.00833333333332249;
const S3 = -0.0001984126982985795;
const S4 = 2.7557313707070068e-06;
const S5 = -2.5050760253406863e-08;
const S6 = 1.58969099521155e-10;
const C1 = 0.0416666666666666;
const C2 = -0.001388888888887411;
const C3 = 2.480158728947673e-05;
const C4 = -2.7557314351390663e-07;
const C5 = 2.087572321298175e-09;
const C6 = -1.1359647557788195e-11;
const INV_PIO2 = 0.6366197723675814;
const PIO2_1 = 1.5707963267341256; // first 33 bits of π/2
const PIO2_1T = 6.077100506506192e-11; // π/2 − PIO2_1
const PIO2_2 = 6.077100506303966e-11; // next 33 bits
const PIO2_2T = 2.0222662487959506e-21;
const PIO2_3 = 2.0222662487111665e-21; // next 33 bits
const PIO2_3T = 8.4784276603689e-32;

/** Largest |x| the reduction handles exactly (2^19·π/2). */
export const PORTABLE_TRIG_LIMIT = 823549.6;

const view = new DataView(new ArrayBuffer(8));

function highWord(x: number): number {
  view.setFloat64(0, x);
  return view.getInt32(0);
}

function kernelSin(x: number, y: number, exact: boolean): number {
  if ((highWord(x) & 0x7fffffff) < 0x3e400000 && Math.trunc(x) === 0) return x; // |x| < 2^-27
  const z = x * x;
  const v = z * x;
  const r = S2 + z * (S3 + z * (S4 + z * (S5 + z * S6)));
  return exact ? x + v * (S1 + z * r) : x - (z * (0.5 * y - v * r) - y - v * S1);
}

function kernelCos(x: number, y: number): number {
  const ix = highWord(x) & 0x7fffffff;
  if (ix < 0x3e400000 && Math.trunc(x) === 0) return 1;
  const z = x * x;
  const r = z * (C1 + z * (C2 + z * (C3 + z * (C4 + z * (C5 + z * C6)))));
  if (ix < 0x3fd33333) return 1 - (0.5 * z - (z * r - x * y)); // |x| < 0.3
  let qx: number;
  if (ix > 0x3fe90000) qx = 0.28125;
  else {
    view.setInt32(0, ix - 0x00200000);
    view.setInt32(4, 0);
    qx = view.getFloat64(0); // x/4, truncated to its high word
  }
  const hz = 0.5 * z - qx;
  return 1 - qx - (hz - (z * r - x * y));
}

/** x = n·π/2 + (y0 + y1), |y0 + y1| ≤ π/4. */
function reduce(x: number): [number, number, number] {
  const t = Math.abs(x);
  const n = Math.floor(t * INV_PIO2 + 0.5);
  let r = t - n * PIO2_1;
  let w = n * PIO2_1T;
  const j = (highWord(t) >> 20) & 0x7ff;
  let y0 = r - w;
  if (j - ((highWord(y0) >> 20) & 0x7ff) > 16) {
    // Cancellation: take the next 33 bits of π/2.
    let u = r;
    w = n * PIO2_2;
    r = u - w;
    w = n * PIO2_2T - (u - r - w);
    y0 = r - w;
    if (j - ((highWord(y0) >> 20) & 0x7ff) > 49) {
      u = r;
      w = n * PIO2_3;
      r = u - w;
      w = n * PIO2_3T - (u - r - w);
      y0 = r - w;
    }
  }
  const y1 = r - y0 - w;
  return x < 0 ? [-n, -y0, -y1] : [n, y0, y1];
}

function checkArgument(x: number, where: string): void {
  if (!(Math.abs(x) <= PORTABLE_TRIG_LIMIT)) {
    throw new NnkitError('INVALID_ARGUMENT', `${where}: x = ${x} must be finite with |x| ≤ ${PORTABLE_TRIG_LIMIT}`);
  }
}

/**
 * sin(x) with the same bits in every engine (|x| ≤ 823549.6).
 * @example
 * portableSin(Math.PI / 6); // 0.49999999999999994, as Math.sin gives
 */
export function portableSin(x: number): number {
  checkArgument(x, 'portableSin()');
  if ((highWord(x) & 0x7fffffff) <= 0x3fe921fb) return kernelSin(x, 0, true);
  const [n, y0, y1] = reduce(x);
  switch (((n % 4) + 4) % 4) {
    case 0: return kernelSin(y0, y1, false);
    case 1: return kernelCos(y0, y1);
    case 2: return -kernelSin(y0, y1, false);
    default: return -kernelCos(y0, y1);
  }
}

/**
 * cos(x) with the same bits in every engine (|x| ≤ 823549.6).
 * @example
 * portableCos(0); // 1
 */
export function portableCos(x: number): number {
  checkArgument(x, 'portableCos()');
  if ((highWord(x) & 0x7fffffff) <= 0x3fe921fb) return kernelCos(x, 0);
  const [n, y0, y1] = reduce(x);
  switch (((n % 4) + 4) % 4) {
    case 0: return kernelCos(y0, y1);
    case 1: return -kernelSin(y0, y1, false);
    case 2: return -kernelCos(y0, y1);
    default: return kernelSin(y0, y1, false);
  }
}
