/**
 * The symmetric eigenproblem: Householder reduction to tridiagonal form, then the implicit QL
 * algorithm with Wilkinson-type shifts (the method of EISPACK's tred2/tql2, rearranged so every
 * inner loop walks a contiguous row).
 */
import { EPS, zeros, type Mat } from './mat.js';
import { dotStrided } from './basic.js';
import { applyReflectorsBlocked } from './householder.js';
import { simdReleaseLargeMemory, simdSymv, simdSyr2, simdWorkspace } from './simd.js';

/** From this order on, the tridiagonal reduction runs in the SIMD kernels (below it, copying costs more than they save). */
const SIMD_FROM = 24;

/**
 * A = V·diag(values)·Vᵀ with values ascending and V orthogonal (eigenvectors as columns). Each
 * eigenvector's sign is fixed so its largest-magnitude entry is positive (the first such entry on a
 * tie), so results do not flip between runs or implementations.
 */
export interface SymmetricEigen {
  readonly values: Float64Array;
  /** Present when vectors were asked for. */
  readonly vectors?: Mat;
  /** How the eigenvectors were found (absent when none were asked for). */
  readonly method?: 'ql' | 'inverse-iteration';
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
 * How eigenvectors are found: `ql` accumulates every QL rotation into the eigenvector matrix
 * (robust, about 6n³ flops); `inverse-iteration` finds the eigenvalues by QL alone, then each
 * eigenvector of the tridiagonal matrix by inverse iteration (re-orthogonalized within clusters of
 * close eigenvalues, as LAPACK's dstein does), then applies the Householder reflectors to them
 * once (about 2n³ flops), falling back to `ql` if any vector fails to converge or fails its residual
 * check; `auto` uses inverse iteration from n = 16 up.
 */
export type SymmetricEigenMethod = 'auto' | 'ql' | 'inverse-iteration';

/**
 * Eigenvalues (ascending) and orthonormal eigenvectors of a symmetric matrix. Only the lower
 * triangle is trusted: the upper one is taken as its mirror, so rounding asymmetry does no harm.
 */
export function symmetricEigen(a: Mat, wantVectors = true, method: SymmetricEigenMethod = 'auto'): SymmetricEigen {
  const n = a.rows;
  if (a.cols !== n) throw new Error('symmetricEigen: matrix is not square');
  if (n === 0) return { values: new Float64Array(0), vectors: wantVectors ? zeros(0, 0) : undefined, method: wantVectors ? 'ql' : undefined };
  // From SIMD_FROM on, the working copy and the reduction's two vectors live in the SIMD kernels'
  // memory, where its O(n³) loops run (simd.ts); heap index aAt + x is entry x of A.
  const workspace = n >= SIMD_FROM ? simdWorkspace(n * n + 2 * n) : undefined;
  const aAt = workspace ? workspace.base : 0;
  const vAt = aAt + n * n;
  const pAt = vAt + n;
  const A = workspace ? workspace.heap.subarray(aAt, aAt + n * n) : new Float64Array(n * n);
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
  // Only the lower triangle (j ≤ i) is kept up to date: the symmetric product A₂₂·v reads each
  // stored entry once for two rows (as BLAS dsymv does), and the rank-2 update writes half the
  // matrix, so each step streams through half as much memory.
  const p = workspace ? workspace.heap.subarray(pAt, pAt + n) : new Float64Array(n);
  for (let k = 0; k < n - 2; k++) {
    const len = n - k - 1;
    // x = A[k+1:n, k], a column of the lower triangle.
    let big = 0;
    for (let i = k + 1; i < n; i++) big = Math.max(big, Math.abs(A[i * n + k]!));
    d[k] = A[k * n + k]!;
    if (big === 0) {
      e[k] = 0;
      reflectors.push({ v: new Float64Array(len), beta: 0 });
      continue;
    }
    let ss = 0;
    for (let i = k + 1; i < n; i++) {
      const t = A[i * n + k]! / big;
      ss += t * t;
    }
    const norm = big * Math.sqrt(ss);
    const x0 = A[(k + 1) * n + k]!;
    const alpha = x0 > 0 ? -norm : norm;
    const v = new Float64Array(len);
    for (let i = 0; i < len; i++) v[i] = A[(k + 1 + i) * n + k]!;
    v[0] = x0 - alpha;
    const vtv = 2 * norm * (norm + Math.abs(x0));
    const beta = 2 / vtv;
    e[k] = alpha;
    reflectors.push({ v, beta });
    // p = β·A₂₂·v from the lower triangle, then w = p − (β pᵀv / 2)·v, and A₂₂ ← A₂₂ − v wᵀ − w vᵀ.
    p.fill(0, 0, len);
    if (workspace) {
      workspace.heap.set(v, vAt);
      simdSymv(aAt + (k + 1) * n + k + 1, n, len, vAt, pAt);
    } else {
      for (let i = 0; i < len; i++) {
        const ri = (k + 1 + i) * n + k + 1;
        const vi = v[i]!;
        let s = 0;
        for (let j = 0; j < i; j++) {
          const a = A[ri + j]!;
          s += a * v[j]!;
          p[j] += a * vi;
        }
        p[i] += s + A[ri + i]! * vi;
      }
    }
    let pv = 0;
    for (let i = 0; i < len; i++) {
      p[i] = beta * p[i]!;
      pv += p[i]! * v[i]!;
    }
    const K = (beta * pv) / 2;
    for (let i = 0; i < len; i++) p[i] = p[i]! - K * v[i]!;
    if (workspace) {
      simdSyr2(aAt + (k + 1) * n + k + 1, n, len, vAt, pAt);
    } else {
      for (let i = 0; i < len; i++) {
        const ri = (k + 1 + i) * n + k + 1;
        const vi = v[i]!;
        const wi = p[i]!;
        for (let j = 0; j <= i; j++) A[ri + j] -= vi * p[j]! + wi * v[j]!;
      }
    }
  }
  if (n >= 2) {
    d[n - 2] = A[(n - 2) * n + n - 2]!;
    e[n - 2] = A[(n - 1) * n + n - 2]!;
  }
  d[n - 1] = A[(n - 1) * n + n - 1]!;
  e[n - 1] = 0;
  // A is not read from here on.
  simdReleaseLargeMemory();

  const useInverseIteration = wantVectors && (method === 'inverse-iteration' || (method === 'auto' && n >= 16));
  if (useInverseIteration) {
    const dd = d.slice();
    const ee = e.slice();
    if (implicitQL(dd, ee, undefined, n)) {
      const values = dd.sort();
      const vectors = tridiagonalEigenvectors(d, e, values);
      if (vectors) {
        // The eigenvectors of A are Q·Z = H₀H₁⋯H₍ₙ₋₃₎·Z, applied without forming Q.
        applyReflectorsBlocked(vectors.data, n, n, reflectors.map((r, k) => ({ v: r.v, beta: r.beta, offset: k + 1 })));
        normalizeColumnSigns(vectors);
        return { values, vectors, method: 'inverse-iteration' };
      }
    }
  }

  // Q holds the eigenvectors as columns; the QL rotations mix two adjacent columns, and are
  // applied a whole sweep at a time, row by row (see `implicitQL`).
  let Q: Float64Array | undefined;
  if (wantVectors) {
    // Q = H₀H₁⋯H₍ₙ₋₃₎, accumulated from the right end so each step touches only the trailing block.
    Q = new Float64Array(n * n);
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
  }

  if (!implicitQL(d, e, Q, n)) {
    d.fill(NaN);
    Q?.fill(NaN);
  }

  // Sort ascending, carrying each eigenvector along.
  const order = Array.from({ length: n }, (_, i) => i).sort((x, y) => d[x]! - d[y]!);
  const values = new Float64Array(n);
  for (let i = 0; i < n; i++) values[i] = d[order[i]!]!;
  if (!Q) return { values };
  const vectors = zeros(n, n);
  for (let i = 0; i < n; i++) {
    const ri = i * n;
    for (let c = 0; c < n; c++) vectors.data[ri + c] = Q[ri + order[c]!]!;
  }
  normalizeColumnSigns(vectors);
  return { values, vectors, method: 'ql' };
}

/**
 * Diagonalizes the symmetric tridiagonal matrix with diagonal d and off-diagonal e (e[i] couples i
 * and i+1, e[n−1] = 0) in place. When V is given (row-major n×n), each sweep's rotations are
 * applied to its columns: the sweep's cosines and sines are recorded, then every row of V runs
 * through the whole chain with the value being carried in a register, so each entry is loaded and
 * stored once per sweep (as LAPACK's dlasr does). Returns false when some eigenvalue fails to
 * converge in 60 sweeps.
 */
function implicitQL(d: Float64Array, e: Float64Array, V: Float64Array | undefined, n: number): boolean {
  let shiftSum = 0;
  let tst1 = 0;
  const cosines = new Float64Array(n);
  const sines = new Float64Array(n);
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
          cosines[i] = c;
          sines[i] = s;
        }
        if (V) applyQLSweep(V, n, l, m, cosines, sines);
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

/**
 * Applies one QL sweep's rotations to the columns of V: for i = m−1 down to l, column i+1 ←
 * s·col i + c·col i+1 and column i ← c·col i − s·col i+1. Each row carries its running value
 * through the chain; four rows go together so their chains overlap in time.
 */
function applyQLSweep(V: Float64Array, n: number, l: number, m: number, cs: Float64Array, sn: Float64Array): void {
  let k = 0;
  for (; k + 3 < n; k += 4) {
    const o0 = k * n;
    const o1 = o0 + n;
    const o2 = o1 + n;
    const o3 = o2 + n;
    let k0 = V[o0 + m]!;
    let k1 = V[o1 + m]!;
    let k2 = V[o2 + m]!;
    let k3 = V[o3 + m]!;
    for (let i = m - 1; i >= l; i--) {
      const c = cs[i]!;
      const s = sn[i]!;
      const v0 = V[o0 + i]!;
      const v1 = V[o1 + i]!;
      const v2 = V[o2 + i]!;
      const v3 = V[o3 + i]!;
      V[o0 + i + 1] = s * v0 + c * k0;
      V[o1 + i + 1] = s * v1 + c * k1;
      V[o2 + i + 1] = s * v2 + c * k2;
      V[o3 + i + 1] = s * v3 + c * k3;
      k0 = c * v0 - s * k0;
      k1 = c * v1 - s * k1;
      k2 = c * v2 - s * k2;
      k3 = c * v3 - s * k3;
    }
    V[o0 + l] = k0;
    V[o1 + l] = k1;
    V[o2 + l] = k2;
    V[o3 + l] = k3;
  }
  for (; k < n; k++) {
    const row = k * n;
    let carry = V[row + m]!;
    for (let i = m - 1; i >= l; i--) {
      const vi = V[row + i]!;
      const c = cs[i]!;
      const s = sn[i]!;
      V[row + i + 1] = s * vi + c * carry;
      carry = c * vi - s * carry;
    }
    V[row + l] = carry;
  }
}

/** Negates each column whose largest-magnitude entry is negative. */
export function normalizeColumnSigns(m: Mat): void {
  const { rows, cols, data } = m;
  for (let c = 0; c < cols; c++) {
    let best = 0;
    let value = 0;
    for (let r = 0; r < rows; r++) {
      const v = data[r * cols + c]!;
      if (Math.abs(v) > best + 1e-12 * best) {
        best = Math.abs(v);
        value = v;
      }
    }
    if (value < 0) for (let r = 0; r < rows; r++) data[r * cols + c] = -data[r * cols + c]!;
  }
}

/**
 * Eigenvectors of the symmetric tridiagonal matrix (diagonal d, off-diagonal e) for the given
 * ascending eigenvalues, by inverse iteration with a pivoted tridiagonal LU (LAPACK's dlagtf/dstein
 * scheme): shifts inside a cluster are nudged apart, and each iterate is orthogonalized against the
 * cluster's earlier vectors. Returns the eigenvectors as the columns of a row-major matrix, or
 * undefined when some vector does not converge or fails the residual check.
 */
function tridiagonalEigenvectors(d: Float64Array, e: Float64Array, values: Float64Array): Mat | undefined {
  const n = d.length;
  let tnorm = 0;
  for (let i = 0; i < n; i++) {
    tnorm = Math.max(tnorm, Math.abs(d[i]!) + (i > 0 ? Math.abs(e[i - 1]!) : 0) + (i < n - 1 ? Math.abs(e[i]!) : 0));
  }
  if (tnorm === 0) tnorm = 1;
  const clusterTolerance = 1e-3 * tnorm;
  const nudge = 10 * EPS * tnorm;
  const tinyPivot = EPS * tnorm;
  const convergedGrowth = 1 / (1e3 * n * EPS * tnorm);
  const residualLimit = 1e3 * n * EPS * tnorm;
  const Z = zeros(n, n);
  const u0 = new Float64Array(n);
  const u1 = new Float64Array(n);
  const u2 = new Float64Array(n);
  const mult = new Float64Array(n);
  const swapped = new Uint8Array(n);
  const x = new Float64Array(n);
  const y = new Float64Array(n);
  // Vectors of the current cluster, each a column of Z gathered contiguously for Gram–Schmidt.
  const cluster: Float64Array[] = [];
  let previousShift = -Infinity;
  let previousValue = -Infinity;
  let seed = 12345;
  const random = (): number => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return seed / 4294967296 - 0.5;
  };
  for (let j = 0; j < n; j++) {
    const lambda = values[j]!;
    if (lambda - previousValue > clusterTolerance) cluster.length = 0;
    let shift = lambda;
    if (shift - previousShift < nudge) shift = previousShift + nudge;
    previousShift = shift;
    previousValue = lambda;

    // Pivoted LU of T − shift·I: U has diagonals u0, u1, u2; row k+1 −= mult[k]·row k after an
    // optional swap of rows k and k+1.
    let a = d[0]! - shift;
    let b = n > 1 ? e[0]! : 0;
    for (let k = 0; k < n - 1; k++) {
      const c = e[k]!;
      const next = d[k + 1]! - shift;
      const after = k + 1 < n - 1 ? e[k + 1]! : 0;
      if (Math.abs(a) >= Math.abs(c)) {
        swapped[k] = 0;
        if (a === 0) a = tinyPivot;
        const l = c / a;
        u0[k] = a;
        u1[k] = b;
        u2[k] = 0;
        mult[k] = l;
        a = next - l * b;
        b = after;
      } else {
        swapped[k] = 1;
        const l = a / c;
        u0[k] = c;
        u1[k] = next;
        u2[k] = after;
        mult[k] = l;
        a = b - l * next;
        b = -l * after;
      }
    }
    u0[n - 1] = a === 0 ? tinyPivot : a;

    for (let i = 0; i < n; i++) x[i] = random();
    let converged = false;
    let extra = 0;
    for (let iteration = 0; iteration < 8 && extra < 2; iteration++) {
      // Solve (T − shift·I) y = x.
      y.set(x);
      for (let k = 0; k < n - 1; k++) {
        if (swapped[k]) {
          const t = y[k]!;
          y[k] = y[k + 1]!;
          y[k + 1] = t;
        }
        y[k + 1] -= mult[k]! * y[k]!;
      }
      for (let k = n - 1; k >= 0; k--) {
        let v = y[k]!;
        if (k + 1 < n) v -= u1[k]! * y[k + 1]!;
        if (k + 2 < n) v -= u2[k]! * y[k + 2]!;
        y[k] = v / u0[k]!;
      }
      // Orthogonalize against the cluster's earlier eigenvectors (modified Gram–Schmidt).
      for (const z of cluster) {
        const proj = dotStrided(z, 0, y, 0, n);
        for (let i = 0; i < n; i++) y[i] -= proj * z[i]!;
      }
      let norm = 0;
      for (let i = 0; i < n; i++) norm += y[i]! * y[i]!;
      norm = Math.sqrt(norm);
      if (!(norm > 0) || !Number.isFinite(norm)) return undefined;
      for (let i = 0; i < n; i++) x[i] = y[i]! / norm;
      if (norm >= convergedGrowth) {
        converged = true;
        extra++;
      }
    }
    if (!converged) return undefined;
    // Residual check: ‖T x − λ x‖∞ must be at rounding level.
    for (let i = 0; i < n; i++) {
      let r = (d[i]! - lambda) * x[i]!;
      if (i > 0) r += e[i - 1]! * x[i - 1]!;
      if (i < n - 1) r += e[i]! * x[i + 1]!;
      if (!(Math.abs(r) <= residualLimit)) return undefined;
    }
    const column = x.slice();
    cluster.push(column);
    for (let i = 0; i < n; i++) Z.data[i * n + j] = column[i]!;
  }
  return Z;
}
