// The natural logarithm from basic IEEE-754 arithmetic only (+ − × ÷ are exactly rounded
// everywhere), so the normal generator gives the same bits in every JavaScript engine. Math.log
// is not specified to be exact and differs between engine versions in its last bit.
// The method is the classic one of fdlibm's e_log.c: x = 2^k·(1+f), log(1+f) = f − f²/2 + s·(f²/2 + R(s²))
// with s = f/(2+f) and R a minimax polynomial, |error| < 1 ulp.

const LN2_HI = 0.6931471803691238;
const LN2_LO = 1.9082149292705877e-10;
const LG1 = 0.6666666666666735;
const LG2 = 0.3999999999940942;
const LG3 = 0.2857142874366239;
const LG4 = 0.22222198432149784;
const LG5 = 0.1818357216161805;
const LG6 = 0.15313837699209373;
const LG7 = 0.14798198605116586;
const TWO54 = 1.8014398509481984e+16;

const view = new DataView(new ArrayBuffer(8));

/** log(x) for finite x > 0 (the only inputs the generators pass). */
export function portableLog(x: number): number {
  view.setFloat64(0, x);
  let hx = view.getInt32(0);
  let k = 0;
  if (hx < 0x00100000) {
    // Subnormal: scale into the normal range first.
    k -= 54;
    x *= TWO54;
    view.setFloat64(0, x);
    hx = view.getInt32(0);
  }
  k += (hx >> 20) - 1023;
  hx &= 0x000fffff;
  const i = (hx + 0x95f64) & 0x100000;
  // Normalize the mantissa into [sqrt(2)/2, sqrt(2)).
  view.setInt32(0, hx | (i ^ 0x3ff00000));
  x = view.getFloat64(0);
  k += i >> 20;
  const f = x - 1;
  const dk = k;
  if ((0x000fffff & (2 + hx)) < 3) {
    if (f === 0) return k === 0 ? 0 : dk * LN2_HI + dk * LN2_LO;
    const r = f * f * (0.5 - 0.3333333333333333 * f);
    return k === 0 ? f - r : dk * LN2_HI - (r - dk * LN2_LO - f);
  }
  const s = f / (2 + f);
  const z = s * s;
  const w = z * z;
  const t1 = w * (LG2 + w * (LG4 + w * LG6));
  const t2 = z * (LG1 + w * (LG3 + w * (LG5 + w * LG7)));
  const r = t2 + t1;
  if (((hx - 0x6147a) | (0x6b851 - hx)) > 0) {
    const hfsq = 0.5 * f * f;
    return k === 0 ? f - (hfsq - s * (hfsq + r)) : dk * LN2_HI - (hfsq - (s * (hfsq + r) + dk * LN2_LO) - f);
  }
  return k === 0 ? f - s * (f - r) : dk * LN2_HI - (s * (f - r) - dk * LN2_LO - f);
}
