/**
 * The linear-algebra built-in table: every function through its `call`, against numpy, with the
 * conventions of LANGUAGE.md (row-major reshape, MATLAB-style full svd, eig as a tuple, …) and the
 * problems it raises.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { linalgBuiltins, toMat, fromMat } from '../../../server/src/language/eval/builtins/linalg.js';
import { BuiltinProblem, type Builtin, type CallContext } from '../../../server/src/language/eval/builtin.js';
import type { MatrixValue, Value } from '../../../server/src/language/eval/value.js';
import { linalgMessages } from '../../../server/src/language/eval/linalg/messages.js';
import { matmul, transpose, fromRows, type Mat } from '../../../server/src/language/eval/linalg/index.js';
import {
  numpy, asMat, asNumber, items, assertClose, assertCloseNumber, assertColumnsUpToSign, assertOrthonormalColumns,
  seededRandom, randomMat, randomSymmetric,
} from './oracle.js';

const DIRECT = 1e-9;
const ITERATIVE = 1e-6;

interface FakeContext extends CallContext {
  readonly warnings: BuiltinProblem[];
  readonly sizes: number[];
}

function context(limit = 1e7): FakeContext {
  const warnings: BuiltinProblem[] = [];
  const sizes: number[] = [];
  return {
    warnings,
    sizes,
    callFunction: () => {
      throw new Error('not used by linear algebra');
    },
    warn: (p) => warnings.push(p),
    random: () => 0.5,
    checkSize: (n) => {
      sizes.push(n);
      if (n > limit) throw new BuiltinProblem('limit', 'eval.too-large', { elements: n, limit });
    },
    checkTime: () => undefined,
    span: { start: 0, end: 0 } as unknown as CallContext['span'],
  };
}

const byName = new Map<string, Builtin>();
for (const b of linalgBuiltins) for (const name of [b.name, ...(b.aliases ?? [])]) byName.set(name, b);

function call(name: string, args: Value[], ctx: FakeContext = context()): Value {
  const builtin = byName.get(name);
  assert.ok(builtin, `built-in ${name} exists`);
  assert.ok(args.length >= builtin.minArgs && args.length <= builtin.maxArgs, `${name} takes ${args.length} arguments`);
  return builtin.call(args, {}, ctx);
}

const M = (rows: number[][]): MatrixValue => fromMat(fromRows(rows));
const N = (value: number): Value => ({ kind: 'number', value });
const S = (value: string): Value => ({ kind: 'string', value });

function matrixOf(v: Value): Mat {
  assert.equal(v.kind, 'matrix', `expected a matrix, got ${v.kind}`);
  return v as MatrixValue;
}
function numberOf(v: Value): number {
  assert.equal(v.kind, 'number', `expected a number, got ${v.kind}`);
  return (v as { value: number }).value;
}
function tupleOf(v: Value, length: number): Value[] {
  assert.equal(v.kind, 'tuple');
  const list = [...(v as { items: readonly Value[] }).items];
  assert.equal(list.length, length);
  return list;
}

test('every name of LANGUAGE.md §8 linear algebra is in the table, with a full doc', () => {
  const names = 'inv pinv det tr trace rank norm transpose eye I zeros ones diag size rows cols reshape dot cross outer kron solve lstsq eig svd qr lu chol cond null expm sqrtm'.split(' ');
  for (const name of names) {
    const b = byName.get(name);
    assert.ok(b, `${name} is defined`);
    assert.ok(b.doc.signature && b.doc.summary && b.doc.formula && b.doc.example, `${name} has signature, summary, formula and example`);
  }
  assert.equal(new Set(linalgBuiltins.map((b) => b.name)).size, linalgBuiltins.length, 'no duplicate names');
});

test('direct built-ins match numpy on random inputs', () => {
  const random = seededRandom(51);
  const A = randomMat(random, 6, 6);
  const R = randomMat(random, 5, 3);
  const b = randomMat(random, 6, 1);
  const T = randomMat(random, 8, 3);
  const y = randomMat(random, 8, 1);
  const u = randomMat(random, 1, 3);
  const v = randomMat(random, 3, 1);
  const expected = numpy([
    { expr: 'la.inv(A)', env: { A } },
    { expr: 'la.det(A)', env: { A } },
    { expr: 'np.trace(A)', env: { A } },
    { expr: 'la.solve(A, b)', env: { A, b } },
    { expr: 'la.lstsq(T, y, rcond=None)[0]', env: { T, y } },
    { expr: 'la.pinv(R, rtol=None)', env: { R } },
    { expr: 'np.kron(R, A[:2, :2])', env: { R, A } },
    { expr: 'np.outer(u, v)', env: { u, v } },
    { expr: 'np.cross(u.ravel(), v.ravel()).reshape(1, 3)', env: { u, v } },
    { expr: 'float(u.ravel() @ v.ravel())', env: { u, v } },
    { expr: 'la.expm(A) if hasattr(la, "expm") else expm_eig(A)', env: { A } },
  ]);
  assertClose(matrixOf(call('inv', [fromMat(A)])), asMat(expected[0]!), DIRECT, 'inv');
  assertCloseNumber(numberOf(call('det', [fromMat(A)])), asNumber(expected[1]!), DIRECT, 'det');
  assertCloseNumber(numberOf(call('tr', [fromMat(A)])), asNumber(expected[2]!), DIRECT, 'tr');
  assertCloseNumber(numberOf(call('trace', [fromMat(A)])), asNumber(expected[2]!), DIRECT, 'trace');
  assertClose(matrixOf(call('solve', [fromMat(A), fromMat(b)])), asMat(expected[3]!), DIRECT, 'solve');
  assertClose(matrixOf(call('lstsq', [fromMat(T), fromMat(y)])), asMat(expected[4]!), DIRECT, 'lstsq');
  assertClose(matrixOf(call('solve', [fromMat(T), fromMat(y)])), asMat(expected[4]!), DIRECT, 'solve of a tall system');
  assertClose(matrixOf(call('pinv', [fromMat(R)])), asMat(expected[5]!), ITERATIVE, 'pinv', 1);
  const A2 = fromMat({ rows: 2, cols: 2, data: Float64Array.of(A.data[0]!, A.data[1]!, A.data[6]!, A.data[7]!) });
  assertClose(matrixOf(call('kron', [fromMat(R), A2])), asMat(expected[6]!), DIRECT, 'kron');
  assertClose(matrixOf(call('outer', [fromMat(u), fromMat(v)])), asMat(expected[7]!), DIRECT, 'outer');
  assertClose(matrixOf(call('cross', [fromMat(u), fromMat(v)])), asMat(expected[8]!), DIRECT, 'cross keeps the orientation of x');
  assertCloseNumber(numberOf(call('dot', [fromMat(u), fromMat(v)])), asNumber(expected[9]!), DIRECT, 'dot of a row and a column');
  assertClose(matrixOf(call('expm', [fromMat(A)])), asMat(expected[10]!), 1e-8, 'expm', 1);
});

test('norm, rank and cond follow numpy for vectors and matrices', () => {
  const random = seededRandom(52);
  const A = randomMat(random, 5, 4);
  const x = randomMat(random, 1, 6);
  const expected = numpy([
    { expr: 'la.norm(x.ravel())', env: { x } },
    { expr: 'la.norm(x.ravel(), 1)', env: { x } },
    { expr: 'la.norm(x.ravel(), np.inf)', env: { x } },
    { expr: 'la.norm(A, 2)', env: { A } },
    { expr: "la.norm(A, 'fro')", env: { A } },
    { expr: 'la.norm(A, 1)', env: { A } },
    { expr: 'la.norm(A, np.inf)', env: { A } },
    { expr: "la.norm(A, 'nuc')", env: { A } },
    { expr: 'la.matrix_rank(A @ A.T)', env: { A } },
    { expr: 'la.cond(A)', env: { A } },
  ]);
  assertCloseNumber(numberOf(call('norm', [fromMat(x)])), asNumber(expected[0]!), DIRECT, 'norm(x)');
  assertCloseNumber(numberOf(call('norm', [fromMat(x), N(1)])), asNumber(expected[1]!), DIRECT, 'norm(x, 1)');
  assertCloseNumber(numberOf(call('norm', [fromMat(x), N(Infinity)])), asNumber(expected[2]!), DIRECT, 'norm(x, Inf)');
  assertCloseNumber(numberOf(call('norm', [fromMat(A)])), asNumber(expected[3]!), ITERATIVE, 'norm(A)');
  assertCloseNumber(numberOf(call('norm', [fromMat(A), S('fro')])), asNumber(expected[4]!), DIRECT, 'norm(A, "fro")');
  assertCloseNumber(numberOf(call('norm', [fromMat(A), N(1)])), asNumber(expected[5]!), DIRECT, 'norm(A, 1)');
  assertCloseNumber(numberOf(call('norm', [fromMat(A), N(Infinity)])), asNumber(expected[6]!), DIRECT, 'norm(A, Inf)');
  assertCloseNumber(numberOf(call('norm', [fromMat(A), S('nuc')])), asNumber(expected[7]!), ITERATIVE, 'norm(A, "nuc")');
  assert.equal(numberOf(call('rank', [fromMat(matmul(A, transpose(A)))])), asNumber(expected[8]!), 'rank of a 5×5 of rank 4');
  assertCloseNumber(numberOf(call('cond', [fromMat(A)])), asNumber(expected[9]!), ITERATIVE, 'cond');
  assert.equal(numberOf(call('norm', [N(-3)])), 3, 'the norm of a number is its absolute value');
  assert.equal(numberOf(call('norm', [{ kind: 'matrix', rows: 2, cols: 1, data: Float64Array.of(3, 0), imag: Float64Array.of(0, 4) }])), 5);
  assert.throws(() => call('norm', [fromMat(A), S('max')]), (e: BuiltinProblem) => e.kind === 'type.argument-value');
  assert.throws(() => call('norm', [fromMat(A), N(3)]), (e: BuiltinProblem) => e.kind === 'type.argument-value');
});

test('constructors and shapes: eye/I, zeros, ones (n×n for one argument), diag, size, rows, cols, reshape row by row', () => {
  const ctx = context();
  assertClose(matrixOf(call('eye', [N(3)], ctx)), fromRows([[1, 0, 0], [0, 1, 0], [0, 0, 1]]), 0, 'eye(3)');
  assertClose(matrixOf(call('I', [N(2), N(3)], ctx)), fromRows([[1, 0, 0], [0, 1, 0]]), 0, 'I(2, 3)');
  assertClose(matrixOf(call('zeros', [N(2)], ctx)), fromRows([[0, 0], [0, 0]]), 0, 'zeros(2)');
  assertClose(matrixOf(call('ones', [N(3), N(1)], ctx)), fromRows([[1], [1], [1]]), 0, 'ones(3, 1)');
  assert.deepEqual(ctx.sizes, [9, 6, 4, 3], 'every constructor checks the size limit first');
  assert.throws(() => call('zeros', [N(100000), N(100000)], context()), (e: BuiltinProblem) => e.code === 'limit');
  assert.throws(() => call('ones', [N(2.5)]), (e: BuiltinProblem) => e.kind === 'type.argument-value');
  assert.throws(() => call('eye', [N(-1)]), (e: BuiltinProblem) => e.kind === 'type.argument-value');
  assertClose(matrixOf(call('diag', [M([[1, 2, 3]])])), fromRows([[1, 0, 0], [0, 2, 0], [0, 0, 3]]), 0, 'diag of a row');
  assertClose(matrixOf(call('diag', [M([[1], [2]])])), fromRows([[1, 0], [0, 2]]), 0, 'diag of a column');
  assertClose(matrixOf(call('diag', [M([[1, 2, 3], [4, 5, 6]])])), fromRows([[1], [5]]), 0, 'diag of a matrix is a column');
  assertClose(matrixOf(call('size', [M([[1, 2, 3], [4, 5, 6]])])), fromRows([[2, 3]]), 0, 'size is 1×2');
  assertClose(matrixOf(call('size', [N(7)])), fromRows([[1, 1]]), 0, 'size of a number');
  assert.equal(numberOf(call('rows', [M([[1, 2, 3], [4, 5, 6]])])), 2);
  assert.equal(numberOf(call('cols', [M([[1, 2, 3], [4, 5, 6]])])), 3);
  const v = M([[1, 2, 3, 4, 5, 6]]);
  const expected = numpy([{ expr: 'np.arange(1, 7).reshape(2, 3)' }, { expr: 'np.arange(1, 7).reshape(3, 2)' }]);
  assertClose(matrixOf(call('reshape', [v, N(2), N(3)])), asMat(expected[0]!), 0, 'reshape(v, 2, 3) is numpy order');
  assertClose(matrixOf(call('reshape', [M([[1, 2, 3], [4, 5, 6]]), N(3), N(2)])), asMat(expected[1]!), 0, 'reshape(A, 3, 2)');
  assert.throws(
    () => call('reshape', [v, N(4), N(2)]),
    (e: BuiltinProblem) => e.kind === 'shape.reshape-count' && e.args.elements === 6 && e.args.needed === 8,
  );
  assertClose(matrixOf(call('transpose', [M([[1, 2, 3]])])), fromRows([[1], [2], [3]]), 0, 'transpose');
});

test('eig returns (column of eigenvalues, eigenvectors as columns): real ascending for symmetric input', () => {
  const random = seededRandom(53);
  const S = randomSymmetric(random, 6);
  const [w, V] = items(numpy([{ expr: 'la.eigh(S)', env: { S } }])[0]!);
  const [values, vectors] = tupleOf(call('eig', [fromMat(S)]), 2);
  assertClose(matrixOf(values!), asMat(w!), ITERATIVE, 'eigenvalues', 1);
  assertColumnsUpToSign(matrixOf(vectors!), asMat(V!), ITERATIVE, 'eigenvectors');
  // The note example: eig([2, 1; 1, 2]) gives λ = [1; 3].
  const [lambda, Q] = tupleOf(call('eig', [M([[2, 1], [1, 2]])]), 2);
  assertClose(matrixOf(lambda!), fromRows([[1], [3]]), 1e-12, 'λ = [1; 3]', 1);
  assertOrthonormalColumns(matrixOf(Q!), 1e-12, 'Q orthonormal');
  // Symmetric up to rounding (a covariance Zᵀ Z / (n − 1)) still takes the symmetric path.
  const Z = randomMat(random, 10, 3);
  const C = matmul(transpose(Z), Z);
  C.data[1] += 1e-17;
  const [cValues] = tupleOf(call('eig', [fromMat(C)]), 2);
  const cv = matrixOf(cValues!).data;
  assert.ok(cv[0]! <= cv[1]! && cv[1]! <= cv[2]!, 'ascending');
});

test('eig of a rotation matrix is complex: ±i with complex eigenvectors', () => {
  const [values, vectors] = tupleOf(call('eig', [M([[0, -1], [1, 0]])]), 2);
  const lambda = values as MatrixValue;
  assert.deepEqual(Array.from(lambda.data), [0, 0]);
  assert.deepEqual(Array.from(lambda.imag ?? []), [1, -1]);
  const V = vectors as MatrixValue;
  assert.ok(V.imag, 'the eigenvectors are complex');
  // A v = λ v for v = column 1, λ = i: (A v) = (−v₂, v₁) and i v = (−Im v₁ + i Re v₁, …).
  const re = V.data;
  const im = V.imag!;
  assert.ok(Math.abs(-re[2]! - -im[0]!) < 1e-12 && Math.abs(-im[2]! - re[0]!) < 1e-12);
  const [real] = tupleOf(call('eig', [M([[2, 0], [1, 3]])]), 2);
  assert.deepEqual(Array.from(matrixOf(real!).data), [2, 3], 'real eigenvalues of a general matrix, sorted ascending');
  assert.equal((real as MatrixValue).imag, undefined);
});

test('svd is the full SVD: U m×m, Σ m×n, V n×n with U Σ Vᵀ = A', () => {
  const random = seededRandom(54);
  for (const A of [fromRows([[3, 0], [4, 5]]), randomMat(random, 5, 3), randomMat(random, 3, 5)]) {
    const [U, Sigma, V] = tupleOf(call('svd', [fromMat(A)]), 3).map(matrixOf);
    assert.equal(`${U!.rows}×${U!.cols}`, `${A.rows}×${A.rows}`);
    assert.equal(`${Sigma!.rows}×${Sigma!.cols}`, `${A.rows}×${A.cols}`);
    assert.equal(`${V!.rows}×${V!.cols}`, `${A.cols}×${A.cols}`);
    assertOrthonormalColumns(U!, 1e-12, 'U');
    assertOrthonormalColumns(V!, 1e-12, 'V');
    assertClose(matmul(matmul(U!, Sigma!), transpose(V!)), A, 1e-12, 'U Σ Vᵀ = A', 1);
    const s = asMat(numpy([{ expr: 'la.svd(A, compute_uv=False)', env: { A } }])[0]!);
    for (let i = 0; i < s.rows; i++) assertCloseNumber(Sigma!.data[i * A.cols + i]!, s.data[i]!, ITERATIVE, `σ${i + 1}`);
  }
});

test('qr (reduced), lu (P A = L U) and chol (lower) match numpy and reconstruct A', () => {
  const random = seededRandom(55);
  const T = randomMat(random, 6, 3);
  const [Q, R] = tupleOf(call('qr', [fromMat(T)]), 2).map(matrixOf);
  assert.equal(`${Q!.rows}×${Q!.cols}|${R!.rows}×${R!.cols}`, '6×3|3×3', 'reduced QR');
  assertOrthonormalColumns(Q!, 1e-12, 'Q');
  assertClose(matmul(Q!, R!), T, DIRECT, 'Q R = A', 1);
  const A = randomMat(random, 5, 5);
  const [L, U, P] = tupleOf(call('lu', [fromMat(A)]), 3).map(matrixOf);
  assertClose(matmul(P!, A), matmul(L!, U!), DIRECT, 'P A = L U', 1);
  const [scipyStyle] = numpy([{ expr: 'np.abs(np.linalg.det(A))', env: { A } }]);
  let productOfPivots = 1;
  for (let i = 0; i < 5; i++) productOfPivots *= U!.data[i * 5 + i]!;
  assertCloseNumber(Math.abs(productOfPivots), asNumber(scipyStyle!), DIRECT, '|det| from U');
  const B = randomMat(random, 4, 4);
  const spd = matmul(B, transpose(B));
  for (let i = 0; i < 4; i++) spd.data[i * 4 + i] += 1;
  const expected = asMat(numpy([{ expr: 'la.cholesky(S)', env: { S: spd } }])[0]!);
  assertClose(matrixOf(call('chol', [fromMat(spd)])), expected, DIRECT, 'chol');
  assert.throws(() => call('chol', [M([[1, 2], [2, 1]])]), (e: BuiltinProblem) => e.kind === 'eval.chol-not-positive-definite' && e.args.minor === 2);
  assert.throws(() => call('chol', [M([[2, 1], [0, 2]])]), (e: BuiltinProblem) => e.kind === 'eval.chol-not-symmetric');
});

test('null, sqrtm and expm', () => {
  const N0 = matrixOf(call('null', [M([[1, 1]])]));
  assert.equal(`${N0.rows}×${N0.cols}`, '2×1');
  assertCloseNumber(Math.abs(N0.data[0]!), Math.SQRT1_2, DIRECT, 'null([1, 1])');
  assert.ok(N0.data[0]! * N0.data[1]! < 0, 'the basis vector is ±[−1, 1]/√2');
  assert.equal(matrixOf(call('null', [M([[1, 0], [0, 1]])])).cols, 0, 'full rank: an n×0 basis');
  assertClose(matrixOf(call('sqrtm', [M([[4, 0], [0, 9]])])), fromRows([[2, 0], [0, 3]]), 1e-12, 'sqrtm', 1);
  const neg = call('sqrtm', [M([[-4, 0], [0, 9]])]) as MatrixValue;
  assert.deepEqual(Array.from(neg.imag ?? []), [2, 0, 0, 0], 'a negative eigenvalue gives an imaginary part');
  const ctx = context();
  const bad = matrixOf(call('sqrtm', [M([[-1, 1], [0, -1]])], ctx));
  assert.ok(bad.data.every(Number.isNaN));
  assert.equal(ctx.warnings[0]?.kind, 'eval.sqrtm-no-root');
  assert.equal(ctx.warnings[0]?.severity, 'warning');
  assertClose(matrixOf(call('expm', [M([[0, 1], [-1, 0]])])), fromRows([[Math.cos(1), Math.sin(1)], [-Math.sin(1), Math.cos(1)]]), 1e-12, 'expm of a rotation generator', 1);
});

test('problems: non-square, singular (a warning with the condition number, value still returned), shapes, complex', () => {
  for (const fn of ['det', 'inv', 'tr', 'eig', 'lu', 'chol', 'expm', 'sqrtm']) {
    assert.throws(
      () => call(fn, [M([[1, 2, 3], [4, 5, 6]])]),
      (e: BuiltinProblem) => e instanceof BuiltinProblem && e.code === 'type' && e.kind === 'type.not-square' && e.args.fn === fn &&
        Array.isArray(e.args.shape) && e.args.shape[0] === 2 && e.args.shape[1] === 3,
      `${fn} of a 2×3 matrix`,
    );
  }
  const ctx = context();
  const result = matrixOf(call('inv', [M([[1, 2], [2, 4]])], ctx));
  assert.ok(result.data.some((v) => !Number.isFinite(v)), 'the inverse of an exactly singular matrix holds Inf/NaN');
  assert.equal(ctx.warnings.length, 1);
  const warning = ctx.warnings[0]!;
  assert.equal(warning.code, 'singular');
  assert.equal(warning.kind, 'eval.singular');
  assert.equal(warning.severity, 'warning');
  assert.equal(warning.args.fn, 'inv');
  assert.equal(warning.args.cond, 'Infinity');
  const nearly = context();
  call('solve', [M([[1, 2, 3], [4, 5, 6], [7, 8, 9]]), M([[1], [2], [3]])], nearly);
  assert.equal(nearly.warnings[0]?.kind, 'eval.singular');
  assert.ok(typeof nearly.warnings[0]?.args.cond === 'number' && (nearly.warnings[0].args.cond as number) > 1e15);
  const fine = context();
  call('solve', [M([[2, 1], [1, 3]]), M([[1], [2]])], fine);
  assert.equal(fine.warnings.length, 0, 'no warning for a well-conditioned matrix');
  assert.throws(() => call('solve', [M([[1, 2], [3, 4]]), M([[1], [2], [3]])]), (e: BuiltinProblem) => e.kind === 'shape.solve-rows');
  assert.throws(() => call('dot', [M([[1, 2]]), M([[1, 2, 3]])]), (e: BuiltinProblem) => e.kind === 'shape.dot-length');
  assert.throws(() => call('cross', [M([[1, 2]]), M([[1, 2]])]), (e: BuiltinProblem) => e.kind === 'shape.cross-length');
  assert.throws(() => call('dot', [M([[1, 2], [3, 4]]), M([[1, 2], [3, 4]])]), (e: BuiltinProblem) => e.kind === 'type.argument');
  const complex: Value = { kind: 'matrix', rows: 1, cols: 1, data: Float64Array.of(1), imag: Float64Array.of(1) };
  assert.throws(() => call('inv', [complex]), (e: BuiltinProblem) => e.kind === 'eval.complex-unsupported');
  assert.throws(() => call('det', [S('A')]), (e: BuiltinProblem) => e.kind === 'type.argument');
  for (const kind of ['eval.chol-not-symmetric', 'eval.chol-not-positive-definite', 'eval.sqrtm-no-root']) {
    assert.ok(linalgMessages[kind], `a message template for ${kind}`);
  }
  assert.match(linalgMessages['eval.chol-not-positive-definite']!({ fn: 'chol', minor: 2 }), /leading 2×2 block/);
});

test('numbers and 1×1 matrices are interchangeable; a number in gives a number out', () => {
  assert.deepEqual(call('inv', [N(4)]), { kind: 'number', value: 0.25 });
  assert.equal(numberOf(call('det', [N(3)])), 3);
  assert.equal(numberOf(call('det', [M([[3]])])), 3);
  assert.deepEqual(call('expm', [N(0)]), { kind: 'number', value: 1 });
  const m = matrixOf(call('inv', [M([[4]])]));
  assert.equal(m.data[0], 0.25, 'a 1×1 matrix in gives a 1×1 matrix out');
  assert.deepEqual(toMat(N(2)), { rows: 1, cols: 1, data: Float64Array.of(2) });
  assert.equal(numberOf(call('dot', [N(2), N(3)])), 6);
  assert.equal(numberOf(call('rank', [N(0)])), 0);
  assert.equal(numberOf(call('rank', [N(5)])), 1);
});
