/**
 * A quick timing of the dense kernels themselves (no evaluator): the median CPU time of several
 * runs after a warm-up, beside numpy on one thread run at the same moment (also CPU time, also
 * after a warm-up), as ratios. CPU time rather than wall time because the machine this was tuned on
 * is shared: wall time there mostly measures the scheduler. For working on the kernels;
 * `npm run bench` reports the figures through the evaluator.
 *
 * Run: node --conditions=import --import tsx bench/kernel-times.ts [--sizes 200,500] [--only svd,inv]
 * (tsx adds a small per-call cost; the kernels' loops are unaffected).
 */
import { spawnSync } from 'node:child_process';
import * as la from '../server/src/language/eval/linalg/index.js';
import type { Mat } from '../server/src/language/eval/linalg/index.js';

const argument = (name: string): string | undefined => {
  const at = process.argv.indexOf(name);
  return at >= 0 ? process.argv[at + 1] : undefined;
};
const sizes = (argument('--sizes') ?? '50,200,500').split(',').map(Number);
const only = argument('--only')?.split(',');

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
}

const ALL_KERNELS: readonly Kernel[] = [
  { name: 'matmul', ours: (x) => la.matmul(x.A, x.B), numpy: 'A @ B' },
  { name: 'solve', ours: (x) => la.solveSquare(x.A, x.b), numpy: 'np.linalg.solve(A, v)' },
  { name: 'inv', ours: (x) => la.inverseChecked(x.A), numpy: 'np.linalg.inv(A)' },
  { name: 'det', ours: (x) => la.determinant(x.A), numpy: 'np.linalg.det(A)' },
  { name: 'eigh', ours: (x) => la.symmetricEigen(x.S), numpy: 'np.linalg.eigh(S)' },
  { name: 'svd', ours: (x) => la.svd(x.A, { full: true }), numpy: 'np.linalg.svd(A)' },
];
const KERNELS = ALL_KERNELS.filter((k) => !only || only.includes(k.name));

function median(values: number[]): number {
  const sorted = [...values].sort((p, q) => p - q);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function randomMat(rows: number, cols: number): Mat {
  return { rows, cols, data: Float64Array.from({ length: rows * cols }, () => Math.random() - 0.5) };
}

function numpyTimes(): Map<string, number> {
  const script = [
    'import numpy as np, time, json',
    'out = {}',
    `for n in ${JSON.stringify(sizes)}:`,
    '  rng = np.random.default_rng(1); A = rng.standard_normal((n, n)); B = rng.standard_normal((n, n)); S = A + A.T; v = rng.standard_normal((n, 1))',
    ...KERNELS.map((k) => `  ${k.numpy}\n  ts=[]\n  for _ in range(7):\n    t=time.process_time(); ${k.numpy}; ts.append(time.process_time()-t)\n  ts.sort(); out["${k.name}@"+str(n)] = ts[3]*1000`),
    'print(json.dumps(out))',
  ].join('\n');
  const run = spawnSync('python3', ['-W', 'ignore', '-c', script], { encoding: 'utf8', env: { ...process.env, OPENBLAS_NUM_THREADS: '1', OMP_NUM_THREADS: '1', MKL_NUM_THREADS: '1' } });
  if (run.status !== 0) return new Map();
  return new Map(Object.entries(JSON.parse(run.stdout) as Record<string, number>));
}

const numpy = numpyTimes();
for (const n of sizes) {
  const inputs: Inputs = { A: randomMat(n, n), B: randomMat(n, n), S: la.zeros(n, n), b: randomMat(n, 1) };
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) inputs.S.data[i * n + j] = inputs.A.data[i * n + j]! + inputs.A.data[j * n + i]!;
  for (const kernel of KERNELS) {
    const repeats = n >= 500 ? 5 : 9;
    // About eight calls before the JIT's optimized code runs (and WebAssembly's optimizing tier).
    for (let i = 0; i < (n >= 500 ? 2 : 10); i++) kernel.ours(inputs);
    const times: number[] = [];
    for (let i = 0; i < repeats; i++) {
      const start = process.cpuUsage();
      kernel.ours(inputs);
      const used = process.cpuUsage(start);
      times.push((used.user + used.system) / 1000);
    }
    const ours = median(times);
    const reference = numpy.get(`${kernel.name}@${n}`);
    const ratio = reference ? `${(ours / reference).toFixed(1)}×` : '—';
    console.log(`${kernel.name.padEnd(7)} n=${String(n).padStart(3)}  ${ours.toFixed(2).padStart(8)} ms  numpy ${reference?.toFixed(3).padStart(7) ?? '—'} ms  ${ratio}`);
  }
}
