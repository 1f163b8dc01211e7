/**
 * Message templates for the problem kinds only the linear-algebra built-ins raise, keyed by kind,
 * for `eval/messages.ts` to merge. (Shape and singular problems reuse the checker's and the
 * evaluator's kinds — `shape.solve-rows`, `shape.dot-length`, `type.not-square`, `eval.singular` —
 * so a mistake reads the same wherever it is found.)
 */
import type { Problem } from '../../problem.js';

type Args = Problem['args'];

function shape(value: unknown): string {
  return Array.isArray(value) ? `${value[0] ?? '?'}×${value[1] ?? '?'}` : '?×?';
}

export const linalgMessages: Record<string, (args: Args) => string> = {
  'eval.chol-not-symmetric': (a) =>
    `${String(a.fn ?? 'chol')} needs a symmetric matrix, but this ${shape(a.shape)} matrix differs from its transpose`,
  'eval.chol-not-positive-definite': (a) =>
    `${String(a.fn ?? 'chol')} needs a positive definite matrix, but the leading ${String(a.minor)}×${String(a.minor)} block has a determinant ≤ 0 (an eigenvalue is zero or negative)`,
  'eval.sqrtm-no-root': (a) =>
    `${String(a.fn ?? 'sqrtm')}: this ${shape(a.shape)} matrix has an eigenvalue on the negative real axis (or is singular), so it has no real principal square root; the result is NaN`,
};
