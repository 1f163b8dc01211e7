/**
 * Dense kernels at n = 50, 200, 500 through the Mathnote evaluator (the statement evaluated again
 * in the scope of a note that defines the operands: the median after warm-up runs), beside plain
 * mathjs and numpy on one thread (also warmed up, also the median).
 * Budget (issue 7): every kernel ≤ 10× numpy at n ≥ 200, and every n = 500 kernel under 1 s.
 */
import { spawnSync } from 'node:child_process';
import { create, all, type Matrix } from 'mathjs';
import { analyzeNote, evaluateNote } from '../server/src/language/index.js';
import type { Row } from './run.js';

const SIZES = [50, 200, 500] as const;
/**
 * Untimed runs before the timed ones, for Mathnote and numpy alike. The JIT needs about eight calls
 * of a kernel before its optimized code runs (WebAssembly likewise tiers up after a few calls), so
 * the small sizes, whose runs are cheap, get more; at n = 500 the loops are optimized within the
 * first call.
 */
const WARM_UP: Record<number, number> = { 50: 10, 200: 8, 500: 2 };

interface Kernel {
  readonly name: string;
  /** The Mathnote statement, over `A` (n×n), `S` (symmetric n×n), `B` (n×n) and `b` (n×1). */
  readonly mathnote: string;
  readonly numpy: string;
  /** The same work in plain mathjs, or undefined where mathjs has none (or takes minutes). */
  readonly mathjs?: (n: number) => ((a: Matrix, s: Matrix, b: Matrix, v: Matrix) => unknown) | undefined;
}

const math = create(all);

const KERNELS: readonly Kernel[] = [
  { name: 'matmul', mathnote: 'A * B', numpy: 'A @ B', mathjs: () => (a, _s, b) => math.multiply(a, b) },
  { name: 'solve', mathnote: 'A \\ b', numpy: 'np.linalg.solve(A, v)', mathjs: () => (a, _s, _b, v) => math.lusolve(a, v) },
  { name: 'inv', mathnote: 'inv(A)', numpy: 'np.linalg.inv(A)', mathjs: () => (a) => math.inv(a) },
  { name: 'det', mathnote: 'det(A)', numpy: 'np.linalg.det(A)', mathjs: () => (a) => math.det(a) },
  // mathjs's symmetric eigs is classical Jacobi: about 100 s at n = 500, so it is left out there.
  { name: 'eig (symmetric)', mathnote: 'eig(S)', numpy: 'np.linalg.eigh(S)', mathjs: (n) => (n >= 500 ? undefined : (_a, s) => math.eigs(s)) },
  { name: 'svd', mathnote: 'svd(A)', numpy: 'np.linalg.svd(A)' },
];

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/**
 * Time of the kernel through the evaluator: the note (operands, then `R = statement`) is evaluated
 * once, then the statement's right-hand side is evaluated again in its scope, as a hover does
 * (`Evaluation.valueOfSubexpression`: the evaluator's own dispatch, argument checks and result
 * values). The median of `repeats` runs after warm-up runs. An earlier version timed the whole note
 * with and without the statement and took the difference; the random operands it made each time
 * left garbage whose collection fell into either run, and the same kernel read 5 to 11 ms.
 */
function mathnoteTime(n: number, statement: string, repeats: number): number {
  const setup = `seed(1)\nA = randn(${n}, ${n})\nB = randn(${n}, ${n})\nS = A + Aᵀ\nb = randn(${n}, 1)`;
  const analysis = analyzeNote('```mathnote\n' + setup + '\nR = ' + statement + '\n```\n');
  const evaluation = evaluateNote(analysis, { timeBudgetMs: 600_000, maxElements: 1e8 });
  const last = analysis.statements[analysis.statements.length - 1]!;
  if (last.kind !== 'definition' || !evaluation.results.get(last)?.value) throw new Error(`bench: ${statement} at n = ${n} did not evaluate`);
  const run = (): void => {
    if (!evaluation.valueOfSubexpression(last.value, last)) throw new Error(`bench: ${statement} at n = ${n} did not evaluate again`);
  };
  // Warm-up: the first runs go before the JIT (and WebAssembly's optimizing tier) has compiled the
  // kernels; numpy is warmed up the same way below.
  for (let i = 0; i < (WARM_UP[n] ?? 2); i++) run();
  const times: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const start = performance.now();
    run();
    times.push(performance.now() - start);
  }
  return median(times);
}

function mathjsTime(n: number, run: (a: Matrix, s: Matrix, b: Matrix, v: Matrix) => unknown, repeats: number): number {
  const random = (rows: number, cols: number): Matrix => math.matrix(Array.from({ length: rows }, () => Array.from({ length: cols }, () => Math.random() - 0.5)));
  const a = random(n, n);
  const b = random(n, n);
  const s = math.add(a, math.transpose(a)) as Matrix;
  const v = random(n, 1);
  const times: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const start = performance.now();
    run(a, s, b, v);
    times.push(performance.now() - start);
  }
  return median(times);
}

function numpyTimes(python: string): Map<string, number> {
  const script = [
    'import numpy as np, time, json',
    'out = {}',
    `for n in ${JSON.stringify(SIZES)}:`,
    '  rng = np.random.default_rng(1); A = rng.standard_normal((n, n)); B = rng.standard_normal((n, n)); S = A + A.T; v = rng.standard_normal((n, 1))',
    `  warm_up = {${Object.entries(WARM_UP).map(([size, runs]) => `${size}: ${runs}`).join(', ')}}.get(n, 2)`,
    ...KERNELS.map((k) => `  for _ in range(warm_up): ${k.numpy}\n  ts=[]\n  for _ in range(5):\n    t=time.perf_counter(); ${k.numpy}; ts.append(time.perf_counter()-t)\n  ts.sort(); out["${k.name}@"+str(n)] = ts[2]*1000`),
    'print(json.dumps(out))',
  ].join('\n');
  const result = spawnSync(python, ['-c', script], { encoding: 'utf8', env: { ...process.env, OPENBLAS_NUM_THREADS: '1', OMP_NUM_THREADS: '1', MKL_NUM_THREADS: '1' } });
  if (result.status !== 0) throw new Error(`numpy bench failed: ${result.stderr}`);
  return new Map(Object.entries(JSON.parse(result.stdout) as Record<string, number>));
}

const fmt = (value: number): string => (value < 10 ? value.toFixed(2) : value.toFixed(0));

/** Rows of the dense-kernel table; `python` is a python3 with numpy, when there is one. */
export function kernelRows(python: string | undefined): Row[] {
  const numpy = python ? numpyTimes(python) : new Map<string, number>();
  const rows: Row[] = [];
  for (const n of SIZES) {
    const repeats = n >= 500 ? 3 : 11;
    for (const kernel of KERNELS) {
      const ours = mathnoteTime(n, kernel.mathnote, repeats);
      const mathjsRun = kernel.mathjs?.(n);
      const baseline = mathjsRun ? mathjsTime(n, mathjsRun, n >= 500 ? 1 : 3) : undefined;
      const reference = numpy.get(`${kernel.name}@${n}`);
      const ratio = reference ? ours / reference : undefined;
      const parts = [`${fmt(ours)} ms`];
      parts.push(baseline === undefined ? 'mathjs —' : `mathjs ${fmt(baseline)} ms`);
      if (reference !== undefined) parts.push(`numpy ${fmt(reference)} ms`, `${ratio!.toFixed(1)}× numpy`);
      const withinRatio = n < 200 || ratio === undefined || ratio <= 10;
      const withinSecond = n < 500 || ours < 1000;
      rows.push({
        section: 'kernels',
        measure: `${kernel.name}, n = ${n}`,
        value: parts.join(', '),
        budget: n >= 500 ? '≤ 10× numpy, < 1 s' : n >= 200 ? '≤ 10× numpy' : '—',
        met: n < 200 ? null : withinRatio && withinSecond,
      });
    }
  }
  return rows;
}
