/**
 * Runtime values of the evaluator.
 *
 * Matrices are always two-dimensional and stored row-major in a Float64Array (`data[i * cols + j]`),
 * with an optional imaginary part of the same length. Element-wise work loops over these arrays
 * directly; mathjs is used for what it does well (special functions, complex scalars, symbolic
 * derivatives), never as the storage of our matrices.
 *
 * A scalar is a `number` value; a 1×1 matrix is accepted wherever a scalar is expected.
 */
import type { Expr, NameDecl } from '../syntax/ast.js';

export interface NumberValue {
  readonly kind: 'number';
  readonly value: number;
  /**
   * For a numeric approximation (`integral`): an estimate of its absolute error, which hovers show
   * (`1 ± 1.1e-14`). Absent for exact arithmetic.
   */
  readonly errorEstimate?: number;
}

export interface ComplexValue {
  readonly kind: 'complex';
  readonly re: number;
  readonly im: number;
}

export interface MatrixValue {
  readonly kind: 'matrix';
  readonly rows: number;
  readonly cols: number;
  /** Real parts, row-major. */
  readonly data: Float64Array;
  /** Imaginary parts, row-major, present only for complex matrices. */
  readonly imag?: Float64Array;
  /** True for the result of an element-wise comparison: entries are 0 or 1 and print as booleans. */
  readonly logical?: boolean;
}

export interface BoolValue {
  readonly kind: 'bool';
  readonly value: boolean;
}

export interface StringValue {
  readonly kind: 'string';
  readonly value: string;
}

/** A user function (`f(x) = …`) or lambda: its parameters, body and the environment it closes over. */
export interface UserFunctionValue {
  readonly kind: 'function';
  readonly type: 'user';
  readonly name?: string;
  readonly params: readonly NameDecl[];
  readonly body: Expr;
  /** Opaque to everything but the evaluator: the bindings visible at the definition. */
  readonly closure: unknown;
}

/** A built-in function (`sin`, `svd`, …) used as a value (`plot(sin, 0, 1)`, `map(v, exp)`). */
export interface BuiltinFunctionValue {
  readonly kind: 'function';
  readonly type: 'builtin';
  readonly name: string;
}

/**
 * A function made by the calculus operators: `f'`, `∂f/∂x`, `∇f`. `formula` is its LaTeX when a
 * symbolic form was found; `method` says how values are computed, which hovers report.
 */
export interface DerivedFunctionValue {
  readonly kind: 'function';
  readonly type: 'derived';
  readonly name: string;
  readonly arity: number;
  readonly method: 'symbolic' | 'autodiff' | 'numeric';
  readonly formula?: string;
  /** The same formula as plain text (`2 * x`), for text output and hovers. */
  readonly formulaText?: string;
  readonly call: (args: readonly Value[]) => Value;
}

export type FunctionValue = UserFunctionValue | BuiltinFunctionValue | DerivedFunctionValue;

export interface TupleValue {
  readonly kind: 'tuple';
  readonly items: readonly Value[];
}

/** A plot or a single mark; the spec is plain JSON that the preview draws. */
export interface PlotValue {
  readonly kind: 'plot';
  readonly spec: PlotSpec;
}

export type Value =
  | NumberValue
  | ComplexValue
  | MatrixValue
  | BoolValue
  | StringValue
  | FunctionValue
  | TupleValue
  | PlotValue;

/** One mark of LANGUAGE.md §9, with its data already sampled. */
export type PlotMark =
  | { readonly type: 'curve'; readonly label: string; readonly x: number[]; readonly y: number[] }
  | { readonly type: 'line'; readonly label?: string; readonly x: number[]; readonly y: number[] }
  | { readonly type: 'scatter'; readonly label?: string; readonly x: number[]; readonly y: number[] }
  | { readonly type: 'bar'; readonly label?: string; readonly x: number[]; readonly y: number[] }
  | { readonly type: 'hist'; readonly label?: string; readonly values: number[]; readonly bins: number }
  | {
      readonly type: 'contour';
      readonly label?: string;
      /** Grid of f values, row j is y = y[j], column i is x = x[i]. */
      readonly x: number[];
      readonly y: number[];
      readonly z: number[][];
    }
  | { readonly type: 'heatmap'; readonly label?: string; readonly z: number[][] }
  | {
      readonly type: 'vectors';
      readonly label?: string;
      /** Arrows from (x[i], y[i]) by (u[i], v[i]). */
      readonly x: number[];
      readonly y: number[];
      readonly u: number[];
      readonly v: number[];
    }
  | { readonly type: 'path'; readonly label?: string; readonly x: number[]; readonly y: number[] };

export interface PlotSpec {
  readonly marks: readonly PlotMark[];
  readonly title?: string;
  readonly xlabel?: string;
  readonly ylabel?: string;
}

/** How a value's kind reads in messages: `a 2×3 matrix`, `a number`, `a function`. */
export function describeValue(value: Value): string {
  switch (value.kind) {
    case 'number':
      return 'a number';
    case 'complex':
      return 'a complex number';
    case 'matrix':
      return `a ${value.rows}×${value.cols}${value.imag ? ' complex' : ''} matrix`;
    case 'bool':
      return 'a boolean';
    case 'string':
      return 'a string';
    case 'function':
      return 'a function';
    case 'tuple':
      return `a tuple of ${value.items.length} values`;
    case 'plot':
      return 'a plot';
  }
}
