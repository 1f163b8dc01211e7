/**
 * Dense linear-algebra kernels on row-major Float64Array matrices (`Mat`), and the operator-level
 * helpers the evaluator uses for `*`, `\`, `/`, `^` and `⁻¹`.
 *
 * Everything here is pure TypeScript over typed arrays: no mathjs, no Node built-ins.
 */
import { BuiltinProblem } from '../builtin.js';
import { EPS, identity, type Mat } from './mat.js';
import { matmul, matrixPowerNonNegative, transpose } from './basic.js';
import { inverseChecked, solveSquare, type Solved } from './lu.js';
import { qrFactor, qrLeastSquares, qrRankDeficient } from './qr.js';
import { pinv, singularValues } from './svd.js';

export * from './mat.js';
export * from './basic.js';
export * from './lu.js';
export * from './qr.js';
export * from './cholesky.js';
export * from './svd.js';
export * from './symeig.js';
export * from './eig.js';
export * from './functions.js';

/** The shape of a matrix as the `[rows, cols]` pair problems carry. */
function shapeOf(m: Mat): [number, number] {
  return [m.rows, m.cols];
}

/**
 * Least squares min ‖A·X − B‖ for any A by QR when A has full column rank, and otherwise the
 * minimum-norm solution pinv(A)·B (numpy's lstsq). `singular` is true when A is rank-deficient;
 * `cond` is the 2-norm condition number σ_max/σ_min then, else an estimate from R.
 */
export function leastSquares(a: Mat, b: Mat): Solved {
  if (a.rows >= a.cols) {
    const f = qrFactor(a);
    if (!qrRankDeficient(f)) {
      let big = 0;
      let small = Infinity;
      for (let i = 0; i < f.rdiag.length; i++) {
        big = Math.max(big, Math.abs(f.rdiag[i]!));
        small = Math.min(small, Math.abs(f.rdiag[i]!));
      }
      return { value: qrLeastSquares(f, b), cond: f.rdiag.length === 0 ? 0 : big / small, singular: false };
    }
  }
  const s = singularValues(a);
  const k = s.length;
  const tol = Math.max(a.rows, a.cols) * EPS * (k > 0 ? s[0]! : 0);
  const rankDeficient = k > 0 && !(s[k - 1]! > tol);
  const cond = k === 0 ? 0 : s[k - 1] === 0 ? Infinity : s[0]! / s[k - 1]!;
  return { value: matmul(pinv(a), b), cond, singular: rankDeficient };
}

/**
 * `A \ B`: the solution of A·X = B by LU when A is square, by QR least squares when A is tall
 * (minimum-norm via the pseudo-inverse when A is rank-deficient or wide). Never forms A⁻¹.
 * Throws a shape problem when the row counts differ.
 */
export function solveSquareOrLeastSquares(a: Mat, b: Mat, fn = '\\'): Solved {
  if (a.rows !== b.rows) {
    throw new BuiltinProblem('shape', 'shape.solve-rows', { fn, left: shapeOf(a), right: shapeOf(b) });
  }
  if (a.rows === a.cols) return solveSquare(a, b);
  return leastSquares(a, b);
}

/** `A / B` = A·B⁻¹, computed as (Bᵀ \ Aᵀ)ᵀ (MATLAB's mrdivide); least squares when B is not square. */
export function rightDivide(a: Mat, b: Mat): Solved {
  if (a.cols !== b.cols) {
    throw new BuiltinProblem('shape', 'shape.right-divide', { fn: '/', left: shapeOf(a), right: shapeOf(b) });
  }
  const solved = solveSquareOrLeastSquares(transpose(b), transpose(a), '/');
  return { ...solved, value: transpose(solved.value) };
}

/** `A⁻¹`: the inverse of a square matrix with its condition estimate; throws a type problem otherwise. */
export function inverseOrProblem(a: Mat, fn = 'inv'): Solved {
  if (a.rows !== a.cols) throw new BuiltinProblem('type', 'type.not-square', { fn, shape: shapeOf(a) });
  return inverseChecked(a);
}

/**
 * `A^k` for a square matrix and an integer k: repeated squaring, and for k < 0 the power of the
 * inverse. `cond` is NaN and `singular` false when no inverse was needed.
 */
export function matrixPower(a: Mat, k: number): Solved {
  if (a.rows !== a.cols) throw new BuiltinProblem('type', 'type.not-square', { fn: '^', shape: shapeOf(a) });
  if (!Number.isInteger(k)) {
    throw new BuiltinProblem('type', 'type.integer-power', { fn: '^', value: k });
  }
  if (k === 0) return { value: identity(a.rows), cond: NaN, singular: false };
  if (k > 0) return { value: matrixPowerNonNegative(a, k), cond: NaN, singular: false };
  const inv = inverseChecked(a);
  return { ...inv, value: matrixPowerNonNegative(inv.value, -k) };
}
