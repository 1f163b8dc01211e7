/**
 * Carrying an evaluation over to a new version of a note whose program did not change: an edit in
 * the prose, in comments or blank lines (every statement still reads the same, in the same order)
 * moves statements without changing any value, so the evaluation of the previous version is reused
 * with its spans moved, instead of evaluating the note again.
 *
 * This is the part of incremental evaluation that needs nothing from the evaluator. Re-evaluating
 * only the statements below the first changed one would need the evaluator to start from a saved
 * scope, which it does not offer.
 */
import type { Analysis, Evaluation, StatementResult } from '../analysis.js';
import type { Problem } from '../problem.js';
import type { Expr, Span, Statement } from '../syntax/ast.js';
import { forEachExpression } from './locate.js';

/** The text that decides every value: the statements' sources, in order. */
export function programKey(analysis: Analysis): string {
  return analysis.statements.map((statement) => analysis.text.slice(statement.span.start, statement.span.end)).join('\u0000');
}

/** Moves a span of the previous version to the next, through the statement that holds it. */
function spanMapper(previous: Analysis, next: Analysis): (span: Span) => Span | undefined {
  return (span) => {
    const index = previous.statements.findIndex((statement) => statement.span.start <= span.start && span.end <= statement.span.end);
    if (index < 0) return undefined;
    const delta = next.statements[index]!.span.start - previous.statements[index]!.span.start;
    return { start: span.start + delta, end: span.end + delta };
  };
}

/** The expression of a statement with exactly this span and kind. */
function expressionWithSpan(statement: Statement, span: Span, kind: Expr['kind']): Expr | undefined {
  let found: Expr | undefined;
  forEachExpression(statement, (expr) => {
    if (!found && expr.kind === kind && expr.span.start === span.start && expr.span.end === span.end) found = expr;
  });
  return found;
}

/**
 * The previous evaluation as an evaluation of `next`, when both versions hold the same program;
 * undefined when any statement changed (then the note must be evaluated again).
 */
export function carryEvaluation(previous: { analysis: Analysis; evaluation: Evaluation }, next: Analysis): Evaluation | undefined {
  if (!previous.evaluation.complete || programKey(previous.analysis) !== programKey(next)) return undefined;
  const mapSpan = spanMapper(previous.analysis, next);
  const results = new Map<Statement, StatementResult>();
  next.statements.forEach((statement, index) => {
    const before = previous.evaluation.results.get(previous.analysis.statements[index]!);
    if (before) results.set(statement, { ...before, statement });
  });
  const problems: Problem[] = [];
  for (const problem of previous.evaluation.problems) {
    const span = mapSpan(problem.span);
    if (!span) return undefined;
    const related = problem.related?.map((item) => ({ ...item, span: mapSpan(item.span) })).filter((item): item is typeof item & { span: Span } => item.span !== undefined);
    problems.push({ ...problem, span, ...(related ? { related } : {}) });
  }
  const back = spanMapper(next, previous.analysis);
  return {
    results,
    problems,
    complete: true,
    elapsedMs: 0,
    valueOfSubexpression: (expr, statement) => {
      const index = next.statements.indexOf(statement);
      const span = back(expr.span);
      if (index < 0 || !span) return undefined;
      const oldStatement = previous.analysis.statements[index]!;
      const oldExpr = expressionWithSpan(oldStatement, span, expr.kind);
      return oldExpr ? previous.evaluation.valueOfSubexpression(oldExpr, oldStatement) : undefined;
    },
  };
}
