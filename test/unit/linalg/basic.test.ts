/**
 * Products, transposes, norms and friends against numpy, on fixed and seeded random inputs.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  matmul, transpose, kron, outer, cross, dot, trace, diagonalOf, diagonalMatrix, norm1, normInf, normFro,
  vectorNorm, matrixPower, fromRows, type Mat,
} from '../../../server/src/language/eval/linalg/index.js';
import { numpy, asMat, asNumber, assertClose, assertCloseNumber, seededRandom, randomMat } from './oracle.js';

const DIRECT = 1e-9;

test('matmul matches numpy on fixed, random and blocked sizes', () => {
  const random = seededRandom(11);
  const cases: [Mat, Mat][] = [
    [fromRows([[1, 2], [3, 4]]), fromRows([[5, 6], [7, 8]])],
    [fromRows([[1, 2, 3]]), fromRows([[4], [5], [6]])],
    [fromRows([[2]]), fromRows([[3, 4, 5]])],
  ];
  for (let k = 0; k < 12; k++) {
    const m = 1 + Math.floor(random() * 8);
    const inner = 1 + Math.floor(random() * 8);
    const n = 1 + Math.floor(random() * 8);
    cases.push([randomMat(random, m, inner), randomMat(random, inner, n)]);
  }
  cases.push([randomMat(random, 50, 50), randomMat(random, 50, 50)]);
  // Wider than one column block and deeper than one k block, with ragged edges.
  cases.push([randomMat(random, 37, 131), randomMat(random, 131, 600)]);
  cases.push([randomMat(random, 9, 70), randomMat(random, 70, 1)]);
  const expected = numpy(cases.map(([A, B]) => ({ expr: 'A @ B', env: { A, B } })));
  cases.forEach(([A, B], i) => assertClose(matmul(A, B), asMat(expected[i]!), DIRECT, `case ${i}`));
});

test('matmul keeps IEEE semantics: 0·Inf is NaN', () => {
  const product = matmul(fromRows([[0, 1]]), fromRows([[Infinity], [2]]));
  assert.ok(Number.isNaN(product.data[0]!));
  assert.throws(() => matmul(fromRows([[1, 2]]), fromRows([[1, 2]])), /inner sizes 2 and 1/);
});

test('transpose, kron, outer, cross, dot, trace and diag match numpy', () => {
  const random = seededRandom(12);
  const A = randomMat(random, 5, 7);
  const B = randomMat(random, 3, 2);
  const S = randomMat(random, 6, 6);
  const x = randomMat(random, 3, 1);
  const y = randomMat(random, 3, 1);
  const u = randomMat(random, 4, 1);
  const expected = numpy([
    { expr: 'A.T', env: { A } },
    { expr: 'np.kron(A, B)', env: { A, B } },
    { expr: 'np.outer(u, x)', env: { u, x } },
    { expr: 'np.cross(x.ravel(), y.ravel())', env: { x, y } },
    { expr: 'float(x.ravel() @ y.ravel())', env: { x, y } },
    { expr: 'np.trace(S)', env: { S } },
    { expr: 'np.diag(A)', env: { A } },
    { expr: 'np.diag(A, 2)', env: { A } },
    { expr: 'np.diag(A, -3)', env: { A } },
    { expr: 'np.diag(u.ravel(), 1)', env: { u } },
    { expr: 'np.diag(u.ravel(), -2)', env: { u } },
  ]);
  assertClose(transpose(A), asMat(expected[0]!), 0, 'transpose');
  assertClose(kron(A, B), asMat(expected[1]!), DIRECT, 'kron');
  assertClose(outer(u.data, x.data), asMat(expected[2]!), DIRECT, 'outer');
  assertClose({ rows: 3, cols: 1, data: cross(x.data, y.data) }, asMat(expected[3]!), DIRECT, 'cross');
  assertCloseNumber(dot(x.data, y.data), asNumber(expected[4]!), DIRECT, 'dot');
  assertCloseNumber(trace(S), asNumber(expected[5]!), DIRECT, 'trace');
  const d0 = diagonalOf(A);
  assertClose({ rows: d0.length, cols: 1, data: d0 }, asMat(expected[6]!), 0, 'diag');
  const d2 = diagonalOf(A, 2);
  assertClose({ rows: d2.length, cols: 1, data: d2 }, asMat(expected[7]!), 0, 'diag k=2');
  const dm3 = diagonalOf(A, -3);
  assertClose({ rows: dm3.length, cols: 1, data: dm3 }, asMat(expected[8]!), 0, 'diag k=-3');
  assertClose(diagonalMatrix(u.data, 1), asMat(expected[9]!), 0, 'diag matrix k=1');
  assertClose(diagonalMatrix(u.data, -2), asMat(expected[10]!), 0, 'diag matrix k=-2');
});

test('norms match numpy', () => {
  const random = seededRandom(13);
  const A = randomMat(random, 6, 4);
  const v = randomMat(random, 7, 1);
  const expected = numpy([
    { expr: 'la.norm(A, 1)', env: { A } },
    { expr: 'la.norm(A, np.inf)', env: { A } },
    { expr: "la.norm(A, 'fro')", env: { A } },
    { expr: 'la.norm(v.ravel(), 1)', env: { v } },
    { expr: 'la.norm(v.ravel())', env: { v } },
    { expr: 'la.norm(v.ravel(), np.inf)', env: { v } },
    { expr: 'la.norm(v.ravel(), -np.inf)', env: { v } },
    { expr: 'la.norm(v.ravel(), 3)', env: { v } },
  ]);
  assertCloseNumber(norm1(A), asNumber(expected[0]!), DIRECT, 'norm 1');
  assertCloseNumber(normInf(A), asNumber(expected[1]!), DIRECT, 'norm inf');
  assertCloseNumber(normFro(A), asNumber(expected[2]!), DIRECT, 'norm fro');
  assertCloseNumber(vectorNorm(v.data, 1), asNumber(expected[3]!), DIRECT, 'vector norm 1');
  assertCloseNumber(vectorNorm(v.data, 2), asNumber(expected[4]!), DIRECT, 'vector norm 2');
  assertCloseNumber(vectorNorm(v.data, Infinity), asNumber(expected[5]!), DIRECT, 'vector norm inf');
  assertCloseNumber(vectorNorm(v.data, -Infinity), asNumber(expected[6]!), DIRECT, 'vector norm -inf');
  assertCloseNumber(vectorNorm(v.data, 3), asNumber(expected[7]!), DIRECT, 'vector norm 3');
  // Scaling keeps huge and tiny vectors from overflowing or underflowing.
  assertCloseNumber(vectorNorm([3e200, 4e200], 2), 5e200, DIRECT, 'no overflow');
  assertCloseNumber(vectorNorm([3e-200, 4e-200], 2), 5e-200, DIRECT, 'no underflow');
});

test('matrixPower matches numpy matrix_power for positive, zero and negative exponents', () => {
  const random = seededRandom(14);
  const A = randomMat(random, 5, 5);
  for (let i = 0; i < 5; i++) A.data[i * 5 + i] += 3;
  const exponents = [0, 1, 2, 5, 13, -1, -3];
  const expected = numpy(exponents.map((k) => ({ expr: 'la.matrix_power(A, int(k))', env: { A, k } })));
  exponents.forEach((k, i) => assertClose(matrixPower(A, k).value, asMat(expected[i]!), DIRECT, `A^${k}`));
  assert.throws(() => matrixPower(fromRows([[1, 2]]), 2), (e: any) => e.kind === 'type.not-square');
  assert.throws(() => matrixPower(A, 0.5), (e: any) => e.kind === 'type.integer-power');
});
