/**
 * The dense matrix shape every kernel works on: row-major, `data[i * cols + j]`.
 *
 * It is structurally a subset of `MatrixValue` (eval/value.ts), so a real matrix value can be passed
 * to any kernel as it is, and a kernel result becomes a value by adding `kind: 'matrix'`.
 */
export interface Mat {
  readonly rows: number;
  readonly cols: number;
  readonly data: Float64Array;
}

/** Machine epsilon of IEEE double precision (2⁻⁵²). */
export const EPS = 2.220446049250313e-16;

/** A rows×cols matrix of zeros. */
export function zeros(rows: number, cols: number): Mat {
  return { rows, cols, data: new Float64Array(rows * cols) };
}

/** The n×n identity matrix. */
export function identity(n: number): Mat {
  const m = zeros(n, n);
  for (let i = 0; i < n; i++) m.data[i * n + i] = 1;
  return m;
}

/** Builds a matrix from an array of equally long rows. */
export function fromRows(rows: readonly (readonly number[])[]): Mat {
  const r = rows.length;
  const c = r === 0 ? 0 : rows[0]!.length;
  const m = zeros(r, c);
  for (let i = 0; i < r; i++) {
    const row = rows[i]!;
    if (row.length !== c) throw new Error(`fromRows: row ${i} has ${row.length} entries, expected ${c}`);
    for (let j = 0; j < c; j++) m.data[i * c + j] = row[j]!;
  }
  return m;
}

/** The rows of a matrix as nested arrays (for printing and tests). */
export function toRows(m: Mat): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < m.rows; i++) out.push(Array.from(m.data.subarray(i * m.cols, (i + 1) * m.cols)));
  return out;
}

/** A column vector holding the given numbers. */
export function columnVector(values: ArrayLike<number>): Mat {
  return { rows: values.length, cols: 1, data: Float64Array.from(values) };
}

/** A deep copy (the kernels never modify their inputs; they copy first). */
export function cloneMat(m: Mat): Mat {
  return { rows: m.rows, cols: m.cols, data: m.data.slice() };
}

/** True when the matrix is square. */
export function isSquare(m: Mat): boolean {
  return m.rows === m.cols;
}

/** True when the matrix equals its transpose exactly (the test MATLAB's `eig` uses to pick the symmetric solver). */
export function isSymmetric(m: Mat): boolean {
  if (m.rows !== m.cols) return false;
  const n = m.rows;
  const a = m.data;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) if (a[i * n + j] !== a[j * n + i]) return false;
  }
  return true;
}

/** True when every entry is finite (no NaN, no ±Inf). */
export function allFinite(m: Mat): boolean {
  const a = m.data;
  for (let i = 0; i < a.length; i++) if (!Number.isFinite(a[i]!)) return false;
  return true;
}

/** The sub-block of rows [r0, r1) and columns [c0, c1). */
export function subMatrix(m: Mat, r0: number, r1: number, c0: number, c1: number): Mat {
  const out = zeros(r1 - r0, c1 - c0);
  for (let i = r0; i < r1; i++) {
    out.data.set(m.data.subarray(i * m.cols + c0, i * m.cols + c1), (i - r0) * out.cols);
  }
  return out;
}

/** Scales a matrix by a number, returning a new matrix. */
export function scale(m: Mat, factor: number): Mat {
  const out = zeros(m.rows, m.cols);
  const a = m.data;
  const o = out.data;
  for (let i = 0; i < a.length; i++) o[i] = a[i]! * factor;
  return out;
}

/** Element-wise sum of two equally shaped matrices. */
export function add(a: Mat, b: Mat): Mat {
  if (a.rows !== b.rows || a.cols !== b.cols) throw new Error('add: shapes differ');
  const out = zeros(a.rows, a.cols);
  for (let i = 0; i < a.data.length; i++) out.data[i] = a.data[i]! + b.data[i]!;
  return out;
}

/** Element-wise difference of two equally shaped matrices. */
export function subtract(a: Mat, b: Mat): Mat {
  if (a.rows !== b.rows || a.cols !== b.cols) throw new Error('subtract: shapes differ');
  const out = zeros(a.rows, a.cols);
  for (let i = 0; i < a.data.length; i++) out.data[i] = a.data[i]! - b.data[i]!;
  return out;
}
