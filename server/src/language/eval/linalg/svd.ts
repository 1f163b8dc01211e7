/**
 * Singular value decomposition by Golub–Kahan–Reinsch: Householder bidiagonalization, then
 * implicitly shifted QR sweeps on the bidiagonal (the algorithm of LINPACK's dsvdc).
 *
 * Work arrays are column-major, so the Householder vectors, and the Givens rotations that mix two
 * columns of U or V, all walk contiguous memory.
 */
import { EPS, zeros, type Mat } from './mat.js';
import { dotStrided, matmul, transpose } from './basic.js';
import { applyReflectorsBlocked, type Reflector } from './householder.js';
import { simdCombine, simdReflect, simdReleaseLargeMemory, simdRotate, simdWorkspace } from './simd.js';

/** The factors of A = U·diag(s)·Vᵀ. */
export interface SVDResult {
  /** Left singular vectors as columns: m×k (thin) or m×m (full); absent when not asked for. */
  readonly U?: Mat;
  /** Singular values, descending, k = min(m, n) of them. */
  readonly s: Float64Array;
  /** Right singular vectors as columns: n×k (thin) or n×n (full); absent when not asked for. */
  readonly V?: Mat;
}

export interface SVDOptions {
  readonly wantU?: boolean;
  readonly wantV?: boolean;
  /** Square U (m×m) and V (n×n) instead of the thin factors. */
  readonly full?: boolean;
}

const TINY = 2 ** -966;

/** From this many columns on, the reduction and the sweeps run in the SIMD kernels (below it, copying costs more than they save). */
const SIMD_FROM = 24;

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

/** Converts a column-major rows×cols array to a row-major matrix. */
function fromColumnMajor(data: Float64Array, rows: number, cols: number): Mat {
  const out = zeros(rows, cols);
  for (let j = 0; j < cols; j++) {
    for (let i = 0; i < rows; i++) out.data[i * cols + j] = data[j * rows + i]!;
  }
  return out;
}

/**
 * The SVD of any real matrix. Singular values come out descending and non-negative; the signs of
 * singular vector pairs are arbitrary (as in LAPACK), but U·Σ·Vᵀ reproduces A.
 */
export function svd(a: Mat, options: SVDOptions = {}): SVDResult {
  const wantU = options.wantU ?? true;
  const wantV = options.wantV ?? true;
  const full = options.full ?? false;
  if (a.rows < a.cols) {
    // Work on the tall Aᵀ = U'ΣV'ᵀ, so A = V'ΣU'ᵀ.
    const r = svdTall(transpose(a), wantV, wantU, full);
    return { U: r.V, s: r.s, V: r.U };
  }
  return svdTall(a, wantU, wantV, full);
}

function svdTall(a: Mat, wantU: boolean, wantV: boolean, full: boolean): SVDResult {
  const m = a.rows;
  const n = a.cols;
  if (n === 0) {
    const U = wantU ? fromColumnMajor(identityColumns(m, full ? m : 0), m, full ? m : 0) : undefined;
    return { U, s: new Float64Array(0), V: wantV ? zeros(0, 0) : undefined };
  }
  for (let i = 0; i < a.data.length; i++) {
    if (!Number.isFinite(a.data[i]!)) return nanResult(m, n, wantU, wantV, full);
  }
  const ncu = full ? m : n;
  // The working copy is column-major. From SIMD_FROM columns on it lives in the SIMD kernel's
  // memory, with the reflector's coefficients and work vector, so the O(n³) loops of the reduction
  // run there (simd.ts); heap index aAt + x is entry x of A.
  const workspace = n >= SIMD_FROM ? simdWorkspace(m * n + n + m) : undefined;
  const aAt = workspace ? workspace.base : 0;
  const coefAt = aAt + m * n;
  const workAt = coefAt + n;
  const A = workspace ? workspace.heap.subarray(aAt, aAt + m * n) : new Float64Array(m * n);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) A[j * m + i] = a.data[i * n + j]!;
  const s = new Float64Array(Math.min(m + 1, n));
  // The Householder reflectors of the bidiagonalization, kept to build U and V afterwards.
  const uReflectors: Reflector[] = [];
  const vReflectors: Reflector[] = [];
  const e = new Float64Array(n);
  const work = new Float64Array(m);

  // Reduce A to bidiagonal form: s on the diagonal, e above it.
  const nct = Math.min(m - 1, n);
  const nrt = Math.max(0, Math.min(n - 2, m));
  for (let k = 0; k < Math.max(nct, nrt); k++) {
    const ck = k * m;
    if (k < nct) {
      let norm = 0;
      for (let i = k; i < m; i++) norm = hypot(norm, A[ck + i]!);
      if (norm !== 0) {
        if (A[ck + k]! < 0) norm = -norm;
        for (let i = k; i < m; i++) A[ck + i] /= norm;
        A[ck + k] += 1;
      }
      s[k] = -norm;
    }
    if (k < nct && s[k] !== 0) {
      if (workspace) {
        simdReflect(aAt + (k + 1) * m + k, m, m - k, n - k - 1, aAt + ck + k, A[ck + k]!);
      } else {
        for (let j = k + 1; j < n; j++) {
          const cj = j * m;
          const t = -dotStrided(A, ck + k, A, cj + k, m - k) / A[ck + k]!;
          for (let i = k; i < m; i++) A[cj + i] += t * A[ck + i]!;
        }
      }
    }
    for (let j = k + 1; j < n; j++) e[j] = A[j * m + k]!;
    if (wantU && k < nct) {
      // H = I − u·uᵀ/u₀ with u = A[k:m, k] (LINPACK's scaling: u₀ = 1 + |x₀|/‖x‖).
      uReflectors.push({ v: A.slice(ck + k, ck + m), beta: s[k] !== 0 ? 1 / A[ck + k]! : 0, offset: k });
    }
    if (k < nrt) {
      let norm = 0;
      for (let i = k + 1; i < n; i++) norm = hypot(norm, e[i]!);
      if (norm !== 0) {
        if (e[k + 1]! < 0) norm = -norm;
        for (let i = k + 1; i < n; i++) e[i] /= norm;
        e[k + 1] += 1;
      }
      e[k] = -norm;
      if (k + 1 < m && norm !== 0 && workspace) {
        // work = A[k+1:, k+1:]·e[k+1:], then A[k+1:, j] −= (e[j]/e[k+1])·work for each column j.
        const heap = workspace.heap;
        const first = aAt + (k + 1) * m + k + 1;
        heap.set(e.subarray(k + 1, n), coefAt + k + 1);
        heap.fill(0, workAt + k + 1, workAt + m);
        simdCombine(first, m, m - k - 1, n - k - 1, coefAt + k + 1, workAt + k + 1, true);
        for (let j = k + 1; j < n; j++) heap[coefAt + j] = -e[j]! / e[k + 1]!;
        simdCombine(first, m, m - k - 1, n - k - 1, coefAt + k + 1, workAt + k + 1, false);
      } else if (k + 1 < m && norm !== 0) {
        work.fill(0, k + 1, m);
        for (let j = k + 1; j < n; j++) {
          const ej = e[j]!;
          const cj = j * m;
          for (let i = k + 1; i < m; i++) work[i] += ej * A[cj + i]!;
        }
        for (let j = k + 1; j < n; j++) {
          const t = -e[j]! / e[k + 1]!;
          const cj = j * m;
          for (let i = k + 1; i < m; i++) A[cj + i] += t * work[i]!;
        }
      }
      if (wantV) vReflectors.push({ v: e.slice(k + 1, n), beta: norm !== 0 ? 1 / e[k + 1]! : 0, offset: k + 1 });
    }
  }

  // The final bidiagonal of order p.
  let p = Math.min(n, m + 1);
  if (nct < n) s[nct] = A[nct * m + nct]!;
  if (m < p) s[p - 1] = 0;
  if (nrt + 1 < p) e[nrt] = A[(p - 1) * m + nrt]!;
  e[p - 1] = 0;

  // U = H₀⋯H_{nct−1}·[the first ncu columns of I] and V = G₀⋯G_{nrt−1}, row-major, built with
  // blocked reflector products. From here on the QR sweeps' rotations mix two adjacent columns of
  // U and V, and a whole sweep is applied row by row with the running value carried in a register
  // (as LAPACK's dlasr does), so each entry is loaded and stored once per sweep.
  const Ur = new Float64Array(wantU ? m * ncu : 0);
  const Vr = new Float64Array(wantV ? n * n : 0);
  if (wantU) {
    for (let j = 0; j < Math.min(m, ncu); j++) Ur[j * ncu + j] = 1;
    applyReflectorsBlocked(Ur, m, ncu, uReflectors);
  }
  if (wantV) {
    for (let j = 0; j < n; j++) Vr[j * n + j] = 1;
    applyReflectorsBlocked(Vr, n, n, vReflectors);
  }
  const csV = new Float64Array(n);
  const snV = new Float64Array(n);
  const csU = new Float64Array(n);
  const snU = new Float64Array(n);

  // During the sweeps U and V live where the rotations are fastest: column-major in the SIMD
  // kernel's memory when there is one, where every operation on them is queued and a batch is
  // applied eight rows at a time (see RotationQueue), otherwise row-major where they are.
  const space = ROTATE_IN_SIMD_FROM <= n ? rotationSpace(Ur, m, ncu, wantU, Vr, n, wantV) : undefined;
  const U = Ur;
  const V = Vr;

  // Implicitly shifted QR on the bidiagonal until every superdiagonal entry is negligible.
  const pp = p - 1;
  let sweeps = 0;
  const maxSweeps = 75 * n + 100;
  while (p > 0) {
    if (++sweeps > maxSweeps) return nanResult(m, n, wantU, wantV, full);
    let k: number;
    let kase: number;
    // Look for a negligible e[k] (a split point).
    for (k = p - 2; k >= -1; k--) {
      if (k === -1) break;
      if (Math.abs(e[k]!) <= TINY + EPS * (Math.abs(s[k]!) + Math.abs(s[k + 1]!))) {
        e[k] = 0;
        break;
      }
    }
    if (k === p - 2) {
      kase = 4;
    } else {
      let ks: number;
      for (ks = p - 1; ks >= k; ks--) {
        if (ks === k) break;
        const t = (ks !== p ? Math.abs(e[ks]!) : 0) + (ks !== k + 1 ? Math.abs(e[ks - 1]!) : 0);
        if (Math.abs(s[ks]!) <= TINY + EPS * t) {
          s[ks] = 0;
          break;
        }
      }
      if (ks === k) kase = 3;
      else if (ks === p - 1) kase = 1;
      else {
        kase = 2;
        k = ks;
      }
    }
    k++;

    if (kase === 1) {
      // s[p−1] is negligible: chase e[p−2] away with rotations from the right.
      let f = e[p - 2]!;
      e[p - 2] = 0;
      for (let j = p - 2; j >= k; j--) {
        let t = hypot(s[j]!, f);
        const cs = s[j]! / t;
        const sn = f / t;
        s[j] = t;
        if (j !== k) {
          f = -sn * e[j - 1]!;
          e[j - 1] = cs * e[j - 1]!;
        }
        if (wantV && space) {
          space.v!.pair(j, p - 1, cs, sn);
        } else if (wantV) {
          for (let r = 0; r < n; r++) {
            const x = r * n + j;
            const y = r * n + p - 1;
            t = cs * V[x]! + sn * V[y]!;
            V[y] = -sn * V[x]! + cs * V[y]!;
            V[x] = t;
          }
        }
      }
    } else if (kase === 2) {
      // s[k−1] is negligible: split, chasing e[k−1] with rotations from the left.
      let f = e[k - 1]!;
      e[k - 1] = 0;
      for (let j = k; j < p; j++) {
        let t = hypot(s[j]!, f);
        const cs = s[j]! / t;
        const sn = f / t;
        s[j] = t;
        f = -sn * e[j]!;
        e[j] = cs * e[j]!;
        if (wantU && space) {
          space.u!.pair(j, k - 1, cs, sn);
        } else if (wantU) {
          for (let r = 0; r < m; r++) {
            const x = r * ncu + j;
            const y = r * ncu + k - 1;
            t = cs * U[x]! + sn * U[y]!;
            U[y] = -sn * U[x]! + cs * U[y]!;
            U[x] = t;
          }
        }
      }
    } else if (kase === 3) {
      // One implicit QR sweep with the Wilkinson-like shift from the trailing 2×2 block.
      const scale = Math.max(
        Math.abs(s[p - 1]!), Math.abs(s[p - 2]!), Math.abs(e[p - 2]!), Math.abs(s[k]!), Math.abs(e[k]!),
      );
      const sp = s[p - 1]! / scale;
      const spm1 = s[p - 2]! / scale;
      const epm1 = e[p - 2]! / scale;
      const sk = s[k]! / scale;
      const ek = e[k]! / scale;
      const b = ((spm1 + sp) * (spm1 - sp) + epm1 * epm1) / 2;
      const c = sp * epm1 * (sp * epm1);
      let shift = 0;
      if (b !== 0 || c !== 0) {
        shift = Math.sqrt(b * b + c);
        if (b < 0) shift = -shift;
        shift = c / (b + shift);
      }
      let f = (sk + sp) * (sk - sp) + shift;
      let g = sk * ek;
      for (let j = k; j < p - 1; j++) {
        let t = hypot(f, g);
        let cs = f / t;
        let sn = g / t;
        if (j !== k) e[j - 1] = t;
        f = cs * s[j]! + sn * e[j]!;
        e[j] = cs * e[j]! - sn * s[j]!;
        g = sn * s[j + 1]!;
        s[j + 1] = cs * s[j + 1]!;
        csV[j] = cs;
        snV[j] = sn;
        t = hypot(f, g);
        cs = f / t;
        sn = g / t;
        s[j] = t;
        f = cs * e[j]! + sn * s[j + 1]!;
        s[j + 1] = -sn * e[j]! + cs * s[j + 1]!;
        g = sn * e[j + 1]!;
        e[j + 1] = cs * e[j + 1]!;
        csU[j] = cs;
        snU[j] = sn;
      }
      e[p - 2] = f;
      if (space) {
        space.v?.chain(k, p - 1, csV, snV);
        space.u?.chain(k, p - 1, csU, snU);
      } else {
        if (wantV) applyRotationChain(Vr, n, n, k, p - 1, csV, snV);
        if (wantU) applyRotationChain(Ur, m, ncu, k, p - 1, csU, snU);
      }
    } else {
      // Converged: make s[k] non-negative, then bubble it into descending order.
      if (s[k]! <= 0) {
        s[k] = s[k]! < 0 ? -s[k]! : 0;
        if (wantV && space) {
          space.v!.negate(k);
        } else if (wantV) {
          for (let i = 0; i <= pp; i++) V[i * n + k] = -V[i * n + k]!;
        }
      }
      while (k < pp) {
        if (s[k]! >= s[k + 1]!) break;
        const t = s[k]!;
        s[k] = s[k + 1]!;
        s[k + 1] = t;
        if (wantV && k < n - 1) {
          if (space) space.v!.swap(k, k + 1);
          else swapColumns(V, n, n, k, k + 1);
        }
        if (wantU && k < m - 1) {
          if (space) space.u!.swap(k, k + 1);
          else swapColumns(U, m, ncu, k, k + 1);
        }
        k++;
      }
      p--;
    }
  }

  if (space) {
    // The last batches, then back from the kernel's column-major copies into the row-major factors.
    if (space.u) {
      space.u.flush();
      copyFromColumnMajor(space.heap, space.u.at, space.u.ld, Ur, m, ncu);
    }
    if (space.v) {
      space.v.flush();
      copyFromColumnMajor(space.heap, space.v.at, space.v.ld, Vr, n, n);
    }
  }
  simdReleaseLargeMemory();
  return {
    U: wantU ? { rows: m, cols: ncu, data: Ur } : undefined,
    s: s.slice(0, Math.min(m, n)),
    V: wantV ? { rows: n, cols: n, data: Vr } : undefined,
  };
}

/**
 * Applies the rotations of one QR sweep to the columns j0…j1 of a row-major matrix: for
 * j = j0 … j1−1, columns (j, j+1) ← (c·col j + s·col j+1, −s·col j + c·col j+1). Each row carries
 * its running value through the chain; four rows go together so their chains overlap in time.
 */
function applyRotationChain(
  data: Float64Array, rows: number, cols: number, j0: number, j1: number, cs: Float64Array, sn: Float64Array,
): void {
  let r = 0;
  for (; r + 3 < rows; r += 4) {
    const o0 = r * cols;
    const o1 = o0 + cols;
    const o2 = o1 + cols;
    const o3 = o2 + cols;
    let k0 = data[o0 + j0]!;
    let k1 = data[o1 + j0]!;
    let k2 = data[o2 + j0]!;
    let k3 = data[o3 + j0]!;
    for (let j = j0; j < j1; j++) {
      const c = cs[j]!;
      const s = sn[j]!;
      const n0 = data[o0 + j + 1]!;
      const n1 = data[o1 + j + 1]!;
      const n2 = data[o2 + j + 1]!;
      const n3 = data[o3 + j + 1]!;
      data[o0 + j] = c * k0 + s * n0;
      data[o1 + j] = c * k1 + s * n1;
      data[o2 + j] = c * k2 + s * n2;
      data[o3 + j] = c * k3 + s * n3;
      k0 = c * n0 - s * k0;
      k1 = c * n1 - s * k1;
      k2 = c * n2 - s * k2;
      k3 = c * n3 - s * k3;
    }
    data[o0 + j1] = k0;
    data[o1 + j1] = k1;
    data[o2 + j1] = k2;
    data[o3 + j1] = k3;
  }
  for (; r < rows; r++) {
    const row = r * cols;
    let carry = data[row + j0]!;
    for (let j = j0; j < j1; j++) {
      const next = data[row + j + 1]!;
      const c = cs[j]!;
      const s = sn[j]!;
      data[row + j] = c * carry + s * next;
      carry = c * next - s * carry;
    }
    data[row + j1] = carry;
  }
}

function swapColumns(data: Float64Array, rows: number, cols: number, a: number, b: number): void {
  for (let i = 0; i < rows; i++) {
    const t = data[i * cols + a]!;
    data[i * cols + a] = data[i * cols + b]!;
    data[i * cols + b] = t;
  }
}

/** From this order on, the sweeps' rotations run in the SIMD kernel (below it copying costs more than it saves). */
const ROTATE_IN_SIMD_FROM = SIMD_FROM;

/** Rotation chains (QR sweeps) a queue holds before it applies them. */
const BATCH = 32;
/** Rows of U or V a batch is applied to at a time: 8 rows × 500 columns is 32 KB, the L1 cache. */
const STRIP = 8;

const CHAIN = 0;
const PAIR = 1;
const NEGATE = 2;
const SWAP = 3;

/**
 * The operations of the QR sweeps on one column-major factor (U or V) in the SIMD kernel's memory,
 * queued and applied a batch at a time, strip by strip of eight rows: a strip stays in cache while
 * every operation of the batch passes over it, where applying each sweep at once would stream the
 * whole matrix from memory once per sweep. Operations keep their order, and each entry sees the
 * same arithmetic as when applied at once, so the result is the same.
 */
class RotationQueue {
  private readonly kinds: number[] = [];
  private readonly first: number[] = [];
  private readonly second: number[] = [];
  private readonly cosines: number[] = [];
  private readonly sines: number[] = [];
  private chains = 0;

  /**
   * @param heap the kernel's memory; @param at the heap index of the factor's entry (0, 0);
   * @param ld its column stride (a multiple of STRIP); @param pool the heap index of room for
   * BATCH chains of cosines and sines, 2·order entries each; @param order the sweep length bound.
   */
  constructor(
    readonly heap: Float64Array, readonly at: number, readonly ld: number,
    private readonly pool: number, private readonly order: number,
  ) {}

  /** The chain j0 … j1−1 of one sweep (cosines and sines at cs[j], sn[j]). */
  chain(j0: number, j1: number, cs: Float64Array, sn: Float64Array): void {
    const slot = this.pool + this.chains * 2 * this.order;
    this.heap.set(cs.subarray(j0, j1), slot + j0);
    this.heap.set(sn.subarray(j0, j1), slot + this.order + j0);
    this.push(CHAIN, j0, j1, slot, 0);
    if (++this.chains === BATCH) this.flush();
  }

  /** (col a, col b) ← (c·col a + s·col b, −s·col a + c·col b). */
  pair(a: number, b: number, c: number, s: number): void {
    this.push(PAIR, a, b, c, s);
  }

  negate(column: number): void {
    this.push(NEGATE, column, column, 0, 0);
  }

  swap(a: number, b: number): void {
    this.push(SWAP, a, b, 0, 0);
  }

  private push(kind: number, a: number, b: number, c: number, s: number): void {
    this.kinds.push(kind);
    this.first.push(a);
    this.second.push(b);
    this.cosines.push(c);
    this.sines.push(s);
  }

  /** Applies every queued operation, in order, strip by strip. */
  flush(): void {
    const { heap, ld, kinds, first, second, cosines, sines } = this;
    const count = kinds.length;
    if (count === 0) return;
    for (let strip = 0; strip < ld; strip += STRIP) {
      const at = this.at + strip;
      for (let o = 0; o < count; o++) {
        const kind = kinds[o]!;
        if (kind === CHAIN) {
          const slot = cosines[o]!;
          simdRotate(at, ld, STRIP, first[o]!, second[o]!, slot, slot + this.order);
          continue;
        }
        const x = at + first[o]! * ld;
        const y = at + second[o]! * ld;
        if (kind === PAIR) {
          const c = cosines[o]!;
          const s = sines[o]!;
          for (let r = 0; r < STRIP; r++) {
            const t = c * heap[x + r]! + s * heap[y + r]!;
            heap[y + r] = -s * heap[x + r]! + c * heap[y + r]!;
            heap[x + r] = t;
          }
        } else if (kind === NEGATE) {
          for (let r = 0; r < STRIP; r++) heap[x + r] = -heap[x + r]!;
        } else {
          for (let r = 0; r < STRIP; r++) {
            const t = heap[x + r]!;
            heap[x + r] = heap[y + r]!;
            heap[y + r] = t;
          }
        }
      }
    }
    kinds.length = 0;
    first.length = 0;
    second.length = 0;
    cosines.length = 0;
    sines.length = 0;
    this.chains = 0;
  }
}

/** U and V (each when wanted) in the SIMD kernel's memory, with their queues. */
interface RotationSpace {
  readonly heap: Float64Array;
  readonly u?: RotationQueue;
  readonly v?: RotationQueue;
}

/**
 * Copies the row-major U (m×ncu) and V (n×n) column-major into the SIMD kernel's memory, each column
 * padded to a multiple of STRIP rows (zeros, which no rotation mixes into the real rows), with room
 * for the queued sweeps' cosines and sines; undefined when there is no WebAssembly.
 */
function rotationSpace(Ur: Float64Array, m: number, ncu: number, wantU: boolean, Vr: Float64Array, n: number, wantV: boolean): RotationSpace | undefined {
  const ldU = wantU ? Math.ceil(m / STRIP) * STRIP : 0;
  const ldV = wantV ? Math.ceil(n / STRIP) * STRIP : 0;
  const uSize = wantU ? ldU * ncu : 0;
  const vSize = wantV ? ldV * n : 0;
  const poolSize = BATCH * 2 * n;
  const workspace = simdWorkspace(uSize + vSize + 2 * poolSize);
  if (!workspace) return undefined;
  const { heap, base } = workspace;
  const uAt = base;
  const vAt = uAt + uSize;
  const pools = vAt + vSize;
  heap.fill(0, base, pools);
  if (wantU) copyToColumnMajor(Ur, m, ncu, heap, uAt, ldU);
  if (wantV) copyToColumnMajor(Vr, n, n, heap, vAt, ldV);
  return {
    heap,
    u: wantU ? new RotationQueue(heap, uAt, ldU, pools, n) : undefined,
    v: wantV ? new RotationQueue(heap, vAt, ldV, pools + poolSize, n) : undefined,
  };
}

/** Writes a row-major rows×cols matrix column-major into `to` at `at` with column stride `ld`. */
function copyToColumnMajor(from: Float64Array, rows: number, cols: number, to: Float64Array, at: number, ld: number): void {
  for (let r = 0; r < rows; r++) {
    const row = r * cols;
    for (let c = 0; c < cols; c++) to[at + c * ld + r] = from[row + c]!;
  }
}

/** Reads a column-major rows×cols matrix (column stride `ld`, at `at`) back into row-major `to`. */
function copyFromColumnMajor(from: Float64Array, at: number, ld: number, to: Float64Array, rows: number, cols: number): void {
  for (let r = 0; r < rows; r++) {
    const row = r * cols;
    for (let c = 0; c < cols; c++) to[row + c] = from[at + c * ld + r]!;
  }
}

function identityColumns(rows: number, cols: number): Float64Array {
  const d = new Float64Array(rows * cols);
  for (let j = 0; j < Math.min(rows, cols); j++) d[j * rows + j] = 1;
  return d;
}

/** The answer for an input with Inf or NaN: every factor NaN (LAPACK would not converge either). */
function nanResult(m: number, n: number, wantU: boolean, wantV: boolean, full: boolean): SVDResult {
  const k = Math.min(m, n);
  const ucols = full ? m : k;
  return {
    U: wantU ? { rows: m, cols: ucols, data: new Float64Array(m * ucols).fill(NaN) } : undefined,
    s: new Float64Array(k).fill(NaN),
    V: wantV ? { rows: n, cols: n, data: new Float64Array(n * n).fill(NaN) } : undefined,
  };
}

/** Singular values only (cheaper: no U, no V). */
export function singularValues(a: Mat): Float64Array {
  return svd(a, { wantU: false, wantV: false }).s;
}

/** The default tolerance below which singular values count as zero: max(m, n)·eps·σ₁ (numpy, MATLAB). */
export function defaultRankTolerance(a: Mat, s: Float64Array): number {
  return Math.max(a.rows, a.cols) * EPS * (s.length > 0 ? s[0]! : 0);
}

/** The numerical rank: the number of singular values above the tolerance. */
export function rank(a: Mat, tolerance?: number): number {
  const s = singularValues(a);
  const tol = tolerance ?? defaultRankTolerance(a, s);
  let r = 0;
  for (let i = 0; i < s.length; i++) if (s[i]! > tol) r++;
  return r;
}

/** The Moore–Penrose pseudo-inverse A⁺ = V·Σ⁺·Uᵀ, dropping singular values at or below the tolerance. */
export function pinv(a: Mat, tolerance?: number): Mat {
  const m = a.rows;
  const n = a.cols;
  const { U, s, V } = svd(a);
  const tol = tolerance ?? defaultRankTolerance(a, s);
  const k = s.length;
  // Scale the columns of V by 1/σ, then multiply by Uᵀ.
  const vs = zeros(n, k);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < k; j++) {
      const sj = s[j]!;
      vs.data[i * k + j] = sj > tol ? V!.data[i * V!.cols + j]! / sj : 0;
    }
  }
  if (m === 0 || n === 0) return zeros(n, m);
  return matmul(vs, transpose(U!));
}

/** The 2-norm condition number σ_max / σ_min (Infinity for a singular matrix). */
export function cond2(a: Mat): number {
  const s = singularValues(a);
  if (s.length === 0) return 0;
  const smin = s[s.length - 1]!;
  if (Number.isNaN(smin)) return NaN;
  return smin === 0 ? Infinity : s[0]! / smin;
}

/** The matrix 2-norm: the largest singular value. */
export function norm2(a: Mat): number {
  const s = singularValues(a);
  return s.length === 0 ? 0 : s[0]!;
}

/**
 * An orthonormal basis of the null space of A as the columns of an n×(n−r) matrix: the right
 * singular vectors whose singular values are at or below the tolerance (scipy's null_space).
 */
export function nullSpace(a: Mat, tolerance?: number): Mat {
  const n = a.cols;
  const { s, V } = svd(a, { wantU: false, wantV: true, full: true });
  const tol = tolerance ?? defaultRankTolerance(a, s);
  let r = 0;
  for (let i = 0; i < s.length; i++) if (s[i]! > tol) r++;
  const out = zeros(n, n - r);
  for (let i = 0; i < n; i++) {
    for (let j = r; j < n; j++) out.data[i * (n - r) + j - r] = V!.data[i * n + j]!;
  }
  return out;
}
