/**
 * The symmetric eigenproblem: Householder reduction to tridiagonal form, then the implicit QL
 * algorithm with Wilkinson-type shifts (the method of EISPACK's tred2/tql2, rearranged so every
 * inner loop walks a contiguous row).
 */
import { EPS, zeros, type Mat } from './mat.js';

/** A = V·diag(values)·Vᵀ with values ascending and V orthogonal (eigenvectors as columns). */
export interface SymmetricEigen {
  readonly values: Float64Array;
  /** Present when vectors were asked for. */
  readonly vectors?: Mat;
}

function hypot(a: number, b: number): number {
  const x = Math.abs(a);
  const y = Math.abs(b);
  if (x > y) {
    const r = y / x;
    return x * Math.sqrt(1 + r * r);
  }
  if (y === 0) return 0;
  const r = x / y;
  return y * Math.sqrt(1 + r * r);
}

/**
 * Eigenvalues (ascending) and orthonormal eigenvectors of a symmetric matrix. Only the lower
 * triangle is trusted: the upper one is taken as its mirror, so rounding asymmetry does no harm.
 */
export function symmetricEigen(a: Mat, wantVectors = true): SymmetricEigen {
  const n = a.rows;
  if (a.cols !== n) throw new Error('symmetricEigen: matrix is not square');
  if (n === 0) return { values: new Float64Array(0), vectors: wantVectors ? zeros(0, 0) : undefined };
  const A = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      const v = a.data[i * n + j]!;
      A[i * n + j] = v;
      A[j * n + i] = v;
    }
  }
  for (let i = 0; i < A.length; i++) {
    if (!Number.isFinite(A[i]!)) {
      return {
        values: new Float64Array(n).fill(NaN),
        vectors: wantVectors ? { rows: n, cols: n, data: new Float64Array(n * n).fill(NaN) } : undefined,
      };
    }
  }

  const d = new Float64Array(n);
  const e = new Float64Array(n);
  // Householder vectors, one per step k, each of length n−k−1 (stored from index k+1), and their β.
  const reflectors: { v: Float64Array; beta: number }[] = [];
  const p = new Float64Array(n);
  for (let k = 0; k < n - 2; k++) {
    const rk = k * n;
    const len = n - k - 1;
    let big = 0;
    for (let j = k + 1; j < n; j++) big = Math.max(big, Math.abs(A[rk + j]!));
    d[k] = A[rk + k]!;
    if (big === 0) {
      e[k] = 0;
      reflectors.push({ v: new Float64Array(len), beta: 0 });
      continue;
    }
    let ss = 0;
    for (let j = k + 1; j < n; j++) {
      const t = A[rk + j]! / big;
      ss += t * t;
    }
    const norm = big * Math.sqrt(ss);
    const x0 = A[rk + k + 1]!;
    const alpha = x0 > 0 ? -norm : norm;
    const v = new Float64Array(len);
    for (let j = 0; j < len; j++) v[j] = A[rk + k + 1 + j]!;
    v[0] = x0 - alpha;
    const vtv = 2 * norm * (norm + Math.abs(x0));
    const beta = 2 / vtv;
    e[k] = alpha;
    reflectors.push({ v, beta });
    // p = β·A₂₂·v, then w = p − (β pᵀv / 2)·v, and A₂₂ ← A₂₂ − v wᵀ − w vᵀ.
    let pv = 0;
    for (let i = 0; i < len; i++) {
      const ri = (k + 1 + i) * n + k + 1;
      let s = 0;
      for (let j = 0; j < len; j++) s += A[ri + j]! * v[j]!;
      p[i] = beta * s;
      pv += p[i]! * v[i]!;
    }
    const K = (beta * pv) / 2;
    for (let i = 0; i < len; i++) p[i] = p[i]! - K * v[i]!;
    for (let i = 0; i < len; i++) {
      const ri = (k + 1 + i) * n + k + 1;
      const vi = v[i]!;
      const wi = p[i]!;
      for (let j = 0; j < len; j++) A[ri + j] -= vi * p[j]! + wi * v[j]!;
    }
  }
  if (n >= 2) {
    d[n - 2] = A[(n - 2) * n + n - 2]!;
    e[n - 2] = A[(n - 2) * n + n - 1]!;
  }
  d[n - 1] = A[(n - 1) * n + n - 1]!;
  e[n - 1] = 0;

  // Z holds the transposed eigenvector matrix: row i is the i-th eigenvector, so the QL rotations,
  // which mix two eigenvectors, mix two contiguous rows.
  let Z: Float64Array | undefined;
  if (wantVectors) {
    // Q = H₀H₁⋯H₍ₙ₋₃₎, accumulated from the right end so each step touches only the trailing block.
    const Q = new Float64Array(n * n);
    for (let i = 0; i < n; i++) Q[i * n + i] = 1;
    const w = new Float64Array(n);
    for (let k = reflectors.length - 1; k >= 0; k--) {
      const { v, beta } = reflectors[k]!;
      if (beta === 0) continue;
      const off = k + 1;
      const len = n - off;
      w.fill(0, 0, len);
      for (let i = 0; i < len; i++) {
        const vi = v[i]!;
        if (vi === 0) continue;
        const ri = (off + i) * n + off;
        for (let j = 0; j < len; j++) w[j] += vi * Q[ri + j]!;
      }
      for (let i = 0; i < len; i++) {
        const f = beta * v[i]!;
        if (f === 0) continue;
        const ri = (off + i) * n + off;
        for (let j = 0; j < len; j++) Q[ri + j] -= f * w[j]!;
      }
    }
    Z = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) Z[j * n + i] = Q[i * n + j]!;
  }

  if (!implicitQL(d, e, Z, n)) {
    d.fill(NaN);
    Z?.fill(NaN);
  }

  // Sort ascending, carrying each eigenvector along.
  const order = Array.from({ length: n }, (_, i) => i).sort((x, y) => d[x]! - d[y]!);
  const values = new Float64Array(n);
  for (let i = 0; i < n; i++) values[i] = d[order[i]!]!;
  if (!Z) return { values };
  const vectors = zeros(n, n);
  for (let c = 0; c < n; c++) {
    const src = order[c]! * n;
    for (let i = 0; i < n; i++) vectors.data[i * n + c] = Z[src + i]!;
  }
  return { values, vectors };
}

/**
 * Diagonalizes the symmetric tridiagonal matrix with diagonal d and off-diagonal e (e[i] couples i
 * and i+1, e[n−1] = 0) in place; rotations are applied to the rows of Z when given. Returns false
 * when some eigenvalue fails to converge in 60 sweeps.
 */
function implicitQL(d: Float64Array, e: Float64Array, Z: Float64Array | undefined, n: number): boolean {
  let shiftSum = 0;
  let tst1 = 0;
  for (let l = 0; l < n; l++) {
    tst1 = Math.max(tst1, Math.abs(d[l]!) + Math.abs(e[l]!));
    let m = l;
    while (m < n - 1 && Math.abs(e[m]!) > EPS * tst1) m++;
    if (m > l) {
      let iterations = 0;
      do {
        if (++iterations > 60) return false;
        // The shift: the eigenvalue of the leading 2×2 block closer to d[l].
        let g = d[l]!;
        let p = (d[l + 1]! - g) / (2 * e[l]!);
        let r = hypot(p, 1);
        if (p < 0) r = -r;
        d[l] = e[l]! / (p + r);
        d[l + 1] = e[l]! * (p + r);
        const dl1 = d[l + 1]!;
        let h = g - d[l]!;
        for (let i = l + 2; i < n; i++) d[i] -= h;
        shiftSum += h;
        // The implicit QL sweep from m up to l.
        p = d[m]!;
        let c = 1;
        let c2 = c;
        let c3 = c;
        const el1 = e[l + 1]!;
        let s = 0;
        let s2 = 0;
        for (let i = m - 1; i >= l; i--) {
          c3 = c2;
          c2 = c;
          s2 = s;
          g = c * e[i]!;
          h = c * p;
          r = hypot(p, e[i]!);
          e[i + 1] = s * r;
          s = e[i]! / r;
          c = p / r;
          p = c * d[i]! - s * g;
          d[i + 1] = h + s * (c * g + s * d[i]!);
          if (Z) {
            const ri = i * n;
            const ri1 = ri + n;
            for (let k = 0; k < n; k++) {
              const zi = Z[ri + k]!;
              const zi1 = Z[ri1 + k]!;
              Z[ri1 + k] = s * zi + c * zi1;
              Z[ri + k] = c * zi - s * zi1;
            }
          }
        }
        p = (-s * s2 * c3 * el1 * e[l]!) / dl1;
        e[l] = s * p;
        d[l] = c * p;
      } while (Math.abs(e[l]!) > EPS * tst1);
    }
    d[l] = d[l]! + shiftSum;
    e[l] = 0;
  }
  return true;
}
