/**
 * Helpers shared by the standard-library tables (elementary, statistics, probability, random,
 * machine learning, sequences, calculus, plots): reading arguments of the right kind, building
 * results, numpy-style broadcasting and column-wise reductions over row-major Float64Arrays.
 *
 * Every helper reports a wrong argument as a `BuiltinProblem` with the kind `type.argument`
 * (`{ fn, position, expected, got }`), so messages stay uniform across the library.
 */
import { printExpr } from '../../syntax/print.js';
import { BuiltinProblem } from '../builtin.js';
import type { FunctionValue, MatrixValue, NumberValue, Value } from '../value.js';
import { describeValue } from '../value.js';

/** A scalar result. */
export function numberValue(value: number): NumberValue {
  return { kind: 'number', value };
}

/** A real matrix result (row-major data of length rows × cols). */
export function matrixValue(rows: number, cols: number, data: Float64Array): MatrixValue {
  return { kind: 'matrix', rows, cols, data };
}


/** The problem for an argument of the wrong kind; `position` is 1-based. */
export function argumentError(fn: string, position: number, expected: string, got: Value | string): BuiltinProblem {
  return new BuiltinProblem('type', 'type.argument', {
    fn,
    position,
    expected,
    got: typeof got === 'string' ? got : describeValue(got),
  });
}

/** The problem for two arguments whose shapes cannot be combined. */
export function shapeError(fn: string, detail: string, left: MatrixValue, right: MatrixValue): BuiltinProblem {
  return new BuiltinProblem('shape', 'shape.builtin-arguments', {
    fn,
    detail,
    left: [left.rows, left.cols],
    right: [right.rows, right.cols],
  });
}

/** The problem for an argument whose value (not kind) is unusable, e.g. a negative count. */
export function valueError(fn: string, position: number, expected: string, got: number | string): BuiltinProblem {
  return new BuiltinProblem('type', 'type.argument-value', { fn, position, expected, got });
}

/**
 * A real number from a number, a boolean or a 1×1 real matrix (LANGUAGE.md §4: a 1×1 matrix is a
 * scalar wherever a scalar is expected).
 */
export function toNumber(value: Value, fn: string, position: number, expected = 'a number'): number {
  if (value.kind === 'number') return value.value;
  if (value.kind === 'bool') return value.value ? 1 : 0;
  if (value.kind === 'matrix' && value.rows === 1 && value.cols === 1 && !value.imag) return value.data[0]!;
  throw argumentError(fn, position, expected, value);
}

/** A whole number (a count, a seed, a size); `min` is the least value allowed. */
export function toInteger(value: Value, fn: string, position: number, min: number, what = 'a whole number'): number {
  const x = toNumber(value, fn, position, what);
  if (!Number.isInteger(x) || x < min) throw valueError(fn, position, `${what} ≥ ${min}`, x);
  return x;
}

/** A real matrix from a matrix, a number or a boolean (a scalar becomes 1×1). */
export function toMatrix(value: Value, fn: string, position: number, expected = 'a real matrix or number'): MatrixValue {
  if (value.kind === 'matrix') {
    if (value.imag) throw argumentError(fn, position, expected, value);
    return value;
  }
  if (value.kind === 'number') return matrixValue(1, 1, Float64Array.of(value.value));
  if (value.kind === 'bool') return matrixValue(1, 1, Float64Array.of(value.value ? 1 : 0));
  throw argumentError(fn, position, expected, value);
}

/** True for a 1×n or n×1 matrix (a 1×1 matrix included). */
export function isVector(m: MatrixValue): boolean {
  return m.rows === 1 || m.cols === 1;
}

/** The entries of a vector (row, column or scalar); a matrix with more than one row and column is a type error. */
export function toVector(value: Value, fn: string, position: number, expected = 'a vector'): MatrixValue {
  const m = toMatrix(value, fn, position, expected);
  if (!isVector(m)) throw argumentError(fn, position, expected, m);
  return m;
}

/** A function value (user function, lambda, built-in or derivative). */
export function toFunction(value: Value, fn: string, position: number): FunctionValue {
  if (value.kind === 'function') return value;
  throw argumentError(fn, position, 'a function', value);
}

/** A string argument (an option such as "sample", or a title). */
export function toText(value: Value, fn: string, position: number, expected = 'a string'): string {
  if (value.kind === 'string') return value.value;
  throw argumentError(fn, position, expected, value);
}

/**
 * The display name of a function value: its name, or for a lambda its source (`t -> normpdf(t, 0, 1)`),
 * shortened to `maxLength` characters, so legends and hovers say which function a curve shows.
 */
export function functionName(fn: FunctionValue, maxLength = 40): string {
  if (fn.type !== 'user') return fn.name;
  if (fn.name !== undefined) return fn.name;
  const params = fn.params.map((p) => p.name);
  const source = `${params.length === 1 ? params[0] : `(${params.join(', ')})`} -> ${printExpr(fn.body)}`;
  return source.length <= maxLength ? source : `${source.slice(0, maxLength - 1)}…`;
}

/** Either a number (for a 1×1 result of scalar inputs) or the matrix, so scalars stay scalars. */
export function scalarOrMatrix(m: MatrixValue, scalarInput: boolean): Value {
  return scalarInput && m.rows === 1 && m.cols === 1 ? numberValue(m.data[0]!) : m;
}

/** True when every argument is a plain scalar (number, boolean), so a result should be a number too. */
export function allScalars(values: readonly Value[]): boolean {
  return values.every((v) => v.kind === 'number' || v.kind === 'bool');
}

/**
 * The broadcast shape of several matrices, numpy style: in each dimension the sizes must be equal
 * or 1. Throws a shape problem naming the first pair that does not fit.
 */
export function broadcastShape(fn: string, ms: readonly MatrixValue[]): { rows: number; cols: number } {
  let rows = 1;
  let cols = 1;
  let widest: MatrixValue | undefined;
  for (const m of ms) {
    const rowsFit = m.rows === rows || m.rows === 1 || rows === 1;
    const colsFit = m.cols === cols || m.cols === 1 || cols === 1;
    if (!rowsFit || !colsFit) {
      throw shapeError(fn, 'sizes must be equal or 1 in each dimension (broadcasting)', widest ?? m, m);
    }
    if (m.rows !== 1) rows = m.rows;
    if (m.cols !== 1) cols = m.cols;
    if (!widest || m.rows * m.cols > widest.rows * widest.cols) widest = m;
  }
  // An empty operand (0 rows or columns) makes an empty result.
  for (const m of ms) {
    if (m.rows === 0) rows = 0;
    if (m.cols === 0) cols = 0;
  }
  return { rows, cols };
}

/** Applies `f` element-wise to two broadcast operands. Equal shapes and scalar operands take plain loops. */
export function broadcast2(fn: string, a: MatrixValue, b: MatrixValue, f: (x: number, y: number) => number): MatrixValue {
  const { rows, cols } = broadcastShape(fn, [a, b]);
  const n = rows * cols;
  const out = new Float64Array(n);
  const ad = a.data;
  const bd = b.data;
  if (a.rows === rows && a.cols === cols && b.rows === rows && b.cols === cols) {
    for (let i = 0; i < n; i++) out[i] = f(ad[i]!, bd[i]!);
  } else if (b.rows === 1 && b.cols === 1 && a.rows === rows && a.cols === cols) {
    const y = bd[0]!;
    for (let i = 0; i < n; i++) out[i] = f(ad[i]!, y);
  } else if (a.rows === 1 && a.cols === 1 && b.rows === rows && b.cols === cols) {
    const x = ad[0]!;
    for (let i = 0; i < n; i++) out[i] = f(x, bd[i]!);
  } else {
    const aRowStep = a.rows === 1 ? 0 : a.cols;
    const aColStep = a.cols === 1 ? 0 : 1;
    const bRowStep = b.rows === 1 ? 0 : b.cols;
    const bColStep = b.cols === 1 ? 0 : 1;
    for (let i = 0; i < rows; i++) {
      for (let j = 0; j < cols; j++) {
        out[i * cols + j] = f(ad[i * aRowStep + j * aColStep]!, bd[i * bRowStep + j * bColStep]!);
      }
    }
  }
  return matrixValue(rows, cols, out);
}

/** Applies `f` element-wise to any number of broadcast operands (probability functions with parameters). */
export function broadcastN(fn: string, ms: readonly MatrixValue[], f: (xs: readonly number[]) => number): MatrixValue {
  const { rows, cols } = broadcastShape(fn, ms);
  const out = new Float64Array(rows * cols);
  const rowSteps = ms.map((m) => (m.rows === 1 ? 0 : m.cols));
  const colSteps = ms.map((m) => (m.cols === 1 ? 0 : 1));
  const xs = new Array<number>(ms.length).fill(0);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) {
      for (let k = 0; k < ms.length; k++) xs[k] = ms[k]!.data[i * rowSteps[k]! + j * colSteps[k]!]!;
      out[i * cols + j] = f(xs);
    }
  }
  return matrixValue(rows, cols, out);
}

/**
 * The columns a reduction works on: the whole vector for a vector (so it reduces to a scalar),
 * every column for a matrix with more than one row and column (MATLAB, numpy axis=0).
 */
export function reductionGroups(m: MatrixValue): { groups: Float64Array[]; isVector: boolean } {
  if (isVector(m)) return { groups: [m.data], isVector: true };
  const groups: Float64Array[] = [];
  for (let j = 0; j < m.cols; j++) {
    const column = new Float64Array(m.rows);
    for (let i = 0; i < m.rows; i++) column[i] = m.data[i * m.cols + j]!;
    groups.push(column);
  }
  return { groups, isVector: false };
}

/** Reduces a vector to a number, or each column of a matrix to one entry of a 1×d row. */
export function reduceColumns(m: MatrixValue, reduce: (values: Float64Array) => number): Value {
  const { groups, isVector: vector } = reductionGroups(m);
  if (vector) return numberValue(reduce(groups[0]!));
  const out = new Float64Array(groups.length);
  for (let j = 0; j < groups.length; j++) out[j] = reduce(groups[j]!);
  return matrixValue(1, groups.length, out);
}

/**
 * Maps a vector to a vector of the same shape, or each column of a matrix to a column of the same
 * length (cumsum, softmax, sort, zscore).
 */
export function mapColumns(m: MatrixValue, transform: (values: Float64Array) => Float64Array): MatrixValue {
  if (isVector(m)) {
    const result = transform(m.data);
    return matrixValue(m.rows, m.cols, result);
  }
  const out = new Float64Array(m.rows * m.cols);
  const column = new Float64Array(m.rows);
  for (let j = 0; j < m.cols; j++) {
    for (let i = 0; i < m.rows; i++) column[i] = m.data[i * m.cols + j]!;
    const result = transform(column);
    for (let i = 0; i < m.rows; i++) out[i * m.cols + j] = result[i]!;
  }
  return matrixValue(m.rows, m.cols, out);
}

/** A value as a plain number when it is one (number, boolean, 1×1 real matrix), else undefined. */
export function asScalar(value: Value): number | undefined {
  if (value.kind === 'number') return value.value;
  if (value.kind === 'bool') return value.value ? 1 : 0;
  if (value.kind === 'matrix' && value.rows === 1 && value.cols === 1 && !value.imag) return value.data[0];
  return undefined;
}

/**
 * Message templates for the problem kinds the standard library raises, for the evaluator's
 * `eval/messages.ts` to merge (the message layer owns the final wording; these keep it consistent).
 */
export const stdlibProblemMessages: Record<string, (args: Readonly<Record<string, unknown>>) => string> = {
  'type.argument': (a) => `${String(a.fn)} needs ${String(a.expected)} as argument ${String(a.position)}, but got ${String(a.got)}`,
  'type.argument-value': (a) =>
    `${String(a.fn)} needs ${String(a.expected)} as argument ${String(a.position)}, but got ${String(a.got)}`,
  'shape.builtin-arguments': (a) =>
    `${String(a.fn)}: the arguments are ${formatShape(a.left)} and ${formatShape(a.right)}; ${String(a.detail)}`,
  'eval.domain': (a) => `${String(a.fn)}(${String(a.input)}) is NaN: ${String(a.detail)}`,
  'eval.integral-accuracy': (a) =>
    `integral: the requested accuracy was not reached after ${String(a.intervals)} subintervals (error estimate ${String(a.error)})`,
};

function formatShape(shape: unknown): string {
  return Array.isArray(shape) ? shape.join('×') : String(shape);
}

export { describeValue };
