/**
 * Oracle for the operators of LANGUAGE.md §6: every operator form is evaluated through the whole
 * language service on fixed and seeded random matrices and compared with numpy on the same
 * numbers, with a relative tolerance of 1e-9 (direct operations). Fails, rather than skips, when
 * numpy is missing: CI installs python3-numpy.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeNote, evaluateNote, valueToJson, type JsonValue } from '../../../server/src/language/index.js';
import { runNumpy } from '../../support/python.js';

/** A small deterministic generator (mulberry32), so failures reproduce. */
function generator(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Grid = number[][];

function randomGrid(random: () => number, rows: number, cols: number, positive = false): Grid {
  return Array.from({ length: rows }, () => Array.from({ length: cols }, () => (positive ? 0.5 + random() * 2 : random() * 4 - 2)));
}

/** A Mathnote literal that reproduces the doubles exactly. */
function literal(grid: Grid): string {
  return '[' + grid.map((row) => row.map((x) => x.toPrecision(17)).join(', ')).join('; ') + ']';
}

interface Case {
  readonly mathnote: string;
  readonly numpy: string;
}

/** The operators over operands A (m×n), B (m×n), S (n×n, well conditioned), r (1×n), c (m×1), x (n×1), T (m×n tall) and scalars a, b. */
const CASES: readonly Case[] = [
  { mathnote: 'A + B', numpy: 'A + B' },
  { mathnote: 'A - B', numpy: 'A - B' },
  { mathnote: 'A + r', numpy: 'A + r' },
  { mathnote: 'A - c', numpy: 'A - c' },
  { mathnote: 'c + r', numpy: 'c + r' },
  { mathnote: 'A .* B', numpy: 'A * B' },
  { mathnote: 'A ⊙ B', numpy: 'A * B' },
  { mathnote: 'A ./ P', numpy: 'A / P' },
  { mathnote: 'P .^ 1.5', numpy: 'P ** 1.5' },
  { mathnote: 'P .^ B', numpy: 'P ** B' },
  { mathnote: 'a * A', numpy: 'a * A' },
  { mathnote: 'A / a', numpy: 'A / a' },
  { mathnote: 'A * S', numpy: 'A @ S' },
  { mathnote: 'A S', numpy: 'A @ S' },
  { mathnote: 'Aᵀ A', numpy: 'A.T @ A' },
  { mathnote: "A' c", numpy: 'A.T @ c' },
  { mathnote: 'S x', numpy: 'S @ x' },
  { mathnote: 'S \\ x', numpy: 'np.linalg.solve(S, x)' },
  { mathnote: 'T \\ c', numpy: 'np.linalg.lstsq(T, c, rcond=None)[0]' },
  { mathnote: 'A / S', numpy: 'np.linalg.solve(S.T, A.T).T' },
  { mathnote: 'S⁻¹', numpy: 'np.linalg.inv(S)' },
  { mathnote: 'S^3', numpy: 'np.linalg.matrix_power(S, 3)' },
  { mathnote: 'S^-2', numpy: 'np.linalg.matrix_power(np.linalg.inv(S), 2)' },
  { mathnote: 'S² ', numpy: 'S @ S' },
  { mathnote: 'x · x', numpy: '(x.T @ x).item()' },
  { mathnote: 'r · xᵀ', numpy: '(r @ x).item()' },
  { mathnote: 'u × v', numpy: 'np.cross(u.ravel(), v.ravel()).reshape(3, 1)' },
  { mathnote: '-A', numpy: '-A' },
  { mathnote: '√P', numpy: 'np.sqrt(P)' },
  { mathnote: '‖x‖', numpy: 'np.linalg.norm(x)' },
  { mathnote: '‖x‖₁', numpy: 'np.linalg.norm(x, 1)' },
  { mathnote: '‖x‖∞', numpy: 'np.linalg.norm(x, np.inf)' },
  { mathnote: '|x|', numpy: 'np.linalg.norm(x)' },
  { mathnote: '|a|', numpy: 'abs(a)' },
  { mathnote: 'A < B', numpy: '(A < B).astype(float)' },
  { mathnote: 'A >= r', numpy: '(A >= r).astype(float)' },
  { mathnote: 'A[2, :]', numpy: 'A[1:2, :]' },
  { mathnote: 'A[:, 1]', numpy: 'A[:, 0:1]' },
  { mathnote: 'A[1:2, 2:end]', numpy: 'A[0:2, 1:]' },
  { mathnote: 'x[end]', numpy: 'float(x[-1, 0])' },
  { mathnote: '0:0.25:2', numpy: 'np.arange(0, 2.0001, 0.25).reshape(1, -1)' },
  { mathnote: '∑(k = 1:20) k² / a', numpy: 'sum(k**2 / a for k in range(1, 21))' },
  { mathnote: '∏(k = 1:6) (k + a)', numpy: 'float(np.prod([k + a for k in range(1, 7)]))' },
  { mathnote: 'a^b', numpy: 'abs(a) ** b if a > 0 else float("nan")' },
  { mathnote: 'e^-a', numpy: 'np.exp(-a)' },
  { mathnote: '[A, c; r, a]', numpy: 'np.block([[A, c], [r, np.array([[a]])]]) if A.shape[1] == r.shape[1] else None' },
];

/** Turns a CLI-style JSON value into a grid of numbers (scalars become 1×1). */
function asGrid(value: JsonValue | null): Grid {
  if (typeof value === 'number') return [[value]];
  if (typeof value === 'boolean') return [[value ? 1 : 0]];
  if (Array.isArray(value)) return (value as unknown[]).map((row) => (row as unknown[]).map((x) => (typeof x === 'boolean' ? (x ? 1 : 0) : Number(x))));
  throw new Error(`not numeric: ${JSON.stringify(value)}`);
}

function close(a: number, b: number): boolean {
  if (Number.isNaN(a) && Number.isNaN(b)) return true;
  return Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));
}

function runTrial(seed: number, m: number, n: number): void {
  const random = generator(seed);
  const operands: Record<string, Grid | number> = {
    A: randomGrid(random, m, n),
    B: randomGrid(random, m, n),
    P: randomGrid(random, m, n, true),
    // Diagonally dominant, so solving is well conditioned and 1e-9 is fair.
    S: randomGrid(random, n, n).map((row, i) => row.map((x, j) => (i === j ? x + 2 * n + 1 : x))),
    T: randomGrid(random, m + n + 1, m),
    r: randomGrid(random, 1, n),
    c: randomGrid(random, m, 1),
    x: randomGrid(random, n, 1),
    u: randomGrid(random, 3, 1),
    v: randomGrid(random, 3, 1),
    a: 0.5 + random() * 2,
    b: random() * 3 - 1.5,
  };
  // T is (m+n+1)×m so that `T \ c` needs c of m+n+1 rows: use its own right-hand side.
  operands.c = randomGrid(random, m, 1);
  const tallRhs = randomGrid(random, m + n + 1, 1);
  const definitions = Object.entries(operands).map(([name, value]) => `${name} = ${typeof value === 'number' ? value.toPrecision(17) : literal(value)}`);
  const cases = CASES.map((c) => (c.mathnote === 'T \\ c' ? { mathnote: 'T \\ h', numpy: 'np.linalg.lstsq(T, h, rcond=None)[0]' } : c));
  const note = '```mathnote\n' + [...definitions, `h = ${literal(tallRhs)}`, ...cases.map((c) => c.mathnote)].join('\n') + '\n```\n';
  const analysis = analyzeNote(note);
  const evaluation = evaluateNote(analysis, { timeBudgetMs: 30_000 });
  const statements = analysis.statements.slice(definitions.length + 1);
  assert.equal(statements.length, cases.length);

  const script = [
    'import json, sys, numpy as np',
    'data = json.load(sys.stdin)',
    'env = {k: (np.array(v, dtype=float) if isinstance(v, list) else v) for k, v in data["operands"].items()}',
    'env["np"] = np',
    'out = []',
    'for expr in data["cases"]:',
    '    v = eval(expr, env)',
    '    if v is None: out.append(None)',
    '    elif isinstance(v, np.ndarray): out.append([[None if np.isnan(x) else float(x) for x in row] for row in np.atleast_2d(v)])',
    '    else: out.append(None if np.isnan(float(v)) else float(v))',
    'print(json.dumps(out))',
  ].join('\n');
  const expected = runNumpy<(number | null | (number | null)[][])[]>(script, {
    operands: { ...operands, h: tallRhs },
    cases: cases.map((c) => c.numpy),
  });

  cases.forEach((c, index) => {
    const want = expected[index];
    if (want === null && c.numpy.includes('else None')) return;
    const statement = statements[index]!;
    const problems = [...analysis.problems, ...evaluation.problems].filter((p) => p.severity === 'error' && p.span.start >= statement.span.start && p.span.end <= statement.span.end);
    assert.deepEqual(problems.map((p) => p.kind), [], `${c.mathnote} (seed ${seed}, ${m}×${n}) raised a problem`);
    const value = evaluation.results.get(statement)?.value;
    assert.ok(value, `${c.mathnote} has no value`);
    const got = asGrid(valueToJson(value));
    const wanted = typeof want === 'number' || want === null ? [[want ?? NaN]] : want.map((row) => row.map((x) => x ?? NaN));
    assert.equal(got.length, wanted.length, `${c.mathnote}: ${got.length} rows, numpy ${wanted.length} (seed ${seed})`);
    got.forEach((row, i) => {
      assert.equal(row.length, wanted[i]!.length, `${c.mathnote}: row ${i + 1} length (seed ${seed})`);
      row.forEach((x, j) => assert.ok(close(x, wanted[i]![j]!), `${c.mathnote}[${i + 1}, ${j + 1}] = ${x}, numpy ${wanted[i]![j]} (seed ${seed}, ${m}×${n})`));
    });
  });
}

test('operators agree with numpy on fixed shapes', () => {
  runTrial(1, 2, 2);
  runTrial(2, 3, 2);
  runTrial(3, 2, 3);
});

test('operators agree with numpy on seeded random shapes', () => {
  const random = generator(20261122);
  for (let trial = 0; trial < 6; trial++) {
    const m = 2 + Math.floor(random() * 5);
    const n = 2 + Math.floor(random() * 5);
    runTrial(100 + trial, m, n);
  }
});
