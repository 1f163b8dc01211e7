/**
 * Probability distributions (LANGUAGE.md §8): densities, mass functions, distribution functions and
 * the normal quantile, element-wise with numpy-style broadcasting over every argument. Parameters
 * outside their range (σ ≤ 0, p outside [0, 1]) give NaN with a `domain` warning, like MATLAB's NaN.
 *
 * Accuracy: `normcdf` uses W. J. Cody's rational Chebyshev approximation of erfc, which keeps full
 * relative accuracy deep in both tails (normcdf(−30) ≈ 4.9e−198, not 0); `norminv` is Acklam's
 * approximation refined by one Halley step against that normcdf, accurate to about 1e−15; the
 * binomial and Poisson masses use Loader's saddle-point form, exact to rounding for huge n.
 */
import { BuiltinProblem, type Builtin, type BuiltinDoc, type CallContext } from '../builtin.js';
import type { Value } from '../value.js';
import { allScalars, broadcastN, scalarOrMatrix, toMatrix, toNumber, matrixValue, numberValue, toInteger } from './stdlibValues.js';

// Cody's coefficients ("Rational Chebyshev approximations for the error function", Math. Comp. 1969;
// netlib specfun/erf), for erf on [0, 0.46875], erfc on (0.46875, 4] and erfc on (4, ∞).
const ERF_A = [3.1611237438705656, 113.864154151050156, 377.485237685302021, 3209.37758913846947, 0.185777706184603153];
const ERF_B = [23.6012909523441209, 244.024637934444173, 1282.61652607737228, 2844.23683343917062];
const ERFC_C = [
  0.564188496988670089, 8.88314979438837594, 66.1191906371416295, 298.635138197400131, 881.95222124176909, 1712.04761263407058,
  2051.07837782607147, 1230.33935479799725, 2.15311535474403846e-8,
];
const ERFC_D = [
  15.7449261107098347, 117.693950891312499, 537.181101862009858, 1621.38957456669019, 3290.79923573345963, 4362.61909014324716,
  3439.36767414372164, 1230.33935480374942,
];
const ERFC_P = [0.305326634961232344, 0.360344899949804439, 0.125781726111229246, 0.0160837851487422766, 6.58749161529837803e-4, 0.0163153871373020978];
const ERFC_Q = [2.56852019228982242, 1.87295284992346047, 0.527905102951428412, 0.0605183413124413191, 0.00233520497626869185];
const SQRT_PI_INVERSE = 0.56418958354775628695;

/** erf on |x| ≤ 0.46875. */
function erfSmall(x: number): number {
  const z = x * x;
  let num = ERF_A[4]! * z;
  let den = z;
  for (let i = 0; i < 3; i++) {
    num = (num + ERF_A[i]!) * z;
    den = (den + ERF_B[i]!) * z;
  }
  return (x * (num + ERF_A[3]!)) / (den + ERF_B[3]!);
}

/** e^(−y²) computed as e^(−t²)·e^(−(y−t)(y+t)) with t = y rounded to 1/16, which avoids the rounding of y². */
function expMinusSquare(y: number): number {
  const t = Math.trunc(y * 16) / 16;
  return Math.exp(-t * t) * Math.exp(-(y - t) * (y + t));
}

/** The complementary error function erfc(x) = 1 − erf(x), with full relative accuracy for large x. */
export function erfc(x: number): number {
  if (Number.isNaN(x)) return NaN;
  const y = Math.abs(x);
  let result: number;
  if (y <= 0.46875) return 1 - erfSmall(x);
  if (y <= 4) {
    let num = ERFC_C[8]! * y;
    let den = y;
    for (let i = 0; i < 7; i++) {
      num = (num + ERFC_C[i]!) * y;
      den = (den + ERFC_D[i]!) * y;
    }
    result = (expMinusSquare(y) * (num + ERFC_C[7]!)) / (den + ERFC_D[7]!);
  } else if (y >= 26.543) {
    result = 0;
  } else {
    const z = 1 / (y * y);
    let num = ERFC_P[5]! * z;
    let den = z;
    for (let i = 0; i < 4; i++) {
      num = (num + ERFC_P[i]!) * z;
      den = (den + ERFC_Q[i]!) * z;
    }
    let r = (z * (num + ERFC_P[4]!)) / (den + ERFC_Q[4]!);
    r = (SQRT_PI_INVERSE - r) / y;
    result = expMinusSquare(y) * r;
  }
  return x < 0 ? 2 - result : result;
}

/** The error function. */
export function erf(x: number): number {
  const y = Math.abs(x);
  if (y <= 0.46875) return erfSmall(x);
  const value = 1 - erfc(y);
  return x < 0 ? -value : value;
}

const SQRT2 = Math.SQRT2;
const SQRT_2PI = Math.sqrt(2 * Math.PI);

/** The standard normal density φ(x). */
export function standardNormalPdf(x: number): number {
  return Math.exp(-0.5 * x * x) / SQRT_2PI;
}

/** The standard normal distribution function Φ(x) = erfc(−x/√2)/2. */
export function standardNormalCdf(x: number): number {
  return 0.5 * erfc(-x / SQRT2);
}

// Acklam's rational approximation of the normal quantile (relative error below 1.15e-9).
const ACKLAM_A = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239];
const ACKLAM_B = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
const ACKLAM_C = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
const ACKLAM_D = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
const P_LOW = 0.02425;

/** The standard normal quantile Φ⁻¹(p): Acklam's approximation and one Halley step. */
export function standardNormalInverse(p: number): number {
  if (Number.isNaN(p) || p < 0 || p > 1) return NaN;
  if (p === 0) return -Infinity;
  if (p === 1) return Infinity;
  let x: number;
  if (p < P_LOW) {
    const q = Math.sqrt(-2 * Math.log(p));
    x = (((((ACKLAM_C[0]! * q + ACKLAM_C[1]!) * q + ACKLAM_C[2]!) * q + ACKLAM_C[3]!) * q + ACKLAM_C[4]!) * q + ACKLAM_C[5]!) /
      ((((ACKLAM_D[0]! * q + ACKLAM_D[1]!) * q + ACKLAM_D[2]!) * q + ACKLAM_D[3]!) * q + 1);
  } else if (p <= 1 - P_LOW) {
    const q = p - 0.5;
    const r = q * q;
    x = ((((((ACKLAM_A[0]! * r + ACKLAM_A[1]!) * r + ACKLAM_A[2]!) * r + ACKLAM_A[3]!) * r + ACKLAM_A[4]!) * r + ACKLAM_A[5]!) * q) /
      (((((ACKLAM_B[0]! * r + ACKLAM_B[1]!) * r + ACKLAM_B[2]!) * r + ACKLAM_B[3]!) * r + ACKLAM_B[4]!) * r + 1);
  } else {
    const q = Math.sqrt(-2 * Math.log1p(-p));
    x = -(((((ACKLAM_C[0]! * q + ACKLAM_C[1]!) * q + ACKLAM_C[2]!) * q + ACKLAM_C[3]!) * q + ACKLAM_C[4]!) * q + ACKLAM_C[5]!) /
      ((((ACKLAM_D[0]! * q + ACKLAM_D[1]!) * q + ACKLAM_D[2]!) * q + ACKLAM_D[3]!) * q + 1);
  }
  // Halley's step on F(x) = Φ(x) − p; in the upper tail F is computed as (1 − p) − Φ(−x), which
  // equals it but keeps its relative accuracy.
  const e = p > 0.5 ? (1 - p) - standardNormalCdf(-x) : standardNormalCdf(x) - p;
  const u = e * SQRT_2PI * Math.exp(0.5 * x * x);
  return x - u / (1 + 0.5 * x * u);
}

// log(k!) for k ≤ 170 from exact-as-possible factorials, and Stirling's series beyond.
const LOG_FACTORIAL: Float64Array = (() => {
  const table = new Float64Array(171);
  let f = 1;
  for (let k = 1; k <= 170; k++) {
    f *= k;
    table[k] = Math.log(f);
  }
  return table;
})();

/** ln(n!) for a whole number n ≥ 0. */
export function logFactorial(n: number): number {
  if (n <= 170) return LOG_FACTORIAL[n]!;
  const m = n + 1;
  const inv = 1 / m;
  const inv2 = inv * inv;
  // ln Γ(m) by Stirling's series; the next term is below 1e−17 for m > 170.
  return (m - 0.5) * Math.log(m) - m + 0.5 * Math.log(2 * Math.PI) + inv * (1 / 12 - inv2 * (1 / 360 - inv2 * (1 / 1260 - inv2 / 1680)));
}

const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);

/**
 * Stirling's error δ(n) = ln n! − (n + ½) ln n + n − ½ ln 2π for a whole number n ≥ 1: exact from the
 * factorial table for small n, its asymptotic series beyond (Loader, "Fast and accurate computation
 * of binomial probabilities", 2000).
 */
function stirlingError(n: number): number {
  if (n <= 15) return LOG_FACTORIAL[n]! - (n + 0.5) * Math.log(n) + n - HALF_LOG_2PI;
  const nn = n * n;
  return (1 / 12 - (1 / 360 - (1 / 1260 - (1 / 1680 - 1 / (1188 * nn)) / nn) / nn) / nn) / n;
}

/** The deviance term x ln(x/μ) + μ − x, computed without cancellation when x is close to μ (Loader). */
function deviance(x: number, mu: number): number {
  if (Math.abs(x - mu) < 0.1 * (x + mu)) {
    const v = (x - mu) / (x + mu);
    let sum = (x - mu) * v;
    let term = 2 * x * v;
    const v2 = v * v;
    for (let j = 1; j < 1000; j++) {
      term *= v2;
      const next = sum + term / (2 * j + 1);
      if (next === sum) return next;
      sum = next;
    }
    return sum;
  }
  return x * Math.log(x / mu) + mu - x;
}

/**
 * P(K = k) for K ~ Binomial(n, p) with full relative accuracy for any n (Loader's saddle-point
 * form), where the textbook ln n! − ln k! − … would cancel catastrophically for large n.
 */
export function binomialPmf(k: number, n: number, p: number): number {
  if (!Number.isInteger(n) || n < 0 || !(p >= 0 && p <= 1)) return NaN;
  if (Number.isNaN(k)) return NaN;
  if (!Number.isInteger(k) || k < 0 || k > n) return 0;
  const q = 1 - p;
  if (p === 0) return k === 0 ? 1 : 0;
  if (q === 0) return k === n ? 1 : 0;
  if (k === 0) return n === 0 ? 1 : Math.exp(p < 0.1 ? -deviance(n, n * q) - n * p : n * Math.log(q));
  if (k === n) return Math.exp(q < 0.1 ? -deviance(n, n * p) - n * q : n * Math.log(p));
  const logCore = stirlingError(n) - stirlingError(k) - stirlingError(n - k) - deviance(k, n * p) - deviance(n - k, n * q);
  const logScale = Math.log(2 * Math.PI) + Math.log(k) + Math.log1p(-k / n);
  return Math.exp(logCore - 0.5 * logScale);
}

/** P(K = k) for K ~ Poisson(λ), with full relative accuracy for large k and λ (Loader). */
export function poissonPmf(k: number, lambda: number): number {
  if (!(lambda >= 0) || Number.isNaN(k)) return NaN;
  if (!Number.isInteger(k) || k < 0) return 0;
  if (lambda === 0) return k === 0 ? 1 : 0;
  if (k === 0) return Math.exp(-lambda);
  if (!Number.isFinite(lambda)) return 0;
  return Math.exp(-stirlingError(k) - deviance(k, lambda)) / Math.sqrt(2 * Math.PI * k);
}

/**
 * A sum of a mass function over 0..⌊k⌋. Past the mode the terms only shrink, so the sum stops once
 * they no longer change it (poisscdf(1e9, 3) is 1 at once); the budget is checked on long sums.
 */
function cumulativeSum(k: number, pmf: (i: number) => number, mode: number, ctx: CallContext): number {
  let total = 0;
  const last = Math.floor(k);
  for (let i = 0; i <= last; i++) {
    const term = pmf(i);
    total += term;
    if (i > mode && term <= total * 1e-17) break;
    if ((i & 0xffff) === 0xffff) ctx.checkTime();
  }
  return total;
}

interface DistributionSpec {
  readonly name: string;
  /** Parameters after the first argument, with their defaults (undefined: required). */
  readonly params: readonly (number | undefined)[];
  /** The function of the first argument and the parameters; `ctx` for long sums. */
  readonly f: (x: number, params: readonly number[], ctx: CallContext) => number;
  /** True when the parameters are out of range (the result is then NaN with a domain warning). */
  readonly invalid?: (params: readonly number[]) => string | undefined;
  readonly scalar?: (x: number) => number;
  readonly derivative?: (x: number) => number;
  readonly doc: BuiltinDoc;
}

function distribution(spec: DistributionSpec): Builtin {
  const required = spec.params.filter((p) => p === undefined).length;
  return {
    name: spec.name,
    minArgs: 1 + required,
    maxArgs: 1 + spec.params.length,
    scalar: spec.scalar,
    derivative: spec.derivative,
    doc: spec.doc,
    call(args, _named, ctx) {
      const operands = args.map((a, i) => toMatrix(a, spec.name, i + 1));
      // Missing trailing parameters take their defaults.
      for (let i = args.length - 1; i < spec.params.length; i++) {
        operands.push(matrixValue(1, 1, Float64Array.of(spec.params[i]!)));
      }
      let warned = false;
      const params: number[] = new Array<number>(spec.params.length).fill(0);
      // Scalar parameters (the common case, e.g. normpdf(x, 0, 1) over a grid): check them once
      // and run a plain loop over x.
      if (operands.slice(1).every((m) => m.rows === 1 && m.cols === 1)) {
        const x = operands[0]!;
        for (let i = 0; i < params.length; i++) params[i] = operands[i + 1]!.data[0]!;
        const why = spec.invalid?.(params);
        if (why !== undefined) {
          ctx.warn(new BuiltinProblem('domain', 'eval.domain', { fn: spec.name, input: params.join(', '), detail: why }, 'warning'));
        }
        const out = new Float64Array(x.data.length);
        if (why === undefined) for (let i = 0; i < out.length; i++) out[i] = spec.f(x.data[i]!, params, ctx);
        else out.fill(NaN);
        return scalarOrMatrix(matrixValue(x.rows, x.cols, out), allScalars(args));
      }
      const result = broadcastN(spec.name, operands, (xs) => {
        for (let i = 0; i < params.length; i++) params[i] = xs[i + 1]!;
        if (spec.invalid) {
          const why = spec.invalid(params);
          if (why !== undefined) {
            if (!warned) {
              warned = true;
              ctx.warn(new BuiltinProblem('domain', 'eval.domain', { fn: spec.name, input: params.join(', '), detail: why }, 'warning'));
            }
            return NaN;
          }
        }
        return spec.f(xs[0]!, params, ctx);
      });
      return scalarOrMatrix(result, allScalars(args));
    },
  };
}

const positiveSigma = (params: readonly number[]) => (params[1]! > 0 ? undefined : 'the standard deviation σ must be positive');

/** Densities, mass functions and distribution functions, element-wise with broadcasting. */
export const probabilityBuiltins: Builtin[] = [
  distribution({
    name: 'normpdf',
    params: [0, 1],
    f: (x, [mu, sigma]) => standardNormalPdf((x - mu!) / sigma!) / sigma!,
    invalid: positiveSigma,
    scalar: standardNormalPdf,
    derivative: (x) => -x * standardNormalPdf(x),
    doc: {
      signature: 'normpdf(x, μ = 0, σ = 1)',
      summary: 'Density of the normal distribution N(μ, σ²) at x, element-wise.',
      formula: '\\frac{1}{\\sigma\\sqrt{2\\pi}} e^{-\\frac{(x-\\mu)^2}{2\\sigma^2}}',
      example: 'normpdf(0)   # 0.398942',
      conventions: 'The third argument is the standard deviation σ, not the variance (MATLAB, scipy). Broadcasts over x, μ and σ.',
    },
  }),
  distribution({
    name: 'normcdf',
    params: [0, 1],
    f: (x, [mu, sigma]) => standardNormalCdf((x - mu!) / sigma!),
    invalid: positiveSigma,
    scalar: standardNormalCdf,
    derivative: standardNormalPdf,
    doc: {
      signature: 'normcdf(x, μ = 0, σ = 1)',
      summary: 'Distribution function P(X ≤ x) of N(μ, σ²), element-wise.',
      formula: '\\Phi\\left(\\frac{x-\\mu}{\\sigma}\\right) = \\tfrac12 \\operatorname{erfc}\\left(-\\frac{x-\\mu}{\\sigma\\sqrt2}\\right)',
      example: 'normcdf(3) - normcdf(-3)   # 0.9973',
      conventions: 'σ is the standard deviation. Computed through erfc, so tail values keep their relative accuracy (normcdf(−10) ≈ 7.6e−24).',
    },
  }),
  distribution({
    name: 'norminv',
    params: [0, 1],
    f: (p, [mu, sigma]) => mu! + sigma! * standardNormalInverse(p),
    invalid: positiveSigma,
    scalar: standardNormalInverse,
    derivative: (p) => 1 / standardNormalPdf(standardNormalInverse(p)),
    doc: {
      signature: 'norminv(p, μ = 0, σ = 1)',
      summary: 'Quantile of N(μ, σ²): the x with normcdf(x, μ, σ) = p, element-wise.',
      formula: '\\mu + \\sigma\\,\\Phi^{-1}(p)',
      example: 'norminv(0.975)   # 1.95996',
      conventions: 'σ is the standard deviation; p outside [0, 1] gives NaN; norminv(0) = −∞, norminv(1) = ∞. Acklam’s approximation refined by a Halley step (about 1e−15).',
    },
  }),
  distribution({
    name: 'binopdf',
    params: [undefined, undefined],
    f: (k, [n, p]) => binomialPmf(k, n!, p!),
    invalid: ([n, p]) =>
      Number.isInteger(n) && n! >= 0 && p! >= 0 && p! <= 1 ? undefined : 'n must be a whole number ≥ 0 and p a probability in [0, 1]',
    doc: {
      signature: 'binopdf(k, n, p)',
      summary: 'Probability of exactly k successes in n independent trials of probability p.',
      formula: '\\binom{n}{k} p^k (1-p)^{n-k}',
      example: 'binopdf(2, 4, 0.5)   # 0.375',
      conventions: 'k outside 0…n or not a whole number gives 0 (MATLAB); element-wise with broadcasting. Computed in Loader’s saddle-point form, accurate to rounding even for n = 10¹².',
    },
  }),
  distribution({
    name: 'binocdf',
    params: [undefined, undefined],
    f: (k, [n, p], ctx) => (Number.isNaN(k) ? NaN : k >= n! ? 1 : cumulativeSum(Math.min(k, n!), (i) => binomialPmf(i, n!, p!), n! * p!, ctx)),
    invalid: ([n, p]) =>
      Number.isInteger(n) && n! >= 0 && p! >= 0 && p! <= 1 ? undefined : 'n must be a whole number ≥ 0 and p a probability in [0, 1]',
    doc: {
      signature: 'binocdf(k, n, p)',
      summary: 'Probability of at most k successes in n trials of probability p.',
      formula: '\\sum_{i=0}^{\\lfloor k \\rfloor} \\binom{n}{i} p^i (1-p)^{n-i}',
      example: 'binocdf(2, 4, 0.5)   # 0.6875',
      conventions: 'k is rounded down; k < 0 gives 0 and k ≥ n gives 1.',
    },
  }),
  distribution({
    name: 'poisspdf',
    params: [undefined],
    f: (k, [lambda]) => poissonPmf(k, lambda!),
    invalid: ([lambda]) => (lambda! >= 0 ? undefined : 'the rate λ must be ≥ 0'),
    doc: {
      signature: 'poisspdf(k, λ)',
      summary: 'Probability of exactly k events of a Poisson process with mean λ.',
      formula: '\\frac{\\lambda^k e^{-\\lambda}}{k!}',
      example: 'poisspdf(2, 3)   # 0.224042',
      conventions: 'k not a whole number ≥ 0 gives 0 (MATLAB). Computed in Loader’s saddle-point form, so large k and λ neither overflow nor lose accuracy.',
    },
  }),
  distribution({
    name: 'poisscdf',
    params: [undefined],
    f: (k, [lambda], ctx) => (Number.isNaN(k) ? NaN : cumulativeSum(k, (i) => poissonPmf(i, lambda!), lambda!, ctx)),
    invalid: ([lambda]) => (lambda! >= 0 ? undefined : 'the rate λ must be ≥ 0'),
    doc: {
      signature: 'poisscdf(k, λ)',
      summary: 'Probability of at most k events of a Poisson process with mean λ.',
      formula: '\\sum_{i=0}^{\\lfloor k \\rfloor} \\frac{\\lambda^i e^{-\\lambda}}{i!}',
      example: 'poisscdf(2, 3)   # 0.42319',
      conventions: 'k is rounded down; k < 0 gives 0.',
    },
  }),
  distribution({
    name: 'unifpdf',
    params: [0, 1],
    f: (x, [a, b]) => (Number.isNaN(x) ? NaN : x >= a! && x <= b! ? 1 / (b! - a!) : 0),
    invalid: ([a, b]) => (a! < b! ? undefined : 'the interval needs a < b'),
    doc: {
      signature: 'unifpdf(x, a = 0, b = 1)',
      summary: 'Density of the uniform distribution on [a, b], element-wise.',
      formula: '\\frac{1}{b-a}\\ \\text{on}\\ [a, b],\\ 0\\ \\text{elsewhere}',
      example: 'unifpdf(0.5, 0, 2)   # 0.5',
      conventions: 'The interval is closed, as in MATLAB.',
    },
  }),
  distribution({
    name: 'unifcdf',
    params: [0, 1],
    f: (x, [a, b]) => (Number.isNaN(x) ? NaN : x <= a! ? 0 : x >= b! ? 1 : (x - a!) / (b! - a!)),
    invalid: ([a, b]) => (a! < b! ? undefined : 'the interval needs a < b'),
    doc: {
      signature: 'unifcdf(x, a = 0, b = 1)',
      summary: 'Distribution function of the uniform distribution on [a, b], element-wise.',
      formula: '\\frac{x-a}{b-a}\\ \\text{clamped to}\\ [0, 1]',
      example: 'unifcdf(0.5, 0, 2)   # 0.25',
    },
  }),
  distribution({
    name: 'exppdf',
    params: [1],
    f: (x, [mu]) => (Number.isNaN(x) ? NaN : x < 0 ? 0 : Math.exp(-x / mu!) / mu!),
    invalid: ([mu]) => (mu! > 0 ? undefined : 'the mean μ must be positive'),
    doc: {
      signature: 'exppdf(x, μ = 1)',
      summary: 'Density of the exponential distribution with mean μ (rate 1/μ), element-wise.',
      formula: '\\frac{1}{\\mu} e^{-x/\\mu}\\ (x \\ge 0)',
      example: 'exppdf(1, 2)   # 0.303265',
      conventions: 'The parameter is the MEAN μ = 1/λ, as in MATLAB and scipy’s scale; for a rate λ write exppdf(x, 1/λ).',
    },
  }),
  distribution({
    name: 'expcdf',
    params: [1],
    f: (x, [mu]) => (Number.isNaN(x) ? NaN : x <= 0 ? 0 : -Math.expm1(-x / mu!)),
    invalid: ([mu]) => (mu! > 0 ? undefined : 'the mean μ must be positive'),
    doc: {
      signature: 'expcdf(x, μ = 1)',
      summary: 'Distribution function of the exponential distribution with mean μ, element-wise.',
      formula: '1 - e^{-x/\\mu}\\ (x \\ge 0)',
      example: 'expcdf(1, 2)   # 0.393469',
      conventions: 'The parameter is the mean μ = 1/λ (MATLAB).',
    },
  }),
  {
    name: 'bernoulli',
    minArgs: 1,
    maxArgs: 3,
    doc: {
      signature: 'bernoulli(p), bernoulli(p, r, c)',
      summary: 'Random draws that are 1 with probability p and 0 otherwise, from the note’s seeded source.',
      formula: 'X \\sim \\operatorname{Bernoulli}(p),\\ P(X = 1) = p',
      example: 'mean(bernoulli(0.3, 1000, 1))   # about 0.3',
      conventions: 'A matrix p draws one value per entry (same shape); a scalar p with r, c draws an r×c matrix. Seeded: the same note gives the same draws (see seed).',
    },
    call(args, _named, ctx) {
      if (args.length === 1) {
        const p = toMatrix(args[0]!, 'bernoulli', 1, 'a probability or matrix of probabilities');
        const out = p.data.map((q) => (ctx.random() < q ? 1 : 0));
        return args[0]!.kind === 'matrix' ? matrixValue(p.rows, p.cols, out) : numberValue(out[0]!);
      }
      const q = toNumber(args[0]!, 'bernoulli', 1, 'a probability');
      const rows = toInteger(args[1]!, 'bernoulli', 2, 0, 'a number of rows');
      const cols = args.length > 2 ? toInteger(args[2]!, 'bernoulli', 3, 0, 'a number of columns') : rows;
      ctx.checkSize(rows * cols);
      const out = new Float64Array(rows * cols);
      for (let i = 0; i < out.length; i++) out[i] = ctx.random() < q ? 1 : 0;
      return matrixValue(rows, cols, out) as Value;
    },
  },
];
