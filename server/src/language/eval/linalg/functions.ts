/**
 * Matrix functions: the exponential (scaling and squaring with Padé approximants) and the
 * principal square root.
 */
import { EPS, identity, zeros, isSymmetric, type Mat } from './mat.js';
import { matmul, norm1, transpose } from './basic.js';
import { luFactor, luSolve } from './lu.js';
import { symmetricEigen } from './symeig.js';

/** Padé coefficients b₀…b_m for the degrees Higham (2005) uses. */
const PADE: Record<number, readonly number[]> = {
  3: [120, 60, 12, 1],
  5: [30240, 15120, 3360, 420, 30, 1],
  7: [17297280, 8648640, 1995840, 277200, 25200, 1512, 56, 1],
  9: [17643225600, 8821612800, 2075673600, 302702400, 30270240, 2162160, 110880, 3960, 90, 1],
  13: [
    64764752532480000, 32382376266240000, 7771770303897600, 1187353796428800, 129060195264000,
    10559470521600, 670442572800, 33522128640, 1323241920, 40840800, 960960, 16380, 182, 1,
  ],
};

/** The largest ‖A‖₁ for which each degree is accurate to double precision (Higham 2005, table 2.3). */
const THETA: readonly [number, number][] = [
  [3, 1.495585217958292e-2],
  [5, 2.539398330063230e-1],
  [7, 9.504178996162932e-1],
  [9, 2.097847961257068],
];
const THETA_13 = 5.371920351148152;

/** Σ cₖ·Mₖ for matrices of one shape (used to form the Padé numerator and denominator). */
function combine(n: number, terms: readonly [number, Mat][]): Mat {
  const out = zeros(n, n);
  for (const [c, m] of terms) {
    if (c === 0) continue;
    for (let i = 0; i < out.data.length; i++) out.data[i] += c * m.data[i]!;
  }
  return out;
}

/**
 * e^A by scaling and squaring with a [m/m] Padé approximant (Higham, "The scaling and squaring
 * method for the matrix exponential revisited", 2005): the algorithm of MATLAB's expm and scipy.
 */
export function expm(a: Mat): Mat {
  const n = a.rows;
  if (a.cols !== n) throw new Error('expm: matrix is not square');
  if (n === 0) return zeros(0, 0);
  const anorm = norm1(a);
  if (!Number.isFinite(anorm)) return { rows: n, cols: n, data: new Float64Array(n * n).fill(NaN) };
  const I = identity(n);
  const A2 = matmul(a, a);
  for (const [m, theta] of THETA) {
    if (anorm <= theta) {
      const b = PADE[m]!;
      // U = A·Σ b_{2k+1} A^{2k}, V = Σ b_{2k} A^{2k}.
      const powers: Mat[] = [I, A2];
      while (powers.length * 2 <= m) powers.push(matmul(powers[powers.length - 1]!, A2));
      const odd = combine(n, powers.map((p, k) => [b[2 * k + 1] ?? 0, p] as [number, Mat]));
      const even = combine(n, powers.map((p, k) => [b[2 * k] ?? 0, p] as [number, Mat]));
      return padeQuotient(matmul(a, odd), even);
    }
  }
  const s = Math.max(0, Math.ceil(Math.log2(anorm / THETA_13)));
  const factor = 2 ** -s;
  const As: Mat = { rows: n, cols: n, data: a.data.map((v) => v * factor) };
  const B2 = matmul(As, As);
  const B4 = matmul(B2, B2);
  const B6 = matmul(B2, B4);
  const b = PADE[13]!;
  const inner = combine(n, [[b[13]!, B6], [b[11]!, B4], [b[9]!, B2]]);
  const U = matmul(As, combine(n, [[1, matmul(B6, inner)], [b[7]!, B6], [b[5]!, B4], [b[3]!, B2], [b[1]!, I]]));
  const innerV = combine(n, [[b[12]!, B6], [b[10]!, B4], [b[8]!, B2]]);
  const V = combine(n, [[1, matmul(B6, innerV)], [b[6]!, B6], [b[4]!, B4], [b[2]!, B2], [b[0]!, I]]);
  let R = padeQuotient(U, V);
  for (let k = 0; k < s; k++) R = matmul(R, R);
  return R;
}

/** (V − U)⁻¹(V + U), by an LU solve. */
function padeQuotient(U: Mat, V: Mat): Mat {
  const n = U.rows;
  const P = zeros(n, n);
  const Q = zeros(n, n);
  for (let i = 0; i < n * n; i++) {
    P.data[i] = V.data[i]! + U.data[i]!;
    Q.data[i] = V.data[i]! - U.data[i]!;
  }
  return luSolve(luFactor(Q), P);
}

/** The principal square root: real part, imaginary part (zero for most inputs), and how it was found. */
export interface SquareRoot {
  readonly re: Mat;
  readonly im: Mat;
  readonly complex: boolean;
  /** False when the iteration for a non-symmetric matrix did not converge (eigenvalues on the negative real axis). */
  readonly converged: boolean;
}

/**
 * The principal square root X with X·X = A. Symmetric matrices go through the eigen-decomposition
 * (X = V·diag(√λ)·Vᵀ; a negative eigenvalue gives an imaginary part). Other matrices use the
 * Denman–Beavers iteration with determinant scaling, which converges when no eigenvalue lies on the
 * closed negative real axis.
 */
export function sqrtm(a: Mat): SquareRoot {
  const n = a.rows;
  if (a.cols !== n) throw new Error('sqrtm: matrix is not square');
  if (isSymmetric(a)) {
    const { values, vectors } = symmetricEigen(a, true);
    const V = vectors!;
    const big = values.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
    // Eigenvalues negative only by rounding are zero.
    const tiny = n * EPS * big;
    const re = new Float64Array(n);
    const im = new Float64Array(n);
    let complex = false;
    for (let i = 0; i < n; i++) {
      const l = values[i]!;
      if (l >= 0 || -l <= tiny) re[i] = Math.sqrt(Math.max(l, 0));
      else {
        im[i] = Math.sqrt(-l);
        complex = true;
      }
    }
    const Vt = transpose(V);
    const scaleColumns = (w: Float64Array): Mat => {
      const out = zeros(n, n);
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) out.data[i * n + j] = V.data[i * n + j]! * w[j]!;
      return out;
    };
    return {
      re: matmul(scaleColumns(re), Vt),
      im: complex ? matmul(scaleColumns(im), Vt) : zeros(n, n),
      complex,
      converged: true,
    };
  }
  let Y = a;
  let Z = identity(n);
  let previousChange = Infinity;
  for (let iteration = 0; iteration < 100; iteration++) {
    const fy = luFactor(Y);
    const fz = luFactor(Z);
    if (fy.zeroPivot || fz.zeroPivot) break;
    const Yinv = luSolve(fy, identity(n));
    const Zinv = luSolve(fz, identity(n));
    // Determinant scaling speeds up the early steps (Higham, Functions of Matrices, §6.3).
    let logDet = 0;
    for (let i = 0; i < n; i++) logDet += Math.log(Math.abs(fy.lu[i * n + i]!)) + Math.log(Math.abs(fz.lu[i * n + i]!));
    const g = iteration < 6 ? Math.exp(-logDet / (2 * n)) : 1;
    const Yn = zeros(n, n);
    const Zn = zeros(n, n);
    let change = 0;
    let size = 0;
    for (let i = 0; i < n * n; i++) {
      Yn.data[i] = 0.5 * (g * Y.data[i]! + Zinv.data[i]! / g);
      Zn.data[i] = 0.5 * (g * Z.data[i]! + Yinv.data[i]! / g);
      change = Math.max(change, Math.abs(Yn.data[i]! - Y.data[i]!));
      size = Math.max(size, Math.abs(Yn.data[i]!));
    }
    const previousY = Y;
    Y = Yn;
    Z = Zn;
    if (!Number.isFinite(change)) break;
    if (g === 1 && change <= 10 * n * EPS * size) {
      return { re: Y, im: zeros(n, n), complex: false, converged: true };
    }
    // Rounding can stall the last digits of an ill-conditioned root: stop once the steps stop shrinking.
    if (g === 1 && change <= 1e-8 * size && change >= previousChange) {
      return { re: previousY, im: zeros(n, n), complex: false, converged: true };
    }
    previousChange = change;
  }
  return {
    re: { rows: n, cols: n, data: new Float64Array(n * n).fill(NaN) },
    im: zeros(n, n),
    complex: false,
    converged: false,
  };
}
