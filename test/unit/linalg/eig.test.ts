/**
 * Symmetric and general eigen-decompositions, Cholesky, expm and sqrtm against numpy.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  symmetricEigen, generalEigen, cholesky, expm, sqrtm, matmul, transpose, fromRows, identity, zeros, diagonalMatrix,
  type Mat,
} from '../../../server/src/language/eval/linalg/index.js';
import {
  numpy, asMat, assertClose, assertColumnsUpToSign, assertOrthonormalColumns, seededRandom, randomMat, randomSymmetric,
  type OracleValue,
} from './oracle.js';

const DIRECT = 1e-9;
const ITERATIVE = 1e-6;

for (const method of ['ql', 'inverse-iteration'] as const) test(`symmetric eig (${method}): ascending eigenvalues equal numpy eigh, orthonormal vectors equal up to sign, A V = V Λ`, () => {
  const random = seededRandom(41);
  const inputs: Mat[] = [fromRows([[5]]), fromRows([[2, 1], [1, 2]]), fromRows([[0, 0], [0, 0]])];
  for (let n = 1; n <= 8; n++) inputs.push(randomSymmetric(random, n));
  inputs.push(randomSymmetric(random, 50));
  // Repeated eigenvalues: identity, and a matrix with eigenvalues 1, 1, 4.
  inputs.push(identity(4), fromRows([[2, 1, 1], [1, 2, 1], [1, 1, 2]]));
  // Already tridiagonal, and diagonal with negative entries.
  inputs.push(fromRows([[2, -1, 0, 0], [-1, 2, -1, 0], [0, -1, 2, -1], [0, 0, -1, 2]]), diagonalMatrix([3, -1, 2]));
  // Larger cases with clusters: a 40×40 identity plus a rank-2 term (eigenvalue 1 thirty-eight
  // times), eigenvalues 1, 1 + 1e-9, 2, …, and the 30×30 second-difference matrix.
  const u = randomMat(random, 40, 2);
  const lowRank = matmul(u, transpose(u));
  for (let i = 0; i < 40; i++) lowRank.data[i * 40 + i] += 1;
  inputs.push(lowRank);
  const B = randomMat(random, 24, 24);
  const qrOrthogonal = symmetricEigen(matmul(B, transpose(B)), true, 'ql').vectors!;
  const spectrum = Array.from({ length: 24 }, (_, i) => (i === 1 ? 1 + 1e-9 : i === 2 ? 1 + 2e-9 : i === 0 ? 1 : i));
  inputs.push(matmul(matmul(qrOrthogonal, diagonalMatrix(spectrum)), transpose(qrOrthogonal)));
  inputs.push(fromRows(Array.from({ length: 30 }, (_, i) => Array.from({ length: 30 }, (_, j) => (i === j ? 2 : Math.abs(i - j) === 1 ? -1 : 0)))));
  for (const M of inputs.slice(-3)) for (let i = 0; i < M.rows; i++) for (let j = 0; j < i; j++) M.data[j * M.rows + i] = M.data[i * M.rows + j]!;
  const expected = numpy(inputs.map((A) => ({ expr: 'la.eigh(A)', env: { A } })));
  inputs.forEach((A, i) => {
    const what = `${A.rows}×${A.cols} #${i}`;
    const [w, v] = (expected[i] as Extract<OracleValue, { kind: 'tuple' }>).items;
    const { values, vectors, method: used } = symmetricEigen(A, true, method);
    if (A.rows > 1) assert.equal(used, method, `${what}: solved by ${method}`);
    const scale = Math.max(1, ...Array.from(values, Math.abs));
    assertClose({ rows: values.length, cols: 1, data: values }, asMat(w!), ITERATIVE, `${what}: eigenvalues`, scale);
    for (let j = 1; j < values.length; j++) assert.ok(values[j - 1]! <= values[j]!, 'ascending');
    assertOrthonormalColumns(vectors!, 1e-10, `${what}: VᵀV = I`);
    assertClose(matmul(A, vectors!), matmul(vectors!, diagonalMatrix(values)), 1e-10, `${what}: AV = VΛ`, scale);
    const distinct = Array.from(values).every((x, j, all) => j === 0 || x - all[j - 1]! > 1e-6 * scale);
    if (distinct) assertColumnsUpToSign(vectors!, asMat(v!), ITERATIVE, `${what}: vectors vs numpy`);
    assert.equal(symmetricEigen(A, false).vectors, undefined);
  });
});

/** Sorts complex numbers by real part, then imaginary part, for comparing eigenvalue multisets. */
function sortedComplex(re: ArrayLike<number>, im: ArrayLike<number>): [number, number][] {
  return Array.from(re, (r, i) => [r, im[i]!] as [number, number]).sort((a, b) =>
    Math.abs(a[0] - b[0]) > 1e-7 ? a[0] - b[0] : a[1] - b[1],
  );
}

test('general eig: eigenvalues equal numpy eigvals as a multiset; A v = λ v with unit vectors', () => {
  const random = seededRandom(42);
  const rotation = fromRows([[0, -1], [1, 0]]);
  const inputs: Mat[] = [rotation, fromRows([[1, 2], [3, 4]]), fromRows([[2, 1], [0, 2]]), fromRows([[4]])];
  for (let n = 2; n <= 8; n++) inputs.push(randomMat(random, n, n));
  inputs.push(randomMat(random, 50, 50));
  inputs.push(fromRows([[0, 1, 0], [0, 0, 1], [1, 0, 0]]));
  const expected = numpy(inputs.map((A) => ({ expr: 'la.eigvals(A).astype(complex)', env: { A } })));
  inputs.forEach((A, i) => {
    const what = `${A.rows}×${A.cols} #${i}`;
    const e = expected[i] as Extract<OracleValue, { kind: 'array' }>;
    const result = generalEigen(A);
    const ours = sortedComplex(result.valuesRe, result.valuesIm);
    const theirs = sortedComplex(e.re, e.im ?? e.re.map(() => 0));
    const scale = Math.max(1, ...theirs.map(([r, m]) => Math.hypot(r, m)));
    ours.forEach(([r, m], j) => {
      assert.ok(Math.hypot(r - theirs[j]![0], m - theirs[j]![1]) <= ITERATIVE * scale, `${what}: eigenvalue ${r}+${m}i vs numpy ${theirs[j]}`);
    });
    // A v = λ v for every column, with complex arithmetic spelled out.
    const n = A.rows;
    const AvRe = matmul(A, result.vectorsRe);
    const AvIm = matmul(A, result.vectorsIm);
    const defective = i === 2;
    for (let j = 0; j < n; j++) {
      const lr = result.valuesRe[j]!;
      const li = result.valuesIm[j]!;
      let norm = 0;
      for (let r = 0; r < n; r++) {
        const vr = result.vectorsRe.data[r * n + j]!;
        const vi = result.vectorsIm.data[r * n + j]!;
        norm += vr * vr + vi * vi;
        const er = AvRe.data[r * n + j]! - (lr * vr - li * vi);
        const ei = AvIm.data[r * n + j]! - (lr * vi + li * vr);
        assert.ok(Math.hypot(er, ei) <= 1e-9 * scale, `${what}: (A v − λ v)[${r}, ${j}] = ${er}+${ei}i`);
      }
      if (!defective) assert.ok(Math.abs(norm - 1) < 1e-12, `${what}: column ${j} has unit norm`);
    }
  });
  const rot = generalEigen(rotation);
  assert.equal(rot.real, false);
  assert.deepEqual(Array.from(rot.valuesRe), [0, 0]);
  assert.deepEqual(Array.from(rot.valuesIm), [1, -1], 'conjugate pair, positive imaginary part first');
  assert.equal(generalEigen(fromRows([[1, 2], [3, 4]])).real, true);
});

test('Cholesky matches numpy and reports where positive definiteness fails', () => {
  const random = seededRandom(43);
  const inputs: Mat[] = [fromRows([[4, 2], [2, 3]])];
  for (const n of [1, 3, 6, 8, 50]) {
    const B = randomMat(random, n, n);
    const S = matmul(B, transpose(B));
    for (let i = 0; i < n; i++) S.data[i * n + i] += n;
    inputs.push(S);
  }
  const expected = numpy(inputs.map((A) => ({ expr: 'la.cholesky(A)', env: { A } })));
  inputs.forEach((A, i) => {
    const result = cholesky(A);
    assert.ok(result.ok);
    assertClose(result.L, asMat(expected[i]!), DIRECT, `chol ${A.rows}×${A.cols}`);
  });
  const indefinite = cholesky(fromRows([[1, 2], [2, 1]]));
  assert.deepEqual(indefinite, { ok: false, failedAt: 1 });
});

test('expm matches numpy (eigen-decomposition oracle) across all Padé degrees and with scaling', () => {
  const random = seededRandom(44);
  const inputs: Mat[] = [zeros(2, 2), fromRows([[0, -1], [1, 0]]), fromRows([[1e-3, 2e-3], [0, -1e-3]])];
  // Norms spanning each degree (3, 5, 7, 9) and the scaled degree 13.
  for (const size of [0.01, 0.2, 0.8, 1.8, 5, 40]) {
    const n = 4;
    const A = randomSymmetric(random, n);
    const f = size / Math.max(...Array.from({ length: n }, (_, j) => Array.from({ length: n }, (_, r) => Math.abs(A.data[r * n + j]!)).reduce((s, v) => s + v, 0)));
    inputs.push({ rows: n, cols: n, data: A.data.map((v) => v * f) });
  }
  inputs.push(randomMat(random, 6, 6), randomMat(random, 8, 8));
  const expected = numpy(inputs.map((A) => ({ expr: 'expm_eig(A)', env: { A } })));
  inputs.forEach((A, i) => assertClose(expm(A), asMat(expected[i]!), 1e-9, `expm #${i}`, 1));
  assertClose(expm(fromRows([[0, Math.PI], [-Math.PI, 0]])), fromRows([[-1, 0], [0, -1]]), 1e-12, 'exp of a half turn', 1);
});

test('sqrtm: X² = A for symmetric PSD (via eig), general matrices (Denman–Beavers), and complex roots', () => {
  const random = seededRandom(45);
  const B = randomMat(random, 5, 5);
  const spd = matmul(B, transpose(B));
  const general = randomMat(random, 5, 5);
  for (let i = 0; i < 5; i++) general.data[i * 5 + i] += 4;
  for (const A of [spd, general, fromRows([[4, 1], [0, 9]]), fromRows([[1, 0], [0, 0]])]) {
    const root = sqrtm(A);
    assert.ok(root.converged);
    assert.equal(root.complex, false);
    assertClose(matmul(root.re, root.re), A, 1e-9, `sqrtm(${A.rows}×${A.cols})²`, 1);
  }
  const expected = numpy([{ expr: 'np.real(V @ np.diag(np.sqrt(w.astype(complex))) @ la.inv(V))', env: {} }].map((r) => ({
    ...r, expr: `(lambda w, V: ${r.expr})(*la.eig(A))`, env: { A: general },
  })));
  assertClose(sqrtm(general).re, asMat(expected[0]!), 1e-8, 'general sqrtm vs numpy', 1);
  // A symmetric matrix with a negative eigenvalue has an imaginary square root.
  const negative = sqrtm(fromRows([[-4, 0], [0, 9]]));
  assert.equal(negative.complex, true);
  assertClose(negative.re, fromRows([[0, 0], [0, 3]]), 1e-12, 'real part', 1);
  assertClose(negative.im, fromRows([[2, 0], [0, 0]]), 1e-12, 'imaginary part', 1);
  // A matrix whose only eigenvalue is −1 has no real principal square root.
  assert.equal(sqrtm(fromRows([[-1, 1e-3], [0, -1]])).converged, false);
});

test('eigenvectors have a deterministic sign: the largest entry is positive (real and positive when complex)', () => {
  const random = seededRandom(46);
  const sym = symmetricEigen(randomSymmetric(random, 7)).vectors!;
  for (let c = 0; c < 7; c++) {
    const column = Array.from({ length: 7 }, (_, r) => sym.data[r * 7 + c]!);
    const largest = column.reduce((best, v) => (Math.abs(v) > Math.abs(best) ? v : best), 0);
    assert.ok(largest > 0, `symmetric column ${c}`);
  }
  const general = generalEigen(randomMat(random, 6, 6));
  for (let c = 0; c < 6; c++) {
    let best = -1;
    let re = 0;
    let im = 0;
    for (let r = 0; r < 6; r++) {
      const size = Math.hypot(general.vectorsRe.data[r * 6 + c]!, general.vectorsIm.data[r * 6 + c]!);
      if (size > best + 1e-12) {
        best = size;
        re = general.vectorsRe.data[r * 6 + c]!;
        im = general.vectorsIm.data[r * 6 + c]!;
      }
    }
    assert.ok(re > 0 && im === 0, `general column ${c}: pivot ${re}+${im}i`);
  }
});

test('empty and 1×1 inputs do not break any kernel', () => {
  const empty = zeros(0, 0);
  assert.equal(symmetricEigen(empty).values.length, 0);
  assert.equal(generalEigen(empty).valuesRe.length, 0);
  assert.equal(expm(empty).rows, 0);
  const one = fromRows([[-2]]);
  assert.deepEqual(Array.from(symmetricEigen(one).values), [-2]);
  assert.deepEqual(Array.from(generalEigen(one).valuesRe), [-2]);
  assertClose(expm(one), fromRows([[Math.exp(-2)]]), 1e-15, 'expm 1×1', 1);
  const root = sqrtm(one);
  assert.equal(root.complex, true);
  assertClose(root.im, fromRows([[Math.SQRT2]]), 1e-15, 'sqrtm(-2) is i√2', 1);
});
