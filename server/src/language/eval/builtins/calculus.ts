/**
 * Numeric calculus built-ins (LANGUAGE.md §7): `integral(f, a, b)` by globally adaptive
 * Gauss–Kronrod quadrature (the 7-point Gauss rule embedded in the 15-point Kronrod rule, as
 * QUADPACK's QAGS/QAGI), with infinite limits mapped onto finite ones. The result is a NumberValue
 * whose `errorEstimate` is the estimated absolute error, which hovers show.
 *
 * (`f'`, `∂f/∂x` and `∇f` are operators of the evaluator, not built-ins.)
 */
import { BuiltinProblem, type Builtin, type CallContext } from '../builtin.js';
import type { FunctionValue, NumberValue } from '../value.js';
import { argumentError, asScalar, describeValue, toFunction, toNumber } from './stdlibValues.js';

// Kronrod nodes (positive half, the last is the centre) and weights; the Gauss nodes are the odd
// indices 1, 3, 5 and the centre 7 (QUADPACK qk15).
const XGK = [
  0.991455371120812639206854697526329, 0.949107912342758524526189684047851, 0.864864423359769072789712788640926,
  0.741531185599394439863864773280788, 0.586087235467691130294144845693013, 0.405845151377397166906606412076961,
  0.207784955007898467600689403773245, 0,
];
const WGK = [
  0.02293532201052922496373200805897, 0.063092092629978553290700663189204, 0.104790010322250183839876322541518,
  0.140653259715525918745189590510238, 0.16900472663926790282658342659855, 0.190350578064785409913256402421014,
  0.204432940075298892414161999234649, 0.209482141084727828012999174891714,
];
const WG = [0.129484966168869693270611432679082, 0.27970539148927666790146777142378, 0.381830050505118944950369775488975, 0.417959183673469387755102040816327];

const EPSILON = Number.EPSILON;
const UNDERFLOW = Number.MIN_VALUE;

/** One Gauss–Kronrod 15-point estimate on [a, b] with QUADPACK's error estimate. */
interface Segment {
  readonly a: number;
  readonly b: number;
  readonly value: number;
  readonly error: number;
}

function kronrod15(g: (t: number) => number, a: number, b: number): Segment {
  const centre = 0.5 * (a + b);
  const half = 0.5 * (b - a);
  const fc = g(centre);
  let resultGauss = fc * WG[3]!;
  let resultKronrod = fc * WGK[7]!;
  let resultAbs = Math.abs(resultKronrod);
  const f1 = new Float64Array(7);
  const f2 = new Float64Array(7);
  for (let j = 0; j < 7; j++) {
    const dx = half * XGK[j]!;
    const y1 = g(centre - dx);
    const y2 = g(centre + dx);
    f1[j] = y1;
    f2[j] = y2;
    resultKronrod += WGK[j]! * (y1 + y2);
    resultAbs += WGK[j]! * (Math.abs(y1) + Math.abs(y2));
    if (j % 2 === 1) resultGauss += WG[(j - 1) / 2]! * (y1 + y2);
  }
  const mean = resultKronrod * 0.5;
  let resultAsc = WGK[7]! * Math.abs(fc - mean);
  for (let j = 0; j < 7; j++) resultAsc += WGK[j]! * (Math.abs(f1[j]! - mean) + Math.abs(f2[j]! - mean));
  const value = resultKronrod * half;
  resultAbs *= Math.abs(half);
  resultAsc *= Math.abs(half);
  let error = Math.abs((resultKronrod - resultGauss) * half);
  if (resultAsc !== 0 && error !== 0) error = resultAsc * Math.min(1, (200 * error / resultAsc) ** 1.5);
  if (resultAbs > UNDERFLOW / (50 * EPSILON)) error = Math.max(EPSILON * 50 * resultAbs, error);
  return { a, b, value, error };
}

/** The result of an adaptive integration. */
export interface QuadratureResult {
  readonly value: number;
  /** Estimated absolute error. */
  readonly error: number;
  /** Number of subintervals used. */
  readonly intervals: number;
  /** True when the requested tolerance was met. */
  readonly converged: boolean;
}

export interface QuadratureOptions {
  readonly absoluteTolerance?: number;
  readonly relativeTolerance?: number;
  readonly maxIntervals?: number;
  /** Called between subdivisions so a long integration respects the note's time budget. */
  readonly checkTime?: () => void;
}

/**
 * ∫ₐᵇ f by globally adaptive G7K15: the subinterval with the largest error estimate is bisected
 * until the summed error meets max(absoluteTolerance, relativeTolerance·|value|). Infinite limits
 * are mapped onto (0, 1] by x = a + (1 − t)/t (QUADPACK QAGI); the Kronrod nodes never touch t = 0.
 */
export function integrate(f: (x: number) => number, a: number, b: number, options: QuadratureOptions = {}): QuadratureResult {
  const absoluteTolerance = options.absoluteTolerance ?? 1e-12;
  const relativeTolerance = options.relativeTolerance ?? 1e-10;
  const maxIntervals = options.maxIntervals ?? 400;
  if (Number.isNaN(a) || Number.isNaN(b)) return { value: NaN, error: NaN, intervals: 0, converged: false };
  if (a === b) return { value: 0, error: 0, intervals: 0, converged: true };
  if (a > b) {
    const flipped = integrate(f, b, a, options);
    return { ...flipped, value: -flipped.value };
  }
  // Map the problem onto a finite interval [lo, hi] of an integrand g.
  let g: (t: number) => number;
  let lo = a;
  let hi = b;
  if (a === -Infinity && b === Infinity) {
    g = (t) => {
      const x = (1 - t) / t;
      return (f(x) + f(-x)) / (t * t);
    };
    lo = 0;
    hi = 1;
  } else if (b === Infinity) {
    g = (t) => f(a + (1 - t) / t) / (t * t);
    lo = 0;
    hi = 1;
  } else if (a === -Infinity) {
    g = (t) => f(b - (1 - t) / t) / (t * t);
    lo = 0;
    hi = 1;
  } else {
    g = f;
  }
  const segments: Segment[] = [kronrod15(g, lo, hi)];
  let value = segments[0]!.value;
  let error = segments[0]!.error;
  while (!(error <= Math.max(absoluteTolerance, relativeTolerance * Math.abs(value))) && segments.length < maxIntervals) {
    if (Number.isNaN(value)) break;
    options.checkTime?.();
    // Bisect the segment with the largest error estimate among those still wide enough: a segment
    // a few thousand rounding units wide is final, or its nodes would round onto its ends (and
    // onto an integrable singularity there, as 1/√(1 − x²) at ±1).
    let worst = -1;
    for (let i = 0; i < segments.length; i++) {
      const candidate = segments[i]!;
      if (candidate.b - candidate.a <= 4096 * EPSILON * Math.max(Math.abs(candidate.a), Math.abs(candidate.b), UNDERFLOW)) continue;
      if (worst < 0 || candidate.error > segments[worst]!.error) worst = i;
    }
    if (worst < 0) break;
    const s = segments[worst]!;
    const mid = 0.5 * (s.a + s.b);
    const left = kronrod15(g, s.a, mid);
    const right = kronrod15(g, mid, s.b);
    segments[worst] = left;
    segments.push(right);
    value = 0;
    error = 0;
    for (const segment of segments) {
      value += segment.value;
      error += segment.error;
    }
  }
  const converged = error <= Math.max(absoluteTolerance, relativeTolerance * Math.abs(value));
  return { value, error, intervals: segments.length, converged };
}

function integrandOf(fn: FunctionValue, ctx: CallContext): (x: number) => number {
  return (x) => {
    const result = ctx.callFunction(fn, [{ kind: 'number', value: x }]);
    const y = asScalar(result);
    if (y === undefined) throw argumentError('integral', 1, 'a function that returns one number', `a function returning ${describeValue(result)}`);
    return y;
  };
}

export const calculusBuiltins: Builtin[] = [
  {
    name: 'integral',
    minArgs: 3,
    maxArgs: 3,
    doc: {
      signature: 'integral(f, a, b)',
      summary: 'The definite integral of a function of one variable from a to b, numerically, with an error estimate.',
      formula: '\\int_a^b f(x)\\,dx',
      example: 'integral(t -> normpdf(t, 0, 1), -Inf, Inf)   # 1',
      conventions:
        'Adaptive Gauss–Kronrod (G7K15, as QUADPACK) to a relative accuracy of 1e−10 (absolute 1e−12; usually far better); a or b may be ±Inf (mapped onto a finite interval). The hover shows the estimated absolute error; a warning says when the accuracy was not reached. integral(f, b, a) = −integral(f, a, b).',
    },
    call(args, _named, ctx): NumberValue {
      const fn = toFunction(args[0]!, 'integral', 1);
      const a = toNumber(args[1]!, 'integral', 2, 'a number (the lower limit)');
      const b = toNumber(args[2]!, 'integral', 3, 'a number (the upper limit)');
      const result = integrate(integrandOf(fn, ctx), a, b, { checkTime: () => ctx.checkTime() });
      if (!result.converged && !Number.isNaN(result.value)) {
        ctx.warn(
          new BuiltinProblem('limit', 'eval.integral-accuracy', { fn: 'integral', intervals: result.intervals, error: Number(result.error.toPrecision(3)) }, 'warning'),
        );
      }
      return { kind: 'number', value: result.value, errorEstimate: result.error };
    },
  },
];
