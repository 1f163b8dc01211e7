/**
 * The conventions the standard library fixes (LANGUAGE.md §8), asserted on small hand-checked
 * inputs: column-wise reductions, population var, sample cov, element-wise functions, domain
 * warnings, argument problems.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BuiltinProblem } from '../../../server/src/language/eval/builtin.js';
import { call, col, makeContext, mat, num, row, rowsOf, scalarOf, str } from './context.js';

function close(actual: number, expected: number, tolerance = 1e-12): void {
  assert.ok(Math.abs(actual - expected) <= tolerance * Math.max(1, Math.abs(expected)), `${actual} ≠ ${expected}`);
}

function closeRows(actual: number[][], expected: number[][], tolerance = 1e-12): void {
  assert.equal(actual.length, expected.length, 'row count');
  actual.forEach((r, i) => {
    assert.equal(r.length, expected[i]!.length, 'column count');
    r.forEach((x, j) => close(x, expected[i]![j]!, tolerance));
  });
}

describe('elementary functions', () => {
  it('apply element by element to matrices and keep the shape', () => {
    const result = call('exp', [mat([[0, 1], [2, 3]])]);
    assert.equal(result.kind, 'matrix');
    closeRows(rowsOf(result), [[1, Math.E], [Math.E ** 2, Math.E ** 3]]);
  });

  it('keep scalars scalar', () => {
    assert.deepEqual(call('sqrt', [num(9)]), num(3));
  });

  it('log is the natural logarithm and ln is the same function', () => {
    close(scalarOf(call('log', [num(Math.E ** 2)])), 2);
    close(scalarOf(call('ln', [num(Math.E)])), 1);
  });

  it('log(-1) is NaN with a domain warning naming the input', () => {
    const ctx = makeContext();
    assert.ok(Number.isNaN(scalarOf(call('log', [num(-1)], ctx))));
    assert.equal(ctx.warnings.length, 1);
    const warning = ctx.warnings[0]!;
    assert.equal(warning.code, 'domain');
    assert.equal(warning.kind, 'eval.domain');
    assert.equal(warning.severity, 'warning');
    assert.equal(warning.args.fn, 'log');
    assert.equal(warning.args.input, -1);
  });

  it('sqrt of a matrix with negative entries warns once, for the first one', () => {
    const ctx = makeContext();
    const result = rowsOf(call('sqrt', [row([4, -4, -9])], ctx));
    assert.equal(result[0]![0], 2);
    assert.ok(Number.isNaN(result[0]![1]!));
    assert.equal(ctx.warnings.length, 1);
    assert.equal(ctx.warnings[0]!.args.input, -4);
  });

  it('no warning for NaN inputs, which are not a domain problem', () => {
    const ctx = makeContext();
    call('log', [num(NaN)], ctx);
    assert.equal(ctx.warnings.length, 0);
  });

  it('round takes halves away from zero', () => {
    assert.deepEqual(rowsOf(call('round', [row([2.5, -2.5, 1.4, -0.5])])), [[3, -3, 1, -1]]);
  });

  it('mod has the sign of the divisor', () => {
    assert.deepEqual(rowsOf(call('mod', [row([-7, 7, -7]), row([3, -3, -3])])), [[2, -2, -1]]);
  });

  it('atan2 takes y first and broadcasts', () => {
    closeRows(rowsOf(call('atan2', [col([1, -1]), num(-1)])), [[(3 * Math.PI) / 4], [(-3 * Math.PI) / 4]]);
  });

  it('abs of a complex number is its modulus', () => {
    assert.deepEqual(call('abs', [{ kind: 'complex', re: 3, im: 4 }]), num(5));
  });

  it('carries scalar and derivative for automatic differentiation', () => {
    const tanh = call('tanh', [num(0.5)]);
    close(scalarOf(tanh), Math.tanh(0.5));
  });

  it('a string argument is a type problem with position and kinds', () => {
    assert.throws(
      () => call('sin', [str('x')]),
      (e: unknown) => e instanceof BuiltinProblem && e.code === 'type' && e.kind === 'type.argument' && e.args.fn === 'sin' && e.args.position === 1 && e.args.got === 'a string',
    );
  });
});

describe('reductions', () => {
  it('on a vector return a scalar, in either orientation', () => {
    assert.deepEqual(call('sum', [row([1, 2, 3])]), num(6));
    assert.deepEqual(call('sum', [col([1, 2, 3])]), num(6));
    assert.deepEqual(call('mean', [col([1, 2, 3, 4])]), num(2.5));
  });

  it('on a matrix work down the columns and return a 1×d row', () => {
    const D = mat([[1, 2], [3, 4], [5, 9]]);
    for (const [name, expected] of [
      ['sum', [[9, 15]]],
      ['mean', [[3, 5]]],
      ['median', [[3, 4]]],
      ['min', [[1, 2]]],
      ['max', [[5, 9]]],
      ['prod', [[15, 72]]],
    ] as const) {
      const result = call(name, [D]);
      assert.equal(result.kind, 'matrix', name);
      closeRows(rowsOf(result), expected.map((r) => [...r]));
    }
    closeRows(rowsOf(call('var', [D])), [[8 / 3, 26 / 3]]);
    closeRows(rowsOf(call('std', [D])), [[Math.sqrt(8 / 3), Math.sqrt(26 / 3)]]);
  });

  it('var divides by n by default and by n − 1 with "sample"', () => {
    const x = row([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    close(scalarOf(call('var', [x])), 8.25);
    close(scalarOf(call('var', [x, str('sample')])), 9.166666666666666);
    close(scalarOf(call('std', [x])), 2.8722813232690143);
    assert.throws(() => call('var', [x, str('unbiased')]), BuiltinProblem);
  });

  it('min and max of two arguments are element-wise with broadcasting', () => {
    assert.deepEqual(rowsOf(call('max', [row([1, 5, -2]), num(0)])), [[1, 5, 0]]);
    assert.deepEqual(call('min', [num(3), num(2)]), num(2));
  });

  it('cumsum keeps the shape and runs down columns', () => {
    assert.deepEqual(rowsOf(call('cumsum', [row([1, 2, 3])])), [[1, 3, 6]]);
    assert.deepEqual(rowsOf(call('cumsum', [mat([[1, 2], [3, 4]])])), [[1, 2], [4, 6]]);
  });

  it('mode breaks ties toward the smallest value', () => {
    assert.deepEqual(call('mode', [row([3, 3, 1, 1, 2])]), num(1));
  });

  it('quantile interpolates linearly like numpy', () => {
    close(scalarOf(call('quantile', [row([1, 2, 3, 4]), num(0.5)])), 2.5);
    closeRows(rowsOf(call('quantile', [row([1, 2, 3, 4]), row([0, 0.25, 1])])), [[1, 1.75, 4]]);
    closeRows(rowsOf(call('quantile', [mat([[1, 10], [2, 20], [3, 30]]), num(0.5)])), [[2, 20]]);
  });
});

describe('covariance and correlation', () => {
  const D = mat([[2.5, 2.4], [0.5, 0.7], [2.2, 2.9], [1.9, 2.2], [3.1, 3.0], [2.3, 2.7], [2, 1.6], [1, 1.1], [1.5, 1.6], [1.1, 0.9]]);

  it('cov of an n×d data matrix is the d×d sample covariance (pca.md)', () => {
    closeRows(rowsOf(call('cov', [D])), [
      [0.6165555555555556, 0.6154444444444445],
      [0.6154444444444445, 0.7165555555555556],
    ]);
  });

  it('cov of two vectors is one number with divisor n − 1', () => {
    close(scalarOf(call('cov', [col([1, 2, 3]), col([2, 4, 7])])), 2.5);
  });

  it('corr of a data matrix has a unit diagonal and is symmetric', () => {
    const r = rowsOf(call('corr', [D]));
    assert.equal(r[0]![0], 1);
    assert.equal(r[1]![1], 1);
    assert.equal(r[0]![1], r[1]![0]);
    close(r[0]![1]!, 0.6154444444444445 / Math.sqrt(0.6165555555555556 * 0.7165555555555556));
  });

  it('vectors of different lengths are a shape problem', () => {
    assert.throws(() => call('cov', [col([1, 2, 3]), col([1, 2])]), (e: unknown) => e instanceof BuiltinProblem && e.code === 'shape');
  });
});

describe('standardization', () => {
  it('zscore uses the population σ and works column by column; normalize is the same', () => {
    const z = rowsOf(call('zscore', [row([1, 2, 3])]));
    closeRows(z, [[-Math.sqrt(1.5), 0, Math.sqrt(1.5)]]);
    assert.deepEqual(rowsOf(call('normalize', [row([1, 2, 3])])), z);
    const m = rowsOf(call('zscore', [mat([[1, 10], [3, 30]])]));
    closeRows(m, [[-1, -1], [1, 1]]);
  });

  it('minmax maps onto [0, 1]', () => {
    closeRows(rowsOf(call('minmax', [row([2, 4, 6])])), [[0, 0.5, 1]]);
  });
});
