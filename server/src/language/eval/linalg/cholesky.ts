/**
 * Cholesky factorization A = L·Lᵀ of a symmetric positive definite matrix.
 */
import { zeros, type Mat } from './mat.js';

/** The outcome of a Cholesky attempt: L, or the step where a pivot was not positive. */
export type CholeskyResult =
  | { readonly ok: true; readonly L: Mat }
  | { readonly ok: false; /** 0-based index of the leading minor that is not positive definite. */ readonly failedAt: number };

/**
 * L lower triangular with a positive diagonal and A = L·Lᵀ (numpy's convention). Only the lower
 * triangle of A is read, as LAPACK does; the caller decides whether to insist on symmetry.
 */
export function cholesky(a: Mat): CholeskyResult {
  const n = a.rows;
  if (a.cols !== n) throw new Error('cholesky: matrix is not square');
  const L = zeros(n, n);
  const l = L.data;
  for (let i = 0; i < n; i++) {
    const ri = i * n;
    for (let j = 0; j <= i; j++) {
      const rj = j * n;
      let s = a.data[ri + j]!;
      for (let k = 0; k < j; k++) s -= l[ri + k]! * l[rj + k]!;
      if (i === j) {
        if (!(s > 0)) return { ok: false, failedAt: i };
        l[ri + i] = Math.sqrt(s);
      } else {
        l[ri + j] = s / l[rj + j]!;
      }
    }
  }
  return { ok: true, L };
}
