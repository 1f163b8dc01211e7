/**
 * Reasoning about dimensions that may be unknown: the checker only reports a conflict when two
 * sizes are known numbers that disagree, so every helper here treats unknown and symbolic sizes
 * as "could be anything".
 */
import type { Dim, StaticType } from './types.js';
import { UNKNOWN, matrixType } from './types.js';

/** A matrix type (numbers, booleans as 1×1), or undefined for anything else. */
export type MatrixType = Extract<StaticType, { kind: 'matrix' }>;

/** Reads a type as a matrix: booleans are 1×1, unknown is ?×?, other kinds are not matrices. */
export function asMatrix(type: StaticType): MatrixType | undefined {
  if (type.kind === 'matrix') return type;
  if (type.kind === 'bool') return { kind: 'matrix', rows: 1, cols: 1, logical: true };
  if (type.kind === 'unknown') return { kind: 'matrix', rows: null, cols: null };
  return undefined;
}

export function isKnown(dim: Dim): dim is number {
  return typeof dim === 'number';
}

/** Two sizes that are both known and different. */
export function conflicts(a: Dim, b: Dim): boolean {
  return isKnown(a) && isKnown(b) && a !== b;
}

/** Two sizes that are certainly equal (same number, or the same symbol). */
export function sameDim(a: Dim, b: Dim): boolean {
  if (a === null || b === null) return false;
  if (typeof a === 'number' || typeof b === 'number') return a === b;
  return a.symbol === b.symbol;
}

/** The better known of two sizes that are supposed to be equal. */
export function unify(a: Dim, b: Dim): Dim {
  if (isKnown(a)) return a;
  if (isKnown(b)) return b;
  return a ?? b;
}

/** Certainly a 1×1 value. */
export function isScalarType(type: StaticType): boolean {
  const matrix = asMatrix(type);
  return matrix !== undefined && matrix.rows === 1 && matrix.cols === 1 && type.kind !== 'unknown';
}

/** Certainly not 1×1 (some dimension is known to differ from 1). */
export function isNonScalar(matrix: MatrixType): boolean {
  return (isKnown(matrix.rows) && matrix.rows !== 1) || (isKnown(matrix.cols) && matrix.cols !== 1);
}

/** Certainly a vector: one dimension is known to be 1. */
export function isVectorType(matrix: MatrixType): boolean {
  return matrix.rows === 1 || matrix.cols === 1;
}

/** The number of elements of a vector, when known. */
export function vectorLength(matrix: MatrixType): Dim {
  if (matrix.rows === 1) return matrix.cols;
  if (matrix.cols === 1) return matrix.rows;
  return null;
}

/** Certainly a matrix with more than one row and more than one column. */
export function isProperMatrix(matrix: MatrixType): boolean {
  return isKnown(matrix.rows) && isKnown(matrix.cols) && matrix.rows > 1 && matrix.cols > 1;
}

/** Both dimensions known and different: certainly not square. */
export function isKnownNonSquare(matrix: MatrixType): boolean {
  return conflicts(matrix.rows, matrix.cols);
}

export function multiplyDims(a: Dim, b: Dim): Dim {
  return isKnown(a) && isKnown(b) ? a * b : null;
}

export function addDims(a: Dim, b: Dim): Dim {
  return isKnown(a) && isKnown(b) ? a + b : null;
}

/** numpy broadcasting of one dimension; `conflict` when both are known, different and not 1. */
export function broadcastDim(a: Dim, b: Dim): { dim: Dim; conflict: boolean } {
  if (sameDim(a, b)) return { dim: a, conflict: false };
  if (a === 1) return { dim: b, conflict: false };
  if (b === 1) return { dim: a, conflict: false };
  if (conflicts(a, b)) return { dim: null, conflict: true };
  // One side unknown: the result is the other side when that one is known not to be 1.
  if (isKnown(a) || (a !== null && b === null)) return { dim: a, conflict: false };
  if (isKnown(b) || (b !== null && a === null)) return { dim: b, conflict: false };
  return { dim: null, conflict: false };
}

/** The shape `[rows, cols]` as a problem argument (null for unknown, the symbol's name otherwise). */
export function shapeArg(matrix: MatrixType): readonly (string | number | null)[] {
  const part = (dim: Dim): string | number | null => (dim === null ? null : typeof dim === 'number' ? dim : dim.symbol);
  return [part(matrix.rows), part(matrix.cols)];
}

/** A matrix type that keeps logical-ness out (arithmetic results are numbers). */
export function numeric(rows: Dim, cols: Dim): StaticType {
  return matrixType(rows, cols);
}

export function transposeType(type: StaticType): StaticType {
  if (type.kind === 'matrix') return { kind: 'matrix', rows: type.cols, cols: type.rows, ...(type.logical ? { logical: true } : {}) };
  if (type.kind === 'bool') return type;
  return UNKNOWN;
}

/** A stable key of a type, for memoizing function bodies checked per call signature. */
export function typeKey(type: StaticType): string {
  switch (type.kind) {
    case 'matrix': {
      const dim = (value: Dim): string => (value === null ? '?' : typeof value === 'number' ? String(value) : `$${value.symbol}`);
      return `m${dim(type.rows)}x${dim(type.cols)}`;
    }
    case 'function':
      return `f${type.arity ?? '*'}${type.name ?? ''}`;
    case 'tuple':
      return `t(${type.items.map(typeKey).join(',')})`;
    default:
      return type.kind;
  }
}
