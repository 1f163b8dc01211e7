/**
 * A small pipeline for evaluator tests: blocks → parse → resolve → evaluate, and a checker for the
 * `# expect…` comments of fixture notes, with the same meaning as `../shared/tools/accept.py`:
 *
 *   # expect: V              the statement's value equals V (number, true/false, or a matrix literal
 *                            like [1, 2; 3, 4]; relative tolerance 1e-6)
 *   # expect-shape: [r, c]   its shape (`null` for a function, string, tuple or plot)
 *   # expect-error: CODE     an error with that code starts on this line (A|B: either)
 *   # expect-warning: CODE   a warning with that code starts on this line
 *
 * Only syntax, resolver and evaluator problems count: the static shape checker is left out on
 * purpose, so that shape expectations test what the evaluator finds while running.
 */
import type { Evaluation, EvaluationOptions } from '../../../server/src/language/analysis.js';
import { builtinNames } from '../../../server/src/language/eval/builtins/index.js';
import { evaluateProgram } from '../../../server/src/language/eval/evaluator.js';
import { findBlocks } from '../../../server/src/language/markdown/blocks.js';
import { shapeOf, valueToJson, type JsonValue } from '../../../server/src/language/print/value.js';
import type { Problem } from '../../../server/src/language/problem.js';
import { resolve } from '../../../server/src/language/resolve/resolver.js';
import type { Resolution } from '../../../server/src/language/resolve/types.js';
import type { Statement } from '../../../server/src/language/syntax/ast.js';
import { parseBlock } from '../../../server/src/language/syntax/parser.js';

export interface RunResult {
  readonly text: string;
  readonly statements: readonly Statement[];
  readonly resolution: Resolution;
  readonly evaluation: Evaluation;
  /** Syntax, resolver and evaluator problems, in document order. */
  readonly problems: readonly Problem[];
}

/** Runs a note (Markdown with ```mathnote blocks, or a whole `.mathnote` text) through the pipeline. */
export function runNote(text: string, options: Partial<EvaluationOptions> = {}, wholeFile = false): RunResult {
  const problems: Problem[] = [];
  const blocks = findBlocks(text, { fenceNames: ['mathnote'], wholeFile });
  const statements = blocks.flatMap((block) => {
    const parsed = parseBlock(text, block.contentStart, block.contentEnd);
    problems.push(...parsed.problems);
    return parsed.value.statements;
  });
  const resolved = resolve(statements, new Set(builtinNames()), text);
  problems.push(...resolved.problems);
  // A generous budget by default: the machine running tests may be busy, and only the tests of
  // the budget itself (which pass their own) should depend on time.
  const evaluation = evaluateProgram(statements, resolved.value, text, { timeBudgetMs: 60_000, ...options });
  problems.push(...evaluation.problems);
  problems.sort((a, b) => a.span.start - b.span.start);
  return { text, statements, resolution: resolved.value, evaluation, problems };
}

/** The 0-based line of an offset. */
export function lineOf(text: string, offset: number): number {
  let line = 0;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

type Expected = boolean | number[][];

function parseExpected(raw: string): Expected {
  const text = raw.trim();
  if (text === 'true' || text === 'false') return text === 'true';
  if (text.startsWith('[')) {
    return text
      .slice(1, -1)
      .split(';')
      .map((row) => row.trim().split(/[,\s]+/).filter(Boolean).map(Number));
  }
  return [[Number(text)]];
}

function asRows(value: JsonValue): number[][] | undefined {
  const num = (x: JsonValue): number => (typeof x === 'number' ? x : typeof x === 'string' ? Number(x) : typeof x === 'boolean' ? Number(x) : NaN);
  if (typeof value === 'number' || typeof value === 'string') return [[num(value)]];
  if (typeof value === 'boolean') return [[Number(value)]];
  if (Array.isArray(value)) return (value as JsonValue[][]).map((row) => row.map(num));
  return undefined;
}

function close(a: number, b: number): boolean {
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) && Number.isNaN(b);
  if (a === b) return true;
  return Math.abs(a - b) <= Math.max(1e-9, 1e-6 * Math.max(Math.abs(a), Math.abs(b)));
}

function same(expected: Expected, got: JsonValue): boolean {
  if (typeof expected === 'boolean') {
    if (typeof got === 'boolean') return got === expected;
    const rows = asRows(got);
    return rows !== undefined && rows.length === 1 && rows[0]!.length === 1 && Boolean(rows[0]![0]) === expected;
  }
  const rows = asRows(got);
  if (!rows || rows.length !== expected.length) return false;
  return expected.every((row, i) => row.length === rows[i]!.length && row.every((x, j) => close(x, rows[i]![j]!)));
}

/** Checks every `# expect…` comment of a note; returns one line per unmet expectation and the count. */
export function checkExpectations(text: string, run: RunResult = runNote(text)): { failures: string[]; total: number } {
  const byLine = new Map<number, Statement>();
  for (const statement of run.statements) {
    const line = lineOf(text, statement.span.start);
    if (!byLine.has(line)) byLine.set(line, statement);
  }
  const problemsByLine = new Map<number, Problem[]>();
  for (const problem of run.problems) {
    const line = lineOf(text, problem.span.start);
    problemsByLine.set(line, [...(problemsByLine.get(line) ?? []), problem]);
  }
  const failures: string[] = [];
  let total = 0;
  text.split('\n').forEach((lineText, line) => {
    const m = /#\s*expect(-error|-warning|-shape)?:\s*(.+?)\s*$/.exec(lineText);
    if (!m) return;
    total++;
    const [, kind, want] = m as unknown as [string, string | undefined, string];
    const where = `line ${line + 1}`;
    const problems = problemsByLine.get(line) ?? [];
    if (kind === '-error' || kind === '-warning') {
      const severity = kind === '-error' ? 'error' : 'warning';
      const codes = problems.filter((p) => p.severity === severity).map((p) => p.code);
      if (!codes.some((code) => want.split('|').includes(code))) failures.push(`${where}: want ${severity} ${want}, got ${codes.join(', ') || 'none'}`);
      return;
    }
    const statement = byLine.get(line);
    const result = statement ? run.evaluation.results.get(statement) : undefined;
    if (!result) {
      failures.push(`${where}: no statement result on this line`);
      return;
    }
    if (kind === '-shape') {
      const got = result.value ? shapeOf(result.value) : undefined;
      if (JSON.stringify(got) !== JSON.stringify(JSON.parse(want))) failures.push(`${where}: want shape ${want}, got ${JSON.stringify(got)}`);
      return;
    }
    const errors = problems.filter((p) => p.severity === 'error');
    if (errors.length > 0) {
      failures.push(`${where}: unexpected error ${errors[0]!.kind} ${JSON.stringify(errors[0]!.args)}`);
      return;
    }
    if (!result.value) {
      failures.push(`${where}: no value`);
      return;
    }
    const got = valueToJson(result.value);
    if (!same(parseExpected(want), got)) failures.push(`${where}: want ${want}, got ${JSON.stringify(got).slice(0, 160)}`);
  });
  return { failures, total };
}
