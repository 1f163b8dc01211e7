/**
 * The operators of LANGUAGE.md §6 on runtime values: numpy broadcasting for the element-wise
 * operators and comparisons, the matrix product, transposition, and the conversions between
 * scalars and 1×1 matrices.
 *
 * Conventions fixed here (and documented in docs/language.md):
 * - A result that is a 1×1 numeric matrix is returned as a scalar (`rᵀr` is a number), so it prints
 *   and compares as one. Only a matrix literal like `[5]` keeps its brackets.
 * - Real inputs give real outputs: where the real result does not exist (`(-8)^(1/3)`, `0/0`) the
 *   result is NaN, as numpy gives, and a `domain` warning says why. Complex numbers appear only
 *   when an input is complex (`im`, eigenvalues).
 * - `ᵀ` and `'` transpose without conjugating (numpy's `.T`; MATLAB's `.'`), also for complex
 *   matrices.
 * - A number divided by a matrix, or raised to a matrix, works element by element (`1 ./ v`,
 *   `e .^ v`): `1 / (1 + e^-z)` then applies to a vector z as it does to a number.
 * - Linear indexing of a matrix (`A[5]`, `A[:]`) runs in reading order (row by row), matching
 *   `reshape`, which fills row by row as numpy does.
 */
import { matmul as linalgMatmul } from './linalg/basic.js';
import type { BoolValue, ComplexValue, MatrixValue, NumberValue, Value } from './value.js';
import { describeValue } from './value.js';

/** A problem raised while evaluating; the evaluator turns it into a Problem on the statement. */
export class EvalError extends Error {
  constructor(
    readonly code: 'undefined' | 'shape' | 'arity' | 'type' | 'singular' | 'domain' | 'limit',
    readonly kind: string,
    readonly args: Readonly<Record<string, string | number | boolean | null | readonly (string | number | null)[] | undefined>>,
  ) {
    super(kind);
  }
}

/** What an operator may ask of the evaluator: warnings and the size limit. */
export interface OperatorContext {
  warn(code: 'singular' | 'domain', kind: string, args: Readonly<Record<string, string | number | undefined>>): void;
  checkSize(rows: number, cols: number): void;
}

export function num(value: number): NumberValue {
  return { kind: 'number', value };
}

export function bool(value: boolean): BoolValue {
  return { kind: 'bool', value };
}

export function complex(re: number, im: number): ComplexValue {
  return { kind: 'complex', re, im };
}

export function matrix(rows: number, cols: number, data: Float64Array, imag?: Float64Array, logical?: boolean): MatrixValue {
  const value: { kind: 'matrix'; rows: number; cols: number; data: Float64Array; imag?: Float64Array; logical?: boolean } = {
    kind: 'matrix',
    rows,
    cols,
    data,
  };
  if (imag && imag.some((x) => x !== 0)) value.imag = imag;
  if (logical) value.logical = true;
  return value;
}

/** True for the values that are numbers in arithmetic: numbers, complex numbers, booleans, matrices. */
export function isNumeric(v: Value): v is NumberValue | ComplexValue | BoolValue | MatrixValue {
  return v.kind === 'number' || v.kind === 'complex' || v.kind === 'bool' || v.kind === 'matrix';
}

/** A numeric value seen as a matrix (a scalar is 1×1). */
export function toMatrix(v: Value, role = 'operand'): MatrixValue {
  switch (v.kind) {
    case 'matrix':
      return v;
    case 'number':
      return matrix(1, 1, Float64Array.of(v.value));
    case 'bool':
      return matrix(1, 1, Float64Array.of(v.value ? 1 : 0));
    case 'complex':
      return matrix(1, 1, Float64Array.of(v.re), Float64Array.of(v.im));
    default:
      throw new EvalError('type', 'eval.not-numeric', { role, found: describeKind(v) });
  }
}

/** A 1×1 matrix, number, complex or boolean as a scalar value; anything else unchanged. */
export function normalize(v: Value): Value {
  if (v.kind === 'matrix' && v.rows === 1 && v.cols === 1) {
    if (v.logical) return bool(v.data[0] !== 0);
    const im = v.imag ? v.imag[0]! : 0;
    return im !== 0 ? complex(v.data[0]!, im) : num(v.data[0]!);
  }
  if (v.kind === 'complex' && v.im === 0) return num(v.re);
  return v;
}

/** True when the value is a scalar (number, complex, boolean, or a 1×1 matrix). */
export function isScalar(v: Value): boolean {
  return v.kind === 'number' || v.kind === 'complex' || v.kind === 'bool' || (v.kind === 'matrix' && v.rows === 1 && v.cols === 1);
}

/** The real number a scalar value holds, or a type problem naming what was expected. */
export function realScalar(v: Value, role: string): number {
  if (v.kind === 'number') return v.value;
  if (v.kind === 'bool') return v.value ? 1 : 0;
  if (v.kind === 'matrix' && v.rows === 1 && v.cols === 1 && !v.imag) return v.data[0]!;
  if (v.kind === 'complex' && v.im === 0) return v.re;
  throw new EvalError('type', 'eval.expected-scalar', { role, found: describeKind(v), shape: shapeArg(v) });
}

/** `[rows, cols]` of a value, for problem args. */
export function shapeArg(v: Value): readonly number[] | undefined {
  if (v.kind === 'matrix') return [v.rows, v.cols];
  if (v.kind === 'number' || v.kind === 'complex' || v.kind === 'bool') return [1, 1];
  return undefined;
}


/** True when the value is a vector (one row or one column, including 1×1). */
export function isVector(m: MatrixValue): boolean {
  return m.rows === 1 || m.cols === 1;
}

export type BinaryElementOp = '+' | '-' | '.*' | './' | '.^' | '==' | '!=' | '<' | '<=' | '>' | '>=';

const COMPARISONS = new Set<BinaryElementOp>(['==', '!=', '<', '<=', '>', '>=']);

/**
 * An element-wise operator with numpy broadcasting: each dimension must be equal or 1.
 * Comparisons give a logical matrix (a boolean for scalars).
 */
export function elementwise(op: BinaryElementOp, a: Value, b: Value, ctx: OperatorContext, texts?: { left?: string; right?: string }): Value {
  const A = toMatrix(a, 'left operand');
  const B = toMatrix(b, 'right operand');
  const rows = broadcastDim(A.rows, B.rows);
  const cols = broadcastDim(A.cols, B.cols);
  if (rows < 0 || cols < 0) {
    throw new EvalError('shape', 'shape.broadcast', {
      op,
      left: texts?.left,
      right: texts?.right,
      leftShape: [A.rows, A.cols],
      rightShape: [B.rows, B.cols],
    });
  }
  ctx.checkSize(rows, cols);
  const n = rows * cols;
  const out = new Float64Array(n);
  const isComparison = COMPARISONS.has(op);
  const complexCase = (A.imag !== undefined || B.imag !== undefined) && !isComparison;
  const outIm = complexCase ? new Float64Array(n) : undefined;
  const aRowStep = A.rows === 1 ? 0 : A.cols;
  const aColStep = A.cols === 1 ? 0 : 1;
  const bRowStep = B.rows === 1 ? 0 : B.cols;
  const bColStep = B.cols === 1 ? 0 : 1;
  let domainProblem: string | undefined;
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) {
      const ia = i * aRowStep + j * aColStep;
      const ib = i * bRowStep + j * bColStep;
      const k = i * cols + j;
      const x = A.data[ia]!;
      const y = B.data[ib]!;
      if (complexCase) {
        const xi = A.imag ? A.imag[ia]! : 0;
        const yi = B.imag ? B.imag[ib]! : 0;
        const [re, im] = complexBinary(op, x, xi, y, yi);
        out[k] = re;
        outIm![k] = im;
        continue;
      }
      switch (op) {
        case '+':
          out[k] = x + y;
          break;
        case '-':
          out[k] = x - y;
          break;
        case '.*':
          out[k] = x * y;
          break;
        case './':
          if (x === 0 && y === 0) domainProblem ??= 'zero-over-zero';
          out[k] = x / y;
          break;
        case '.^': {
          const r = Math.pow(x, y);
          if (Number.isNaN(r) && !Number.isNaN(x) && !Number.isNaN(y)) domainProblem ??= 'negative-power';
          out[k] = r;
          break;
        }
        case '==':
          out[k] = x === y ? 1 : 0;
          break;
        case '!=':
          out[k] = x !== y ? 1 : 0;
          break;
        case '<':
          out[k] = x < y ? 1 : 0;
          break;
        case '<=':
          out[k] = x <= y ? 1 : 0;
          break;
        case '>':
          out[k] = x > y ? 1 : 0;
          break;
        case '>=':
          out[k] = x >= y ? 1 : 0;
          break;
      }
    }
  }
  if (domainProblem === 'zero-over-zero') ctx.warn('domain', 'eval.zero-over-zero', {});
  if (domainProblem === 'negative-power') ctx.warn('domain', 'eval.negative-power', {});
  const scalarOperands = isScalar(a) && isScalar(b) && a.kind !== 'matrix' && b.kind !== 'matrix';
  const result = matrix(rows, cols, out, outIm, isComparison);
  if (isComparison && scalarOperands) return bool(out[0] === 1);
  return scalarOperands || (rows === 1 && cols === 1 && !isComparison) ? normalize(result) : result;
}

function broadcastDim(a: number, b: number): number {
  if (a === b) return a;
  if (a === 1) return b;
  if (b === 1) return a;
  return -1;
}

function complexBinary(op: BinaryElementOp, a: number, ai: number, b: number, bi: number): [number, number] {
  switch (op) {
    case '+':
      return [a + b, ai + bi];
    case '-':
      return [a - b, ai - bi];
    case '.*':
      return [a * b - ai * bi, a * bi + ai * b];
    case './': {
      const d = b * b + bi * bi;
      return [(a * b + ai * bi) / d, (ai * b - a * bi) / d];
    }
    case '.^':
      return complexPow(a, ai, b, bi);
    default:
      return [NaN, NaN];
  }
}

/** (a + ai i)^(b + bi i) through the principal logarithm. */
export function complexPow(a: number, ai: number, b: number, bi: number): [number, number] {
  if (a === 0 && ai === 0) return b === 0 && bi === 0 ? [1, 0] : [0, 0];
  if (bi === 0 && ai === 0 && a > 0) return [Math.pow(a, b), 0];
  if (bi === 0 && Number.isInteger(b) && Math.abs(b) <= 64) {
    // Integer powers by repeated multiplication keep `im^2 = -1` exact.
    let re = 1;
    let im = 0;
    const n = Math.abs(b);
    for (let k = 0; k < n; k++) [re, im] = [re * a - im * ai, re * ai + im * a];
    if (b < 0) {
      const d = re * re + im * im;
      return [re / d, -im / d];
    }
    return [re, im];
  }
  const logR = Math.log(Math.hypot(a, ai));
  const theta = Math.atan2(ai, a);
  const re = b * logR - bi * theta;
  const im = b * theta + bi * logR;
  const m = Math.exp(re);
  return [m * Math.cos(im), m * Math.sin(im)];
}

/** The matrix product (inner sizes must match), complex-aware. */
export function matmul(A: MatrixValue, B: MatrixValue, ctx: OperatorContext, texts?: { left?: string; right?: string }): MatrixValue {
  if (A.cols !== B.rows) {
    throw new EvalError('shape', 'shape.matmul-inner', {
      op: '*',
      left: texts?.left,
      right: texts?.right,
      leftShape: [A.rows, A.cols],
      rightShape: [B.rows, B.cols],
    });
  }
  ctx.checkSize(A.rows, B.cols);
  if (!A.imag && !B.imag) {
    const product = linalgMatmul(A, B);
    return matrix(product.rows, product.cols, product.data);
  }
  const n = A.rows;
  const m = A.cols;
  const p = B.cols;
  // (Ar + i Ai)(Br + i Bi) = (Ar Br - Ai Bi) + i (Ar Bi + Ai Br)
  const zero = (M: MatrixValue): MatrixValue => matrix(M.rows, M.cols, new Float64Array(M.rows * M.cols));
  const Ai = A.imag ? matrix(n, m, A.imag) : zero(A);
  const Bi = B.imag ? matrix(m, p, B.imag) : zero(B);
  const Ar = matrix(n, m, A.data);
  const Br = matrix(m, p, B.data);
  const rr = matmul(Ar, Br, ctx).data;
  const ii = matmul(Ai, Bi, ctx).data;
  const ri = matmul(Ar, Bi, ctx).data;
  const ir = matmul(Ai, Br, ctx).data;
  const re = new Float64Array(n * p);
  const im = new Float64Array(n * p);
  for (let k = 0; k < n * p; k++) {
    re[k] = rr[k]! - ii[k]!;
    im[k] = ri[k]! + ir[k]!;
  }
  return matrix(n, p, re, im);
}

/** The transpose (plain, not conjugate: `ᵀ` and `'` both mean this on numbers). */
export function transpose(v: Value): Value {
  if (v.kind !== 'matrix') return v;
  const out = new Float64Array(v.data.length);
  const outIm = v.imag ? new Float64Array(v.data.length) : undefined;
  for (let i = 0; i < v.rows; i++) {
    for (let j = 0; j < v.cols; j++) {
      out[j * v.rows + i] = v.data[i * v.cols + j]!;
      if (outIm) outIm[j * v.rows + i] = v.imag![i * v.cols + j]!;
    }
  }
  return matrix(v.cols, v.rows, out, outIm, v.logical);
}

/** Negation of a numeric value. */
export function negate(v: Value): Value {
  if (v.kind === 'number') return num(v.value === 0 ? 0 : -v.value);
  if (v.kind === 'bool') return num(v.value ? -1 : 0);
  if (v.kind === 'complex') return complex(-v.re, -v.im);
  const m = toMatrix(v);
  return matrix(m.rows, m.cols, m.data.map((x) => -x), m.imag?.map((x) => -x));
}

/** Applies a real function to every element (scalars stay scalars). */
export function mapReal(v: Value, f: (x: number) => number): Value {
  if (v.kind === 'number') return num(f(v.value));
  if (v.kind === 'bool') return num(f(v.value ? 1 : 0));
  const m = toMatrix(v);
  return matrix(m.rows, m.cols, m.data.map(f));
}

/** Multiplies a value by a scalar (real or complex). */
export function scale(s: Value, v: Value, ctx: OperatorContext): Value {
  return elementwise('.*', s, v, ctx);
}

/** The Euclidean (2-) norm of the entries, complex-aware. */
export function frobenius(m: MatrixValue): number {
  let scaleMax = 0;
  for (let k = 0; k < m.data.length; k++) {
    scaleMax = Math.max(scaleMax, Math.abs(m.data[k]!), m.imag ? Math.abs(m.imag[k]!) : 0);
  }
  if (scaleMax === 0 || !Number.isFinite(scaleMax)) return scaleMax;
  let sum = 0;
  for (let k = 0; k < m.data.length; k++) {
    const x = m.data[k]! / scaleMax;
    const y = m.imag ? m.imag[k]! / scaleMax : 0;
    sum += x * x + y * y;
  }
  return scaleMax * Math.sqrt(sum);
}

/**
 * `≈`: one boolean for the whole value: equal shapes and every element within a relative tolerance
 * of 1e-9 of the larger magnitude (with an absolute floor of 1e-12 for values near zero, so that
 * `α · β ≈ 0` holds when rounding leaves 1e-17).
 */
export function approxEqual(a: Value, b: Value): boolean {
  if (a.kind === 'string' || b.kind === 'string') return a.kind === 'string' && b.kind === 'string' && a.value === b.value;
  if (!isNumeric(a) || !isNumeric(b)) return false;
  const A = toMatrix(a);
  const B = toMatrix(b);
  if (A.rows !== B.rows || A.cols !== B.cols) return false;
  const tolerance = 1e-9;
  const floor = 1e-12;
  // Compare relative to the largest entry of either side: an entry that is zero up to rounding in a
  // matrix of ordinary size (like the 1e-16 of U Σ Vᵀ) then still matches.
  const magnitude = Math.max(frobenius(A), frobenius(B));
  for (let k = 0; k < A.data.length; k++) {
    const dr = A.data[k]! - B.data[k]!;
    const di = (A.imag ? A.imag[k]! : 0) - (B.imag ? B.imag[k]! : 0);
    const diff = Math.hypot(dr, di);
    if (Number.isNaN(diff)) {
      if (!(Number.isNaN(A.data[k]!) && Number.isNaN(B.data[k]!))) {
        if (A.data[k] !== B.data[k]) return false;
      }
      continue;
    }
    if (diff === 0) continue;
    const local = Math.max(Math.hypot(A.data[k]!, A.imag ? A.imag[k]! : 0), Math.hypot(B.data[k]!, B.imag ? B.imag[k]! : 0));
    if (diff > Math.max(floor, tolerance * Math.max(local, magnitude))) return false;
  }
  return true;
}

/** How a value's kind reads in messages (one wording for the whole evaluator). */
export const describeKind = describeValue;
