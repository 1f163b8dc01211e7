/**
 * Householder QR, least squares, SVD and what is built on it (pinv, rank, null, cond), against numpy.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  qrFactor, qrQ, qrR, leastSquares, svd, pinv, rank, nullSpace, cond2, norm2, singularValues,
  matmul, transpose, rectangularDiagonal, fromRows, zeros, type Mat,
} from '../../../server/src/language/eval/linalg/index.js';
import {
  numpy, asMat, asNumber, items, assertClose, assertCloseNumber, assertColumnsUpToSign, assertOrthonormalColumns,
  seededRandom, randomMat,
} from './oracle.js';

const DIRECT = 1e-9;
const ITERATIVE = 1e-6;

function shapes(seed: number): Mat[] {
  const random = seededRandom(seed);
  const out: Mat[] = [fromRows([[3]]), fromRows([[1, 2], [3, 4], [5, 6]]), fromRows([[1, 2, 3], [4, 5, 6]])];
  for (let k = 0; k < 10; k++) out.push(randomMat(random, 1 + Math.floor(random() * 8), 1 + Math.floor(random() * 8)));
  out.push(randomMat(random, 50, 50), randomMat(random, 50, 20), randomMat(random, 20, 50));
  return out;
}

/** Rows scaled by ±1 so the diagonal is non-negative: R is unique up to those signs. */
function normalizeRowSigns(r: Mat): Mat {
  const out = { rows: r.rows, cols: r.cols, data: r.data.slice() };
  for (let i = 0; i < Math.min(r.rows, r.cols); i++) {
    if (r.data[i * r.cols + i]! < 0) for (let j = 0; j < r.cols; j++) out.data[i * r.cols + j] = -out.data[i * r.cols + j]!;
  }
  return out;
}

test('QR (thin and full): Q orthonormal, R upper triangular, QR = A, R equal to numpy up to row signs', () => {
  const inputs = shapes(31);
  const expected = numpy(inputs.flatMap((A) => [
    { expr: "la.qr(A, mode='reduced')[1]", env: { A } },
    { expr: "la.qr(A, mode='complete')[1]", env: { A } },
  ]));
  inputs.forEach((A, i) => {
    const what = `${A.rows}×${A.cols}`;
    const f = qrFactor(A);
    for (const full of [false, true]) {
      const Q = qrQ(f, full);
      const R = qrR(f, full);
      const k = Math.min(A.rows, A.cols);
      assert.equal(`${Q.rows}×${Q.cols}`, `${A.rows}×${full ? A.rows : k}`, `${what}: Q shape`);
      assertOrthonormalColumns(Q, 1e-12, `${what} full=${full}: QᵀQ = I`);
      assertClose(matmul(Q, R), A, DIRECT, `${what} full=${full}: QR = A`, 1);
      for (let r = 0; r < R.rows; r++) for (let c = 0; c < Math.min(r, R.cols); c++) assert.equal(R.data[r * R.cols + c], 0);
      assertClose(normalizeRowSigns(R), normalizeRowSigns(asMat(expected[2 * i + (full ? 1 : 0)]!)), DIRECT, `${what}: R vs numpy`, 1);
    }
  });
});

test('least squares matches numpy lstsq, including rank-deficient and wide systems (minimum norm)', () => {
  const random = seededRandom(32);
  const cases: [Mat, Mat][] = [];
  for (let k = 0; k < 6; k++) {
    const m = 3 + Math.floor(random() * 6);
    const n = 1 + Math.floor(random() * 3);
    cases.push([randomMat(random, m, n), randomMat(random, m, 2)]);
  }
  // Rank-deficient: the third column is the sum of the first two.
  const deficient = randomMat(random, 7, 3);
  for (let i = 0; i < 7; i++) deficient.data[i * 3 + 2] = deficient.data[i * 3]! + deficient.data[i * 3 + 1]!;
  cases.push([deficient, randomMat(random, 7, 1)]);
  cases.push([fromRows([[1, 1], [1, 1], [1, 1]]), fromRows([[1], [2], [3]])]);
  cases.push([randomMat(random, 3, 6), randomMat(random, 3, 1)]);
  cases.push([randomMat(random, 50, 20), randomMat(random, 50, 1)]);
  const expected = numpy(cases.map(([A, b]) => ({ expr: 'la.lstsq(A, b, rcond=None)[0]', env: { A, b } })));
  cases.forEach(([A, b], i) => {
    const solved = leastSquares(A, b);
    assertClose(solved.value, asMat(expected[i]!), DIRECT, `lstsq case ${i} (${A.rows}×${A.cols})`, 1e-3);
  });
  assert.equal(leastSquares(deficient, cases[6]![1]).singular, true, 'rank deficiency is reported');
  assert.equal(leastSquares(cases[0]![0], cases[0]![1]).singular, false);
});

test('SVD: singular values match numpy; U, V orthonormal, equal up to sign, and UΣVᵀ = A (thin and full)', () => {
  const inputs = shapes(33);
  // Repeated singular values and an exactly singular matrix.
  inputs.push(fromRows([[2, 0, 0], [0, 2, 0], [0, 0, 1]]), fromRows([[1, 2, 3], [4, 5, 6], [7, 8, 9]]), zeros(3, 2));
  // Sizes that run the reduction and the sweeps in the SIMD kernels (24 columns and more), with
  // row counts off the kernels' multiples of 4 and 8, and a rank-deficient one (zero singular values
  // take the sweeps' other cases).
  const random = seededRandom(34);
  inputs.push(randomMat(random, 61, 37), randomMat(random, 37, 61), matmul(randomMat(random, 45, 5), randomMat(random, 5, 30)));
  const expected = numpy(inputs.map((A) => ({ expr: 'la.svd(A, full_matrices=False)', env: { A } })));
  inputs.forEach((A, i) => {
    const what = `${A.rows}×${A.cols} #${i}`;
    const [u, s, vh] = items(expected[i]!);
    const sv = asMat(s!);
    const thin = svd(A);
    assertClose({ rows: thin.s.length, cols: 1, data: thin.s }, sv, ITERATIVE, `${what}: singular values`, 1);
    for (let j = 1; j < thin.s.length; j++) assert.ok(thin.s[j - 1]! >= thin.s[j]!, 'descending');
    assertOrthonormalColumns(thin.U!, 1e-10, `${what}: UᵀU`);
    assertOrthonormalColumns(thin.V!, 1e-10, `${what}: VᵀV`);
    const k = thin.s.length;
    const reconstructed = matmul(matmul(thin.U!, rectangularDiagonal(thin.s, k, k)), transpose(thin.V!));
    assertClose(reconstructed, A, 1e-12, `${what}: UΣVᵀ = A`, 1);
    // Singular vectors are unique up to sign only for distinct, non-zero singular values.
    const distinct = Array.from(thin.s).every((v, j, all) => v > 1e-8 && (j === 0 || all[j - 1]! - v > 1e-6));
    if (distinct) {
      assertColumnsUpToSign(thin.U!, asMat(u!), ITERATIVE, `${what}: U vs numpy`);
      assertColumnsUpToSign(thin.V!, transpose(asMat(vh!)), ITERATIVE, `${what}: V vs numpy`);
    }
    const full = svd(A, { full: true });
    assert.equal(`${full.U!.rows}×${full.U!.cols}`, `${A.rows}×${A.rows}`);
    assert.equal(`${full.V!.rows}×${full.V!.cols}`, `${A.cols}×${A.cols}`);
    assertOrthonormalColumns(full.U!, 1e-10, `${what}: full UᵀU`);
    assertOrthonormalColumns(full.V!, 1e-10, `${what}: full VᵀV`);
    const fullReconstructed = matmul(matmul(full.U!, rectangularDiagonal(full.s, A.rows, A.cols)), transpose(full.V!));
    assertClose(fullReconstructed, A, 1e-12, `${what}: full UΣVᵀ = A`, 1);
    assertClose({ rows: k, cols: 1, data: singularValues(A) }, sv, ITERATIVE, `${what}: values only`, 1);
  });
});

test('pinv, rank, null space, cond and the 2-norm match numpy', () => {
  const inputs = shapes(34);
  const deficient = fromRows([[1, 2, 3], [2, 4, 6], [1, 0, 1], [0, 2, 2]]);
  inputs.push(deficient, fromRows([[1, 2, 3], [4, 5, 6], [7, 8, 9]]), fromRows([[0, 0], [0, 0]]));
  const expected = numpy(inputs.flatMap((A) => [
    { expr: 'la.pinv(A, rtol=None)', env: { A } },
    { expr: 'la.matrix_rank(A)', env: { A } },
    { expr: 'null_space(A)', env: { A } },
    { expr: 'la.cond(A) if min(A.shape) > 0 and np.all(la.svd(A, compute_uv=False) > 0) else np.inf', env: { A } },
    { expr: 'la.norm(A, 2)', env: { A } },
  ]));
  inputs.forEach((A, i) => {
    const what = `${A.rows}×${A.cols} #${i}`;
    assertClose(pinv(A), asMat(expected[5 * i]!), ITERATIVE, `${what}: pinv`, 1);
    assert.equal(rank(A), asNumber(expected[5 * i + 1]!), `${what}: rank`);
    const N = nullSpace(A);
    const expectedNull = asMat(expected[5 * i + 2]!);
    assert.equal(N.cols, expectedNull.cols, `${what}: null space dimension`);
    if (N.cols > 0) {
      assertOrthonormalColumns(N, 1e-10, `${what}: null basis orthonormal`);
      assertClose(matmul(A, N), zeros(A.rows, N.cols), 1e-12, `${what}: A·N = 0`, 1);
      // Bases may differ by a rotation: compare the projectors N Nᵀ.
      assertClose(matmul(N, transpose(N)), matmul(expectedNull, transpose(expectedNull)), ITERATIVE, `${what}: null projector`, 1);
    }
    const c = cond2(A);
    const ce = asNumber(expected[5 * i + 3]!);
    if (Number.isFinite(ce) && ce < 1e12) assertCloseNumber(c, ce, ITERATIVE, `${what}: cond`);
    else assert.ok(c > 1e12, `${what}: cond of a singular matrix is huge (${c})`);
    assertCloseNumber(norm2(A), asNumber(expected[5 * i + 4]!), ITERATIVE, `${what}: norm 2`, 1);
  });
});

test('empty shapes: 0×n and n×0 factor without errors', () => {
  for (const [m, n] of [[0, 0], [0, 3], [3, 0]] as const) {
    const A = zeros(m, n);
    const s = svd(A, { full: true });
    assert.equal(s.s.length, 0);
    assert.equal(`${s.U!.rows}×${s.U!.cols}`, `${m}×${m}`);
    assert.equal(`${s.V!.rows}×${s.V!.cols}`, `${n}×${n}`);
    assert.equal(`${pinv(A).rows}×${pinv(A).cols}`, `${n}×${m}`);
    assert.equal(rank(A), 0);
    const f = qrFactor(A);
    assert.equal(qrQ(f, true).rows, m);
    assert.equal(nullSpace(A).cols, n);
  }
});
