/**
 * Elementary functions (LANGUAGE.md §8). Every one applies element by element to a matrix, as in
 * numpy: `exp(A)` exponentiates each entry (`expm` is the matrix exponential). Each loops over the
 * Float64Array directly; the `scalar` and `derivative` fields give the evaluator the function of one
 * number and its derivative for fast paths and automatic differentiation.
 *
 * On real inputs outside a function's real domain (`log(-1)`, `sqrt(-4)`, `asin(2)`) the result is
 * NaN and a `domain` warning names the first such input.
 */
import { BuiltinProblem, type Builtin, type BuiltinDoc, type CallContext } from '../builtin.js';
import type { ComplexValue, MatrixValue, Value } from '../value.js';
import { erf, erfc } from './probability.js';
import { allScalars, argumentError, broadcast2, matrixValue, numberValue, scalarOrMatrix, toMatrix } from './stdlibValues.js';

/** A complex function of one complex number, as (re, im) → [re, im]. */
type ComplexFunction = (re: number, im: number) => readonly [number, number];

interface ElementwiseSpec {
  readonly name: string;
  readonly aliases?: readonly string[];
  readonly scalar: (x: number) => number;
  readonly derivative: (x: number) => number;
  /** Why a NaN from a non-NaN input is a domain problem, for the warning. */
  readonly domainDetail?: string;
  /** The function on complex numbers, where a note may apply it to eigenvalues. */
  readonly complex?: ComplexFunction;
  /** Complex functions whose result is real (abs). */
  readonly complexToReal?: (re: number, im: number) => number;
  readonly doc: BuiltinDoc;
}

/** Reports the first input that left the real domain, once per call. */
function warnDomain(ctx: CallContext, fn: string, input: number, detail: string): void {
  ctx.warn(new BuiltinProblem('domain', 'eval.domain', { fn, input, detail }, 'warning'));
}

function applyComplex(spec: ElementwiseSpec, value: ComplexValue | MatrixValue): Value {
  if (value.kind === 'complex') {
    if (spec.complexToReal) return numberValue(spec.complexToReal(value.re, value.im));
    const [re, im] = spec.complex!(value.re, value.im);
    return { kind: 'complex', re, im };
  }
  const n = value.data.length;
  const imag = value.imag!;
  const re = new Float64Array(n);
  if (spec.complexToReal) {
    for (let i = 0; i < n; i++) re[i] = spec.complexToReal(value.data[i]!, imag[i]!);
    return matrixValue(value.rows, value.cols, re);
  }
  const im = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const [r, m] = spec.complex!(value.data[i]!, imag[i]!);
    re[i] = r;
    im[i] = m;
  }
  return { kind: 'matrix', rows: value.rows, cols: value.cols, data: re, imag: im };
}

/** Builds the built-in for an element-wise function of one number. */
function elementwise(spec: ElementwiseSpec): Builtin {
  const { name, scalar } = spec;
  const domainDetail = spec.domainDetail;
  const hasComplex = spec.complex !== undefined || spec.complexToReal !== undefined;
  return {
    name,
    aliases: spec.aliases,
    minArgs: 1,
    maxArgs: 1,
    scalar,
    derivative: spec.derivative,
    doc: spec.doc,
    call(args, _named, ctx) {
      const arg = args[0]!;
      if (arg.kind === 'number' || arg.kind === 'bool') {
        const x = arg.kind === 'number' ? arg.value : arg.value ? 1 : 0;
        const y = scalar(x);
        if (domainDetail !== undefined && y !== y && x === x) warnDomain(ctx, name, x, domainDetail);
        return numberValue(y);
      }
      if (arg.kind === 'complex' || (arg.kind === 'matrix' && arg.imag)) {
        if (!hasComplex) throw argumentError(name, 1, 'a real number or matrix', arg);
        return applyComplex(spec, arg);
      }
      if (arg.kind !== 'matrix') throw argumentError(name, 1, 'a number or matrix', arg);
      const input = arg.data;
      const n = input.length;
      const out = new Float64Array(n);
      for (let i = 0; i < n; i++) out[i] = scalar(input[i]!);
      if (domainDetail !== undefined) {
        for (let i = 0; i < n; i++) {
          const y = out[i]!;
          const x = input[i]!;
          if (y !== y && x === x) {
            warnDomain(ctx, name, x, domainDetail);
            break;
          }
        }
      }
      return matrixValue(arg.rows, arg.cols, out);
    },
  };
}

// Complex helpers for the few functions a note applies to complex eigenvalues.
const complexExp: ComplexFunction = (re, im) => {
  const m = Math.exp(re);
  return [m * Math.cos(im), m * Math.sin(im)];
};
const complexLog: ComplexFunction = (re, im) => [Math.log(Math.hypot(re, im)), Math.atan2(im, re)];
const complexSqrt: ComplexFunction = (re, im) => {
  // The principal root, computed without cancellation: r = |z|, sqrt((r + |re|) / 2) first.
  const r = Math.hypot(re, im);
  if (r === 0) return [0, 0];
  const t = Math.sqrt((r + Math.abs(re)) / 2);
  if (re >= 0) return [t, im / (2 * t)];
  return [Math.abs(im) / (2 * t), im < 0 ? -t : t];
};

/** Rounds half away from zero (MATLAB's `round`); numpy rounds half to even. */
function roundHalfAway(x: number): number {
  // Math.round takes halves toward +∞, which is away from zero for |x|.
  return x < 0 ? -Math.round(-x) : Math.round(x);
}

// Lanczos approximation of Γ (g = 7, 9 terms; relative error about 1e−15), as in Numerical Recipes
// and Python's own reference implementations.
const LANCZOS_G = 7;
const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905,
  -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];

/** The gamma function Γ(x): exact products for whole numbers up to 171, Lanczos otherwise. */
export function gamma(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (Number.isInteger(x)) {
    if (x <= 0) return NaN;
    if (x > 171) return Infinity;
    let product = 1;
    for (let k = 2; k < x; k++) product *= k;
    return product;
  }
  if (x < 0.5) return Math.PI / (Math.sin(Math.PI * x) * gamma(1 - x));
  if (x > 171.7) return Infinity;
  const z = x - 1;
  let sum = LANCZOS[0]!;
  for (let i = 1; i < LANCZOS.length; i++) sum += LANCZOS[i]! / (z + i);
  const t = z + LANCZOS_G + 0.5;
  // t^(z + 0.5) e^(−t) split in two halves so that it does not overflow before Γ does.
  const half = Math.pow(t, (z + 0.5) / 2);
  return Math.sqrt(2 * Math.PI) * half * (half * Math.exp(-t)) * sum;
}

/** The digamma function ψ = Γ'/Γ, for the derivative of gamma: recurrence to x ≥ 6, then the asymptotic series. */
function digamma(x: number): number {
  if (x <= 0 && Number.isInteger(x)) return NaN;
  if (x < 0.5) return digamma(1 - x) - Math.PI / Math.tan(Math.PI * x);
  let result = 0;
  while (x < 6) {
    result -= 1 / x;
    x += 1;
  }
  const inv2 = 1 / (x * x);
  return result + Math.log(x) - 0.5 / x - inv2 * (1 / 12 - inv2 * (1 / 120 - inv2 * (1 / 252 - inv2 * (1 / 240 - inv2 / 132))));
}

const TWO_OVER_SQRT_PI = 2 / Math.sqrt(Math.PI);

const LN2 = Math.LN2;
const LN10 = Math.LN10;

const unary: ElementwiseSpec[] = [
  {
    name: 'sin',
    scalar: Math.sin,
    derivative: Math.cos,
    doc: { signature: 'sin(x)', summary: 'Sine of x in radians, element-wise.', formula: '\\sin x', example: 'sin(pi / 2)   # 1', conventions: 'Radians. Element-wise on matrices.' },
  },
  {
    name: 'cos',
    scalar: Math.cos,
    derivative: (x) => -Math.sin(x),
    doc: { signature: 'cos(x)', summary: 'Cosine of x in radians, element-wise.', formula: '\\cos x', example: 'cos(0)   # 1', conventions: 'Radians. Element-wise on matrices.' },
  },
  {
    name: 'tan',
    scalar: Math.tan,
    derivative: (x) => 1 / (Math.cos(x) * Math.cos(x)),
    doc: { signature: 'tan(x)', summary: 'Tangent of x in radians, element-wise.', formula: '\\tan x', example: 'tan(pi / 4)   # 1', conventions: 'Radians. Element-wise on matrices.' },
  },
  {
    name: 'asin',
    scalar: Math.asin,
    derivative: (x) => 1 / Math.sqrt(1 - x * x),
    domainDetail: 'asin is real only on [-1, 1]',
    doc: { signature: 'asin(x)', summary: 'Inverse sine, in radians, element-wise.', formula: '\\arcsin x', example: 'asin(1)   # 1.5708', conventions: 'Result in [−π/2, π/2]; NaN with a domain warning outside [−1, 1].' },
  },
  {
    name: 'acos',
    scalar: Math.acos,
    derivative: (x) => -1 / Math.sqrt(1 - x * x),
    domainDetail: 'acos is real only on [-1, 1]',
    doc: { signature: 'acos(x)', summary: 'Inverse cosine, in radians, element-wise.', formula: '\\arccos x', example: 'acos(0)   # 1.5708', conventions: 'Result in [0, π]; NaN with a domain warning outside [−1, 1].' },
  },
  {
    name: 'atan',
    scalar: Math.atan,
    derivative: (x) => 1 / (1 + x * x),
    doc: { signature: 'atan(x)', summary: 'Inverse tangent, in radians, element-wise.', formula: '\\arctan x', example: 'atan(1)   # 0.785398', conventions: 'Result in (−π/2, π/2); use atan2(y, x) for the angle of a point.' },
  },
  {
    name: 'sinh',
    scalar: Math.sinh,
    derivative: Math.cosh,
    doc: { signature: 'sinh(x)', summary: 'Hyperbolic sine, element-wise.', formula: '\\sinh x = \\frac{e^x - e^{-x}}{2}', example: 'sinh(0)   # 0', conventions: 'Element-wise on matrices.' },
  },
  {
    name: 'cosh',
    scalar: Math.cosh,
    derivative: Math.sinh,
    doc: { signature: 'cosh(x)', summary: 'Hyperbolic cosine, element-wise.', formula: '\\cosh x = \\frac{e^x + e^{-x}}{2}', example: 'cosh(0)   # 1', conventions: 'Element-wise on matrices.' },
  },
  {
    name: 'tanh',
    scalar: Math.tanh,
    derivative: (x) => {
      const t = Math.tanh(x);
      return 1 - t * t;
    },
    doc: { signature: 'tanh(x)', summary: 'Hyperbolic tangent, element-wise (an activation function).', formula: '\\tanh x = \\frac{e^x - e^{-x}}{e^x + e^{-x}}', example: 'tanh(0.5)   # 0.462117', conventions: 'Element-wise on matrices; its derivative is 1 − tanh²(x).' },
  },
  {
    name: 'exp',
    scalar: Math.exp,
    derivative: Math.exp,
    complex: complexExp,
    doc: { signature: 'exp(x)', summary: 'The exponential e^x, element-wise.', formula: 'e^{x}', example: 'exp(1)   # 2.71828', conventions: 'Element-wise on matrices (numpy style); expm(A) is the matrix exponential.' },
  },
  {
    name: 'log',
    aliases: ['ln'],
    scalar: Math.log,
    derivative: (x) => 1 / x,
    domainDetail: 'the logarithm of a negative number is not real',
    complex: complexLog,
    doc: { signature: 'log(x), ln(x)', summary: 'Natural logarithm, element-wise.', formula: '\\ln x', example: 'log(e^2)   # 2', conventions: 'log is the natural logarithm (base e), like numpy and MATLAB; log(0) = −∞; a negative real gives NaN with a domain warning.' },
  },
  {
    name: 'log2',
    scalar: Math.log2,
    derivative: (x) => 1 / (x * LN2),
    domainDetail: 'the logarithm of a negative number is not real',
    doc: { signature: 'log2(x)', summary: 'Base-2 logarithm, element-wise (bits).', formula: '\\log_2 x', example: 'log2(8)   # 3', conventions: 'A negative real gives NaN with a domain warning.' },
  },
  {
    name: 'log10',
    scalar: Math.log10,
    derivative: (x) => 1 / (x * LN10),
    domainDetail: 'the logarithm of a negative number is not real',
    doc: { signature: 'log10(x)', summary: 'Base-10 logarithm, element-wise.', formula: '\\log_{10} x', example: 'log10(1000)   # 3', conventions: 'A negative real gives NaN with a domain warning.' },
  },
  {
    name: 'sqrt',
    scalar: Math.sqrt,
    derivative: (x) => 0.5 / Math.sqrt(x),
    domainDetail: 'the square root of a negative number is not real',
    complex: complexSqrt,
    doc: { signature: 'sqrt(x)', summary: 'Square root, element-wise.', formula: '\\sqrt{x}', example: 'sqrt([4, 9])   # [2, 3]', conventions: 'Element-wise on matrices (sqrtm is the matrix square root); a negative real gives NaN with a domain warning; complex inputs give the principal root.' },
  },
  {
    name: 'abs',
    scalar: Math.abs,
    derivative: (x) => (x > 0 ? 1 : x < 0 ? -1 : 0),
    complexToReal: (re, im) => Math.hypot(re, im),
    doc: { signature: 'abs(x)', summary: 'Absolute value (modulus of a complex number), element-wise.', formula: '|x|', example: 'abs([-2, 3])   # [2, 3]', conventions: 'Element-wise on matrices, unlike |x|, which is the Euclidean norm of a vector; the derivative at 0 is taken as 0.' },
  },
  {
    name: 'sign',
    scalar: (x) => (x > 0 ? 1 : x < 0 ? -1 : x === 0 ? 0 : NaN),
    derivative: () => 0,
    doc: { signature: 'sign(x)', summary: 'Sign of x: −1, 0 or 1, element-wise.', formula: '\\operatorname{sign} x', example: 'sign([-2, 0, 5])   # [-1, 0, 1]', conventions: 'sign(0) = 0, sign(NaN) = NaN.' },
  },
  {
    name: 'floor',
    scalar: Math.floor,
    derivative: () => 0,
    doc: { signature: 'floor(x)', summary: 'Largest integer ≤ x, element-wise.', formula: '\\lfloor x \\rfloor', example: 'floor(-2.5)   # -3', conventions: 'Rounds toward −∞.' },
  },
  {
    name: 'ceil',
    scalar: Math.ceil,
    derivative: () => 0,
    doc: { signature: 'ceil(x)', summary: 'Smallest integer ≥ x, element-wise.', formula: '\\lceil x \\rceil', example: 'ceil(2.1)   # 3', conventions: 'Rounds toward +∞.' },
  },
  {
    name: 'round',
    scalar: roundHalfAway,
    derivative: () => 0,
    doc: { signature: 'round(x)', summary: 'Nearest integer, element-wise.', formula: '\\lfloor x \\rceil', example: 'round([2.5, -2.5, 1.4])   # [3, -3, 1]', conventions: 'Halves round away from zero, like MATLAB (numpy rounds halves to even).' },
  },
  {
    name: 'erf',
    scalar: erf,
    derivative: (x) => TWO_OVER_SQRT_PI * Math.exp(-x * x),
    doc: { signature: 'erf(x)', summary: 'The error function, element-wise.', formula: '\\operatorname{erf} x = \\frac{2}{\\sqrt\\pi} \\int_0^x e^{-t^2}\\,dt', example: 'erf(1)   # 0.842701', conventions: 'Cody’s rational approximations, accurate to about 1e−16; normcdf(x) = (1 + erf(x/√2))/2.' },
  },
  {
    name: 'erfc',
    scalar: erfc,
    derivative: (x) => -TWO_OVER_SQRT_PI * Math.exp(-x * x),
    doc: { signature: 'erfc(x)', summary: 'The complementary error function 1 − erf(x), element-wise.', formula: '\\operatorname{erfc} x = 1 - \\operatorname{erf} x', example: 'erfc(3)   # 2.20905e-05', conventions: 'Keeps its relative accuracy for large x, where 1 − erf(x) would round to 0.' },
  },
  {
    name: 'gamma',
    scalar: gamma,
    derivative: (x) => gamma(x) * digamma(x),
    domainDetail: 'the gamma function has poles at 0, −1, −2, …',
    doc: { signature: 'gamma(x)', summary: 'The gamma function Γ(x), element-wise.', formula: '\\Gamma(x) = \\int_0^\\infty t^{x-1} e^{-t}\\,dt', example: 'gamma(5)   # 24', conventions: 'Γ(n) = (n − 1)! for whole n; NaN with a domain warning at the poles 0, −1, −2, …' },
  },
  {
    name: 'factorial',
    scalar: (x) => gamma(x + 1),
    derivative: (x) => gamma(x + 1) * digamma(x + 1),
    domainDetail: 'the factorial of a negative whole number is undefined',
    doc: { signature: 'factorial(n)', summary: 'n! = 1·2·…·n, element-wise (Γ(n + 1) for other numbers).', formula: 'n! = \\Gamma(n + 1)', example: 'factorial(5)   # 120', conventions: 'Exact for whole numbers up to 22 and correctly rounded products beyond; ∞ above 170; non-whole x gives Γ(x + 1).' },
  },
  {
    name: 'real',
    scalar: (x) => x,
    derivative: () => 1,
    complexToReal: (re) => re,
    doc: { signature: 'real(z)', summary: 'The real part of a complex number or matrix, element-wise.', formula: '\\operatorname{Re} z', example: 'real(2)   # 2', conventions: 'A real input is returned unchanged.' },
  },
  {
    name: 'imag',
    scalar: () => 0,
    derivative: () => 0,
    complexToReal: (_re, im) => im,
    doc: { signature: 'imag(z)', summary: 'The imaginary part of a complex number or matrix, element-wise.', formula: '\\operatorname{Im} z', example: 'imag(2)   # 0', conventions: 'A real input gives 0.' },
  },
  {
    name: 'conj',
    scalar: (x) => x,
    derivative: () => 1,
    complex: (re, im) => [re, -im],
    doc: { signature: 'conj(z)', summary: 'The complex conjugate, element-wise.', formula: '\\overline{z}', example: 'conj(2)   # 2', conventions: 'A real input is returned unchanged; the conjugate transpose is conj(Aᵀ).' },
  },
];

/** The floored modulo (the result has the sign of the divisor), like numpy's `mod`; mod(a, 0) = a, like MATLAB. */
export function floorMod(a: number, b: number): number {
  if (b === 0) return a;
  const r = a % b;
  return r !== 0 && r < 0 !== b < 0 ? r + b : r;
}

function binaryElementwise(
  name: string,
  f: (x: number, y: number) => number,
  doc: BuiltinDoc,
): Builtin {
  return {
    name,
    minArgs: 2,
    maxArgs: 2,
    doc,
    call(args) {
      const a = toMatrix(args[0]!, name, 1);
      const b = toMatrix(args[1]!, name, 2);
      return scalarOrMatrix(broadcast2(name, a, b, f), allScalars(args));
    },
  };
}

/** The elementary functions of LANGUAGE.md §8 (min and max live with the statistics, which also reduce). */
export const elementaryBuiltins: Builtin[] = [
  ...unary.map(elementwise),
  binaryElementwise('atan2', Math.atan2, {
    signature: 'atan2(y, x)',
    summary: 'The angle of the point (x, y) from the positive x axis, element-wise with broadcasting.',
    formula: '\\operatorname{atan2}(y, x) \\in (-\\pi, \\pi]',
    example: 'atan2(1, -1)   # 2.35619',
    conventions: 'y comes first, as in numpy and MATLAB; broadcasts like the element-wise operators.',
  }),
  binaryElementwise('mod', floorMod, {
    signature: 'mod(a, b)',
    summary: 'Remainder of a / b with the sign of b, element-wise with broadcasting.',
    formula: 'a - b \\left\\lfloor a / b \\right\\rfloor',
    example: 'mod(-7, 3)   # 2',
    conventions: 'Floored: the result has the sign of b, like numpy and MATLAB; mod(a, 0) = a, like MATLAB.',
  }),
];
