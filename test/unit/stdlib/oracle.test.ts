/**
 * The oracle suite: every numeric built-in of the standard library compared with numpy (and with
 * Python's math.erfc / statistics.NormalDist for the normal distribution) on fixed inputs and on
 * inputs drawn from a seeded generator. Relative tolerance 1e-9 for direct operations and 1e-6 for
 * iterative ones (integral); an absolute floor of 1e-14 of the case's magnitude lets results that
 * should be 0 differ from numpy's by a rounding. Without python3 + numpy the suite FAILS with a message.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { DerivedFunctionValue, Value } from '../../../server/src/language/eval/value.js';
import { runNumpy } from '../../support/python.js';
import { call, fn, makeContext, num, rowsOf, str } from './context.js';

type Arg = number | string | number[][] | { readonly fn: string };

interface Case {
  readonly op: string;
  readonly args: readonly Arg[];
  /** Relative tolerance; iterative methods get 1e-6. */
  readonly tolerance?: number;
}

type Result = number | string | (number | string)[][];

/** Integrands and step functions shared by name with oracle.py. */
const FUNCTIONS: Readonly<Record<string, DerivedFunctionValue>> = {
  sin: fn('sin', 1, Math.sin),
  normpdf: fn('normpdf', 1, (t) => Math.exp(-0.5 * t * t) / Math.sqrt(2 * Math.PI)),
  gauss: fn('gauss', 1, (t) => Math.exp(-t * t)),
  cube_exp: fn('cube_exp', 1, (t) => t ** 3 * Math.exp(-t)),
  inverse_square: fn('inverse_square', 1, (t) => 1 / (t * t)),
  arctan_density: fn('arctan_density', 1, (t) => 1 / (Math.PI * (1 + t * t))),
  sqrt: fn('sqrt', 1, Math.sqrt),
  oscillating: fn('oscillating', 1, (t) => Math.cos(10 * t)),
  square_plus_one: fn('square_plus_one', 1, (t) => t * t + 1),
  positive: fn('positive', 1, (t) => (t > 0 ? 1 : 0)),
  logistic_map: fn('logistic_map', 1, (t) => 3.7 * t * (1 - t)),
};

/** mulberry32, so the "random" inputs are the same on every run. */
function generator(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const random = generator(20261122);
const uniform = (lo: number, hi: number) => lo + (hi - lo) * random();
const matrixOf = (rows: number, cols: number, draw: () => number): number[][] =>
  Array.from({ length: rows }, () => Array.from({ length: cols }, draw));
const rowOf = (values: number[]) => [values];
const colOf = (values: number[]) => values.map((x) => [x]);

function buildCases(): Case[] {
  const cases: Case[] = [];
  const add = (op: string, ...args: Arg[]) => cases.push({ op, args });

  // Elementary functions on fixed and random matrices, inside and outside their domains.
  const general = matrixOf(3, 4, () => uniform(-10, 10));
  const unit = matrixOf(4, 3, () => uniform(-1.2, 1.2));
  const positive = matrixOf(2, 5, () => uniform(1e-3, 1e3));
  for (const op of ['sin', 'cos', 'tan', 'atan', 'sinh', 'cosh', 'tanh', 'exp', 'abs', 'sign', 'floor', 'ceil', 'round']) {
    add(op, general);
    add(op, uniform(-5, 5));
  }
  for (const op of ['asin', 'acos']) add(op, unit);
  for (const op of ['log', 'ln', 'log2', 'log10', 'sqrt']) {
    add(op, positive);
    add(op, general);
  }
  add('round', [[2.5, -2.5, 0.5, -0.5, 1.4999999999999998, 3.5]]);
  add('erf', rowOf([-6, -2, -0.5, -0.1, 0, 1e-10, 0.3, 0.46875, 0.5, 1, 2.5, 4, 4.5, 6]));
  add('erfc', rowOf([-6, -2, -0.5, 0, 0.2, 0.5, 1, 3, 4, 5, 10, 20, 26]));
  add('erf', general);
  add('gamma', rowOf([0.1, 0.5, 1, 1.5, 2, 3.7, 5, 10.25, 20, 50.5, 100, 170.5, -0.5, -1.5, -2.25]));
  add('gamma', positive);
  add('factorial', rowOf([0, 1, 2, 5, 10, 20, 22, 23, 50, 100, 170, 0.5, 2.5]));
  for (const op of ['real', 'imag', 'conj']) add(op, general);
  add('sign', [[0, -0, 3, -2]]);
  add('exp', [[0, 1, -745, 709]]);
  add('atan2', colOf([1, -1, 0, 2.5]), rowOf([-1, 1, 0.5]));
  add('atan2', uniform(-3, 3), uniform(-3, 3));
  add('mod', matrixOf(3, 3, () => uniform(-20, 20)), rowOf([3, -2.5, 7]));
  add('mod', [[-7, 7, 5.5, -0.25]], 2);
  add('min', matrixOf(3, 3, () => uniform(-5, 5)), colOf([0, 1, -1]));
  add('max', matrixOf(3, 3, () => uniform(-5, 5)), 0.5);

  // Statistics: vectors in both orientations reduce to scalars, matrices reduce down columns.
  const data = matrixOf(6, 3, () => uniform(-4, 9));
  const rowVector = rowOf(Array.from({ length: 7 }, () => uniform(0, 100)));
  const colVector = colOf(Array.from({ length: 9 }, () => uniform(-1, 1)));
  const offset = colOf(Array.from({ length: 8 }, () => 1e8 + uniform(0, 1)));
  for (const op of ['sum', 'prod', 'mean', 'median', 'min', 'max', 'cumsum', 'cumprod', 'var', 'std']) {
    add(op, data);
    add(op, rowVector);
    add(op, colVector);
  }
  for (const op of ['var', 'std']) {
    add(op, data, 'sample');
    add(op, rowVector, 'sample');
    add(op, offset);
  }
  add('median', [[3, 1, 4, 2]]);
  add('mode', matrixOf(7, 3, () => Math.floor(uniform(0, 4))));
  add('mode', rowOf([5, 1, 5, 1, 2]));
  add('quantile', data, 0.3);
  add('quantile', rowVector, rowOf([0, 0.25, 0.5, 0.9, 1]));
  add('quantile', colVector, colOf([0.1, 0.75]));
  add('quantile', data, rowOf([0.2, 0.8]));
  const observations = matrixOf(10, 3, () => uniform(0, 5));
  add('cov', observations);
  add('corr', observations);
  add('cov', colVector);
  const xs = colOf(Array.from({ length: 12 }, () => uniform(0, 10)));
  const ys = colOf(xs.map(([x]) => 2 * x! + uniform(-3, 3)));
  add('cov', xs, ys);
  add('corr', xs, ys);
  add('cov', [[2.5, 2.4], [0.5, 0.7], [2.2, 2.9], [1.9, 2.2], [3.1, 3.0], [2.3, 2.7], [2, 1.6], [1, 1.1], [1.5, 1.6], [1.1, 0.9]]);
  add('zscore', data);
  add('zscore', rowVector, 'sample');
  add('minmax', data);
  add('minmax', colVector);

  // Probability.
  const grid = matrixOf(3, 4, () => uniform(-6, 6));
  add('normpdf', grid);
  add('normpdf', grid, 1.5, 2);
  add('normpdf', colOf([0, 1, 2]), rowOf([0, 1]), 0.5);
  add('normcdf', rowOf([-30, -20, -10, -8, -3, -1, -0.3, 0, 0.2, 1, 3, 5, 8]));
  add('normcdf', grid, -1, 3);
  add('normcdf', 3);
  add('norminv', rowOf([1e-300, 1e-20, 1e-10, 1e-5, 0.001, 0.01, 0.02425, 0.1, 0.3, 0.7, 0.9, 0.975, 0.999, 0.99999]));
  add('norminv', matrixOf(2, 5, () => uniform(0.001, 0.999)));
  add('norminv', 0.975, 10, 2);
  add('binopdf', rowOf(Array.from({ length: 21 }, (_, k) => k)), 20, 0.3);
  add('binopdf', colOf([0, 3, 7]), rowOf([10, 50, 200]), 0.45);
  add('binopdf', rowOf([2.5, -1, 11]), 10, 0.5);
  add('binocdf', rowOf([0, 2, 5, 9.7, 20]), 20, 0.3);
  add('binopdf', rowOf([0, 1, 5, 10, 20, 40]), 1e12, 1e-11);
  add('binopdf', rowOf([298000, 299500, 300000, 300700, 302000]), 1e6, 0.3);
  add('binopdf', rowOf([0, 1, 1999, 2000]), 2000, 0.999);
  add('poisspdf', rowOf([9000, 9900, 10000, 10050, 10500]), 10000);
  add('poisspdf', rowOf([0, 1, 2, 50]), 1e-3);
  add('poisspdf', rowOf(Array.from({ length: 31 }, (_, k) => k)), 4.5);
  add('poisspdf', colOf([0, 10, 100]), rowOf([0.5, 30, 90]));
  add('poisscdf', rowOf([0, 1, 4, 10.5, 25]), 4.5);
  add('unifpdf', rowOf([-1, 0, 0.5, 2, 3]), 0, 2);
  add('unifcdf', rowOf([-1, 0, 0.5, 2, 3]), 0, 2);
  add('exppdf', rowOf([-1, 0, 0.5, 2, 30]), 2);
  add('expcdf', rowOf([-1, 0, 1e-10, 0.5, 2, 30]), 2);

  // Machine learning.
  add('sigmoid', rowOf([-800, -40, -5, -1, 0, 1e-8, 2, 40, 800]));
  add('sigmoid', grid);
  add('relu', grid);
  add('softplus', rowOf([-800, -30, -1, 0, 1, 30, 800]));
  add('softmax', colOf([1, 2, 3]));
  add('softmax', rowOf([1000, 1001]));
  add('softmax', rowOf([-1000, -1001, -999]));
  add('softmax', data);
  add('logsoftmax', rowOf([1000, 1001, 990]));
  add('logsoftmax', data);
  add('logsumexp', rowOf([1000, 1000]));
  add('logsumexp', colOf([-1000, -1001]));
  add('logsumexp', data);
  add('onehot', colOf([1, 3, 2, 3]));
  add('onehot', rowOf([2, 1]), 4);

  // Sequences and higher-order functions.
  add('linspace', 0, 1, 5);
  add('linspace', -3.7, 12.1, 37);
  add('linspace', 2, -2);
  add('range', 0, 1, 0.1);
  add('range', 1, 10);
  add('range', 10, 1, -3);
  add('range', -2.5, 7.3, 0.7);
  add('sort', rowVector);
  add('sort', data);
  add('sort', colVector, 'descend');
  add('argmin', data);
  add('argmax', rowVector);
  add('argmax', colOf([1, 5, 5, 2]));
  add('length', data);
  add('numel', data);
  add('map', general, { fn: 'square_plus_one' });
  add('map', general, { fn: 'sin' });
  add('filter', colOf([-2, 3, 0, 5, -1, 8]), { fn: 'positive' });
  add('iterate', { fn: 'logistic_map' }, 0.2, 25);
  add('last', data);

  // Integrals: adaptive quadrature is iterative, so 1e-6 (it usually reaches ~1e-13).
  const integrals: [string, number, number][] = [
    ['sin', 0, Math.PI],
    ['sin', -1, 5],
    ['normpdf', -Infinity, Infinity],
    ['normpdf', -Infinity, 1],
    ['normpdf', -3, 3],
    ['normpdf', 0.5, Infinity],
    ['gauss', -Infinity, Infinity],
    ['cube_exp', 0, Infinity],
    ['inverse_square', 1, Infinity],
    ['arctan_density', -Infinity, Infinity],
    ['sqrt', 0, 2],
    ['oscillating', 0, 7],
    ['sin', 3, 1],
  ];
  for (const [name, a, b] of integrals) cases.push({ op: 'integral', args: [{ fn: name }, a, b], tolerance: 1e-6 });
  return cases;
}

/** Arguments as Mathnote values. */
function toValue(arg: Arg): Value {
  if (typeof arg === 'number') return num(arg);
  if (typeof arg === 'string') return str(arg);
  if (Array.isArray(arg)) {
    const rows = arg.length;
    const cols = rows === 0 ? 0 : arg[0]!.length;
    return { kind: 'matrix', rows, cols, data: Float64Array.from(arg.flat()) };
  }
  const f = FUNCTIONS[(arg as { fn: string }).fn];
  if (!f) throw new Error(`no test function ${(arg as { fn: string }).fn}`);
  return f;
}

function encodeNumber(x: number): number | string {
  if (Number.isNaN(x)) return 'NaN';
  if (x === Infinity) return 'Inf';
  if (x === -Infinity) return '-Inf';
  return x;
}

/** Arguments for oracle.py: matrices as {m}, strings as {s}, functions by name as {s}. */
function toJson(arg: Arg): unknown {
  if (typeof arg === 'number') return encodeNumber(arg);
  if (typeof arg === 'string') return { s: arg };
  if (Array.isArray(arg)) return { m: arg.map((r) => r.map(encodeNumber)) };
  return { s: (arg as { fn: string }).fn };
}

function decodeNumber(x: number | string): number {
  if (x === 'NaN') return NaN;
  if (x === 'Inf') return Infinity;
  if (x === '-Inf') return -Infinity;
  return x as number;
}

/** The Mathnote result in the oracle's form: a number, or rows. */
function resultOf(value: Value): number | number[][] {
  if (value.kind === 'number') return value.value;
  return rowsOf(value);
}

function closeEnough(actual: number, expected: number, tolerance: number, scale: number): boolean {
  if (Number.isNaN(expected)) return Number.isNaN(actual);
  if (!Number.isFinite(expected)) return actual === expected;
  return Math.abs(actual - expected) <= tolerance * Math.abs(expected) + 1e-14 * scale;
}

function describeCase(c: Case): string {
  const show = (a: Arg) => (Array.isArray(a) ? `${a.length}×${a[0]?.length ?? 0}` : typeof a === 'object' ? (a as { fn: string }).fn : String(a));
  return `${c.op}(${c.args.map(show).join(', ')})`;
}

describe('standard library against numpy', () => {
  const cases = buildCases();
  // One python process for all cases keeps the suite fast.
  // Beside this file under CommonJS; from the working directory (the root, as npm runs tests) otherwise.
  const folder = typeof __dirname === 'string' ? __dirname : join(process.cwd(), 'test', 'unit', 'stdlib');
  const script = readFileSync(join(folder, 'oracle.py'), 'utf8');
  const expected = runNumpy<Result[]>(script, cases.map((c) => ({ op: c.op, args: c.args.map(toJson) })));

  it('covers every numeric built-in of the area', () => {
    const covered = new Set(cases.map((c) => c.op));
    for (const name of ['sin', 'cos', 'tan', 'asin', 'acos', 'atan', 'atan2', 'sinh', 'cosh', 'tanh', 'exp', 'log', 'ln', 'log2', 'log10', 'sqrt', 'abs', 'sign', 'floor', 'ceil', 'round', 'erf', 'erfc', 'gamma', 'factorial', 'real', 'imag', 'conj', 'min', 'max', 'mod', 'sum', 'prod', 'cumsum', 'mean', 'median', 'mode', 'var', 'std', 'cov', 'corr', 'quantile', 'zscore', 'minmax', 'normpdf', 'normcdf', 'norminv', 'binopdf', 'poisspdf', 'sigmoid', 'relu', 'softmax', 'logsumexp', 'onehot', 'linspace', 'range', 'map', 'filter', 'sort', 'argmin', 'argmax', 'last', 'iterate', 'integral']) {
      assert.ok(covered.has(name), `${name} has no oracle case`);
    }
  });

  for (const [index, c] of cases.entries()) {
    it(`${describeCase(c)} matches numpy`, () => {
      const tolerance = c.tolerance ?? 1e-9;
      const actual = resultOf(call(c.op, c.args.map(toValue), makeContext()));
      const want = expected[index]!;
      if (typeof want === 'number' || typeof want === 'string') {
        assert.equal(typeof actual, 'number', `expected a scalar, got ${JSON.stringify(actual)}`);
        const e = decodeNumber(want);
        assert.ok(closeEnough(actual as number, e, tolerance, Math.abs(e)), `${actual} ≠ ${e} (numpy)`);
        return;
      }
      assert.ok(Array.isArray(actual), `expected a ${want.length}×${want[0]?.length} matrix, got the scalar ${String(actual)}`);
      const rows = actual as number[][];
      assert.deepEqual([rows.length, rows[0]?.length ?? 0], [want.length, want[0]?.length ?? 0], 'shape');
      const decoded = want.map((r) => r.map(decodeNumber));
      const scale = Math.max(1, ...decoded.flat().filter(Number.isFinite).map(Math.abs));
      decoded.forEach((r, i) =>
        r.forEach((e, j) => {
          const a = rows[i]![j]!;
          assert.ok(closeEnough(a, e, tolerance, scale), `entry (${i + 1}, ${j + 1}): ${a} ≠ ${e} (numpy)`);
        }),
      );
    });
  }
});
