/**
 * Householder QR and least squares.
 *
 * The working copy is stored column-major so every Householder vector and every column it is applied
 * to is contiguous in memory (the LINPACK layout); results are converted back to row-major.
 */
import { EPS, zeros, type Mat } from './mat.js';
import { dotStrided } from './basic.js';
import { applyReflectorsBlocked, type Reflector } from './householder.js';

/** A = Q·R in compact Householder form. */
export interface QRFactors {
  readonly rows: number;
  readonly cols: number;
  /** Column-major m×n: on and below the diagonal, the Householder vectors v (H = I − v vᵀ / v₀); above it, R. */
  readonly qr: Float64Array;
  /** The diagonal of R. */
  readonly rdiag: Float64Array;
}

/** Factors A = Q·R with Householder reflections (no column pivoting). */
export function qrFactor(a: Mat): QRFactors {
  const m = a.rows;
  const n = a.cols;
  const qr = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) qr[j * m + i] = a.data[i * n + j]!;
  }
  const steps = Math.min(m, n);
  const rdiag = new Float64Array(steps);
  for (let k = 0; k < steps; k++) {
    const ck = k * m;
    // The norm of the column below the diagonal, scaled to avoid overflow.
    let big = 0;
    for (let i = k; i < m; i++) big = Math.max(big, Math.abs(qr[ck + i]!));
    let nrm = 0;
    if (big > 0 && Number.isFinite(big)) {
      let s = 0;
      for (let i = k; i < m; i++) {
        const v = qr[ck + i]! / big;
        s += v * v;
      }
      nrm = big * Math.sqrt(s);
    } else if (!Number.isFinite(big)) {
      nrm = NaN;
    }
    if (nrm !== 0) {
      if (qr[ck + k]! < 0) nrm = -nrm;
      for (let i = k; i < m; i++) qr[ck + i] /= nrm;
      qr[ck + k] += 1;
      const vk = qr[ck + k]!;
      for (let j = k + 1; j < n; j++) {
        const cj = j * m;
        const s = -dotStrided(qr, ck + k, qr, cj + k, m - k) / vk;
        for (let i = k; i < m; i++) qr[cj + i] += s * qr[ck + i]!;
      }
    }
    rdiag[k] = -nrm;
  }
  return { rows: m, cols: n, qr, rdiag };
}

/**
 * Q from the factors: thin (m×k with k = min(m, n)) or full (m×m), row-major. The columns of Q are
 * orthonormal; Q·R reproduces A.
 */
export function qrQ(f: QRFactors, full: boolean): Mat {
  const m = f.rows;
  const steps = f.rdiag.length;
  const qcols = full ? m : steps;
  // Q = H₀H₁⋯H_{k−1}·[the first qcols columns of I], with Hₖ = I − vvᵀ/v₀ (LINPACK's scaling),
  // applied in blocks (compact WY) so the work runs in matrix products.
  const out = zeros(m, qcols);
  for (let j = 0; j < Math.min(m, qcols); j++) out.data[j * qcols + j] = 1;
  const reflectors: Reflector[] = [];
  for (let k = 0; k < steps; k++) {
    const ck = k * m;
    const vk = f.qr[ck + k]!;
    const usable = vk !== 0 && !Number.isNaN(vk);
    reflectors.push({ v: f.qr.slice(ck + k, ck + m), beta: usable ? 1 / vk : 0, offset: k });
  }
  applyReflectorsBlocked(out.data, m, qcols, reflectors);
  return out;
}

/** R from the factors: thin (k×n) or full (m×n), upper triangular, row-major. */
export function qrR(f: QRFactors, full: boolean): Mat {
  const m = f.rows;
  const n = f.cols;
  const steps = f.rdiag.length;
  const rrows = full ? m : steps;
  const r = zeros(rrows, n);
  for (let i = 0; i < steps; i++) {
    r.data[i * n + i] = f.rdiag[i]!;
    for (let j = i + 1; j < n; j++) r.data[i * n + j] = f.qr[j * m + i]!;
  }
  return r;
}

/** Qᵀ·B applied in place to a column-major m×k block (used by least squares). */
function applyQTransposed(f: QRFactors, b: Float64Array, k: number): void {
  const m = f.rows;
  const steps = f.rdiag.length;
  for (let s = 0; s < steps; s++) {
    const cs = s * m;
    const vs = f.qr[cs + s]!;
    if (vs === 0 || Number.isNaN(vs)) continue;
    for (let c = 0; c < k; c++) {
      const cb = c * m;
      const t = -dotStrided(f.qr, cs + s, b, cb + s, m - s) / vs;
      for (let i = s; i < m; i++) b[cb + i] += t * f.qr[cs + i]!;
    }
  }
}

/**
 * True when R's diagonal shows a (numerically) rank-deficient A: some |rᵢᵢ| at or below
 * max(m, n)·eps·max|rᵢᵢ|, the tolerance numpy's matrix_rank uses for singular values.
 */
export function qrRankDeficient(f: QRFactors): boolean {
  let big = 0;
  for (let i = 0; i < f.rdiag.length; i++) big = Math.max(big, Math.abs(f.rdiag[i]!));
  const tol = Math.max(f.rows, f.cols) * EPS * big;
  for (let i = 0; i < f.rdiag.length; i++) {
    if (!(Math.abs(f.rdiag[i]!) > tol)) return true;
  }
  return big === 0 && f.rdiag.length > 0;
}

/**
 * The least-squares solution of A·X ≈ B for a tall (m ≥ n) matrix of full column rank:
 * X = R⁻¹·(QᵀB)[0:n]. The caller checks `qrRankDeficient` first and otherwise uses the
 * pseudo-inverse.
 */
export function qrLeastSquares(f: QRFactors, b: Mat): Mat {
  const m = f.rows;
  const n = f.cols;
  if (m < n) throw new Error('qrLeastSquares: the matrix must have at least as many rows as columns');
  if (b.rows !== m) throw new Error(`qrLeastSquares: right-hand side has ${b.rows} rows, expected ${m}`);
  const k = b.cols;
  const work = new Float64Array(m * k);
  for (let i = 0; i < m; i++) {
    for (let c = 0; c < k; c++) work[c * m + i] = b.data[i * k + c]!;
  }
  applyQTransposed(f, work, k);
  const x = zeros(n, k);
  for (let c = 0; c < k; c++) {
    const cb = c * m;
    for (let i = n - 1; i >= 0; i--) {
      let s = work[cb + i]!;
      for (let j = i + 1; j < n; j++) s -= f.qr[j * m + i]! * x.data[j * k + c]!;
      x.data[i * k + c] = s / f.rdiag[i]!;
    }
  }
  return x;
}
