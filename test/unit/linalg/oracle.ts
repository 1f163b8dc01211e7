/**
 * The numpy oracle for the linear-algebra tests: Python expressions evaluated by `python3` with
 * numpy, batched into one process per call. When python3 or numpy is missing the tests fail with a
 * message that says what to install; they never skip.
 */
import { spawnSync } from 'node:child_process';
import assert from 'node:assert/strict';
import type { Mat } from '../../../server/src/language/eval/linalg/index.js';

/** One request: a Python expression over named inputs (matrices as nested arrays, or numbers). */
export interface OracleRequest {
  readonly expr: string;
  readonly env?: Readonly<Record<string, Mat | number | number[][] | string | undefined>>;
}

/** A numpy result decoded: arrays come back with their shape, and complex ones with an imaginary part. */
export type OracleValue =
  | { readonly kind: 'array'; readonly shape: number[]; readonly re: number[]; readonly im?: number[] }
  | { readonly kind: 'number'; readonly re: number; readonly im?: number }
  | { readonly kind: 'tuple'; readonly items: OracleValue[] };

const PYTHON_PROGRAM = String.raw`
import json, sys
try:
    import numpy as np
except ImportError as error:
    sys.stderr.write("numpy is not installed: " + str(error))
    sys.exit(3)
la = np.linalg

def num(x):
    x = float(x)
    if x != x: return "NaN"
    if x == float("inf"): return "Infinity"
    if x == float("-inf"): return "-Infinity"
    return x

def dec(x):
    if isinstance(x, str):
        return float(x.replace("Infinity", "inf"))
    return x

def decode(v):
    if isinstance(v, dict) and "rows" in v:
        data = [dec(x) for x in v["data"]]
        return np.array(data, dtype=float).reshape(v["rows"], v["cols"])
    if isinstance(v, list):
        return np.array([[dec(x) for x in row] for row in v], dtype=float)
    return dec(v)

def encode(r):
    if isinstance(r, (tuple, list)) or type(r).__name__.endswith("Result"):
        return {"kind": "tuple", "items": [encode(x) for x in r]}
    a = np.asarray(r)
    if a.ndim == 0:
        c = complex(a)
        out = {"kind": "number", "re": num(c.real)}
        if np.iscomplexobj(a): out["im"] = num(c.imag)
        return out
    flat = a.reshape(-1)
    out = {"kind": "array", "shape": list(a.shape), "re": [num(x) for x in np.real(flat)]}
    if np.iscomplexobj(a): out["im"] = [num(x) for x in np.imag(flat)]
    return out

def expm_eig(A):
    w, V = la.eig(A)
    return np.real_if_close(V @ np.diag(np.exp(w)) @ la.inv(V), tol=1e6)

def null_space(A, rcond=None):
    u, s, vh = la.svd(A, full_matrices=True)
    M, N = A.shape
    if rcond is None: rcond = np.finfo(float).eps * max(M, N)
    tol = (np.amax(s) if s.size else 0.0) * rcond
    r = int(np.sum(s > tol))
    return vh[r:, :].T.conj()

requests = json.load(sys.stdin)
results = []
for request in requests:
    env = {"np": np, "la": la, "expm_eig": expm_eig, "null_space": null_space}
    for name, value in (request.get("env") or {}).items():
        env[name] = decode(value)
    results.append(encode(eval(request["expr"], env)))
json.dump(results, sys.stdout)
`;

function encodeNumber(x: number): number | string {
  if (Number.isNaN(x)) return 'NaN';
  if (x === Infinity) return 'Infinity';
  if (x === -Infinity) return '-Infinity';
  return x;
}

function decodeNumber(x: number | string): number {
  return typeof x === 'number' ? x : Number(x);
}

function decodeValue(v: any): OracleValue {
  if (v.kind === 'tuple') return { kind: 'tuple', items: v.items.map(decodeValue) };
  if (v.kind === 'number') return { kind: 'number', re: decodeNumber(v.re), im: v.im === undefined ? undefined : decodeNumber(v.im) };
  return {
    kind: 'array',
    shape: v.shape,
    re: v.re.map(decodeNumber),
    im: v.im === undefined ? undefined : v.im.map(decodeNumber),
  };
}

/** Evaluates the requests with numpy; fails the test with a clear message when numpy is unavailable. */
export function numpy(requests: readonly OracleRequest[]): OracleValue[] {
  const payload = requests.map((r) => ({
    expr: r.expr,
    env: Object.fromEntries(
      Object.entries(r.env ?? {}).filter(([, v]) => v !== undefined).map(([k, v]) => {
        if (typeof v === 'number') return [k, encodeNumber(v)];
        if (typeof v === 'string') return [k, v];
        if (Array.isArray(v)) return [k, v.map((row) => row.map(encodeNumber))];
        const m = v as Mat;
        return [k, { rows: m.rows, cols: m.cols, data: Array.from(m.data, encodeNumber) }];
      }),
    ),
  }));
  const run = spawnSync('python3', ['-c', PYTHON_PROGRAM], {
    input: JSON.stringify(payload),
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
    env: { ...process.env, OPENBLAS_NUM_THREADS: '1', OMP_NUM_THREADS: '1' },
  });
  if (run.error) {
    assert.fail(`The numpy oracle needs python3 with numpy (Debian: apt-get install python3-numpy), but python3 could not start: ${run.error.message}`);
  }
  if (run.status === 3) {
    assert.fail(`The numpy oracle needs numpy (Debian: apt-get install python3-numpy): ${run.stderr}`);
  }
  if (run.status !== 0) assert.fail(`The numpy oracle failed (exit ${run.status}): ${run.stderr}`);
  return (JSON.parse(run.stdout) as any[]).map(decodeValue);
}

/** The oracle's answer as a matrix (a 1-D array becomes a column vector). */
export function asMat(v: OracleValue): Mat {
  if (v.kind === 'number') return { rows: 1, cols: 1, data: Float64Array.of(v.re) };
  if (v.kind !== 'array') throw new Error('oracle value is a tuple, expected an array');
  const [rows, cols] = v.shape.length === 1 ? [v.shape[0]!, 1] : [v.shape[0]!, v.shape[1]!];
  return { rows, cols, data: Float64Array.from(v.re) };
}

/** The oracle's answer as a number. */
export function asNumber(v: OracleValue): number {
  if (v.kind !== 'number') throw new Error(`oracle value is ${v.kind}, expected a number`);
  return v.re;
}

/** The items of a tuple answer. */
export function items(v: OracleValue): OracleValue[] {
  if (v.kind !== 'tuple') throw new Error(`oracle value is ${v.kind}, expected a tuple`);
  return v.items;
}

/** A small seeded generator (mulberry32), so every random input is the same on every run. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A rows×cols matrix of uniform numbers in [−1, 1) from the generator. */
export function randomMat(random: () => number, rows: number, cols: number): Mat {
  const data = new Float64Array(rows * cols);
  for (let i = 0; i < data.length; i++) data[i] = 2 * random() - 1;
  return { rows, cols, data };
}

/** A random symmetric n×n matrix. */
export function randomSymmetric(random: () => number, n: number): Mat {
  const m = randomMat(random, n, n);
  for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) m.data[j * n + i] = m.data[i * n + j]!;
  return m;
}

/** The largest absolute entry. */
export function maxAbs(data: ArrayLike<number>): number {
  let best = 0;
  for (let i = 0; i < data.length; i++) best = Math.max(best, Math.abs(data[i]!));
  return best;
}

/**
 * Asserts two matrices agree: equal shapes and max|a − b| ≤ tol·max(max|b|, floor), a norm-wise
 * relative test that does not fail on entries that are zero up to rounding. NaN must match NaN.
 */
export function assertClose(actual: Mat, expected: Mat, tol: number, what: string, floor = 1e-300): void {
  assert.equal(`${actual.rows}×${actual.cols}`, `${expected.rows}×${expected.cols}`, `${what}: shape`);
  const scale = Math.max(maxAbs(expected.data), floor);
  for (let i = 0; i < expected.data.length; i++) {
    const a = actual.data[i]!;
    const b = expected.data[i]!;
    if (Number.isNaN(b) || !Number.isFinite(b)) {
      assert.ok(Object.is(a, b) || (Number.isNaN(a) && Number.isNaN(b)), `${what}: entry ${i} is ${a}, numpy has ${b}`);
      continue;
    }
    assert.ok(Math.abs(a - b) <= tol * scale, `${what}: entry ${i} is ${a}, numpy has ${b} (tolerance ${tol}·${scale})`);
  }
}

/** Asserts two numbers agree to a relative tolerance (absolute near zero, scaled by `floor`). */
export function assertCloseNumber(actual: number, expected: number, tol: number, what: string, floor = 1e-300): void {
  if (!Number.isFinite(expected)) {
    assert.ok(Object.is(actual, expected) || (Number.isNaN(actual) && Number.isNaN(expected)), `${what}: ${actual}, numpy has ${expected}`);
    return;
  }
  assert.ok(
    Math.abs(actual - expected) <= tol * Math.max(Math.abs(expected), floor),
    `${what}: ${actual}, numpy has ${expected}`,
  );
}

/**
 * Asserts the columns of `actual` equal those of `expected` up to the sign of each column (how
 * eigenvectors and singular vectors are determined).
 */
export function assertColumnsUpToSign(actual: Mat, expected: Mat, tol: number, what: string): void {
  assert.equal(`${actual.rows}×${actual.cols}`, `${expected.rows}×${expected.cols}`, `${what}: shape`);
  const { rows, cols } = actual;
  for (let j = 0; j < cols; j++) {
    let dotProduct = 0;
    for (let i = 0; i < rows; i++) dotProduct += actual.data[i * cols + j]! * expected.data[i * cols + j]!;
    const sign = dotProduct < 0 ? -1 : 1;
    for (let i = 0; i < rows; i++) {
      const a = sign * actual.data[i * cols + j]!;
      const b = expected.data[i * cols + j]!;
      assert.ok(Math.abs(a - b) <= tol, `${what}: column ${j} row ${i}: ${a} vs numpy ${b}`);
    }
  }
}

/** Asserts QᵀQ = I for the columns of Q. */
export function assertOrthonormalColumns(q: Mat, tol: number, what: string): void {
  const { rows, cols } = q;
  for (let a = 0; a < cols; a++) {
    for (let b = a; b < cols; b++) {
      let s = 0;
      for (let i = 0; i < rows; i++) s += q.data[i * cols + a]! * q.data[i * cols + b]!;
      const expected = a === b ? 1 : 0;
      assert.ok(Math.abs(s - expected) <= tol, `${what}: column ${a}·column ${b} = ${s}, expected ${expected}`);
    }
  }
}
