/**
 * Static types of the shape checker: what is known about a value without computing it.
 *
 * A dimension is a known number, a symbolic size (a parameter's `n`, printed as such), or unknown.
 * The checker only reports a problem when both sides are known to disagree, so unknown never
 * produces a false alarm.
 */

/** A number of rows or columns: known, symbolic (named), or unknown (null). */
export type Dim = number | { readonly symbol: string } | null;

export type StaticType =
  /** Numbers: a scalar is a 1×1 matrix. `complex` is true when the values may be complex. */
  | { readonly kind: 'matrix'; readonly rows: Dim; readonly cols: Dim; readonly logical?: boolean }
  | { readonly kind: 'bool' }
  | { readonly kind: 'string' }
  /** A function; `arity` is null when unknown (a lambda passed around) or variadic. */
  | { readonly kind: 'function'; readonly arity: number | null; readonly name?: string }
  | { readonly kind: 'tuple'; readonly items: readonly StaticType[] }
  | { readonly kind: 'plot' }
  | { readonly kind: 'unknown' };

export const UNKNOWN: StaticType = { kind: 'unknown' };
export const SCALAR: StaticType = { kind: 'matrix', rows: 1, cols: 1 };

export function matrixType(rows: Dim, cols: Dim): StaticType {
  return { kind: 'matrix', rows, cols };
}

/** `2×3`, `n×1`, `?×3`: how shapes read in messages and hovers. */
export function formatDim(dim: Dim): string {
  if (dim === null) return '?';
  if (typeof dim === 'number') return String(dim);
  return dim.symbol;
}
