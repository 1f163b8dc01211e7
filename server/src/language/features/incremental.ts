/**
 * Carrying an evaluation over to a new version of a note whose program did not change: an edit in
 * the prose, in comments or blank lines (every statement still reads the same, in the same order)
 * moves statements without changing any value, so the evaluation of the previous version is reused
 * with its spans moved, instead of evaluating the note again.
 *
 * `evaluateIncrementally` goes further for edits of the program itself: only the edited statements,
 * what depends on them and what they read are evaluated again; everything else keeps its value.
 */
import type { Analysis, Evaluation, StatementResult } from '../analysis.js';
import type { Problem } from '../problem.js';
import type { Expr, Span, Statement } from '../syntax/ast.js';
import { builtinRegistry } from '../eval/builtins/index.js';
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

/** Built-ins that draw from the note's seeded random stream: skipping any statement would shift it. */
const RANDOM_BUILTINS: ReadonlySet<string> = new Set(['seed', 'rand', 'randn', 'randint', 'randperm', 'bernoulli']);

function usesRandomNumbers(analysis: Analysis): boolean {
  const registry = builtinRegistry();
  for (const binding of analysis.resolution.uses.values()) {
    if (binding.kind === 'builtin' && RANDOM_BUILTINS.has(registry.get(binding.name)?.name ?? binding.name)) return true;
  }
  return false;
}

/**
 * How many incremental evaluations may build on each other before a whole one. Each keeps the one
 * before it alive (hovers on reused statements read from it), so the chain is cut now and then to
 * bound memory, which also refreshes every value from scratch.
 */
export const MAX_INCREMENTAL_GENERATIONS = 8;

/** What an incremental evaluation did, for logs and tests. */
export interface IncrementalEvaluation {
  readonly evaluation: Evaluation;
  /** How many statements were evaluated again (all of them when nothing could be reused). */
  readonly evaluated: number;
  /** 0 for a whole evaluation, else one more than the evaluation it built on. */
  readonly generation: number;
}

/**
 * Evaluates `next`, reusing the values of `previous` wherever they cannot have changed.
 *
 * Statements are matched by their source text over the unchanged start and end of the program; a
 * matched statement is clean when every binding it reads is defined by the matched counterpart of
 * what it read before, and that definition is clean too. Dirty statements (the edited ones and
 * everything that reads them, directly or through functions) are evaluated again, together with
 * the statements they read, which are needed to rebuild their inputs; every other statement keeps
 * its previous value, and statements after the edit that do not depend on it are not evaluated at
 * all. A note that draws random numbers is always evaluated whole, since skipping a statement would
 * shift the seeded stream.
 */
export function evaluateIncrementally(
  previous: { readonly analysis: Analysis; readonly evaluation: Evaluation; readonly generation?: number } | undefined,
  next: Analysis,
  evaluate: (analysis: Analysis) => Evaluation,
): IncrementalEvaluation {
  const whole = (): IncrementalEvaluation => ({ evaluation: evaluate(next), evaluated: next.statements.length, generation: 0 });
  const generation = (previous?.generation ?? 0) + 1;
  if (!previous || !previous.evaluation.complete || generation > MAX_INCREMENTAL_GENERATIONS || usesRandomNumbers(next)) return whole();
  const before = previous.analysis;
  const sourceOf = (analysis: Analysis, statement: Statement): string => analysis.text.slice(statement.span.start, statement.span.end);
  const oldCount = before.statements.length;
  const newCount = next.statements.length;
  let prefix = 0;
  while (prefix < oldCount && prefix < newCount && sourceOf(before, before.statements[prefix]!) === sourceOf(next, next.statements[prefix]!)) prefix++;
  let suffix = 0;
  while (
    suffix < oldCount - prefix &&
    suffix < newCount - prefix &&
    sourceOf(before, before.statements[oldCount - 1 - suffix]!) === sourceOf(next, next.statements[newCount - 1 - suffix]!)
  ) {
    suffix++;
  }
  /** The index in the previous version of a matched statement of the next one, or -1. */
  const counterpart = (index: number): number => (index < prefix ? index : index >= newCount - suffix ? index - newCount + oldCount : -1);

  const oldIndex = new Map(before.statements.map((statement, index) => [statement, index]));
  const newIndex = new Map(next.statements.map((statement, index) => [statement, index]));
  const definingIndices = (analysis: Analysis, indices: Map<Statement, number>, statement: Statement): number[] =>
    (analysis.resolution.dependencies.get(statement) ?? [])
      .map((binding) => (binding.statement ? (indices.get(binding.statement) ?? -1) : -2))
      .filter((index) => index !== -2);

  const dirty: boolean[] = new Array<boolean>(newCount).fill(false);
  next.statements.forEach((statement, index) => {
    const old = counterpart(index);
    if (old < 0) {
      dirty[index] = true;
      return;
    }
    const reads = definingIndices(next, newIndex, statement);
    const readBefore = definingIndices(before, oldIndex, before.statements[old]!);
    const sameInputs = reads.length === readBefore.length && reads.every((read, position) => read >= 0 && counterpart(read) === readBefore[position]);
    dirty[index] = !sameInputs || reads.some((read) => dirty[read]);
  });

  const needed = [...dirty];
  for (let index = newCount - 1; index >= 0; index--) {
    if (!needed[index]) continue;
    for (const read of definingIndices(next, newIndex, next.statements[index]!)) if (read >= 0) needed[read] = true;
  }
  const subset = next.statements.filter((_, index) => needed[index]);
  if (subset.length === newCount) return whole();
  const partial = subset.length > 0 ? evaluate({ ...next, statements: subset }) : undefined;

  // Spans of the previous version move with their statement; unmatched ones have no place here.
  const moveSpan = (span: Span): Span | undefined => {
    const holder = before.statements.findIndex((statement) => statement.span.start <= span.start && span.end <= statement.span.end);
    if (holder < 0) return undefined;
    const index = holder < prefix ? holder : holder >= oldCount - suffix ? holder - oldCount + newCount : -1;
    if (index < 0 || dirty[index]) return undefined;
    const delta = next.statements[index]!.span.start - before.statements[holder]!.span.start;
    return { start: span.start + delta, end: span.end + delta };
  };
  const statementHolding = (span: Span): number => next.statements.findIndex((statement) => statement.span.start <= span.start && span.end <= statement.span.end);

  const results = new Map<Statement, StatementResult>();
  next.statements.forEach((statement, index) => {
    const fresh = needed[index] ? partial?.results.get(statement) : undefined;
    if (fresh) {
      results.set(statement, fresh);
      return;
    }
    const old = previous.evaluation.results.get(before.statements[counterpart(index)]!);
    if (old) results.set(statement, { ...old, statement });
  });
  const problems: Problem[] = [];
  for (const problem of partial?.problems ?? []) {
    const holder = statementHolding(problem.span);
    if (holder >= 0 && dirty[holder]) problems.push(problem);
  }
  for (const problem of previous.evaluation.problems) {
    const span = moveSpan(problem.span);
    if (!span) continue;
    const related = problem.related?.map((item) => ({ ...item, span: moveSpan(item.span) })).filter((item): item is typeof item & { span: Span } => item.span !== undefined);
    problems.push({ ...problem, span, ...(related ? { related } : {}) });
  }
  problems.sort((a, b) => a.span.start - b.span.start || a.span.end - b.span.end);

  const evaluation: Evaluation = {
    results,
    problems,
    complete: partial?.complete ?? true,
    elapsedMs: partial?.elapsedMs ?? 0,
    valueOfSubexpression: (expr, statement) => {
      const index = newIndex.get(statement);
      if (index === undefined) return undefined;
      if (needed[index]) return partial?.valueOfSubexpression(expr, statement);
      const oldStatement = before.statements[counterpart(index)]!;
      const delta = oldStatement.span.start - statement.span.start;
      const oldExpr = expressionWithSpan(oldStatement, { start: expr.span.start + delta, end: expr.span.end + delta }, expr.kind);
      return oldExpr ? previous.evaluation.valueOfSubexpression(oldExpr, oldStatement) : undefined;
    },
  };
  return { evaluation, evaluated: subset.length, generation };
}
