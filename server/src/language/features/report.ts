/**
 * The evaluation report of a note: every statement's result and every diagnostic, in the JSON shape
 * of DESIGN.md's command-line contract (`mathnote eval --json`). Tests of notes and CI read it, so
 * its fields are a public contract: add fields, never change one.
 */
import type { Range } from 'vscode-languageserver-types';
import type { Analysis, Evaluation } from '../analysis.js';
import type { Severity } from '../problem.js';
import { shapeOf, valueToInlineText, valueToJson, valueToLatex, valueToText, type JsonValue } from '../print/value.js';
import { allProblems, spanToRange } from './diagnostics.js';
import { describeProblem } from './messages.js';

export interface ReportStatement {
  /** The statement's range in the document (0-based lines, UTF-16 columns). */
  readonly range: Range;
  readonly source: string;
  /** Names it defines; empty for a bare expression. */
  readonly names: readonly string[];
  /** `[rows, cols]` of a numeric or boolean result, null otherwise or when it failed. */
  readonly shape: readonly [number, number] | null;
  /** The result as JSON (see DESIGN.md), null when the statement failed. */
  readonly value: JsonValue | null;
  /** The result as text, as the editor shows it; null when the statement failed. */
  readonly text: string | null;
  /** The result as LaTeX; null when the statement failed. */
  readonly latex: string | null;
  /** The result on one line (`[19, 22; 43, 50]`), as inlay hints show it; null when it failed. */
  readonly inline: string | null;
}

export interface ReportDiagnostic {
  readonly range: Range;
  readonly severity: Severity;
  readonly code: string;
  readonly message: string;
}

export interface EvalReport {
  readonly file: string;
  readonly statements: readonly ReportStatement[];
  readonly diagnostics: readonly ReportDiagnostic[];
}

export interface ReportOptions {
  /** Significant digits of the text and LaTeX forms (default 6). */
  readonly precision?: number;
}

/** Builds the `mathnote eval --json` report of an analysed and evaluated note. */
export function evalReport(file: string, analysis: Analysis, evaluation: Evaluation, options: ReportOptions = {}): EvalReport {
  const precision = options.precision ?? 6;
  const statements: ReportStatement[] = [];
  for (const statement of analysis.statements) {
    if (statement.kind === 'error') continue;
    const result = evaluation.results.get(statement);
    const value = result?.value;
    statements.push({
      range: spanToRange(analysis, statement.span),
      source: analysis.text.slice(statement.span.start, statement.span.end),
      names: result?.names ?? [],
      shape: value ? shapeOf(value) : null,
      value: value ? valueToJson(value) : null,
      text: value ? valueToText(value, precision, analysis.text) : null,
      latex: value ? valueToLatex(value, precision) : null,
      inline: value ? valueToInlineText(value, precision, analysis.text) : null,
    });
  }
  const diagnostics = allProblems(analysis, evaluation).map(
    (problem): ReportDiagnostic => ({
      range: spanToRange(analysis, problem.span),
      severity: problem.severity,
      code: problem.code,
      message: describeProblem(problem),
    }),
  );
  return { file, statements, diagnostics };
}
