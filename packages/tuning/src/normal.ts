// The Gaussian functions the TPE sampler needs: the normal CDF, its inverse, and the log of the
// probability mass of an interval, accurate in both tails. JavaScript has no erf, and this package
// imports nothing, so they are computed here from a power series (small |x|) and Laplace's
// continued fraction (large |x|), which together reach double precision without tables.

const LOG_SQRT_PI = 0.5 * Math.log(Math.PI);
const TWO_OVER_SQRT_PI = 2 / Math.sqrt(Math.PI);
/** Below it erf's series converges quickly; above it erfc's continued fraction does. */
const SERIES_LIMIT = 2;
const MAX_TERMS = 500;

/** erf(x) = 2/√π · x·e^(−x²) · Σ (2x²)^n / (1·3·…·(2n+1)): positive terms, no cancellation. */
function erfSeries(x: number): number {
  const x2 = x * x;
  let term = 1;
  let sum = 1;
  for (let n = 1; n < MAX_TERMS && term > sum * 1e-17; n++) {
    term *= (2 * x2) / (2 * n + 1);
    sum += term;
  }
  return TWO_OVER_SQRT_PI * x * Math.exp(-x2) * sum;
}

/**
 * The continued fraction K(x) = x + (1/2)/(x + 1/(x + (3/2)/(x + …))), evaluated by Lentz's
 * method, for x ≥ {@link SERIES_LIMIT}: erfc(x) = e^(−x²) / (√π · K(x)).
 */
function erfcFraction(x: number): number {
  const tiny = 1e-300;
  let f = x;
  let c = x;
  let d = 0;
  for (let k = 1; k < MAX_TERMS; k++) {
    const a = k / 2;
    d = x + a * d;
    d = Math.abs(d) < tiny ? 1 / tiny : 1 / d;
    c = x + a / c;
    if (Math.abs(c) < tiny) c = tiny;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return f;
}

/**
 * The complementary error function 1 − erf(x), with full relative precision for large x.
 *
 * @param x - any number
 * @returns erfc(x), in [0, 2]
 * @example
 * erfc(1); // 0.15729920705028513
 */
export function erfc(x: number): number {
  if (x < 0) return 2 - erfc(-x);
  if (x === Number.POSITIVE_INFINITY) return 0;
  if (x < SERIES_LIMIT) return 1 - erfSeries(x);
  return Math.exp(-x * x - LOG_SQRT_PI) / erfcFraction(x);
}

/** log erfc(x) for x ≥ 0, finite where erfc(x) itself underflows (x > 26). */
function logErfc(x: number): number {
  if (x === Number.POSITIVE_INFINITY) return Number.NEGATIVE_INFINITY;
  if (x < SERIES_LIMIT) return Math.log(erfc(x));
  return -x * x - LOG_SQRT_PI - Math.log(erfcFraction(x));
}

/**
 * The standard normal CDF Φ(x).
 *
 * @param x - any number
 * @returns P(Z ≤ x) for Z ~ N(0, 1)
 * @example
 * normalCdf(1.959963984540054); // 0.975
 */
export function normalCdf(x: number): number {
  return 0.5 * erfc(-x / Math.SQRT2);
}

/** log(1 − Φ(z)) for z ≥ 0. */
function logUpperTail(z: number): number {
  return logErfc(z / Math.SQRT2) - Math.LN2;
}

/**
 * log(Φ(b) − Φ(a)), the log of a standard normal's mass on [a, b], without cancellation: an
 * interval in one tail is computed from that tail's side.
 *
 * @param a - lower end
 * @param b - upper end, ≥ a
 * @returns the log mass (−Infinity for an empty interval)
 * @example
 * logGaussMass(-1, 1); // log(0.6826894921370859)
 */
export function logGaussMass(a: number, b: number): number {
  if (b <= 0) return logGaussMass(-b, -a);
  if (a >= 0) {
    const la = logUpperTail(a);
    const lb = b === Number.POSITIVE_INFINITY ? Number.NEGATIVE_INFINITY : logUpperTail(b);
    return la + Math.log1p(-Math.exp(lb - la));
  }
  return Math.log1p(-normalCdf(a) - 0.5 * erfc(b / Math.SQRT2));
}

// Acklam's rational approximation of Φ⁻¹ (relative error < 1.2e-9), refined below by one Halley step.
const A = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239];
const B = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
const C = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
const D = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
const P_LOW = 0.02425;

function acklam(p: number): number {
  if (p < P_LOW || p > 1 - P_LOW) {
    const q = Math.sqrt(-2 * Math.log(p < P_LOW ? p : 1 - p));
    const x = (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5]) / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1);
    return p < P_LOW ? x : -x;
  }
  const q = p - 0.5;
  const r = q * q;
  return ((((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * q) / (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1);
}

/**
 * The inverse of the standard normal CDF.
 *
 * @param p - a probability in (0, 1)
 * @returns x with Φ(x) = p (±Infinity at 0 and 1)
 * @example
 * normalQuantile(0.975); // 1.959963984540054
 */
export function normalQuantile(p: number): number {
  if (p <= 0) return Number.NEGATIVE_INFINITY;
  if (p >= 1) return Number.POSITIVE_INFINITY;
  const x = acklam(p);
  // Halley's step on Φ(x) − p; the error is taken from the smaller tail so that it keeps its digits.
  const e = x < 0 ? normalCdf(x) - p : 1 - p - 0.5 * erfc(x / Math.SQRT2);
  const u = e * Math.sqrt(2 * Math.PI) * Math.exp((x * x) / 2);
  return x - u / (1 + (x * u) / 2);
}

/**
 * Draws from a standard normal truncated to [a, b] by inverting its CDF at `u`, from the tail
 * nearer the interval so that an interval far from 0 keeps its precision.
 *
 * @param a - lower end (standardised)
 * @param b - upper end (standardised), > a
 * @param u - a uniform number in [0, 1)
 * @returns a point of [a, b]
 * @example
 * truncatedNormalQuantile(-1, 1, 0.5); // 0
 */
export function truncatedNormalQuantile(a: number, b: number, u: number): number {
  if (a > 0) return -truncatedNormalQuantile(-b, -a, 1 - u);
  const pa = normalCdf(a);
  const pb = normalCdf(b);
  const x = normalQuantile(pa + u * (pb - pa));
  return Math.min(b, Math.max(a, x));
}
