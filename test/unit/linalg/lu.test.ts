/**
 * LU, solve, inverse, determinant and the condition estimate against numpy.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  luFactor, luExplicit, luSolve, solveSquare, inverse, inverseChecked, determinant, reciprocalCondition,
  solveSquareOrLeastSquares, rightDivide, matmul, fromRows, type Mat,
} from '../../../server/src/language/eval/linalg/index.js';
import { numpy, asMat, asNumber, assertClose, assertCloseNumber, seededRandom, randomMat } from './oracle.js';

const DIRECT = 1e-9;

function randomSquares(seed: number): Mat[] {
  const random = seededRandom(seed);
  const out: Mat[] = [fromRows([[4]]), fromRows([[0, 1], [1, 0]]), fromRows([[2, 1, 1], [4, -6, 0], [-2, 7, 2]])];
  for (let n = 1; n <= 8; n++) out.push(randomMat(random, n, n));
  out.push(randomMat(random, 50, 50));
  return out;
}

test('P·A = L·U with L unit lower and U upper, for square and rectangular A', () => {
  const random = seededRandom(21);
  const inputs = [...randomSquares(22), randomMat(random, 6, 3), randomMat(random, 3, 6), fromRows([[1, 2], [2, 4]])];
  // Several panels of the blocked factorization, tall and wide, with ragged last panels; and a
  // singular one whose zero column sits inside a panel (skipped, as dgetrf does).
  inputs.push(randomMat(random, 71, 37), randomMat(random, 37, 71));
  const withZeroColumn = randomMat(random, 40, 40);
  for (let i = 0; i < 40; i++) withZeroColumn.data[i * 40 + 19] = 0;
  inputs.push(withZeroColumn);
  for (const A of inputs) {
    const { L, U, P } = luExplicit(luFactor(A));
    assertClose(matmul(P, A), matmul(L, U), DIRECT, `PA = LU for ${A.rows}×${A.cols}`, 1);
    for (let i = 0; i < L.rows; i++) {
      for (let j = 0; j < L.cols; j++) {
        const v = L.data[i * L.cols + j]!;
        if (j > i) assert.equal(v, 0, 'L is lower triangular');
        if (j === i) assert.equal(v, 1, 'L has a unit diagonal');
        assert.ok(Math.abs(v) <= 1, 'partial pivoting keeps |L| ≤ 1');
      }
    }
    for (let i = 0; i < U.rows; i++) for (let j = 0; j < Math.min(i, U.cols); j++) assert.equal(U.data[i * U.cols + j], 0);
  }
});

test('det, inv and solve match numpy', () => {
  const inputs = randomSquares(23);
  const random = seededRandom(24);
  const rhs = inputs.map((A) => randomMat(random, A.rows, 3));
  const expected = numpy(inputs.flatMap((A, i) => [
    { expr: 'la.det(A)', env: { A } },
    { expr: 'la.inv(A)', env: { A } },
    { expr: 'la.solve(A, B)', env: { A, B: rhs[i]! } },
  ]));
  inputs.forEach((A, i) => {
    const what = `${A.rows}×${A.cols} #${i}`;
    assertCloseNumber(determinant(A), asNumber(expected[3 * i]!), DIRECT, `det ${what}`);
    assertClose(inverse(A), asMat(expected[3 * i + 1]!), DIRECT, `inv ${what}`);
    assertClose(solveSquare(A, rhs[i]!).value, asMat(expected[3 * i + 2]!), DIRECT, `solve ${what}`);
    assertClose(luSolve(luFactor(A), rhs[i]!), asMat(expected[3 * i + 2]!), DIRECT, `luSolve ${what}`);
  });
});

test('the condition estimate is close to numpy cond(A, 1) and flags singular matrices', () => {
  const random = seededRandom(25);
  const inputs: Mat[] = [];
  for (let n = 2; n <= 8; n++) inputs.push(randomMat(random, n, n));
  // An ill-conditioned Hilbert matrix.
  const hilbert = fromRows(Array.from({ length: 8 }, (_, i) => Array.from({ length: 8 }, (_, j) => 1 / (i + j + 1))));
  inputs.push(hilbert);
  const expected = numpy(inputs.map((A) => ({ expr: 'la.cond(A, 1)', env: { A } })));
  inputs.forEach((A, i) => {
    const estimate = 1 / reciprocalCondition(A, luFactor(A));
    const exact = asNumber(expected[i]!);
    // Hager/Higham never overestimates and is rarely off by more than a small factor.
    assert.ok(estimate <= exact * (1 + 1e-8), `estimate ${estimate} ≤ exact ${exact}`);
    assert.ok(estimate >= exact / 3, `estimate ${estimate} within a factor 3 of exact ${exact}`);
  });
  const singular = [fromRows([[1, 2], [2, 4]]), fromRows([[1, 2, 3], [4, 5, 6], [7, 8, 9]]), fromRows([[0]])];
  for (const A of singular) {
    const result = inverseChecked(A);
    assert.equal(result.singular, true, `${A.rows}×${A.cols} is singular`);
    assert.ok(result.cond > 1e15, `cond ${result.cond} is huge`);
    assert.ok(result.value.data.some((v) => !Number.isFinite(v) || Math.abs(v) > 1e14), 'the result shows the blow-up');
  }
  assert.equal(determinant(singular[0]!), 0);
  assert.equal(inverseChecked(fromRows([[2, 1], [1, 3]])).singular, false);
});

test('A \\ B and A / B dispatch to LU for square A and to least squares for tall A', () => {
  const random = seededRandom(26);
  const A = randomMat(random, 5, 5);
  const B = randomMat(random, 5, 2);
  const T = randomMat(random, 9, 3);
  const y = randomMat(random, 9, 1);
  const C = randomMat(random, 4, 5);
  const expected = numpy([
    { expr: 'la.solve(A, B)', env: { A, B } },
    { expr: 'la.lstsq(T, y, rcond=None)[0]', env: { T, y } },
    { expr: 'C @ la.inv(A)', env: { C, A } },
  ]);
  assertClose(solveSquareOrLeastSquares(A, B).value, asMat(expected[0]!), DIRECT, 'square solve');
  assertClose(solveSquareOrLeastSquares(T, y).value, asMat(expected[1]!), DIRECT, 'tall least squares');
  assertClose(rightDivide(C, A).value, asMat(expected[2]!), DIRECT, 'right divide');
  assert.throws(() => solveSquareOrLeastSquares(A, y), (e: any) => e.kind === 'shape.solve-rows');
  assert.throws(() => rightDivide(B, A), (e: any) => e.kind === 'shape.right-divide');
});

test('the regression example of LANGUAGE.md §12: (XᵀX)⁻¹Xᵀy equals X \\ y', () => {
  const X = fromRows([[1, 1], [1, 2], [1, 3], [1, 4]]);
  const y = fromRows([[6], [5], [7], [10]]);
  const normal = matmul(inverse(matmul(transposeOf(X), X)), matmul(transposeOf(X), y));
  const viaSolve = solveSquareOrLeastSquares(X, y).value;
  assertClose(normal, fromRows([[3.5], [1.4]]), 1e-12, 'normal equations');
  assertClose(viaSolve, fromRows([[3.5], [1.4]]), 1e-12, 'QR least squares');
});

function transposeOf(m: Mat): Mat {
  const out = { rows: m.cols, cols: m.rows, data: new Float64Array(m.data.length) };
  for (let i = 0; i < m.rows; i++) for (let j = 0; j < m.cols; j++) out.data[j * m.rows + i] = m.data[i * m.cols + j]!;
  return out;
}

test('0×0 and 1×1 systems', () => {
  assert.equal(determinant(fromRows([])), 1, 'det of the empty matrix is 1 (numpy)');
  assert.equal(inverse(fromRows([])).rows, 0);
  assertClose(inverse(fromRows([[4]])), fromRows([[0.25]]), 0, 'inv 1×1');
  assertClose(solveSquare(fromRows([[2]]), fromRows([[3, 4]])).value, fromRows([[1.5, 2]]), 0, 'solve 1×1 with two right-hand sides');
  const zero = solveSquare(fromRows([[0]]), fromRows([[1]]));
  assert.equal(zero.singular, true);
  assert.equal(zero.value.data[0], Infinity);
});
