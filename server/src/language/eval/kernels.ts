/**
 * The dense kernels the operators need (`⁻¹`, `\`, `/`, `^`), in the evaluator's terms: they take
 * matrix values, raise shape problems with both operands' shapes, and report a numerically singular
 * matrix as a `singular` warning with its condition number while still producing a value (as
 * MATLAB does: entries become Inf or NaN when the matrix is exactly singular).
 */
import * as linalg from './linalg/index.js';
import { EvalError, matrix, type OperatorContext } from './operators.js';
import type { MatrixValue } from './value.js';

function requireSquare(A: MatrixValue, operation: string, text?: string): void {
  if (A.rows !== A.cols) throw new EvalError('type', 'type.not-square', { what: operation, operand: text, shape: [A.rows, A.cols] });
}

function requireReal(A: MatrixValue, operation: string): void {
  if (A.imag) throw new EvalError('type', 'eval.complex-unsupported', { operation });
}

/** Turns a kernel result into a value, warning when the matrix was singular to working precision. */
function solved(result: linalg.Solved, ctx: OperatorContext, operation: string, text?: string): MatrixValue {
  if (result.singular) {
    ctx.warn('singular', 'eval.singular', { operation, operand: text, condition: Number.isFinite(result.cond) ? result.cond : 'Infinity' });
  }
  return matrix(result.value.rows, result.value.cols, result.value.data);
}

/** `A⁻¹`. */
export function inverse(A: MatrixValue, ctx: OperatorContext, text?: string): MatrixValue {
  requireSquare(A, 'inverse', text);
  requireReal(A, 'inverse');
  return solved(linalg.inverseOrProblem(A), ctx, 'inverse', text);
}

/** `A \ B`: LU for a square A, QR least squares for a tall one (never by forming A⁻¹). */
export function leftDivide(A: MatrixValue, B: MatrixValue, ctx: OperatorContext, texts?: { left?: string; right?: string }): MatrixValue {
  requireReal(A, 'solve');
  requireReal(B, 'solve');
  if (A.rows !== B.rows) {
    throw new EvalError('shape', 'shape.solve-rows', { op: '\\', left: texts?.left, right: texts?.right, leftShape: [A.rows, A.cols], rightShape: [B.rows, B.cols] });
  }
  return solved(linalg.solveSquareOrLeastSquares(A, B), ctx, 'solve', texts?.left);
}

/** `A / B` = `A B⁻¹`, computed as `(Bᵀ \ Aᵀ)ᵀ`. */
export function rightDivide(A: MatrixValue, B: MatrixValue, ctx: OperatorContext, texts?: { left?: string; right?: string }): MatrixValue {
  requireReal(A, 'division');
  requireReal(B, 'division');
  if (A.cols !== B.cols) {
    throw new EvalError('shape', 'shape.divide-cols', { op: '/', left: texts?.left, right: texts?.right, leftShape: [A.rows, A.cols], rightShape: [B.rows, B.cols] });
  }
  return solved(linalg.rightDivide(A, B), ctx, 'solve', texts?.right);
}

/** `A^k` for a square matrix and an integer k (negative k inverts first). */
export function matrixPower(A: MatrixValue, k: number, ctx: OperatorContext, text?: string): MatrixValue {
  requireSquare(A, 'matrix power', text);
  requireReal(A, 'matrix power');
  return solved(linalg.matrixPower(A, k), ctx, 'inverse', text);
}
