/**
 * The dense linear-algebra kernels timed directly (no evaluator around them) at n = 50, 200, 500,
 * beside plain mathjs (n ≤ 200 by default: it takes seconds to minutes beyond; pass --mathjs-500 to
 * include n = 500 except its symmetric eigs, ~100 s) and numpy on one thread
 * (OPENBLAS_NUM_THREADS=1). Prints a table of medians and ratios to numpy.
 *
 * Times are CPU time of this process (process.cpuUsage, and time.process_time in Python), not wall
 * time: every contender is single-threaded, and CPU time stays meaningful on a machine shared with
 * other work, where wall time mostly measures the scheduler.
 *
 * Run: node --conditions=import --import tsx bench/kernels.ts [--sizes 200,500] [--only svd,inv]
 * (`--only` takes kernel names as in the table; tsx adds a small per-call cost, the kernels' loops
 * are unaffected).
 */
import { spawnSync } from 'node:child_process';
import { create, all, type Matrix } from 'mathjs';
import * as la from '../server/src/language/eval/linalg/index.js';
import type { Mat } from '../server/src/language/eval/linalg/index.js';

const argument = (name: string): string | undefined => {
  const at = process.argv.indexOf(name);
  return at >= 0 ? process.argv[at + 1] : undefined;
};
const SIZES = (argument('--sizes') ?? '50,200,500').split(',').map(Number);
const only = argument('--only')?.split(',');
const withMathjs500 = process.argv.includes('--mathjs-500');
const math = create(all);

interface Inputs {
  readonly A: Mat;
  readonly B: Mat;
  readonly S: Mat;
  readonly b: Mat;
}

interface Kernel {
  readonly name: string;
  readonly ours: (x: Inputs) => unknown;
  readonly numpy: string;
  readonly mathjs?: (a: Matrix, b: Matrix, s: Matrix, v: Matrix) => unknown;
  /** mathjs is left out at and above this size (its symmetric eigs is classical Jacobi). */
  readonly mathjsMaxN?: number;
}

const ALL_KERNELS: readonly Kernel[] = [
  { name: 'matmul', ours: (x) => la.matmul(x.A, x.B), numpy: 'A @ B', mathjs: (a, b) => math.multiply(a, b) },
  { name: 'solve', ours: (x) => la.solveSquare(x.A, x.b), numpy: 'np.linalg.solve(A, v)', mathjs: (a, _b, _s, v) => math.lusolve(a, v) },
  { name: 'inv', ours: (x) => la.inverseChecked(x.A), numpy: 'np.linalg.inv(A)', mathjs: (a) => math.inv(a) },
  { name: 'det', ours: (x) => la.determinant(x.A), numpy: 'np.linalg.det(A)', mathjs: (a) => math.det(a) },
  { name: 'eig (symmetric)', ours: (x) => la.symmetricEigen(x.S), numpy: 'np.linalg.eigh(S)', mathjs: (_a, _b, s) => math.eigs(s), mathjsMaxN: 499 },
  { name: 'svd', ours: (x) => la.svd(x.A, { full: true }), numpy: 'np.linalg.svd(A)' },
  { name: 'qr', ours: (x) => la.qrQ(la.qrFactor(x.A), false), numpy: 'np.linalg.qr(A)', mathjs: (a) => math.qr(a) },
  { name: 'eig (general)', ours: (x) => la.generalEigen(x.A), numpy: 'np.linalg.eig(A)' },
];
const KERNELS = ALL_KERNELS.filter((kernel) => !only || only.includes(kernel.name));

function median(values: number[]): number {
  const sorted = [...values].sort((p, q) => p - q);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function randomMat(rows: number, cols: number): Mat {
  return { rows, cols, data: Float64Array.from({ length: rows * cols }, () => Math.random() - 0.5) };
}

/** Median CPU time of `repeats` runs, after `warmUps` runs that let the JIT (and WebAssembly's optimizing tier) take over. */
function time(run: () => unknown, repeats: number, warmUps = 1): number {
  for (let i = 0; i < warmUps; i++) run();
  const times: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const start = process.cpuUsage();
    run();
    const used = process.cpuUsage(start);
    times.push((used.user + used.system) / 1000);
  }
  return median(times);
}

function numpyTimes(): Map<string, number> | undefined {
  const script = [
    'import numpy as np, time, json',
    'out = {}',
    `for n in ${JSON.stringify(SIZES)}:`,
    '  rng = np.random.default_rng(1); A = rng.standard_normal((n, n)); B = rng.standard_normal((n, n)); S = A + A.T; v = rng.standard_normal((n, 1))',
    ...KERNELS.map((k) => `  ts=[]\n  for _ in range(5):\n    t=time.process_time(); ${k.numpy}; ts.append(time.process_time()-t)\n  ts.sort(); out["${k.name}@"+str(n)] = ts[2]*1000`),
    'print(json.dumps(out))',
  ].join('\n');
  const run = spawnSync('python3', ['-c', script], {
    encoding: 'utf8',
    env: { ...process.env, OPENBLAS_NUM_THREADS: '1', OMP_NUM_THREADS: '1', MKL_NUM_THREADS: '1' },
  });
  if (run.status !== 0) {
    console.error(`numpy unavailable (${run.error?.message ?? run.stderr.trim()}); its column stays empty`);
    return undefined;
  }
  return new Map(Object.entries(JSON.parse(run.stdout) as Record<string, number>));
}

function format(ms: number | undefined): string {
  if (ms === undefined) return '—';
  return ms < 10 ? ms.toFixed(2) : ms < 100 ? ms.toFixed(1) : ms.toFixed(0);
}

const numpy = numpyTimes();
const header = ['kernel', 'n', 'mathnote CPU ms', 'mathjs CPU ms', 'numpy 1-thread CPU ms', 'mathnote / numpy', 'mathjs / numpy'];
const rows: string[][] = [];
for (const n of SIZES) {
  const inputs: Inputs = { A: randomMat(n, n), B: randomMat(n, n), S: la.zeros(n, n), b: randomMat(n, 1) };
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) inputs.S.data[i * n + j] = inputs.A.data[i * n + j]! + inputs.A.data[j * n + i]!;
  const toMathjs = (m: Mat): Matrix => math.matrix(la.toRows(m));
  const [ma, mb, ms, mv] = [inputs.A, inputs.B, inputs.S, inputs.b].map(toMathjs) as [Matrix, Matrix, Matrix, Matrix];
  const repeats = n >= 500 ? 3 : n >= 200 ? 5 : 15;
  for (const kernel of KERNELS) {
    // About eight calls pass before optimized code runs.
    const ours = time(() => kernel.ours(inputs), repeats, n >= 500 ? 2 : 10);
    const mathjsAllowed = kernel.mathjs && n <= (kernel.mathjsMaxN ?? Infinity) && (n < 500 || withMathjs500);
    const mathjs = mathjsAllowed ? time(() => kernel.mathjs!(ma, mb, ms, mv), n >= 200 ? 1 : 3) : undefined;
    const reference = numpy?.get(`${kernel.name}@${n}`);
    rows.push([
      kernel.name,
      String(n),
      format(ours),
      format(mathjs),
      format(reference),
      reference ? (ours / reference).toFixed(1) + '×' : '—',
      reference && mathjs !== undefined ? (mathjs / reference).toFixed(0) + '×' : '—',
    ]);
  }
}
const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c]!.length)));
const line = (cells: string[]): string => cells.map((cell, c) => (c < 1 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  ');
console.log(line(header));
console.log(widths.map((w) => '-'.repeat(w)).join('  '));
for (const row of rows) console.log(line(row));
