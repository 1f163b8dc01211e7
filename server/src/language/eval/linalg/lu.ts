/**
 * LU factorization with partial pivoting, and what it gives: solves, inverses, determinants and a
 * reciprocal condition estimate for the `singular` warning.
 */
import { EPS, identity, zeros, type Mat } from './mat.js';
import { dotStrided, gemmUpdate, norm1, subtractScaled } from './basic.js';

/**
 * Panel width of the blocked factorization. The panel's own work runs in scalar loops and the
 * trailing update in the SIMD product kernel, so a narrow panel pays: measured at n = 200 and 500,
 * 16 beat 8, 24, 32, 48 and 64.
 */
const FACTOR_BLOCK = 16;
/**
 * Block height of the blocked triangular solves: most of their work then runs in `gemmUpdate`.
 * Measured on inv at n = 200 and 500, 16 beat 8 and 32.
 */
const SOLVE_BLOCK = 16;

/**
 * P·A = L·U for an m×n matrix, stored compactly: the strict lower part of `lu` holds L (unit
 * diagonal implied), the upper part holds U. `perm[i]` is the row of A that became row i of P·A.
 */
export interface LUFactors {
  readonly rows: number;
  readonly cols: number;
  readonly lu: Float64Array;
  readonly perm: Int32Array;
  /** +1 or −1: the sign of the permutation, for the determinant. */
  readonly sign: number;
  /** True when some pivot is exactly zero (the matrix is exactly singular in floating point). */
  readonly zeroPivot: boolean;
}

/**
 * Factors P·A = L·U by Gaussian elimination with partial pivoting, blocked like LAPACK's dgetrf:
 * a panel of FACTOR_BLOCK columns is factored (in a column-major copy), then the rows to its right are solved with the
 * panel's L and the trailing matrix gets one matrix-product update. A zero column below the
 * diagonal is skipped, as dgetrf does, so singular matrices factor too.
 */
export function luFactor(a: Mat): LUFactors {
  const m = a.rows;
  const n = a.cols;
  const lu = a.data.slice();
  const perm = new Int32Array(m);
  for (let i = 0; i < m; i++) perm[i] = i;
  let sign = 1;
  let zeroPivot = false;
  const steps = Math.min(m, n);
  // The panel is factored in a column-major copy, so the pivot search, the scaling of L's column
  // and every update of the panel walk contiguous memory (as LAPACK's dgetf2 does on its
  // column-major storage); the row swaps reach the columns outside the panel afterwards (dlaswp).
  // Every entry gets the same operations in the same order as in place, so results are identical.
  const panel = new Float64Array(m * Math.min(FACTOR_BLOCK, Math.max(steps, 1)));
  const swaps = new Int32Array(FACTOR_BLOCK);
  for (let k0 = 0; k0 < steps; k0 += FACTOR_BLOCK) {
    const k1 = Math.min(steps, k0 + FACTOR_BLOCK);
    const width = k1 - k0;
    const height = m - k0;
    for (let i = 0; i < height; i++) {
      const row = (k0 + i) * n + k0;
      for (let j = 0; j < width; j++) panel[j * height + i] = lu[row + j]!;
    }
    for (let kk = 0; kk < width; kk++) {
      const col = kk * height;
      let p = kk;
      let best = Math.abs(panel[col + kk]!);
      for (let i = kk + 1; i < height; i++) {
        const v = Math.abs(panel[col + i]!);
        if (v > best) {
          best = v;
          p = i;
        }
      }
      swaps[kk] = p;
      if (p !== kk) {
        for (let j = 0; j < width; j++) {
          const t = panel[j * height + kk]!;
          panel[j * height + kk] = panel[j * height + p]!;
          panel[j * height + p] = t;
        }
        const t = perm[k0 + kk]!;
        perm[k0 + kk] = perm[k0 + p]!;
        perm[k0 + p] = t;
        sign = -sign;
      }
      const pivot = panel[col + kk]!;
      if (pivot === 0 || Number.isNaN(pivot)) {
        zeroPivot = true;
        if (pivot === 0) continue;
      }
      for (let i = kk + 1; i < height; i++) panel[col + i] = panel[col + i]! / pivot;
      for (let j = kk + 1; j < width; j++) {
        const cj = j * height;
        const u = panel[cj + kk]!;
        subtractScaled(panel, cj + kk + 1, panel, col + kk + 1, height - kk - 1, u);
      }
    }
    for (let i = 0; i < height; i++) {
      const row = (k0 + i) * n + k0;
      for (let j = 0; j < width; j++) lu[row + j] = panel[j * height + i]!;
    }
    // The panel's row swaps, in order, on the columns left and right of it.
    for (let kk = 0; kk < width; kk++) {
      const p = swaps[kk]!;
      if (p === kk) continue;
      const rk = (k0 + kk) * n;
      const rp = (k0 + p) * n;
      for (let j = 0; j < k0; j++) {
        const t = lu[rk + j]!;
        lu[rk + j] = lu[rp + j]!;
        lu[rp + j] = t;
      }
      for (let j = k1; j < n; j++) {
        const t = lu[rk + j]!;
        lu[rk + j] = lu[rp + j]!;
        lu[rp + j] = t;
      }
    }
    if (k1 < n) {
      // U₁₂ = L₁₁⁻¹A₁₂ for the panel's rows, then A₂₂ ← A₂₂ − L₂₁U₁₂.
      for (let i = k0 + 1; i < k1; i++) {
        const ri = i * n;
        for (let p = k0; p < i; p++) {
          const l = lu[ri + p]!;
          if (l === 0) continue;
          const rp = p * n;
          subtractScaled(lu, ri + k1, lu, rp + k1, n - k1, l);
        }
      }
      if (k1 < m) gemmUpdate(lu, k1 * n + k1, n, lu, k1 * n + k0, n, lu, k0 * n + k1, n, m - k1, k1 - k0, n - k1, -1);
    }
  }
  return { rows: m, cols: n, lu, perm, sign, zeroPivot };
}

/** The explicit factors of P·A = L·U: L is m×k unit lower, U is k×n upper, P is m×m, k = min(m, n). */
export function luExplicit(f: LUFactors): { L: Mat; U: Mat; P: Mat } {
  const m = f.rows;
  const n = f.cols;
  const k = Math.min(m, n);
  const L = zeros(m, k);
  const U = zeros(k, n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < Math.min(i, k); j++) L.data[i * k + j] = f.lu[i * n + j]!;
    if (i < k) L.data[i * k + i] = 1;
  }
  for (let i = 0; i < k; i++) {
    for (let j = i; j < n; j++) U.data[i * n + j] = f.lu[i * n + j]!;
  }
  const P = zeros(m, m);
  for (let i = 0; i < m; i++) P.data[i * m + f.perm[i]!] = 1;
  return { L, U, P };
}

/**
 * Solves A·X = B with the factors of a square A: forward substitution with L, then back
 * substitution with U, both blocked so the bulk of the work is one matrix product per block.
 */
export function luSolve(f: LUFactors, b: Mat): Mat {
  const n = f.rows;
  if (f.cols !== n) throw new Error('luSolve: the factored matrix is not square');
  if (b.rows !== n) throw new Error(`luSolve: right-hand side has ${b.rows} rows, expected ${n}`);
  const k = b.cols;
  const x = zeros(n, k);
  const X = x.data;
  const LU = f.lu;
  for (let i = 0; i < n; i++) X.set(b.data.subarray(f.perm[i]! * k, f.perm[i]! * k + k), i * k);
  if (k === 1) {
    // One right-hand side: each unknown is a dot product with a contiguous row of L or U.
    for (let i = 1; i < n; i++) X[i] = X[i]! - dotStrided(LU, i * n, X, 0, i);
    for (let i = n - 1; i >= 0; i--) X[i] = (X[i]! - dotStrided(LU, i * n + i + 1, X, i + 1, n - i - 1)) / LU[i * n + i]!;
    return x;
  }
  forwardSubstitute(LU, n, X, k, false);
  backSubstitute(LU, n, X, k);
  return x;
}

/*
 * Both sweeps below are right-looking, as LAPACK's dtrsm is: once a block of rows is solved, one
 * product subtracts it from all the rows still to solve. The product then packs only the small
 * solved block and the block of L or U, and the large remainder of X is copied into the kernel's
 * memory once per block; a left-looking sweep packed every solved row again for each block.
 */

/**
 * X ← L⁻¹·X for the unit lower triangle L stored in `LU` (n×n) and the n×k matrix X (row-major).
 * With `lowerTriangular`, X starts as a unit lower triangular matrix (the identity, for an inverse):
 * row p of the result then has entries only in columns 0…p, and the sweep skips the zeros to the
 * right of them, a third of the work of a full sweep.
 */
function forwardSubstitute(LU: Float64Array, n: number, X: Float64Array, k: number, lowerTriangular: boolean): void {
  for (let i0 = 0; i0 < n; i0 += SOLVE_BLOCK) {
    const i1 = Math.min(n, i0 + SOLVE_BLOCK);
    for (let i = i0 + 1; i < i1; i++) {
      const ri = i * k;
      for (let p = i0; p < i; p++) {
        const l = LU[i * n + p]!;
        if (l === 0) continue;
        subtractScaled(X, ri, X, p * k, lowerTriangular ? p + 1 : k, l);
      }
    }
    // Rows below the block: X[i1:n] −= L[i1:n, i0:i1]·X[i0:i1].
    if (i1 < n) gemmUpdate(X, i1 * k, k, LU, i1 * n + i0, n, X, i0 * k, k, n - i1, i1 - i0, lowerTriangular ? i1 : k, -1);
  }
}

/** X ← U⁻¹·X for the upper triangle U stored in `LU` (n×n) and the n×k matrix X (row-major). */
function backSubstitute(LU: Float64Array, n: number, X: Float64Array, k: number): void {
  for (let i1 = n; i1 > 0; i1 -= SOLVE_BLOCK) {
    const i0 = Math.max(0, i1 - SOLVE_BLOCK);
    for (let i = i1 - 1; i >= i0; i--) {
      const ri = i * k;
      for (let p = i + 1; p < i1; p++) {
        const u = LU[i * n + p]!;
        if (u === 0) continue;
        subtractScaled(X, ri, X, p * k, k, u);
      }
      const d = LU[i * n + i]!;
      for (let j = 0; j < k; j++) X[ri + j] /= d;
    }
    // Rows above the block: X[0:i0] −= U[0:i0, i0:i1]·X[i0:i1].
    if (i0 > 0) gemmUpdate(X, 0, k, LU, i0, n, X, i0 * k, k, i0, i1 - i0, k, -1);
  }
}

/**
 * A⁻¹ from the factors of a square A. With P·A = L·U, A⁻¹ = U⁻¹·L⁻¹·P: L⁻¹ is formed from the
 * identity by a forward sweep that skips its zero upper part, U⁻¹ is applied by a full backward
 * sweep, and the columns are put in place of P (column i of U⁻¹L⁻¹ is column perm[i] of A⁻¹). That
 * is 2n³ operations with the factorization, where solving against the identity takes about 2.7n³.
 */
export function luInverse(f: LUFactors): Mat {
  const n = f.rows;
  if (f.cols !== n) throw new Error('luInverse: the factored matrix is not square');
  const work = identity(n).data;
  forwardSubstitute(f.lu, n, work, n, true);
  backSubstitute(f.lu, n, work, n);
  const inverse = zeros(n, n);
  const out = inverse.data;
  for (let r = 0; r < n; r++) {
    const row = r * n;
    for (let i = 0; i < n; i++) out[row + f.perm[i]!] = work[row + i]!;
  }
  return inverse;
}

/** Solves Aᵀ·y = c for one vector with the factors of A (A = Pᵀ·L·U, so Aᵀ = Uᵀ·Lᵀ·P). */
function luSolveTransposedVector(f: LUFactors, c: Float64Array): Float64Array {
  const n = f.rows;
  const LU = f.lu;
  const z = c.slice();
  // Uᵀ and Lᵀ are walked by rows of U and L (contiguous), each solved entry subtracted from the
  // entries still to come, rather than by their strided columns.
  for (let p = 0; p < n; p++) {
    const zp = z[p]! / LU[p * n + p]!;
    z[p] = zp;
    const row = p * n;
    for (let i = p + 1; i < n; i++) z[i] -= LU[row + i]! * zp;
  }
  for (let p = n - 1; p >= 0; p--) {
    const zp = z[p]!;
    const row = p * n;
    for (let i = 0; i < p; i++) z[i] -= LU[row + i]! * zp;
  }
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) y[f.perm[i]!] = z[i]!;
  return y;
}

function luSolveVector(f: LUFactors, c: Float64Array): Float64Array {
  return luSolve(f, { rows: c.length, cols: 1, data: c }).data;
}

/**
 * Estimates ‖A⁻¹‖₁ from the LU factors with Hager's method as refined by Higham (LAPACK dlacon):
 * a few solves with A and Aᵀ instead of forming the inverse. Exact for most matrices; never an
 * overestimate.
 */
export function estimateInverseNorm1(f: LUFactors): number {
  const n = f.rows;
  if (n === 0) return 0;
  let x = new Float64Array(n).fill(1 / n);
  let estimate = 0;
  let lastIndex = -1;
  for (let iteration = 0; iteration < 5; iteration++) {
    const y = luSolveVector(f, x);
    let ynorm = 0;
    for (let i = 0; i < n; i++) ynorm += Math.abs(y[i]!);
    if (!Number.isFinite(ynorm)) return Infinity;
    if (iteration > 0 && ynorm <= estimate) break;
    estimate = ynorm;
    const xi = new Float64Array(n);
    for (let i = 0; i < n; i++) xi[i] = y[i]! >= 0 ? 1 : -1;
    const z = luSolveTransposedVector(f, xi);
    let j = 0;
    let zmax = -1;
    let zx = 0;
    for (let i = 0; i < n; i++) {
      const v = Math.abs(z[i]!);
      if (v > zmax) {
        zmax = v;
        j = i;
      }
      zx += z[i]! * x[i]!;
    }
    if (iteration > 0 && (zmax <= zx || j === lastIndex)) break;
    lastIndex = j;
    x = new Float64Array(n);
    x[j] = 1;
  }
  // Higham's extra test vector catches the matrices that fool the iteration above.
  const alt = new Float64Array(n);
  for (let i = 0; i < n; i++) alt[i] = (i % 2 === 0 ? 1 : -1) * (1 + (n > 1 ? i / (n - 1) : 0));
  const w = luSolveVector(f, alt);
  let wnorm = 0;
  for (let i = 0; i < n; i++) wnorm += Math.abs(w[i]!);
  return Math.max(estimate, (2 * wnorm) / (3 * n));
}

/**
 * The reciprocal of the 1-norm condition number, 1 / (‖A‖₁‖A⁻¹‖₁) (0 when a pivot is exactly
 * zero). ‖A⁻¹‖₁ is estimated from the factors unless `inverseNorm1` gives it (an inverse at hand
 * gives it exactly). Values below machine epsilon mean the matrix is singular to working precision.
 */
export function reciprocalCondition(a: Mat, f: LUFactors, inverseNorm1: () => number = () => estimateInverseNorm1(f)): number {
  if (a.rows === 0) return Infinity;
  if (f.zeroPivot) return 0;
  const anorm = norm1(a);
  if (anorm === 0) return 0;
  const inverseNorm = inverseNorm1();
  if (!Number.isFinite(inverseNorm) || inverseNorm === 0) return 0;
  return 1 / (anorm * inverseNorm);
}

/** The result of a solve or an inverse, with what the `singular` warning needs. */
export interface Solved {
  readonly value: Mat;
  /** Estimated condition number (1-norm for square solves, 2-norm for least squares); Infinity when exactly singular. */
  readonly cond: number;
  /** True when the matrix is singular to working precision (rcond < eps) or rank-deficient. */
  readonly singular: boolean;
}

/** Solves a square system A·X = B by LU with partial pivoting. */
export function solveSquare(a: Mat, b: Mat): Solved {
  if (a.rows !== a.cols) throw new Error('solveSquare: matrix is not square');
  const f = luFactor(a);
  const value = luSolve(f, b);
  return solvedWith(value, reciprocalCondition(a, f));
}

/** A solve's or an inverse's result with the condition number and warning its rcond gives. */
function solvedWith(value: Mat, rcond: number): Solved {
  return { value, cond: rcond === 0 ? Infinity : 1 / rcond, singular: rcond < EPS || Number.isNaN(rcond) };
}

/**
 * A⁻¹ of a square matrix, with its condition number. The inverse is at hand, so ‖A⁻¹‖₁ is read
 * from it rather than estimated: the condition number is exact (numpy's `cond(A, 1)`) and costs n²
 * operations instead of a dozen solves.
 */
export function inverseChecked(a: Mat): Solved {
  if (a.rows !== a.cols) throw new Error('inverseChecked: matrix is not square');
  const f = luFactor(a);
  const value = luInverse(f);
  return solvedWith(value, reciprocalCondition(a, f, () => norm1(value)));
}

/** A⁻¹ of a square matrix, without the condition number. */
export function inverse(a: Mat): Mat {
  if (a.rows !== a.cols) throw new Error('inverse: matrix is not square');
  return luInverse(luFactor(a));
}

/** det(A) from the LU factors: the product of U's diagonal times the permutation's sign. det of 0×0 is 1. */
export function determinant(a: Mat): number {
  if (a.rows !== a.cols) throw new Error('determinant: matrix is not square');
  const n = a.rows;
  const f = luFactor(a);
  let d = f.sign;
  for (let i = 0; i < n; i++) d *= f.lu[i * n + i]!;
  // A singular matrix has determinant 0, not −0 (the permutation's sign is meaningless then).
  return d === 0 ? 0 : d;
}
