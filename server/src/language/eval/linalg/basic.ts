/**
 * Products, transposes and norms on dense row-major matrices.
 */
import { zeros, identity, type Mat } from './mat.js';
import { simdGemm } from './simd.js';

/** Rows of B kept hot in cache while the rows of A stream past them. */
const K_BLOCK = 128;
/** Columns of B and C per pass, so a K_BLOCK×J_BLOCK block of B (256 KB) stays in cache. */
const J_BLOCK = 256;
/**
 * Products with at least this many multiply-adds (and no side shorter than SIMD_MIN_SIDE) go to
 * the WebAssembly SIMD kernel: below it, copying the operands into packed panels costs more than
 * the faster loops save.
 */
const SIMD_MIN_WORK = 32 * 32 * 32;
const SIMD_MIN_SIDE = 8;

/**
 * C ← C + sign·A·B on sub-blocks of flat row-major arrays (the workhorse of matmul, blocked LU and
 * blocked triangular solves): C is m×n at offset c0 with row stride ldc, A is m×kk at a0/lda, B is
 * kk×n at b0/ldb. The arrays may be the same one when the blocks do not overlap.
 *
 * The loop order is i-k-j (the innermost loop walks rows of B and C contiguously), blocked over k
 * and j so a block of B stays in cache, and register-blocked: two rows of C are updated from four
 * rows of B at a time, so every B entry loaded feeds two rows and every C entry is loaded and
 * stored once per four multiply-adds. Every product is formed, so IEEE rules hold (0·Inf is NaN).
 *
 * Large enough products run in the WebAssembly SIMD kernel of simd.ts instead (several times
 * faster); these loops are its fallback and handle the small and thin cases.
 */
export function gemmUpdate(
  C: Float64Array, c0: number, ldc: number,
  A: Float64Array, a0: number, lda: number,
  B: Float64Array, b0: number, ldb: number,
  m: number, kk: number, n: number, sign: 1 | -1,
): void {
  if (m >= SIMD_MIN_SIDE && n >= SIMD_MIN_SIDE && kk >= SIMD_MIN_SIDE && m * n * kk >= SIMD_MIN_WORK) {
    if (simdGemm(C, c0, ldc, A, a0, lda, B, b0, ldb, m, kk, n, sign)) return;
  }
  for (let j0 = 0; j0 < n; j0 += J_BLOCK) {
    const j1 = Math.min(n, j0 + J_BLOCK);
    for (let p0 = 0; p0 < kk; p0 += K_BLOCK) {
      const p1 = Math.min(kk, p0 + K_BLOCK);
      let i = 0;
      for (; i + 1 < m; i += 2) {
        const r0 = c0 + i * ldc;
        const r1 = r0 + ldc;
        const s0 = a0 + i * lda;
        const s1 = s0 + lda;
        let p = p0;
        for (; p + 3 < p1; p += 4) {
          const x0 = sign * A[s0 + p]!;
          const x1 = sign * A[s0 + p + 1]!;
          const x2 = sign * A[s0 + p + 2]!;
          const x3 = sign * A[s0 + p + 3]!;
          const y0 = sign * A[s1 + p]!;
          const y1 = sign * A[s1 + p + 1]!;
          const y2 = sign * A[s1 + p + 2]!;
          const y3 = sign * A[s1 + p + 3]!;
          const q0 = b0 + p * ldb;
          const q1 = q0 + ldb;
          const q2 = q1 + ldb;
          const q3 = q2 + ldb;
          for (let j = j0; j < j1; j++) {
            const u0 = B[q0 + j]!;
            const u1 = B[q1 + j]!;
            const u2 = B[q2 + j]!;
            const u3 = B[q3 + j]!;
            C[r0 + j] += x0 * u0 + x1 * u1 + x2 * u2 + x3 * u3;
            C[r1 + j] += y0 * u0 + y1 * u1 + y2 * u2 + y3 * u3;
          }
        }
        for (; p < p1; p++) {
          const x0 = sign * A[s0 + p]!;
          const y0 = sign * A[s1 + p]!;
          const q0 = b0 + p * ldb;
          for (let j = j0; j < j1; j++) {
            const u = B[q0 + j]!;
            C[r0 + j] += x0 * u;
            C[r1 + j] += y0 * u;
          }
        }
      }
      for (; i < m; i++) {
        const r0 = c0 + i * ldc;
        const s0 = a0 + i * lda;
        let p = p0;
        for (; p + 3 < p1; p += 4) {
          const x0 = sign * A[s0 + p]!;
          const x1 = sign * A[s0 + p + 1]!;
          const x2 = sign * A[s0 + p + 2]!;
          const x3 = sign * A[s0 + p + 3]!;
          const q0 = b0 + p * ldb;
          const q1 = q0 + ldb;
          const q2 = q1 + ldb;
          const q3 = q2 + ldb;
          for (let j = j0; j < j1; j++) C[r0 + j] += x0 * B[q0 + j]! + x1 * B[q1 + j]! + x2 * B[q2 + j]! + x3 * B[q3 + j]!;
        }
        for (; p < p1; p++) {
          const x0 = sign * A[s0 + p]!;
          const q0 = b0 + p * ldb;
          for (let j = j0; j < j1; j++) C[r0 + j] += x0 * B[q0 + j]!;
        }
      }
    }
  }
}

/**
 * ∑ x[xo + i]·y[yo + i] for i < len, with four independent partial sums: a single running sum
 * waits on the latency of every addition, four keep the floating-point unit busy.
 */
export function dotStrided(x: Float64Array, xo: number, y: Float64Array, yo: number, len: number): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let i = 0;
  for (; i + 3 < len; i += 4) {
    s0 += x[xo + i]! * y[yo + i]!;
    s1 += x[xo + i + 1]! * y[yo + i + 1]!;
    s2 += x[xo + i + 2]! * y[yo + i + 2]!;
    s3 += x[xo + i + 3]! * y[yo + i + 3]!;
  }
  for (; i < len; i++) s0 += x[xo + i]! * y[yo + i]!;
  return s0 + s1 + (s2 + s3);
}

/**
 * y[yo + i] −= a·x[xo + i] for i < len (BLAS daxpy with −a), unrolled by four: the loops of the
 * LU panel and of the triangular solves spend most of their time here, and the unrolled body
 * has a quarter of the loop tests. Each entry gets the same one multiply and one subtraction as
 * the plain loop, so results are identical.
 */
export function subtractScaled(y: Float64Array, yo: number, x: Float64Array, xo: number, len: number, a: number): void {
  let i = 0;
  for (; i + 3 < len; i += 4) {
    y[yo + i] -= a * x[xo + i]!;
    y[yo + i + 1] -= a * x[xo + i + 1]!;
    y[yo + i + 2] -= a * x[xo + i + 2]!;
    y[yo + i + 3] -= a * x[xo + i + 3]!;
  }
  for (; i < len; i++) y[yo + i] -= a * x[xo + i]!;
}

/** The matrix product A·B (see `gemmUpdate` for how it is made fast). */
export function matmul(a: Mat, b: Mat): Mat {
  if (a.cols !== b.rows) throw new Error(`matmul: inner sizes ${a.cols} and ${b.rows} differ`);
  const m = a.rows;
  const kk = a.cols;
  const n = b.cols;
  const c = zeros(m, n);
  if (n === 1) {
    // Matrix-vector product: a dot product per row is the cache-friendly order here.
    const A = a.data;
    const B = b.data;
    for (let i = 0; i < m; i++) c.data[i] = dotStrided(A, i * kk, B, 0, kk);
    return c;
  }
  gemmUpdate(c.data, 0, n, a.data, 0, kk, b.data, 0, n, m, kk, n, 1);
  return c;
}

/** The transpose Aᵀ, copied in square tiles so both reads and writes stay in cache. */
export function transpose(a: Mat): Mat {
  const m = a.rows;
  const n = a.cols;
  const t = zeros(n, m);
  const A = a.data;
  const T = t.data;
  const TILE = 32;
  for (let i0 = 0; i0 < m; i0 += TILE) {
    const i1 = Math.min(m, i0 + TILE);
    for (let j0 = 0; j0 < n; j0 += TILE) {
      const j1 = Math.min(n, j0 + TILE);
      for (let i = i0; i < i1; i++) {
        for (let j = j0; j < j1; j++) T[j * m + i] = A[i * n + j]!;
      }
    }
  }
  return t;
}

/** AᵀB without forming Aᵀ (used by least squares and the normal equations). */
export function matmulTransposeA(a: Mat, b: Mat): Mat {
  return matmul(transpose(a), b);
}

/** The Kronecker product A ⊗ B: block (i, j) is a[i, j]·B. */
export function kron(a: Mat, b: Mat): Mat {
  const rows = a.rows * b.rows;
  const cols = a.cols * b.cols;
  const out = zeros(rows, cols);
  for (let i = 0; i < a.rows; i++) {
    for (let j = 0; j < a.cols; j++) {
      const aij = a.data[i * a.cols + j]!;
      for (let p = 0; p < b.rows; p++) {
        const rowStart = (i * b.rows + p) * cols + j * b.cols;
        const bRow = p * b.cols;
        for (let q = 0; q < b.cols; q++) out.data[rowStart + q] = aij * b.data[bRow + q]!;
      }
    }
  }
  return out;
}

/** The outer product x yᵀ of two vectors (any orientation): an len(x)×len(y) matrix. */
export function outer(x: ArrayLike<number>, y: ArrayLike<number>): Mat {
  const out = zeros(x.length, y.length);
  for (let i = 0; i < x.length; i++) {
    const xi = x[i]!;
    for (let j = 0; j < y.length; j++) out.data[i * y.length + j] = xi * y[j]!;
  }
  return out;
}

/** The cross product of two 3-vectors. */
export function cross(x: ArrayLike<number>, y: ArrayLike<number>): Float64Array {
  if (x.length !== 3 || y.length !== 3) throw new Error('cross: both vectors must have 3 entries');
  return Float64Array.of(
    x[1]! * y[2]! - x[2]! * y[1]!,
    x[2]! * y[0]! - x[0]! * y[2]!,
    x[0]! * y[1]! - x[1]! * y[0]!,
  );
}

/** The dot product ∑ xᵢyᵢ of two equally long vectors. */
export function dot(x: ArrayLike<number>, y: ArrayLike<number>): number {
  if (x.length !== y.length) throw new Error('dot: lengths differ');
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i]! * y[i]!;
  return s;
}

/** The sum of the diagonal of a square matrix. */
export function trace(a: Mat): number {
  const n = Math.min(a.rows, a.cols);
  let s = 0;
  for (let i = 0; i < n; i++) s += a.data[i * a.cols + i]!;
  return s;
}

/** The main diagonal (k = 0) or the k-th super- (k > 0) or sub-diagonal (k < 0) of a matrix. */
export function diagonalOf(a: Mat, k = 0): Float64Array {
  const i0 = k >= 0 ? 0 : -k;
  const j0 = k >= 0 ? k : 0;
  const len = Math.max(0, Math.min(a.rows - i0, a.cols - j0));
  const out = new Float64Array(len);
  for (let t = 0; t < len; t++) out[t] = a.data[(i0 + t) * a.cols + j0 + t]!;
  return out;
}

/** A square matrix with the given values on its k-th diagonal (numpy `diag(v, k)`). */
export function diagonalMatrix(values: ArrayLike<number>, k = 0): Mat {
  const n = values.length + Math.abs(k);
  const out = zeros(n, n);
  const i0 = k >= 0 ? 0 : -k;
  const j0 = k >= 0 ? k : 0;
  for (let t = 0; t < values.length; t++) out.data[(i0 + t) * n + j0 + t] = values[t]!;
  return out;
}

/** A rows×cols matrix with the given values on its main diagonal (the Σ of a full SVD). */
export function rectangularDiagonal(values: ArrayLike<number>, rows: number, cols: number): Mat {
  const out = zeros(rows, cols);
  const len = Math.min(values.length, rows, cols);
  for (let t = 0; t < len; t++) out.data[t * cols + t] = values[t]!;
  return out;
}

/** ‖x‖₂ of a vector, scaled to avoid overflow and underflow. */
export function vectorNorm2(x: ArrayLike<number>): number {
  let scaleMax = 0;
  for (let i = 0; i < x.length; i++) {
    const v = Math.abs(x[i]!);
    if (v > scaleMax || Number.isNaN(v)) scaleMax = v;
  }
  if (scaleMax === 0 || !Number.isFinite(scaleMax)) return scaleMax;
  let s = 0;
  for (let i = 0; i < x.length; i++) {
    const v = x[i]! / scaleMax;
    s += v * v;
  }
  return scaleMax * Math.sqrt(s);
}

/** The p-norm of a vector for p ≥ 1, p = Infinity (largest magnitude) or p = -Infinity (smallest). */
export function vectorNorm(x: ArrayLike<number>, p: number): number {
  if (p === 2) return vectorNorm2(x);
  if (p === Infinity || p === -Infinity) {
    let best = p === Infinity ? 0 : Infinity;
    for (let i = 0; i < x.length; i++) {
      const v = Math.abs(x[i]!);
      if (Number.isNaN(v)) return NaN;
      best = p === Infinity ? Math.max(best, v) : Math.min(best, v);
    }
    return best;
  }
  if (p === 1) {
    let s = 0;
    for (let i = 0; i < x.length; i++) s += Math.abs(x[i]!);
    return s;
  }
  if (p === 0) {
    let count = 0;
    for (let i = 0; i < x.length; i++) if (x[i] !== 0) count++;
    return count;
  }
  let s = 0;
  for (let i = 0; i < x.length; i++) s += Math.abs(x[i]!) ** p;
  return s ** (1 / p);
}

/** The matrix 1-norm: the largest absolute column sum. */
export function norm1(a: Mat): number {
  const { rows, cols, data } = a;
  const sums = new Float64Array(cols);
  for (let i = 0; i < rows; i++) {
    const row = i * cols;
    for (let j = 0; j < cols; j++) sums[j] += Math.abs(data[row + j]!);
  }
  let best = 0;
  for (let j = 0; j < a.cols; j++) {
    if (Number.isNaN(sums[j]!)) return NaN;
    best = Math.max(best, sums[j]!);
  }
  return best;
}

/** The matrix ∞-norm: the largest absolute row sum. */
export function normInf(a: Mat): number {
  let best = 0;
  for (let i = 0; i < a.rows; i++) {
    let s = 0;
    for (let j = 0; j < a.cols; j++) s += Math.abs(a.data[i * a.cols + j]!);
    if (Number.isNaN(s)) return NaN;
    best = Math.max(best, s);
  }
  return best;
}

/** The Frobenius norm √(∑ aᵢⱼ²). */
export function normFro(a: Mat): number {
  return vectorNorm2(a.data);
}

/** The largest absolute entry (max-abs), used for tolerances. */
export function maxAbs(a: Mat): number {
  let best = 0;
  for (let i = 0; i < a.data.length; i++) best = Math.max(best, Math.abs(a.data[i]!));
  return best;
}

/**
 * Aᵏ for a square matrix and a non-negative integer k by repeated squaring (⌈log₂ k⌉ products).
 * Negative powers are the caller's business: invert first (see `matrixPower` in index.ts).
 */
export function matrixPowerNonNegative(a: Mat, k: number): Mat {
  if (a.rows !== a.cols) throw new Error('matrixPower: matrix must be square');
  if (!Number.isInteger(k) || k < 0) throw new Error('matrixPowerNonNegative: k must be a non-negative integer');
  let result: Mat | undefined;
  let base = a;
  let e = k;
  while (e > 0) {
    if (e % 2 === 1) result = result === undefined ? base : matmul(result, base);
    e = Math.floor(e / 2);
    if (e > 0) base = matmul(base, base);
  }
  return result ?? identity(a.rows);
}
