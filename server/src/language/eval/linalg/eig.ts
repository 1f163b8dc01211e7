/**
 * The general (non-symmetric) real eigenproblem: orthogonal reduction to upper Hessenberg form,
 * then the Francis double-shift QR iteration to real Schur form, then back-substitution for the
 * eigenvectors (the method of EISPACK's orthes/hqr2, as in the Handbook for Automatic Computation).
 */
import { EPS, zeros, type Mat } from './mat.js';

/**
 * Eigenvalues re + i·im and eigenvectors (columns, re + i·im) of a real square matrix. Complex
 * eigenvalues come in conjugate pairs, the one with positive imaginary part first; every
 * eigenvector has unit 2-norm.
 */
export interface GeneralEigen {
  readonly valuesRe: Float64Array;
  readonly valuesIm: Float64Array;
  readonly vectorsRe: Mat;
  readonly vectorsIm: Mat;
  /** True when every eigenvalue is real (then vectorsIm is all zeros). */
  readonly real: boolean;
}

function complexDivide(xr: number, xi: number, yr: number, yi: number): [number, number] {
  if (Math.abs(yr) > Math.abs(yi)) {
    const r = yi / yr;
    const d = yr + r * yi;
    return [(xr + r * xi) / d, (xi - r * xr) / d];
  }
  const r = yr / yi;
  const d = yi + r * yr;
  return [(r * xr + xi) / d, (r * xi - xr) / d];
}

/** Eigen-decomposition of a general real square matrix. */
export function generalEigen(a: Mat): GeneralEigen {
  const n = a.rows;
  if (a.cols !== n) throw new Error('generalEigen: matrix is not square');
  const H = a.data.slice();
  const V = new Float64Array(n * n);
  const d = new Float64Array(n);
  const e = new Float64Array(n);
  let finite = true;
  for (let i = 0; i < H.length; i++) if (!Number.isFinite(H[i]!)) finite = false;
  if (!finite || !(reduceToHessenberg(H, V, n) && schurAndVectors(H, V, d, e, n))) {
    const nan = (): Mat => ({ rows: n, cols: n, data: new Float64Array(n * n).fill(NaN) });
    return {
      valuesRe: new Float64Array(n).fill(NaN),
      valuesIm: new Float64Array(n).fill(NaN),
      vectorsRe: nan(),
      vectorsIm: nan(),
      real: false,
    };
  }
  // Unpack: a real eigenvalue's vector is column j of V; a pair (j, j+1) with e[j] > 0 stores
  // re and im of the first vector in columns j and j+1, and the second is its conjugate.
  const vr = zeros(n, n);
  const vi = zeros(n, n);
  let real = true;
  for (let j = 0; j < n; j++) {
    if (e[j] === 0) {
      for (let i = 0; i < n; i++) vr.data[i * n + j] = V[i * n + j]!;
    } else if (e[j]! > 0 && j + 1 < n) {
      real = false;
      for (let i = 0; i < n; i++) {
        const re = V[i * n + j]!;
        const im = V[i * n + j + 1]!;
        vr.data[i * n + j] = re;
        vi.data[i * n + j] = im;
        vr.data[i * n + j + 1] = re;
        vi.data[i * n + j + 1] = -im;
      }
      j++;
    }
  }
  // Unit 2-norm columns whose largest-magnitude entry is real and positive (LAPACK makes it real;
  // fixing its sign too keeps results from flipping between runs and implementations).
  for (let j = 0; j < n; j++) {
    let s = 0;
    let largest = 0;
    let pr = 1;
    let pi = 0;
    let pivot = 0;
    for (let i = 0; i < n; i++) {
      const re = vr.data[i * n + j]!;
      const im = vi.data[i * n + j]!;
      const size = re * re + im * im;
      s += size;
      if (size > largest * (1 + 1e-12)) {
        largest = size;
        pr = re;
        pi = im;
        pivot = i;
      }
    }
    const norm = Math.sqrt(s);
    if (norm > 0 && largest > 0) {
      // Multiply by conj(p)/(|p|·norm): the pivot entry becomes |p|/norm, real and positive.
      const pm = Math.sqrt(largest);
      const fr = pr / (pm * norm);
      const fi = -pi / (pm * norm);
      for (let i = 0; i < n; i++) {
        const re = vr.data[i * n + j]!;
        const im = vi.data[i * n + j]!;
        vr.data[i * n + j] = re * fr - im * fi;
        vi.data[i * n + j] = re * fi + im * fr;
      }
      vi.data[pivot * n + j] = 0;
    }
  }
  return { valuesRe: d, valuesIm: e, vectorsRe: vr, vectorsIm: vi, real };
}

/** Householder similarity reduction to upper Hessenberg form; V accumulates the transformations. */
function reduceToHessenberg(H: Float64Array, V: Float64Array, n: number): boolean {
  const ort = new Float64Array(n);
  const high = n - 1;
  for (let m = 1; m <= high - 1; m++) {
    let scale = 0;
    for (let i = m; i <= high; i++) scale += Math.abs(H[i * n + m - 1]!);
    if (scale === 0) continue;
    let h = 0;
    for (let i = high; i >= m; i--) {
      ort[i] = H[i * n + m - 1]! / scale;
      h += ort[i]! * ort[i]!;
    }
    let g = Math.sqrt(h);
    if (ort[m]! > 0) g = -g;
    h -= ort[m]! * g;
    ort[m] = ort[m]! - g;
    // H ← (I − u uᵀ/h) H (I − u uᵀ/h)
    for (let j = m; j < n; j++) {
      let f = 0;
      for (let i = high; i >= m; i--) f += ort[i]! * H[i * n + j]!;
      f /= h;
      for (let i = m; i <= high; i++) H[i * n + j] -= f * ort[i]!;
    }
    for (let i = 0; i <= high; i++) {
      const ri = i * n;
      let f = 0;
      for (let j = high; j >= m; j--) f += ort[j]! * H[ri + j]!;
      f /= h;
      for (let j = m; j <= high; j++) H[ri + j] -= f * ort[j]!;
    }
    ort[m] = scale * ort[m]!;
    H[m * n + m - 1] = scale * g;
  }
  V.fill(0);
  for (let i = 0; i < n; i++) V[i * n + i] = 1;
  for (let m = high - 1; m >= 1; m--) {
    const hm = H[m * n + m - 1]!;
    if (hm === 0) continue;
    for (let i = m + 1; i <= high; i++) ort[i] = H[i * n + m - 1]!;
    for (let j = m; j <= high; j++) {
      let g = 0;
      for (let i = m; i <= high; i++) g += ort[i]! * V[i * n + j]!;
      // Two divisions, not one by the product, to avoid underflow.
      g = g / ort[m]! / hm;
      for (let i = m; i <= high; i++) V[i * n + j] += g * ort[i]!;
    }
  }
  return true;
}

/**
 * Reduces the Hessenberg matrix to real Schur form by double-shift QR (eigenvalues into d + i·e),
 * then back-substitutes for the eigenvectors and maps them back through V. Returns false when the
 * iteration does not converge.
 */
function schurAndVectors(H: Float64Array, V: Float64Array, d: Float64Array, e: Float64Array, nn: number): boolean {
  let n = nn - 1;
  const low = 0;
  const high = nn - 1;
  let exshift = 0;
  let p = 0;
  let q = 0;
  let r = 0;
  let s = 0;
  let z = 0;
  let t: number;
  let w: number;
  let x: number;
  let y: number;

  let norm = 0;
  for (let i = 0; i < nn; i++) {
    for (let j = Math.max(i - 1, 0); j < nn; j++) norm += Math.abs(H[i * nn + j]!);
  }

  let iter = 0;
  let totalIterations = 0;
  while (n >= low) {
    // Look for a single small sub-diagonal element.
    let l = n;
    while (l > low) {
      s = Math.abs(H[(l - 1) * nn + l - 1]!) + Math.abs(H[l * nn + l]!);
      if (s === 0) s = norm;
      if (Math.abs(H[l * nn + l - 1]!) < EPS * s) break;
      l--;
    }
    if (l === n) {
      // One root found.
      H[n * nn + n] = H[n * nn + n]! + exshift;
      d[n] = H[n * nn + n]!;
      e[n] = 0;
      n--;
      iter = 0;
    } else if (l === n - 1) {
      // Two roots found.
      w = H[n * nn + n - 1]! * H[(n - 1) * nn + n]!;
      p = (H[(n - 1) * nn + n - 1]! - H[n * nn + n]!) / 2;
      q = p * p + w;
      z = Math.sqrt(Math.abs(q));
      H[n * nn + n] = H[n * nn + n]! + exshift;
      H[(n - 1) * nn + n - 1] = H[(n - 1) * nn + n - 1]! + exshift;
      x = H[n * nn + n]!;
      if (q >= 0) {
        // A real pair.
        z = p >= 0 ? p + z : p - z;
        d[n - 1] = x + z;
        d[n] = d[n - 1]!;
        if (z !== 0) d[n] = x - w / z;
        e[n - 1] = 0;
        e[n] = 0;
        x = H[n * nn + n - 1]!;
        s = Math.abs(x) + Math.abs(z);
        p = x / s;
        q = z / s;
        r = Math.sqrt(p * p + q * q);
        p /= r;
        q /= r;
        for (let j = n - 1; j < nn; j++) {
          z = H[(n - 1) * nn + j]!;
          H[(n - 1) * nn + j] = q * z + p * H[n * nn + j]!;
          H[n * nn + j] = q * H[n * nn + j]! - p * z;
        }
        for (let i = 0; i <= n; i++) {
          z = H[i * nn + n - 1]!;
          H[i * nn + n - 1] = q * z + p * H[i * nn + n]!;
          H[i * nn + n] = q * H[i * nn + n]! - p * z;
        }
        for (let i = low; i <= high; i++) {
          z = V[i * nn + n - 1]!;
          V[i * nn + n - 1] = q * z + p * V[i * nn + n]!;
          V[i * nn + n] = q * V[i * nn + n]! - p * z;
        }
      } else {
        // A complex pair.
        d[n - 1] = x + p;
        d[n] = x + p;
        e[n - 1] = z;
        e[n] = -z;
      }
      n -= 2;
      iter = 0;
    } else {
      if (++totalIterations > 100 * nn + 100) return false;
      // Form the shift.
      x = H[n * nn + n]!;
      y = 0;
      w = 0;
      if (l < n) {
        y = H[(n - 1) * nn + n - 1]!;
        w = H[n * nn + n - 1]! * H[(n - 1) * nn + n]!;
      }
      if (iter === 10) {
        // Wilkinson's exceptional shift.
        exshift += x;
        for (let i = low; i <= n; i++) H[i * nn + i] -= x;
        s = Math.abs(H[n * nn + n - 1]!) + Math.abs(H[(n - 1) * nn + n - 2]!);
        x = y = 0.75 * s;
        w = -0.4375 * s * s;
      }
      if (iter === 30) {
        // A second exceptional shift, as MATLAB uses.
        s = (y - x) / 2;
        s = s * s + w;
        if (s > 0) {
          s = Math.sqrt(s);
          if (y < x) s = -s;
          s = x - w / ((y - x) / 2 + s);
          for (let i = low; i <= n; i++) H[i * nn + i] -= s;
          exshift += s;
          x = y = w = 0.964;
        }
      }
      iter++;
      // Look for two consecutive small sub-diagonal elements.
      let m = n - 2;
      while (m >= l) {
        z = H[m * nn + m]!;
        r = x - z;
        s = y - z;
        p = (r * s - w) / H[(m + 1) * nn + m]! + H[m * nn + m + 1]!;
        q = H[(m + 1) * nn + m + 1]! - z - r - s;
        r = H[(m + 2) * nn + m + 1]!;
        s = Math.abs(p) + Math.abs(q) + Math.abs(r);
        p /= s;
        q /= s;
        r /= s;
        if (m === l) break;
        if (
          Math.abs(H[m * nn + m - 1]!) * (Math.abs(q) + Math.abs(r)) <
          EPS * (Math.abs(p) * (Math.abs(H[(m - 1) * nn + m - 1]!) + Math.abs(z) + Math.abs(H[(m + 1) * nn + m + 1]!)))
        ) {
          break;
        }
        m--;
      }
      for (let i = m + 2; i <= n; i++) {
        H[i * nn + i - 2] = 0;
        if (i > m + 2) H[i * nn + i - 3] = 0;
      }
      // The double QR step on rows l..n and columns m..n.
      for (let k = m; k <= n - 1; k++) {
        const notLast = k !== n - 1;
        if (k !== m) {
          p = H[k * nn + k - 1]!;
          q = H[(k + 1) * nn + k - 1]!;
          r = notLast ? H[(k + 2) * nn + k - 1]! : 0;
          x = Math.abs(p) + Math.abs(q) + Math.abs(r);
          if (x === 0) continue;
          p /= x;
          q /= x;
          r /= x;
        }
        s = Math.sqrt(p * p + q * q + r * r);
        if (p < 0) s = -s;
        if (s !== 0) {
          if (k !== m) H[k * nn + k - 1] = -s * x;
          else if (l !== m) H[k * nn + k - 1] = -H[k * nn + k - 1]!;
          p += s;
          x = p / s;
          y = q / s;
          z = r / s;
          q /= p;
          r /= p;
          for (let j = k; j < nn; j++) {
            p = H[k * nn + j]! + q * H[(k + 1) * nn + j]!;
            if (notLast) {
              p += r * H[(k + 2) * nn + j]!;
              H[(k + 2) * nn + j] = H[(k + 2) * nn + j]! - p * z;
            }
            H[k * nn + j] = H[k * nn + j]! - p * x;
            H[(k + 1) * nn + j] = H[(k + 1) * nn + j]! - p * y;
          }
          for (let i = 0; i <= Math.min(n, k + 3); i++) {
            p = x * H[i * nn + k]! + y * H[i * nn + k + 1]!;
            if (notLast) {
              p += z * H[i * nn + k + 2]!;
              H[i * nn + k + 2] = H[i * nn + k + 2]! - p * r;
            }
            H[i * nn + k] = H[i * nn + k]! - p;
            H[i * nn + k + 1] = H[i * nn + k + 1]! - p * q;
          }
          for (let i = low; i <= high; i++) {
            const ri = i * nn;
            p = x * V[ri + k]! + y * V[ri + k + 1]!;
            if (notLast) {
              p += z * V[ri + k + 2]!;
              V[ri + k + 2] = V[ri + k + 2]! - p * r;
            }
            V[ri + k] = V[ri + k]! - p;
            V[ri + k + 1] = V[ri + k + 1]! - p * q;
          }
        }
      }
    }
  }

  // Back-substitute to find the vectors of the upper triangular (quasi-triangular) form.
  if (norm === 0) return true;
  for (n = nn - 1; n >= 0; n--) {
    p = d[n]!;
    q = e[n]!;
    if (q === 0) {
      // A real vector.
      let l = n;
      H[n * nn + n] = 1;
      for (let i = n - 1; i >= 0; i--) {
        w = H[i * nn + i]! - p;
        r = 0;
        for (let j = l; j <= n; j++) r += H[i * nn + j]! * H[j * nn + n]!;
        if (e[i]! < 0) {
          z = w;
          s = r;
        } else {
          l = i;
          if (e[i] === 0) {
            H[i * nn + n] = w !== 0 ? -r / w : -r / (EPS * norm);
          } else {
            x = H[i * nn + i + 1]!;
            y = H[(i + 1) * nn + i]!;
            q = (d[i]! - p) * (d[i]! - p) + e[i]! * e[i]!;
            t = (x * s - z * r) / q;
            H[i * nn + n] = t;
            H[(i + 1) * nn + n] = Math.abs(x) > Math.abs(z) ? (-r - w * t) / x : (-s - y * t) / z;
          }
          // Rescale when the entries grow large, against overflow.
          t = Math.abs(H[i * nn + n]!);
          if (EPS * t * t > 1) {
            for (let j = i; j <= n; j++) H[j * nn + n] = H[j * nn + n]! / t;
          }
        }
      }
    } else if (q < 0) {
      // A complex vector, stored in columns n−1 (real part) and n (imaginary part).
      let l = n - 1;
      if (Math.abs(H[n * nn + n - 1]!) > Math.abs(H[(n - 1) * nn + n]!)) {
        H[(n - 1) * nn + n - 1] = q / H[n * nn + n - 1]!;
        H[(n - 1) * nn + n] = -(H[n * nn + n]! - p) / H[n * nn + n - 1]!;
      } else {
        const [cr, ci] = complexDivide(0, -H[(n - 1) * nn + n]!, H[(n - 1) * nn + n - 1]! - p, q);
        H[(n - 1) * nn + n - 1] = cr;
        H[(n - 1) * nn + n] = ci;
      }
      H[n * nn + n - 1] = 0;
      H[n * nn + n] = 1;
      for (let i = n - 2; i >= 0; i--) {
        let ra = 0;
        let sa = 0;
        for (let j = l; j <= n; j++) {
          ra += H[i * nn + j]! * H[j * nn + n - 1]!;
          sa += H[i * nn + j]! * H[j * nn + n]!;
        }
        w = H[i * nn + i]! - p;
        if (e[i]! < 0) {
          z = w;
          r = ra;
          s = sa;
        } else {
          l = i;
          if (e[i] === 0) {
            const [cr, ci] = complexDivide(-ra, -sa, w, q);
            H[i * nn + n - 1] = cr;
            H[i * nn + n] = ci;
          } else {
            x = H[i * nn + i + 1]!;
            y = H[(i + 1) * nn + i]!;
            let vr = (d[i]! - p) * (d[i]! - p) + e[i]! * e[i]! - q * q;
            const vi = (d[i]! - p) * 2 * q;
            if (vr === 0 && vi === 0) {
              vr = EPS * norm * (Math.abs(w) + Math.abs(q) + Math.abs(x) + Math.abs(y) + Math.abs(z));
            }
            const [cr, ci] = complexDivide(x * r - z * ra + q * sa, x * s - z * sa - q * ra, vr, vi);
            H[i * nn + n - 1] = cr;
            H[i * nn + n] = ci;
            if (Math.abs(x) > Math.abs(z) + Math.abs(q)) {
              H[(i + 1) * nn + n - 1] = (-ra - w * H[i * nn + n - 1]! + q * H[i * nn + n]!) / x;
              H[(i + 1) * nn + n] = (-sa - w * H[i * nn + n]! - q * H[i * nn + n - 1]!) / x;
            } else {
              const [dr, di] = complexDivide(-r - y * H[i * nn + n - 1]!, -s - y * H[i * nn + n]!, z, q);
              H[(i + 1) * nn + n - 1] = dr;
              H[(i + 1) * nn + n] = di;
            }
          }
          t = Math.max(Math.abs(H[i * nn + n - 1]!), Math.abs(H[i * nn + n]!));
          if (EPS * t * t > 1) {
            for (let j = i; j <= n; j++) {
              H[j * nn + n - 1] = H[j * nn + n - 1]! / t;
              H[j * nn + n] = H[j * nn + n]! / t;
            }
          }
        }
      }
    }
  }

  // Back-transform: eigenvectors of A are V times those of the Schur form.
  const column = new Float64Array(nn);
  for (let j = nn - 1; j >= low; j--) {
    for (let i = low; i <= high; i++) {
      let acc = 0;
      const ri = i * nn;
      for (let k = low; k <= Math.min(j, high); k++) acc += V[ri + k]! * H[k * nn + j]!;
      column[i] = acc;
    }
    for (let i = low; i <= high; i++) V[i * nn + j] = column[i]!;
  }
  return true;
}
