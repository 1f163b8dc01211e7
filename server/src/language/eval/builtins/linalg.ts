/**
 * The linear-algebra built-ins of LANGUAGE.md §8, on the typed-array kernels of `eval/linalg/`.
 *
 * Conventions fixed here (and stated in every doc):
 * - A number and a 1×1 matrix are interchangeable as inputs; a function of a number that gives a
 *   1×1 result gives a number back.
 * - `reshape(v, r, c)` fills row by row (numpy order); `zeros(n)`, `ones(n)`, `eye(n)` are n×n
 *   (MATLAB); `size(A)` is the 1×2 row `[rows, cols]`.
 * - `eig(A)` gives the eigenvalues as a column and the eigenvectors as the columns of a matrix:
 *   real and ascending with orthonormal vectors for a symmetric A; complex where needed otherwise.
 * - `svd(A)` is the full SVD of MATLAB: U is m×m, Σ is m×n (diagonal), V is n×n, U Σ Vᵀ = A.
 * - `qr(A)` is the reduced QR of numpy: Q is m×k, R is k×n with k = min(m, n).
 * - `lu(A)` gives L, U, P with P A = L U (MATLAB's `[L, U, P] = lu(A)`).
 * - `chol(A)` is lower triangular with A = L Lᵀ (numpy; MATLAB returns the upper factor Lᵀ).
 * - `inv` and `solve` of a numerically singular matrix warn with the condition number and still
 *   return their (Inf/NaN-containing) result, as MATLAB does.
 */
import { BuiltinProblem, type Builtin, type CallContext } from '../builtin.js';
import type { MatrixValue, NumberValue, Value } from '../value.js';
import { describeValue } from '../value.js';
import * as la from '../linalg/index.js';
import type { Mat } from '../linalg/index.js';

/*
 * Argument problems use the standard library's kinds (`type.argument`, `type.argument-value`, see
 * stdlibValues.ts) so messages read alike; the few helpers are repeated here so this table depends
 * only on the kernels and the contracts.
 */


function argumentError(fn: string, position: number, expected: string, got: Value | string): BuiltinProblem {
  return new BuiltinProblem('type', 'type.argument', {
    fn,
    position,
    expected,
    got: typeof got === 'string' ? got : describeValue(got),
  });
}

function valueError(fn: string, position: number, expected: string, got: number | string): BuiltinProblem {
  return new BuiltinProblem('type', 'type.argument-value', { fn, position, expected, got });
}

/** A whole number ≥ min from a number, boolean or 1×1 matrix. */
function toInteger(value: Value, fn: string, position: number, min: number, what: string): number {
  let x: number;
  if (value.kind === 'number') x = value.value;
  else if (value.kind === 'bool') x = value.value ? 1 : 0;
  else if (value.kind === 'matrix' && value.rows === 1 && value.cols === 1 && !value.imag) x = value.data[0]!;
  else throw argumentError(fn, position, what, value);
  if (!Number.isInteger(x) || x < min) throw valueError(fn, position, `${what} ≥ ${min}`, x);
  return x;
}

/** A real matrix result. */
export function fromMat(m: Mat): MatrixValue {
  return { kind: 'matrix', rows: m.rows, cols: m.cols, data: m.data };
}

/** A complex matrix result; the imaginary part is dropped when it is all zeros. */
export function fromComplexMat(re: Mat, im: Mat): MatrixValue {
  const anyImaginary = im.data.some((v) => v !== 0);
  return anyImaginary
    ? { kind: 'matrix', rows: re.rows, cols: re.cols, data: re.data, imag: im.data }
    : fromMat(re);
}

/**
 * The real matrix a value stands for: a matrix as it is, a number or boolean as 1×1. Complex input
 * is refused with `eval.complex-unsupported`, anything else with `type.argument`.
 */
export function toMat(value: Value, fn = 'linalg', position = 1): Mat {
  switch (value.kind) {
    case 'matrix':
      if (value.imag && value.imag.some((v) => v !== 0)) {
        throw new BuiltinProblem('type', 'eval.complex-unsupported', { operation: fn, fn });
      }
      return { rows: value.rows, cols: value.cols, data: value.data };
    case 'number':
      return { rows: 1, cols: 1, data: Float64Array.of(value.value) };
    case 'bool':
      return { rows: 1, cols: 1, data: Float64Array.of(value.value ? 1 : 0) };
    case 'complex':
      throw new BuiltinProblem('type', 'eval.complex-unsupported', { operation: fn, fn });
    default:
      throw argumentError(fn, position, 'a real matrix or number', value);
  }
}

function num(value: number): NumberValue {
  return { kind: 'number', value };
}

/** A 1×1 result stays a number when the input was a number (inv(2) is 0.5, not [0.5]). */
function resultLike(input: Value, m: Mat): Value {
  if ((input.kind === 'number' || input.kind === 'bool') && m.rows === 1 && m.cols === 1) return num(m.data[0]!);
  return fromMat(m);
}

function requireSquare(m: Mat, fn: string): void {
  if (m.rows !== m.cols) throw new BuiltinProblem('type', 'type.not-square', { fn, what: fn, shape: [m.rows, m.cols] });
}

/** The entries of a vector argument (1×n, n×1 or a number). */
function toVectorData(value: Value, fn: string, position: number): Float64Array {
  const m = toMat(value, fn, position);
  if (m.rows !== 1 && m.cols !== 1) throw argumentError(fn, position, 'a vector', value);
  return m.data;
}

function warnIfSingular(ctx: CallContext, solved: la.Solved, fn: string, operation: string): void {
  if (!solved.singular) return;
  const cond = Number.isFinite(solved.cond) ? solved.cond : 'Infinity';
  ctx.warn(new BuiltinProblem('singular', 'eval.singular', { fn, cond, condition: cond, operation }, 'warning'));
}

function tuple(...items: Value[]): Value {
  return { kind: 'tuple', items };
}

/** A size argument: a whole number ≥ 0. */
function sizeArg(value: Value, fn: string, position: number): number {
  return toInteger(value, fn, position, 0, 'a whole number');
}

function filled(fn: string, args: readonly Value[], ctx: CallContext, fill: number): Value {
  const rows = sizeArg(args[0]!, fn, 1);
  const cols = args.length > 1 ? sizeArg(args[1]!, fn, 2) : rows;
  ctx.checkSize(rows * cols);
  return fromMat({ rows, cols, data: new Float64Array(rows * cols).fill(fill) });
}

function identityMatrix(fn: string, args: readonly Value[], ctx: CallContext): Value {
  const rows = sizeArg(args[0]!, fn, 1);
  const cols = args.length > 1 ? sizeArg(args[1]!, fn, 2) : rows;
  ctx.checkSize(rows * cols);
  return fromMat(la.rectangularDiagonal(new Float64Array(Math.min(rows, cols)).fill(1), rows, cols));
}

/** The `p` of norm(x, p): a number (1, 2, Inf, −Inf, any p ≥ 1 for vectors) or "fro" / "inf" / "nuc". */
function normKind(value: Value | undefined): number | 'fro' | 'nuc' {
  if (value === undefined) return 2;
  if (value.kind === 'string') {
    const text = value.value.toLowerCase();
    if (text === 'fro') return 'fro';
    if (text === 'nuc') return 'nuc';
    if (text === 'inf') return Infinity;
    if (text === '-inf') return -Infinity;
    throw valueError('norm', 2, '1, 2, Inf, -Inf, "fro" or "nuc"', JSON.stringify(value.value));
  }
  if (value.kind === 'number') return value.value;
  if (value.kind === 'matrix' && value.rows === 1 && value.cols === 1 && !value.imag) return value.data[0]!;
  throw argumentError('norm', 2, 'a number or "fro"', value);
}

function normOf(args: readonly Value[]): number {
  const x = args[0]!;
  if (x.kind === 'complex') return Math.hypot(x.re, x.im);
  if (x.kind === 'matrix' && x.imag) {
    // The 2-norm or Frobenius norm of a complex vector or matrix: √∑|zᵢ|².
    const kind = normKind(args[1]);
    if ((x.rows === 1 || x.cols === 1 || kind === 'fro') && (kind === 2 || kind === 'fro')) {
      let s = 0;
      for (let i = 0; i < x.data.length; i++) s += x.data[i]! ** 2 + x.imag[i]! ** 2;
      return Math.sqrt(s);
    }
    throw new BuiltinProblem('type', 'eval.complex-unsupported', { operation: 'norm', fn: 'norm' });
  }
  const m = toMat(x, 'norm', 1);
  const kind = normKind(args[1]);
  const isVector = m.rows === 1 || m.cols === 1;
  if (isVector) {
    if (kind === 'fro') return la.vectorNorm2(m.data);
    if (kind === 'nuc') return la.vectorNorm2(m.data);
    if (!(kind >= 1 || kind === -Infinity || kind === 0)) throw valueError('norm', 2, 'p ≥ 1, Inf or -Inf', kind);
    return la.vectorNorm(m.data, kind);
  }
  if (kind === 'fro') return la.normFro(m);
  if (kind === 'nuc') return la.singularValues(m).reduce((s, v) => s + v, 0);
  if (kind === 1) return la.norm1(m);
  if (kind === 2) return la.norm2(m);
  if (kind === Infinity) return la.normInf(m);
  throw valueError('norm', 2, 'for a matrix: 1, 2, Inf or "fro"', kind);
}

/** Sorts general eigenpairs by real part ascending, then imaginary part descending (conjugate pairs stay together). */
function sortedGeneralEigen(e: la.GeneralEigen): { re: Float64Array; im: Float64Array; vr: Mat; vi: Mat } {
  const n = e.valuesRe.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => {
    const dr = e.valuesRe[a]! - e.valuesRe[b]!;
    if (dr !== 0) return dr;
    return e.valuesIm[b]! - e.valuesIm[a]!;
  });
  const re = new Float64Array(n);
  const im = new Float64Array(n);
  const vr = la.zeros(n, n);
  const vi = la.zeros(n, n);
  order.forEach((src, dst) => {
    re[dst] = e.valuesRe[src]!;
    im[dst] = e.valuesIm[src]!;
    for (let i = 0; i < n; i++) {
      vr.data[i * n + dst] = e.vectorsRe.data[i * n + src]!;
      vi.data[i * n + dst] = e.vectorsIm.data[i * n + src]!;
    }
  });
  return { re, im, vr, vi };
}

/** Symmetric up to rounding: |aᵢⱼ − aⱼᵢ| ≤ 64·eps·max|a| (so Zᵀ Z / (n − 1) counts as symmetric). */
function nearlySymmetric(m: Mat): boolean {
  if (m.rows !== m.cols) return false;
  const n = m.rows;
  const tol = 64 * la.EPS * la.maxAbs(m);
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const d = Math.abs(m.data[i * n + j]! - m.data[j * n + i]!);
      if (!(d <= tol)) return false;
    }
  }
  return true;
}

/** The eigen-decomposition behind `eig`: real ascending for symmetric input, complex where needed. */
export function eigValues(A: Mat): { values: MatrixValue; vectors: MatrixValue } {
  const n = A.rows;
  if (nearlySymmetric(A)) {
    const { values, vectors } = la.symmetricEigen(A);
    return { values: fromMat(la.columnVector(values)), vectors: fromMat(vectors!) };
  }
  const sorted = sortedGeneralEigen(la.generalEigen(A));
  return {
    values: fromComplexMat({ rows: n, cols: 1, data: sorted.re }, { rows: n, cols: 1, data: sorted.im }),
    vectors: fromComplexMat(sorted.vr, sorted.vi),
  };
}

const square = (fn: string) => (value: Value, position = 1): Mat => {
  const m = toMat(value, fn, position);
  requireSquare(m, fn);
  return m;
};

/** The linear-algebra built-ins. */
export const linalgBuiltins: readonly Builtin[] = [
  {
    name: 'inv',
    minArgs: 1,
    maxArgs: 1,
    call: (args, _named, ctx) => {
      const A = square('inv')(args[0]!);
      const solved = la.inverseChecked(A);
      warnIfSingular(ctx, solved, 'inv', 'inverse');
      return resultLike(args[0]!, solved.value);
    },
    doc: {
      signature: 'inv(A) → A⁻¹',
      summary: 'The inverse of a square matrix, by LU factorization with partial pivoting.',
      formula: 'A^{-1}A = AA^{-1} = I',
      example: 'inv([4, 7; 2, 6])   # [0.6, -0.7; -0.2, 0.4]',
      conventions:
        'Same as A⁻¹. A singular or nearly singular matrix gives a singular warning with its condition number, and the result holds Inf/NaN or is unreliable. To solve A x = b, prefer A \\ b (no inverse is formed).',
    },
  },
  {
    name: 'pinv',
    minArgs: 1,
    maxArgs: 1,
    call: (args) => resultLike(args[0]!, la.pinv(toMat(args[0]!, 'pinv'))),
    doc: {
      signature: 'pinv(A) → A⁺',
      summary: 'The Moore–Penrose pseudo-inverse, from the SVD; defined for any shape and rank.',
      formula: 'A^{+} = V\\,\\Sigma^{+}U^{\\top},\\quad \\Sigma^{+}_{ii} = 1/\\sigma_i \\text{ for } \\sigma_i > \\text{tol}',
      example: 'pinv([1, 2; 2, 4])   # [0.04, 0.08; 0.08, 0.16]',
      conventions:
        'An m×n matrix gives n×m. Singular values at or below max(m, n)·eps·σ₁ count as zero (MATLAB, numpy with rtol=None). pinv(A) b is the minimum-norm least-squares solution.',
    },
  },
  {
    name: 'det',
    minArgs: 1,
    maxArgs: 1,
    call: (args) => num(la.determinant(square('det')(args[0]!))),
    doc: {
      signature: 'det(A) → number',
      summary: 'The determinant of a square matrix, from its LU factorization.',
      formula: '\\det A = \\operatorname{sign}(P)\\prod_i U_{ii},\\quad PA = LU',
      example: 'det([4, 5; -1, 3])   # 17',
      conventions: 'Needs a square matrix. A singular matrix gives 0 (or a tiny number from rounding). det of a number is the number.',
    },
  },
  {
    name: 'tr',
    aliases: ['trace'],
    minArgs: 1,
    maxArgs: 1,
    call: (args) => num(la.trace(square('tr')(args[0]!))),
    doc: {
      signature: 'tr(A) → number',
      summary: 'The trace: the sum of the diagonal entries of a square matrix (also the sum of its eigenvalues).',
      formula: '\\operatorname{tr} A = \\sum_i a_{ii}',
      example: 'tr([1, 2; 3, 4])   # 5',
      conventions: 'trace is the same function. Needs a square matrix.',
    },
  },
  {
    name: 'rank',
    minArgs: 1,
    maxArgs: 1,
    call: (args) => num(la.rank(toMat(args[0]!, 'rank'))),
    doc: {
      signature: 'rank(A) → number',
      summary: 'The numerical rank: how many singular values are above the tolerance.',
      formula: '\\operatorname{rank} A = \\#\\{\\,i : \\sigma_i > \\max(m, n)\\,\\varepsilon\\,\\sigma_1\\,\\}',
      example: 'rank([1, 2; 2, 4])   # 1',
      conventions: 'The tolerance max(m, n)·eps·σ₁ is that of MATLAB and numpy.matrix_rank.',
    },
  },
  {
    name: 'norm',
    minArgs: 1,
    maxArgs: 2,
    call: (args) => num(normOf(args)),
    doc: {
      signature: 'norm(x), norm(x, p), norm(A), norm(A, "fro")',
      summary: 'The length of a vector (2-norm by default) or a matrix norm (the 2-norm, largest singular value, by default).',
      formula: '\\|x\\|_p = \\Big(\\sum_i |x_i|^p\\Big)^{1/p},\\quad \\|A\\|_2 = \\sigma_1(A),\\quad \\|A\\|_F = \\sqrt{\\textstyle\\sum_{ij} a_{ij}^2}',
      example: 'norm([3, 4])   # 5',
      conventions:
        'Vectors (either orientation): p = 2 (default), 1, Inf (largest |xᵢ|), -Inf (smallest), any p ≥ 1. Matrices: 2 (default, largest singular value), 1 (largest column sum), Inf (largest row sum), "fro" (Frobenius), "nuc" (sum of singular values). Same as ‖x‖.',
    },
  },
  {
    name: 'transpose',
    minArgs: 1,
    maxArgs: 1,
    call: (args) => {
      const x = args[0]!;
      if (x.kind === 'number' || x.kind === 'bool' || x.kind === 'complex') return x;
      if (x.kind !== 'matrix') throw argumentError('transpose', 1, 'a matrix', x);
      const re = la.transpose(x);
      if (!x.imag) return { ...fromMat(re), logical: x.logical };
      const im = la.transpose({ rows: x.rows, cols: x.cols, data: x.imag });
      return { kind: 'matrix', rows: re.rows, cols: re.cols, data: re.data, imag: im.data };
    },
    doc: {
      signature: 'transpose(A) → Aᵀ',
      summary: 'The transpose: rows become columns.',
      formula: '(A^{\\top})_{ij} = a_{ji}',
      example: 'transpose([1, 2, 3])   # [1; 2; 3]',
      conventions: 'Same as Aᵀ and A\'. A complex matrix is transposed without conjugation (numpy .T).',
    },
  },
  {
    name: 'eye',
    aliases: ['I'],
    minArgs: 1,
    maxArgs: 2,
    call: (args, _named, ctx) => identityMatrix('eye', args, ctx),
    doc: {
      signature: 'eye(n), eye(r, c), I(n)',
      summary: 'The identity matrix: ones on the diagonal, zeros elsewhere.',
      formula: 'I_{ij} = \\delta_{ij}',
      example: 'I(2)   # [1, 0; 0, 1]',
      conventions: 'I is the same function. eye(n) is n×n; eye(r, c) is r×c with ones on the main diagonal.',
    },
  },
  {
    name: 'zeros',
    minArgs: 1,
    maxArgs: 2,
    call: (args, _named, ctx) => filled('zeros', args, ctx, 0),
    doc: {
      signature: 'zeros(n), zeros(r, c)',
      summary: 'A matrix of zeros.',
      formula: '0_{r\\times c}',
      example: 'zeros(2, 3)   # [0, 0, 0; 0, 0, 0]',
      conventions: 'zeros(n) is n×n, like MATLAB (numpy’s zeros(n) is a 1-D array); use zeros(n, 1) for a column.',
    },
  },
  {
    name: 'ones',
    minArgs: 1,
    maxArgs: 2,
    call: (args, _named, ctx) => filled('ones', args, ctx, 1),
    doc: {
      signature: 'ones(n), ones(r, c)',
      summary: 'A matrix of ones.',
      formula: '\\mathbf{1}_{r\\times c}',
      example: 'ones(3, 1)   # [1; 1; 1]',
      conventions: 'ones(n) is n×n, like MATLAB; use ones(n, 1) for a column (e.g. the intercept column of a design matrix).',
    },
  },
  {
    name: 'diag',
    minArgs: 1,
    maxArgs: 1,
    call: (args) => {
      const m = toMat(args[0]!, 'diag');
      if (m.rows === 1 || m.cols === 1) return fromMat(la.diagonalMatrix(m.data));
      return fromMat(la.columnVector(la.diagonalOf(m)));
    },
    doc: {
      signature: 'diag(v) → matrix, diag(A) → column',
      summary: 'A diagonal matrix from a vector, or the diagonal of a matrix as a column.',
      formula: '\\operatorname{diag}(v)_{ij} = \\delta_{ij} v_i',
      example: 'diag([1, 2])   # [1, 0; 0, 2]',
      conventions: 'A vector (either orientation) gives a square diagonal matrix; a matrix with more than one row and column gives its main diagonal as a min(m, n)×1 column.',
    },
  },
  {
    name: 'size',
    minArgs: 1,
    maxArgs: 1,
    call: (args) => {
      const x = args[0]!;
      const [r, c] = x.kind === 'matrix' ? [x.rows, x.cols] : x.kind === 'number' || x.kind === 'bool' || x.kind === 'complex' ? [1, 1] : [NaN, NaN];
      if (Number.isNaN(r)) throw argumentError('size', 1, 'a matrix or number', x);
      return fromMat({ rows: 1, cols: 2, data: Float64Array.of(r, c) });
    },
    doc: {
      signature: 'size(A) → [rows, cols]',
      summary: 'The shape of a matrix as a 1×2 row.',
      formula: '\\operatorname{size}(A) = [m, n] \\text{ for } A \\in \\mathbb{R}^{m\\times n}',
      example: 'size([1, 2, 3; 4, 5, 6])   # [2, 3]',
      conventions: 'A number is 1×1. Use rows(A) and cols(A) for one of the two.',
    },
  },
  {
    name: 'rows',
    minArgs: 1,
    maxArgs: 1,
    call: (args) => {
      const x = args[0]!;
      if (x.kind === 'matrix') return num(x.rows);
      if (x.kind === 'number' || x.kind === 'bool' || x.kind === 'complex') return num(1);
      throw argumentError('rows', 1, 'a matrix or number', x);
    },
    doc: {
      signature: 'rows(A) → number',
      summary: 'The number of rows of a matrix (the number of observations of a data matrix).',
      formula: 'm \\text{ for } A \\in \\mathbb{R}^{m\\times n}',
      example: 'rows([1, 2; 3, 4; 5, 6])   # 3',
      conventions: 'A number has 1 row.',
    },
  },
  {
    name: 'cols',
    minArgs: 1,
    maxArgs: 1,
    call: (args) => {
      const x = args[0]!;
      if (x.kind === 'matrix') return num(x.cols);
      if (x.kind === 'number' || x.kind === 'bool' || x.kind === 'complex') return num(1);
      throw argumentError('cols', 1, 'a matrix or number', x);
    },
    doc: {
      signature: 'cols(A) → number',
      summary: 'The number of columns of a matrix.',
      formula: 'n \\text{ for } A \\in \\mathbb{R}^{m\\times n}',
      example: 'cols([1, 2, 3; 4, 5, 6])   # 3',
      conventions: 'A number has 1 column.',
    },
  },
  {
    name: 'reshape',
    minArgs: 3,
    maxArgs: 3,
    call: (args, _named, ctx) => {
      const x = args[0]!;
      const rows = sizeArg(args[1]!, 'reshape', 2);
      const cols = sizeArg(args[2]!, 'reshape', 3);
      ctx.checkSize(rows * cols);
      const source = x.kind === 'matrix' ? x : fromMat(toMat(x, 'reshape'));
      const elements = source.rows * source.cols;
      if (elements !== rows * cols) {
        throw new BuiltinProblem('shape', 'shape.reshape-count', {
          fn: 'reshape',
          shape: [source.rows, source.cols],
          elements,
          target: [rows, cols],
          needed: rows * cols,
        });
      }
      // Row-major storage makes a row-by-row reshape a relabelling of the same numbers.
      return {
        kind: 'matrix',
        rows,
        cols,
        data: source.data.slice(),
        ...(source.imag ? { imag: source.imag.slice() } : {}),
        ...(source.logical ? { logical: true } : {}),
      };
    },
    doc: {
      signature: 'reshape(A, r, c)',
      summary: 'The same numbers arranged as an r×c matrix, filled row by row.',
      formula: '\\operatorname{reshape}(A, r, c)_{ij} = a_{\\lfloor k / n\\rfloor,\\,k \\bmod n},\\ k = i c + j \\ (0\\text{-based})',
      example: 'reshape(1:6, 2, 3)   # [1, 2, 3; 4, 5, 6]',
      conventions: 'Fills row by row, in reading order, as numpy does (MATLAB fills column by column). r·c must equal the number of elements.',
    },
  },
  {
    name: 'dot',
    minArgs: 2,
    maxArgs: 2,
    call: (args) => {
      const x = toVectorData(args[0]!, 'dot', 1);
      const y = toVectorData(args[1]!, 'dot', 2);
      if (x.length !== y.length) {
        throw new BuiltinProblem('shape', 'shape.dot-length', { fn: 'dot', left: shapeOfValue(args[0]!), right: shapeOfValue(args[1]!) });
      }
      return num(la.dot(x, y));
    },
    doc: {
      signature: 'dot(x, y) → number',
      summary: 'The dot (inner) product of two vectors of the same length.',
      formula: 'x \\cdot y = \\sum_i x_i y_i',
      example: 'dot([1, 2, 3], [4; 5; 6])   # 32',
      conventions: 'Either orientation (row or column); same as x · y.',
    },
  },
  {
    name: 'cross',
    minArgs: 2,
    maxArgs: 2,
    call: (args) => {
      const x = toVectorData(args[0]!, 'cross', 1);
      const y = toVectorData(args[1]!, 'cross', 2);
      if (x.length !== 3 || y.length !== 3) {
        throw new BuiltinProblem('shape', 'shape.cross-length', { fn: 'cross', left: shapeOfValue(args[0]!), right: shapeOfValue(args[1]!) });
      }
      const [rows, cols] = shapeOfValue(args[0]!);
      return fromMat({ rows, cols, data: la.cross(x, y) });
    },
    doc: {
      signature: 'cross(x, y) → vector',
      summary: 'The cross product of two 3-vectors: perpendicular to both, with length |x||y| sin θ.',
      formula: 'x \\times y = (x_2y_3 - x_3y_2,\\ x_3y_1 - x_1y_3,\\ x_1y_2 - x_2y_1)',
      example: 'cross([1, 0, 0], [0, 1, 0])   # [0, 0, 1]',
      conventions: 'The result has the orientation of x. Same as x × y for two 3-vectors.',
    },
  },
  {
    name: 'outer',
    minArgs: 2,
    maxArgs: 2,
    call: (args, _named, ctx) => {
      const x = toVectorData(args[0]!, 'outer', 1);
      const y = toVectorData(args[1]!, 'outer', 2);
      ctx.checkSize(x.length * y.length);
      return fromMat(la.outer(x, y));
    },
    doc: {
      signature: 'outer(x, y) → matrix',
      summary: 'The outer product: the len(x)×len(y) matrix of all products xᵢyⱼ.',
      formula: '(x \\otimes y)_{ij} = x_i y_j \\quad (x y^{\\top})',
      example: 'outer([1, 2], [3, 4, 5])   # [3, 4, 5; 6, 8, 10]',
      conventions: 'Either orientation of x and y; the result is always len(x)×len(y) (numpy.outer).',
    },
  },
  {
    name: 'kron',
    minArgs: 2,
    maxArgs: 2,
    call: (args, _named, ctx) => {
      const A = toMat(args[0]!, 'kron', 1);
      const B = toMat(args[1]!, 'kron', 2);
      ctx.checkSize(A.rows * B.rows * A.cols * B.cols);
      return fromMat(la.kron(A, B));
    },
    doc: {
      signature: 'kron(A, B) → matrix',
      summary: 'The Kronecker product: the block matrix whose (i, j) block is aᵢⱼ B.',
      formula: 'A \\otimes B = \\begin{bmatrix} a_{11}B & \\cdots \\\\ \\vdots & \\ddots \\end{bmatrix}',
      example: 'kron([1, 2], [1; 1])   # [1, 2; 1, 2]',
      conventions: 'An m×n A and a p×q B give an mp×nq matrix.',
    },
  },
  {
    name: 'solve',
    minArgs: 2,
    maxArgs: 2,
    call: (args, _named, ctx) => {
      const A = toMat(args[0]!, 'solve', 1);
      const B = toMat(args[1]!, 'solve', 2);
      const solved = la.solveSquareOrLeastSquares(A, B, 'solve');
      warnIfSingular(ctx, solved, 'solve', 'solve');
      return resultLike(args[1]!, solved.value);
    },
    doc: {
      signature: 'solve(A, b) → x',
      summary: 'The solution of A x = b: by LU for a square A, by least squares (QR) for a tall A.',
      formula: 'A x = b,\\quad x = \\arg\\min_x \\|Ax - b\\|_2 \\text{ when } A \\text{ is tall}',
      example: 'solve([4, 5; -1, 3], [14; 5])   # [1; 2]',
      conventions:
        'Same as A \\ b; never forms A⁻¹. A singular square matrix gives a singular warning with its condition number; a rank-deficient or wide A gives the minimum-norm solution (and a warning when rank-deficient). b may have several columns.',
    },
  },
  {
    name: 'lstsq',
    minArgs: 2,
    maxArgs: 2,
    call: (args) => {
      const A = toMat(args[0]!, 'lstsq', 1);
      const B = toMat(args[1]!, 'lstsq', 2);
      if (A.rows !== B.rows) {
        throw new BuiltinProblem('shape', 'shape.solve-rows', { fn: 'lstsq', left: [A.rows, A.cols], right: [B.rows, B.cols] });
      }
      return resultLike(args[1]!, la.leastSquares(A, B).value);
    },
    doc: {
      signature: 'lstsq(A, b) → x',
      summary: 'The least-squares solution: the x minimizing ‖A x − b‖₂ (minimum-norm when several do).',
      formula: '\\hat{x} = \\arg\\min_x \\|Ax - b\\|_2^2 = A^{+} b',
      example: 'lstsq([1, 1; 1, 2; 1, 3], [1; 2; 2])   # [0.666667; 0.5]',
      conventions:
        'Householder QR when A has full column rank, else the pseudo-inverse (numpy.linalg.lstsq with rcond=None). Works for any shape; no warning for rank deficiency (that is what lstsq is for).',
    },
  },
  {
    name: 'eig',
    minArgs: 1,
    maxArgs: 1,
    call: (args) => {
      const A = square('eig')(args[0]!);
      const { values, vectors } = eigValues(A);
      return tuple(values, vectors);
    },
    doc: {
      signature: 'eig(A) → λ, V',
      summary: 'Eigenvalues (a column) and eigenvectors (the columns of V) of a square matrix, with A V = V diag(λ).',
      formula: 'A v_i = \\lambda_i v_i',
      example: 'λ, V = eig([2, 1; 1, 2])   # λ = [1; 3]',
      conventions:
        'Symmetric A (up to rounding): real eigenvalues in ascending order and orthonormal eigenvectors (Householder tridiagonalization + implicit QL), so V[:, end] is the direction of largest variance of a covariance matrix. Other A: Hessenberg + shifted QR; eigenvalues sorted by real part, complex where needed (conjugate pairs together, positive imaginary part first), vectors of unit length. Every eigenvector is scaled so its largest entry is real and positive (eigenvectors are otherwise determined only up to sign or complex phase).',
    },
  },
  {
    name: 'svd',
    minArgs: 1,
    maxArgs: 1,
    call: (args) => {
      const A = toMat(args[0]!, 'svd');
      const { U, s, V } = la.svd(A, { full: true });
      return tuple(fromMat(U!), fromMat(la.rectangularDiagonal(s, A.rows, A.cols)), fromMat(V!));
    },
    doc: {
      signature: 'svd(A) → U, Σ, V',
      summary: 'The singular value decomposition A = U Σ Vᵀ: U and V orthogonal, Σ diagonal with σ₁ ≥ σ₂ ≥ … ≥ 0.',
      formula: 'A = U\\Sigma V^{\\top}',
      example: 'U, Σ, V = svd([3, 0; 4, 5])   # diag(Σ) = [6.7082; 2.23607]',
      conventions:
        'The full SVD, like MATLAB: for an m×n A, U is m×m, Σ is m×n, V is n×n (numpy returns Vᵀ; here it is V). Golub–Kahan–Reinsch. Singular vectors are determined up to sign.',
    },
  },
  {
    name: 'qr',
    minArgs: 1,
    maxArgs: 1,
    call: (args) => {
      const A = toMat(args[0]!, 'qr');
      const f = la.qrFactor(A);
      return tuple(fromMat(la.qrQ(f, false)), fromMat(la.qrR(f, false)));
    },
    doc: {
      signature: 'qr(A) → Q, R',
      summary: 'The QR factorization A = Q R: Q with orthonormal columns, R upper triangular (Householder reflections).',
      formula: 'A = QR,\\quad Q^{\\top}Q = I',
      example: 'Q, R = qr([3, 1; 4, 2])   # Q R ≈ [3, 1; 4, 2]',
      conventions:
        'The reduced QR of numpy: for an m×n A and k = min(m, n), Q is m×k and R is k×n, so a tall least-squares problem is R x = Qᵀ b. The signs of R’s diagonal are not normalized (as in LAPACK).',
    },
  },
  {
    name: 'lu',
    minArgs: 1,
    maxArgs: 1,
    call: (args) => {
      const A = square('lu')(args[0]!);
      const { L, U, P } = la.luExplicit(la.luFactor(A));
      return tuple(fromMat(L), fromMat(U), fromMat(P));
    },
    doc: {
      signature: 'lu(A) → L, U, P',
      summary: 'The LU factorization with partial pivoting: P A = L U, L unit lower triangular, U upper triangular, P a permutation.',
      formula: 'PA = LU',
      example: 'L, U, P = lu([1, 2; 3, 4])   # U = [3, 4; 0, 0.666667]',
      conventions:
        'MATLAB’s [L, U, P] = lu(A) convention: P A = L U (scipy.linalg.lu returns the transposed permutation, A = P L U). Every |Lᵢⱼ| ≤ 1.',
    },
  },
  {
    name: 'chol',
    minArgs: 1,
    maxArgs: 1,
    call: (args) => {
      const A = square('chol')(args[0]!);
      if (!nearlySymmetric(A)) throw new BuiltinProblem('domain', 'eval.chol-not-symmetric', { fn: 'chol', shape: [A.rows, A.cols] });
      const result = la.cholesky(A);
      if (!result.ok) {
        throw new BuiltinProblem('domain', 'eval.chol-not-positive-definite', { fn: 'chol', minor: result.failedAt + 1 });
      }
      return resultLike(args[0]!, result.L);
    },
    doc: {
      signature: 'chol(A) → L',
      summary: 'The Cholesky factor of a symmetric positive definite matrix: L lower triangular with a positive diagonal and A = L Lᵀ.',
      formula: 'A = LL^{\\top}',
      example: 'chol([4, 2; 2, 3])   # [2, 0; 1, 1.41421]',
      conventions:
        'Lower triangular, like numpy.linalg.cholesky (MATLAB’s chol returns the upper factor R = Lᵀ). An error when A is not symmetric or not positive definite.',
    },
  },
  {
    name: 'cond',
    minArgs: 1,
    maxArgs: 1,
    call: (args) => num(la.cond2(toMat(args[0]!, 'cond'))),
    doc: {
      signature: 'cond(A) → number',
      summary: 'The condition number in the 2-norm: how much A can amplify relative errors when solving A x = b.',
      formula: '\\kappa_2(A) = \\sigma_{\\max}/\\sigma_{\\min}',
      example: 'cond([1, 0; 0, 100])   # 100',
      conventions: 'From the singular values (any shape, σ_min of the min(m, n) values). Infinite for a singular matrix; about 1/eps ≈ 4.5·10¹⁵ means singular to working precision.',
    },
  },
  {
    name: 'null',
    minArgs: 1,
    maxArgs: 1,
    call: (args) => fromMat(la.nullSpace(toMat(args[0]!, 'null'))),
    doc: {
      signature: 'null(A) → N',
      summary: 'An orthonormal basis of the null space: the columns of N span every x with A x = 0.',
      formula: '\\{x : Ax = 0\\} = \\operatorname{span}(N),\\quad N^{\\top}N = I',
      example: 'null([1, 1])   # [-0.707107; 0.707107] (up to sign)',
      conventions:
        'From the SVD: the right singular vectors for singular values at or below max(m, n)·eps·σ₁ (MATLAB null, scipy null_space). An n×0 matrix when A has full column rank.',
    },
  },
  {
    name: 'expm',
    minArgs: 1,
    maxArgs: 1,
    call: (args) => resultLike(args[0]!, la.expm(square('expm')(args[0]!))),
    doc: {
      signature: 'expm(A) → e^A',
      summary: 'The matrix exponential (not element-wise: exp(A) exponentiates each entry).',
      formula: 'e^{A} = \\sum_{k=0}^{\\infty} \\frac{A^k}{k!}',
      example: 'expm([0, 1; -1, 0])   # [0.540302, 0.841471; -0.841471, 0.540302]',
      conventions: 'Scaling and squaring with Padé approximants (Higham 2005), as MATLAB and scipy compute it. Needs a square matrix; solves x′ = A x by x(t) = expm(A t) x₀.',
    },
  },
  {
    name: 'sqrtm',
    minArgs: 1,
    maxArgs: 1,
    call: (args, _named, ctx) => {
      const A = square('sqrtm')(args[0]!);
      const root = la.sqrtm(A);
      if (!root.converged) {
        ctx.warn(new BuiltinProblem('domain', 'eval.sqrtm-no-root', { fn: 'sqrtm', shape: [A.rows, A.cols] }, 'warning'));
      }
      if (root.complex) return fromComplexMat(root.re, root.im);
      return resultLike(args[0]!, root.re);
    },
    doc: {
      signature: 'sqrtm(A) → X',
      summary: 'The principal matrix square root: X X = A (not element-wise: sqrt(A) takes the root of each entry).',
      formula: 'X^2 = A',
      example: 'sqrtm([4, 0; 0, 9])   # [2, 0; 0, 3]',
      conventions:
        'Symmetric A: from the eigen-decomposition, V diag(√λ) Vᵀ (complex when an eigenvalue is negative). Other A: the Denman–Beavers iteration, which needs no eigenvalue on the closed negative real axis; otherwise a warning and NaN.',
    },
  },
];

function shapeOfValue(value: Value): [number, number] {
  if (value.kind === 'matrix') return [value.rows, value.cols];
  if (value.kind === 'number' || value.kind === 'bool' || value.kind === 'complex') return [1, 1];
  throw argumentError('linalg', 1, 'a matrix', describeValue(value));
}
