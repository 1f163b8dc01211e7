/**
 * Forward-mode automatic differentiation with dual numbers, for `∇J(θ)` where J takes vectors.
 *
 * A dual value is a real matrix together with one tangent matrix per input direction: seeding the
 * k-th scalar of the inputs with tangent e_k and running the function body through the evaluator
 * yields every partial derivative at once, exact to rounding. The evaluator hands a dual to these
 * functions whenever an operand is one; an operation not covered here raises `DualUnsupported`,
 * and the gradient then falls back to central differences (its hover says "numeric").
 */
import type { Builtin } from './builtin.js';
import {
  elementwise,
  EvalError,
  matmul,
  matrix,
  negate,
  normalize,
  toMatrix,
  transpose,
  type OperatorContext,
} from './operators.js';
import type { MatrixValue, Value } from './value.js';

/** A value with tangents; it travels through the evaluator disguised as a Value (kind 'dual'). */
export interface DualValue {
  readonly kind: 'dual';
  readonly value: MatrixValue;
  readonly tangents: readonly MatrixValue[];
}

/** Raised for an operation on duals that this module does not differentiate. */
export class DualUnsupported extends Error {}

/** True when the value is a dual in disguise (no type guard: a dual is never a member of Value). */
export function isDual(v: unknown): boolean {
  return typeof v === 'object' && v !== null && (v as { kind?: unknown }).kind === 'dual';
}

/** The dual behind a disguised value, or undefined for an ordinary value. */
export function dualOf(v: unknown): DualValue | undefined {
  return isDual(v) ? (v as DualValue) : undefined;
}

/** Wraps a dual so that it can pass through code typed with Value. */
export function asValue(d: DualValue): Value {
  return d as unknown as Value;
}

function zerosLike(m: MatrixValue): MatrixValue {
  return matrix(m.rows, m.cols, new Float64Array(m.rows * m.cols));
}

function parts(v: Value, count: number): { value: MatrixValue; tangents: readonly MatrixValue[] } {
  const d = dualOf(v);
  if (d) return d;
  const m = toMatrix(v);
  if (m.imag) throw new DualUnsupported('complex');
  const z = zerosLike(m);
  return { value: m, tangents: Array.from({ length: count }, () => z) };
}

function tangentCount(...values: Value[]): number {
  for (const v of values) {
    const d = dualOf(v);
    if (d) return d.tangents.length;
  }
  return 0;
}

function dual(value: Value, tangents: readonly Value[]): Value {
  return asValue({ kind: 'dual', value: toMatrix(value), tangents: tangents.map((t) => toMatrix(t)) });
}

/**
 * The seeds for inputs: the scalar inputs are numbered across all inputs, and directions
 * `first … first + count − 1` of them get tangent 1 (one dual pass per chunk of directions keeps
 * memory at count × size instead of size², so a 10,000-parameter gradient stays affordable).
 */
export function seedInputs(inputs: readonly MatrixValue[], first = 0, count = inputs.reduce((s, m) => s + m.rows * m.cols, 0)): { duals: Value[]; count: number } {
  let offset = 0;
  const duals = inputs.map((m) => {
    const tangents: MatrixValue[] = [];
    for (let k = first; k < first + count; k++) {
      const t = zerosLike(m);
      if (k >= offset && k < offset + m.data.length) t.data[k - offset] = 1;
      tangents.push(t);
    }
    offset += m.data.length;
    return asValue({ kind: 'dual', value: m, tangents });
  });
  return { duals, count };
}

/** The primal value of a possibly dual value. */
export function primal(v: Value): Value {
  const d = dualOf(v);
  return d ? normalize(d.value) : v;
}

/** Element-wise operators and comparisons on duals (broadcasting as usual). */
export function dualElementwise(op: '+' | '-' | '.*' | './' | '.^', a: Value, b: Value, ctx: OperatorContext): Value {
  const n = tangentCount(a, b);
  const A = parts(a, n);
  const B = parts(b, n);
  const value = elementwise(op, A.value, B.value, ctx);
  const tangents: Value[] = [];
  for (let k = 0; k < n; k++) {
    const ta = A.tangents[k]!;
    const tb = B.tangents[k]!;
    switch (op) {
      case '+':
        tangents.push(elementwise('+', ta, tb, ctx));
        break;
      case '-':
        tangents.push(elementwise('-', ta, tb, ctx));
        break;
      case '.*':
        tangents.push(elementwise('+', elementwise('.*', ta, B.value, ctx), elementwise('.*', A.value, tb, ctx), ctx));
        break;
      case './': {
        const numerator = elementwise('-', elementwise('.*', ta, B.value, ctx), elementwise('.*', A.value, tb, ctx), ctx);
        tangents.push(elementwise('./', numerator, elementwise('.*', B.value, B.value, ctx), ctx));
        break;
      }
      case '.^': {
        // d(a^b) = b a^(b-1) da + a^b ln(a) db; the second term only where b varies.
        const first = elementwise(
          '.*',
          elementwise('.*', B.value, elementwise('.^', A.value, elementwise('-', B.value, matrix(1, 1, Float64Array.of(1)), ctx), ctx), ctx),
          ta,
          ctx,
        );
        if (!isDual(b)) {
          tangents.push(first);
          break;
        }
        const logA = toMatrix(A.value);
        const ln = matrix(logA.rows, logA.cols, logA.data.map(Math.log));
        tangents.push(elementwise('+', first, elementwise('.*', elementwise('.*', value, ln, ctx), tb, ctx), ctx));
        break;
      }
    }
  }
  return dual(value, tangents);
}

/** The matrix product (or scaling when one side is a scalar) on duals. */
export function dualMultiply(a: Value, b: Value, ctx: OperatorContext, scalarSide: boolean): Value {
  if (scalarSide) return dualElementwise('.*', a, b, ctx);
  const n = tangentCount(a, b);
  const A = parts(a, n);
  const B = parts(b, n);
  const value = matmul(A.value, B.value, ctx);
  const tangents = A.tangents.map((ta, k) => {
    const left = matmul(ta, B.value, ctx);
    const right = matmul(A.value, B.tangents[k]!, ctx);
    return elementwise('+', left, right, ctx);
  });
  return dual(value, tangents);
}

export function dualNegate(a: Value): Value {
  const A = parts(a, tangentCount(a));
  return dual(negate(A.value), A.tangents.map((t) => negate(t)));
}

export function dualTranspose(a: Value): Value {
  const A = parts(a, tangentCount(a));
  return dual(transpose(A.value), A.tangents.map((t) => transpose(t)));
}

/** Applies a real function with a known derivative to every element. */
export function dualMap(a: Value, f: (x: number) => number, df: (x: number) => number, ctx: OperatorContext): Value {
  const A = parts(a, tangentCount(a));
  const x = A.value;
  const value = matrix(x.rows, x.cols, x.data.map(f));
  const slope = matrix(x.rows, x.cols, x.data.map(df));
  return dual(value, A.tangents.map((t) => elementwise('.*', slope, t, ctx)));
}

/** Selects the same entries of the value and of every tangent (indexing). */
export function dualSelect(a: Value, select: (m: MatrixValue) => MatrixValue): Value {
  const A = parts(a, tangentCount(a));
  return dual(select(A.value), A.tangents.map(select));
}

/** Concatenates blocks (matrix literals) of values and tangents alike. */
export function dualConcat(blocks: readonly (readonly Value[])[], concat: (rows: readonly (readonly MatrixValue[])[]) => MatrixValue): Value {
  const n = tangentCount(...blocks.flat());
  const split = blocks.map((row) => row.map((v) => parts(v, n)));
  const value = concat(split.map((row) => row.map((p) => p.value)));
  const tangents: MatrixValue[] = [];
  for (let k = 0; k < n; k++) tangents.push(concat(split.map((row) => row.map((p) => p.tangents[k]!))));
  return dual(value, tangents);
}

/** The Euclidean norm of a dual vector: d‖x‖ = xᵀdx / ‖x‖. */
export function dualNorm2(a: Value, ctx: OperatorContext): Value {
  const A = parts(a, tangentCount(a));
  let s = 0;
  for (const x of A.value.data) s += x * x;
  const norm = Math.sqrt(s);
  const tangents = A.tangents.map((t) => {
    let d = 0;
    for (let i = 0; i < t.data.length; i++) d += A.value.data[i]! * t.data[i]!;
    return matrix(1, 1, Float64Array.of(d / norm));
  });
  void ctx;
  return dual(matrix(1, 1, Float64Array.of(norm)), tangents);
}

/** The built-ins a dual may pass through: element-wise ones with a derivative, and a few linear ones. */
export function dualBuiltin(builtin: Builtin, args: readonly Value[], ctx: OperatorContext): Value {
  if (args.length === 1 && builtin.scalar && builtin.derivative) {
    return dualMap(args[0]!, builtin.scalar, builtin.derivative, ctx);
  }
  const n = tangentCount(...args);
  switch (builtin.name) {
    case 'transpose':
      if (args.length === 1) return dualTranspose(args[0]!);
      break;
    case 'sum':
      if (args.length === 1) {
        const A = parts(args[0]!, n);
        return dual(sumOf(A.value), A.tangents.map(sumOf));
      }
      break;
    case 'dot':
      if (args.length === 2) {
        const A = parts(args[0]!, n);
        const B = parts(args[1]!, n);
        if (A.value.data.length !== B.value.data.length) break;
        const flat = (m: MatrixValue): MatrixValue => matrix(1, m.data.length, m.data);
        const column = (m: MatrixValue): MatrixValue => matrix(m.data.length, 1, m.data);
        return dualMultiply(dual(flat(A.value), A.tangents.map(flat)), dual(column(B.value), B.tangents.map(column)), ctx, false);
      }
      break;
    case 'norm':
      if (args.length === 1) {
        const A = parts(args[0]!, n);
        if (A.value.rows === 1 || A.value.cols === 1) return dualNorm2(args[0]!, ctx);
      }
      break;
    default:
      break;
  }
  throw new DualUnsupported(builtin.name);
}

/** A vector sums to a scalar; a matrix sums down its columns to a row (as `sum` does). */
function sumOf(m: MatrixValue): MatrixValue {
  if (m.rows === 1 || m.cols === 1) {
    let s = 0;
    for (const x of m.data) s += x;
    return matrix(1, 1, Float64Array.of(s));
  }
  const out = new Float64Array(m.cols);
  for (let i = 0; i < m.rows; i++) for (let j = 0; j < m.cols; j++) out[j]! += m.data[i * m.cols + j]!;
  return matrix(1, m.cols, out);
}

/**
 * Reads the gradient out of a function's dual output: one partial derivative per seeded direction.
 * The output must be a scalar.
 */
export function gradientFromOutput(output: Value, count: number): Float64Array {
  const d = dualOf(output);
  if (!d) {
    const m = toMatrix(output);
    if (m.rows * m.cols !== 1) throw new EvalError('type', 'eval.gradient-not-scalar', { shape: [m.rows, m.cols] });
    return new Float64Array(count);
  }
  if (d.value.rows * d.value.cols !== 1) {
    throw new EvalError('type', 'eval.gradient-not-scalar', { shape: [d.value.rows, d.value.cols] });
  }
  return Float64Array.from(d.tangents, (t) => t.data[0]!);
}

/**
 * Central differences, the fallback when neither symbolic nor automatic differentiation applies:
 * step h = ∛ε · max(1, |x|) balances truncation and rounding errors.
 */
export function numericGradient(f: (inputs: readonly MatrixValue[]) => number, inputs: readonly MatrixValue[]): Float64Array {
  const count = inputs.reduce((s, m) => s + m.data.length, 0);
  const out = new Float64Array(count);
  let k = 0;
  inputs.forEach((m, i) => {
    for (let j = 0; j < m.data.length; j++) {
      const x = m.data[j]!;
      const h = Math.cbrt(2.220446049250313e-16) * Math.max(1, Math.abs(x));
      const shifted = (delta: number): MatrixValue[] =>
        inputs.map((other, o) => {
          if (o !== i) return other;
          const data = other.data.slice();
          data[j] = x + delta;
          return matrix(other.rows, other.cols, data);
        });
      out[k++] = (f(shifted(h)) - f(shifted(-h))) / (2 * h);
    }
  });
  return out;
}
