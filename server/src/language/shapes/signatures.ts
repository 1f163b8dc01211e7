/**
 * Static shape rules of the built-in functions, keyed by name (aliases included).
 *
 * The evaluator's tables (`eval/builtins/*.ts`) compute values; these rules only say what shape a
 * call produces from the shapes (and, for sizes like `zeros(n, 1)`, the known values) of its
 * arguments, and which argument counts are allowed. A rule returns `unknown` (or unknown sizes)
 * when it cannot know, and reports a problem only when sizes are known to conflict.
 */
import type { ProblemArg, ProblemCode } from '../problem.js';
import {
  asMatrix,
  broadcastDim,
  conflicts,
  isKnown,
  isKnownNonSquare,
  isNonScalar,
  isProperMatrix,
  isScalarType,
  isVectorType,
  multiplyDims,
  shapeArg,
  transposeType,
  unify,
  vectorLength,
  type MatrixType,
} from './algebra.js';
import type { Dim, StaticType } from './types.js';
import { SCALAR, UNKNOWN, matrixType } from './types.js';

/** What a rule may read about one call. */
export interface SignatureCall {
  /** The name the call was written with (`I` or `eye`). */
  readonly name: string;
  readonly args: readonly StaticType[];
  /** Known numeric values of the arguments (literals, or names bound to known numbers). */
  readonly values: readonly (number | undefined)[];
  /** A size given by argument `index`: its known value, else its source text as a symbol. */
  dim(index: number): Dim;
  /** The source text of argument `index` (shortened), for messages. */
  text(index: number): string;
  /** Reports a problem on the whole call. */
  report(code: ProblemCode, kind: string, args: Record<string, ProblemArg | undefined>): void;
  /**
   * Checks the user function given as argument `index` as if called with arguments of these
   * types (problems in its body are reported at this call); unknown when it is not a user function.
   */
  apply(index: number, args: readonly StaticType[]): StaticType;
}

export interface ShapeSignature {
  /** Fewest and most positional arguments (Infinity for variadic). */
  readonly minArgs: number;
  readonly maxArgs: number;
  readonly result: (call: SignatureCall) => StaticType;
}

const PLOT: StaticType = { kind: 'plot' };

function matrixArg(call: SignatureCall, index: number): MatrixType | undefined {
  const type = call.args[index];
  return type ? asMatrix(type) : undefined;
}

/** The same shape as the first argument (element-wise functions). */
function sameShape(call: SignatureCall): StaticType {
  const first = matrixArg(call, 0);
  if (!first) return UNKNOWN;
  return matrixType(first.rows, first.cols);
}

/** Element-wise of several arguments with numpy broadcasting (`atan2`, `mod`, `max(a, b)`). */
function broadcastAll(call: SignatureCall): StaticType {
  let rows: Dim = 1;
  let cols: Dim = 1;
  for (let index = 0; index < call.args.length; index++) {
    const matrix = matrixArg(call, index);
    if (!matrix) return UNKNOWN;
    const r = broadcastDim(rows, matrix.rows);
    const c = broadcastDim(cols, matrix.cols);
    if (r.conflict || c.conflict) return UNKNOWN;
    rows = r.dim;
    cols = c.dim;
  }
  return matrixType(rows, cols);
}

/** Column-wise reductions: a matrix gives a 1×d row, a vector a scalar (MATLAB, numpy axis=0). */
function columnReduction(call: SignatureCall): StaticType {
  const first = matrixArg(call, 0);
  if (!first) return UNKNOWN;
  if (call.args.length > 1 && call.args[1]!.kind !== 'string') return matrixType(null, null);
  if (isVectorType(first)) return SCALAR;
  if (isProperMatrix(first) || (isKnown(first.rows) && first.rows > 1 && isKnown(first.cols))) return matrixType(1, first.cols);
  return matrixType(null, null);
}

/** One number from a vector (`norm`, `dot`). */
function scalarResult(): StaticType {
  return SCALAR;
}

function requireSquare(call: SignatureCall, index = 0): MatrixType | undefined {
  const matrix = matrixArg(call, index);
  if (matrix && isKnownNonSquare(matrix)) {
    call.report('type', 'type.not-square', { what: call.name, operand: call.text(index), shape: shapeArg(matrix) });
    return undefined;
  }
  return matrix;
}

function squareSameShape(call: SignatureCall): StaticType {
  const matrix = requireSquare(call);
  if (!matrix) return call.args[0] && asMatrix(call.args[0]) ? matrixType(null, null) : UNKNOWN;
  const n = unify(matrix.rows, matrix.cols);
  return matrixType(n, n);
}

function squareScalar(call: SignatureCall): StaticType {
  requireSquare(call);
  return SCALAR;
}

/** `zeros(r, c)`, `ones(r, c)`, `rand(r, c)`: sizes from the arguments; one argument is left open. */
function filled(call: SignatureCall): StaticType {
  if (call.args.length === 0) return SCALAR;
  if (call.args.length === 1) return matrixType(null, null);
  return matrixType(call.dim(0), call.dim(1));
}

function identity(call: SignatureCall): StaticType {
  if (call.args.length === 1) {
    const n = call.dim(0);
    return matrixType(n, n);
  }
  return matrixType(call.dim(0), call.dim(1));
}

function reshape(call: SignatureCall): StaticType {
  const source = matrixArg(call, 0);
  const rows = call.dim(1);
  const cols = call.dim(2);
  if (source) {
    const have = multiplyDims(source.rows, source.cols);
    const want = multiplyDims(rows, cols);
    if (isKnown(have) && isKnown(want) && have !== want) {
      call.report('shape', 'shape.reshape-count', {
        operand: call.text(0),
        shape: shapeArg(source),
        elements: have,
        target: shapeArg({ kind: 'matrix', rows, cols }),
        needed: want,
      });
      return matrixType(rows, cols);
    }
  }
  return matrixType(rows, cols);
}

function diag(call: SignatureCall): StaticType {
  const source = matrixArg(call, 0);
  if (!source) return UNKNOWN;
  if (isVectorType(source)) {
    const n = vectorLength(source);
    return matrixType(n, n);
  }
  if (isKnown(source.rows) && isKnown(source.cols)) return matrixType(Math.min(source.rows, source.cols), 1);
  return matrixType(null, null);
}

/** Two vectors that must have the same length; reports when their known lengths differ. */
function sameLengthVectors(call: SignatureCall, kind: string): boolean {
  const left = matrixArg(call, 0);
  const right = matrixArg(call, 1);
  if (!left || !right || !isVectorType(left) || !isVectorType(right)) return true;
  const a = vectorLength(left);
  const b = vectorLength(right);
  if (conflicts(a, b)) {
    call.report('shape', kind, {
      what: call.name,
      left: call.text(0),
      right: call.text(1),
      leftShape: shapeArg(left),
      rightShape: shapeArg(right),
    });
    return false;
  }
  return true;
}

function dot(call: SignatureCall): StaticType {
  sameLengthVectors(call, 'shape.dot-length');
  return SCALAR;
}

function cross(call: SignatureCall): StaticType {
  const left = matrixArg(call, 0);
  const right = matrixArg(call, 1);
  if (left && right && isVectorType(left) && isVectorType(right)) {
    const a = vectorLength(left);
    const b = vectorLength(right);
    if (conflicts(a, 3) || conflicts(b, 3)) {
      call.report('shape', 'shape.cross-length', {
        left: call.text(0),
        right: call.text(1),
        leftShape: shapeArg(left),
        rightShape: shapeArg(right),
        op: 'cross',
      });
      return UNKNOWN;
    }
    return matrixType(left.rows, left.cols);
  }
  return matrixType(null, null);
}

function outer(call: SignatureCall): StaticType {
  const left = matrixArg(call, 0);
  const right = matrixArg(call, 1);
  if (!left || !right) return UNKNOWN;
  return matrixType(vectorLength(left), vectorLength(right));
}

function kron(call: SignatureCall): StaticType {
  const left = matrixArg(call, 0);
  const right = matrixArg(call, 1);
  if (!left || !right) return UNKNOWN;
  return matrixType(multiplyDims(left.rows, right.rows), multiplyDims(left.cols, right.cols));
}

/** `solve(A, b)` and `lstsq(A, b)`: like `A \ b`. */
function solve(call: SignatureCall): StaticType {
  const left = matrixArg(call, 0);
  const right = matrixArg(call, 1);
  if (!left || !right) return UNKNOWN;
  if (conflicts(left.rows, right.rows)) {
    call.report('shape', 'shape.solve-rows', {
      op: call.name,
      left: call.text(0),
      right: call.text(1),
      leftShape: shapeArg(left),
      rightShape: shapeArg(right),
    });
    return UNKNOWN;
  }
  return matrixType(left.cols, right.cols);
}

function eig(call: SignatureCall): StaticType {
  const matrix = requireSquare(call);
  const n = matrix ? unify(matrix.rows, matrix.cols) : null;
  return { kind: 'tuple', items: [matrixType(n, 1), matrixType(n, n)] };
}

function svd(call: SignatureCall): StaticType {
  const matrix = matrixArg(call, 0);
  if (!matrix) return UNKNOWN;
  if (isKnown(matrix.rows) && matrix.rows === matrix.cols) {
    const n = matrix.rows;
    return { kind: 'tuple', items: [matrixType(n, n), matrixType(n, n), matrixType(n, n)] };
  }
  // Full or economy SVD differ for rectangular matrices, so only the outer sizes are certain.
  return { kind: 'tuple', items: [matrixType(matrix.rows, null), matrixType(null, null), matrixType(matrix.cols, null)] };
}

function qr(call: SignatureCall): StaticType {
  const matrix = matrixArg(call, 0);
  if (!matrix) return UNKNOWN;
  if (isKnown(matrix.rows) && matrix.rows === matrix.cols) {
    return { kind: 'tuple', items: [matrixType(matrix.rows, matrix.rows), matrixType(matrix.rows, matrix.rows)] };
  }
  return { kind: 'tuple', items: [matrixType(matrix.rows, null), matrixType(null, matrix.cols)] };
}

function lu(call: SignatureCall): StaticType {
  const matrix = requireSquare(call);
  const n = matrix ? unify(matrix.rows, matrix.cols) : null;
  return { kind: 'tuple', items: [matrixType(n, n), matrixType(n, n), matrixType(n, n)] };
}

function pinv(call: SignatureCall): StaticType {
  const matrix = matrixArg(call, 0);
  return matrix ? transposeType(matrixType(matrix.rows, matrix.cols)) : UNKNOWN;
}

function covariance(call: SignatureCall): StaticType {
  const matrix = matrixArg(call, 0);
  if (!matrix || call.args.length > 1) return matrixType(null, null);
  if (isVectorType(matrix) && (isNonScalar(matrix) || matrix.rows === 1)) return SCALAR;
  if (isProperMatrix(matrix)) return matrixType(matrix.cols, matrix.cols);
  return matrixType(null, null);
}

function minMax(call: SignatureCall): StaticType {
  return call.args.length >= 2 ? broadcastAll(call) : columnReduction(call);
}

function linspace(call: SignatureCall): StaticType {
  return matrixType(1, call.args.length >= 3 ? call.dim(2) : 100);
}

function iterate(call: SignatureCall): StaticType {
  const start = matrixArg(call, 1);
  const steps = call.values[2];
  const stepped = call.args[1] ? asMatrix(call.apply(0, [call.args[1]])) : undefined;
  if (start && stepped && call.args[1]!.kind === 'matrix' && (conflicts(start.rows, stepped.rows) || conflicts(start.cols, stepped.cols))) {
    call.report('shape', 'shape.iterate-step', {
      step: call.text(0),
      start: call.text(1),
      startShape: shapeArg(start),
      stepShape: shapeArg(stepped),
    });
    return UNKNOWN;
  }
  const rows = start ? (isVectorType(start) && start.cols === 1 ? start.rows : start.rows === 1 && start.cols === 1 ? 1 : null) : null;
  return matrixType(rows, steps !== undefined && Number.isInteger(steps) ? steps + 1 : null);
}

function lastColumn(call: SignatureCall): StaticType {
  const matrix = matrixArg(call, 0);
  if (!matrix) return UNKNOWN;
  // A vector (row or column) gives its last entry; a matrix its last column.
  if (isVectorType(matrix)) return SCALAR;
  return matrixType(matrix.rows, 1);
}

function sortLike(call: SignatureCall): StaticType {
  return sameShape(call);
}

function elementsOf(call: SignatureCall): StaticType {
  const matrix = matrixArg(call, 0);
  if (matrix && isVectorType(matrix)) return matrixType(matrix.rows === 1 ? 1 : null, matrix.rows === 1 ? null : 1);
  return matrixType(null, null);
}

/** Checks every function argument of a plot or integral with scalar arguments (its variables). */
function applyToScalars(call: SignatureCall, variables: number): void {
  call.args.forEach((type, index) => {
    if (type.kind === 'function') call.apply(index, Array.from({ length: variables }, () => SCALAR));
  });
}

function rule(minArgs: number, maxArgs: number, result: (call: SignatureCall) => StaticType): ShapeSignature {
  return { minArgs, maxArgs, result };
}

const elementwise = rule(1, 1, sameShape);
const entries: [string, ShapeSignature][] = [];

for (const name of [
  'sin', 'cos', 'tan', 'asin', 'acos', 'atan', 'sinh', 'cosh', 'tanh', 'exp', 'ln', 'log2', 'log10', 'sqrt',
  'abs', 'sign', 'floor', 'ceil', 'sigmoid', 'relu', 'softplus', 'erf', 'gamma', 'factorial', 'conj', 'real', 'imag',
]) {
  entries.push([name, elementwise]);
}

entries.push(
  ['log', rule(1, 1, sameShape)],
  ['round', rule(1, 1, sameShape)],
  ['atan2', rule(2, 2, broadcastAll)],
  ['mod', rule(2, 2, broadcastAll)],
  ['min', rule(1, 2, minMax)],
  ['max', rule(1, 2, minMax)],
  ['expm', rule(1, 1, squareSameShape)],
  ['sqrtm', rule(1, 1, squareSameShape)],
  ['inv', rule(1, 1, squareSameShape)],
  ['pinv', rule(1, 1, pinv)],
  ['det', rule(1, 1, squareScalar)],
  ['tr', rule(1, 1, squareScalar)],
  ['trace', rule(1, 1, squareScalar)],
  ['rank', rule(1, 1, scalarResult)],
  ['cond', rule(1, 1, scalarResult)],
  ['norm', rule(1, 2, scalarResult)],
  ['transpose', rule(1, 1, (call) => (call.args[0] ? transposeType(asMatrix(call.args[0]) ?? UNKNOWN) : UNKNOWN))],
  ['eye', rule(1, 2, identity)],
  ['I', rule(1, 2, identity)],
  ['zeros', rule(1, 2, filled)],
  ['ones', rule(1, 2, filled)],
  ['rand', rule(0, 2, filled)],
  ['randn', rule(0, 2, filled)],
  ['randint', rule(2, 4, (call) => (call.args.length <= 2 ? SCALAR : call.args.length === 3 ? matrixType(null, null) : matrixType(call.dim(2), call.dim(3))))],
  ['seed', rule(1, 1, () => UNKNOWN)],
  ['diag', rule(1, 1, diag)],
  ['size', rule(1, 1, () => matrixType(1, 2))],
  ['rows', rule(1, 1, scalarResult)],
  ['cols', rule(1, 1, scalarResult)],
  ['length', rule(1, 1, scalarResult)],
  ['numel', rule(1, 1, scalarResult)],
  ['reshape', rule(3, 3, reshape)],
  ['dot', rule(2, 2, dot)],
  ['cross', rule(2, 2, cross)],
  ['outer', rule(2, 2, outer)],
  ['kron', rule(2, 2, kron)],
  ['solve', rule(2, 2, solve)],
  ['lstsq', rule(2, 2, solve)],
  ['eig', rule(1, 1, eig)],
  ['svd', rule(1, 1, svd)],
  ['qr', rule(1, 1, qr)],
  ['lu', rule(1, 1, lu)],
  ['chol', rule(1, 1, squareSameShape)],
  ['null', rule(1, 1, (call) => matrixType(matrixArg(call, 0)?.cols ?? null, null))],
  ['sum', rule(1, 1, columnReduction)],
  ['prod', rule(1, 1, columnReduction)],
  ['mean', rule(1, 1, columnReduction)],
  ['median', rule(1, 1, columnReduction)],
  ['mode', rule(1, 1, columnReduction)],
  ['var', rule(1, 2, columnReduction)],
  ['std', rule(1, 2, columnReduction)],
  ['cumsum', rule(1, 1, sameShape)],
  ['cumprod', rule(1, 1, sameShape)],
  ['cov', rule(1, 2, covariance)],
  ['corr', rule(1, 2, covariance)],
  ['quantile', rule(2, 2, (call) => (isScalarType(call.args[1] ?? UNKNOWN) && matrixArg(call, 0) && isVectorType(matrixArg(call, 0)!) ? SCALAR : matrixType(null, null)))],
  ['normalize', rule(1, 2, sameShape)],
  ['zscore', rule(1, 2, sameShape)],
  ['minmax', rule(1, 1, sameShape)],
  ['normpdf', rule(1, 3, broadcastAll)],
  ['normcdf', rule(1, 3, broadcastAll)],
  ['norminv', rule(1, 3, broadcastAll)],
  ['binopdf', rule(3, 3, broadcastAll)],
  ['poisspdf', rule(2, 2, broadcastAll)],
  ['binocdf', rule(3, 3, broadcastAll)],
  ['poisscdf', rule(2, 2, broadcastAll)],
  ['unifpdf', rule(1, 3, broadcastAll)],
  ['unifcdf', rule(1, 3, broadcastAll)],
  ['exppdf', rule(1, 2, broadcastAll)],
  ['expcdf', rule(1, 2, broadcastAll)],
  ['randperm', rule(1, 1, (call) => matrixType(1, call.dim(0)))],
  ['bernoulli', rule(1, 3, (call) => (call.args.length === 1 ? sameShape(call) : filled({ ...call, args: call.args.slice(1), dim: (index) => call.dim(index + 1) })))],
  ['softmax', rule(1, 1, sameShape)],
  ['logsoftmax', rule(1, 1, sameShape)],
  ['logsumexp', rule(1, 1, columnReduction)],
  ['onehot', rule(1, 2, () => matrixType(null, null))],
  ['linspace', rule(2, 3, linspace)],
  ['range', rule(2, 3, () => matrixType(1, null))],
  ['map', rule(2, 2, (call) => {
    call.apply(1, [SCALAR]);
    return sameShape(call);
  })],
  ['filter', rule(2, 2, elementsOf)],
  ['sort', rule(1, 2, sortLike)],
  ['argmin', rule(1, 1, columnReduction)],
  ['argmax', rule(1, 1, columnReduction)],
  ['integral', rule(3, 3, (call) => {
    applyToScalars(call, 1);
    return SCALAR;
  })],
  ['iterate', rule(3, 3, iterate)],
  ['last', rule(1, 1, lastColumn)],
);

const plotMark = (minArgs: number, maxArgs: number): ShapeSignature => rule(minArgs, maxArgs, () => PLOT);
entries.push(
  ['curve', rule(3, 3, (call) => {
    applyToScalars(call, 1);
    return PLOT;
  })],
  ['line', plotMark(1, 2)],
  ['scatter', plotMark(1, 2)],
  ['bar', plotMark(1, 2)],
  ['hist', plotMark(1, 2)],
  ['contour', rule(3, 3, (call) => {
    applyToScalars(call, 2);
    return PLOT;
  })],
  ['heatmap', plotMark(1, 1)],
  ['vectors', plotMark(2, 2)],
  ['path', plotMark(1, 1)],
);
entries.push(['plot', rule(1, Infinity, (call) => {
  applyToScalars(call, 1);
  return PLOT;
})]);

/** The static rule of every built-in the checker knows, keyed by each spelling. */
export const shapeSignatures: ReadonlyMap<string, ShapeSignature> = new Map(entries);
