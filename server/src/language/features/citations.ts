/**
 * Results cited in prose: an inline code span `` `= expr` `` is evaluated in the scope of the blocks
 * above it, and its value is shown as an inlay hint (and substituted by the preview).
 *
 * The evaluator works on whole programs, so all citations of a note are evaluated together in one
 * synthetic note: every Mathnote block and every citation, in document order, each as its own fenced
 * block. A citation then sees exactly the blocks above it, and a citation that does not parse harms
 * only its own block. This costs one more evaluation of the note, done only when it cites something.
 */
import type { Analysis, AnalysisOptions, Evaluation, EvaluationOptions } from '../analysis.js';
import type { Value } from '../eval/value.js';
import { findCitations } from '../markdown/blocks.js';
import { shapeOf, valueToInlineText, valueToLatex, valueToText } from '../print/value.js';
import type { Span } from '../syntax/ast.js';
import { describeProblem } from './messages.js';

/** The two steps of the language service that citations need (passed in, to keep the core acyclic). */
export interface CitationEngine {
  analyzeNote(text: string, options?: Partial<AnalysisOptions>): Analysis;
  evaluateNote(analysis: Analysis, options?: Partial<EvaluationOptions>): Evaluation;
}

/** A cited result, printed (serializable: it crosses from the evaluation worker to the server). */
export interface CitationSummary {
  /** The whole code span, backticks included, in document offsets. */
  readonly span: Span;
  /** The expression as written, trimmed. */
  readonly expression: string;
  /** The value printed as text, as inlay hint text (one line), and as LaTeX; absent when it failed. */
  readonly text?: string;
  readonly inline?: string;
  readonly latex?: string;
  readonly shape?: readonly [number, number];
  /** Why it has no value: the first problem of its expression. */
  readonly problem?: string;
}

/** A cited result with its value (for in-process users such as the preview model). */
export interface CitationResult extends CitationSummary {
  readonly value?: Value;
}

/** A fence no note content can close by accident. */
const SYNTHETIC_FENCE = '~~~~~~~~~~~~';

/** Evaluates every `` `= expr` `` citation of the note in the scope of the blocks above it. */
export function evaluateCitations(
  analysis: Analysis,
  engine: CitationEngine,
  options: Partial<EvaluationOptions> & { readonly precision: number },
): CitationResult[] {
  const citations = findCitations(analysis.text, analysis.blocks.map((block) => block.fence));
  if (citations.length === 0) return [];
  const pieces: { start: number; source: string; citation?: number }[] = [];
  for (const block of analysis.blocks) {
    pieces.push({ start: block.fence.contentStart, source: analysis.text.slice(block.fence.contentStart, block.fence.contentEnd) });
  }
  citations.forEach((citation, index) => {
    pieces.push({ start: citation.span.start, source: analysis.text.slice(citation.exprStart, citation.exprEnd), citation: index });
  });
  pieces.sort((a, b) => a.start - b.start);

  let synthetic = '';
  const citationContentStart = new Map<number, { start: number; end: number }>();
  for (const piece of pieces) {
    synthetic += `${SYNTHETIC_FENCE}mathnote\n`;
    const start = synthetic.length;
    synthetic += piece.source;
    if (piece.citation !== undefined) citationContentStart.set(piece.citation, { start, end: synthetic.length });
    synthetic += `\n${SYNTHETIC_FENCE}\n`;
  }
  const program = engine.analyzeNote(synthetic, { fenceNames: ['mathnote'], wholeFile: false });
  const evaluation = engine.evaluateNote(program, options);

  return citations.map((citation, index): CitationResult => {
    const expression = analysis.text.slice(citation.exprStart, citation.exprEnd).trim();
    const region = citationContentStart.get(index)!;
    const inRegion = (span: Span): boolean => span.start >= region.start && span.start <= region.end;
    const problem = [...program.problems, ...evaluation.problems].find((candidate) => inRegion(candidate.span) && candidate.severity === 'error');
    const statements = program.statements.filter((statement) => inRegion(statement.span));
    const statement = statements.length === 1 ? statements[0] : undefined;
    const value = statement && statement.kind === 'expression' ? evaluation.results.get(statement)?.value : undefined;
    if (problem || !value) {
      return {
        span: citation.span,
        expression,
        problem: problem ? describeProblem(problem) : statements.length > 1 ? 'a citation holds one expression' : 'the expression has no value',
      };
    }
    const shape = shapeOf(value);
    return {
      span: citation.span,
      expression,
      value,
      text: valueToText(value, options.precision, synthetic),
      inline: valueToInlineText(value, options.precision, synthetic),
      latex: valueToLatex(value, options.precision),
      ...(shape ? { shape: [shape[0], shape[1]] as const } : {}),
    };
  });
}

/** The serializable part of citation results (drops the values themselves). */
export function summarizeCitations(results: readonly CitationResult[]): CitationSummary[] {
  return results.map(({ value: _value, ...summary }) => summary);
}
