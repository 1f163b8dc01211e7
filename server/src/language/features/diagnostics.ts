/**
 * Problems to LSP diagnostics, and the combined problem list of a note (static and runtime). This is
 * the only place that decides severity names, related information wording and de-duplication, so
 * the server, the command line and the preview all show the same thing.
 */
import { DiagnosticSeverity, type Diagnostic, type DiagnosticRelatedInformation, type Range } from 'vscode-languageserver-types';
import type { Analysis, Evaluation } from '../analysis.js';
import type { Problem, RelatedSpan, Severity } from '../problem.js';
import type { Span } from '../syntax/ast.js';
import { describeProblem } from './messages.js';

const SEVERITIES: Readonly<Record<Severity, DiagnosticSeverity>> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

/** The LSP range of a span of the analysed text. */
export function spanToRange(analysis: Pick<Analysis, 'positions'>, span: Span): Range {
  return { start: analysis.positions.positionAt(span.start), end: analysis.positions.positionAt(span.end) };
}

/** How a related location reads in the editor's "related information" list. */
export function describeRelated(related: RelatedSpan): string {
  switch (related.kind) {
    case 'definition-of':
      return related.name ? `'${related.name}' is defined here` : 'defined here';
    case 'opened-here':
      return 'opened here';
    case 'operation':
      return related.name ? `in ${related.name}` : 'the operation that fails';
    case 'call':
      return 'called here';
    default:
      return related.name ?? related.kind;
  }
}

/**
 * Every problem of a note, static first then runtime, in document order. A runtime problem that
 * repeats a static one (same code on the same span start) is dropped: the checker already said it,
 * with better operand names.
 */
export function allProblems(analysis: Analysis, evaluation?: Evaluation): Problem[] {
  const seen = new Set(analysis.problems.map((p) => `${p.code}@${p.span.start}`));
  const runtime = (evaluation?.problems ?? []).filter((p) => !seen.has(`${p.code}@${p.span.start}`));
  return [...analysis.problems, ...runtime].sort((a, b) => a.span.start - b.span.start || a.span.end - b.span.end);
}

/** LSP diagnostics for problems of an analysed document; related information needs its uri. */
export function problemsToDiagnostics(analysis: Pick<Analysis, 'positions'>, problems: readonly Problem[], uri?: string): Diagnostic[] {
  return problems.map((problem) => {
    const diagnostic: Diagnostic = {
      range: spanToRange(analysis, problem.span),
      severity: SEVERITIES[problem.severity],
      code: problem.code,
      source: 'mathnote',
      message: describeProblem(problem),
    };
    if (uri && problem.related && problem.related.length > 0) {
      diagnostic.relatedInformation = problem.related.map(
        (related): DiagnosticRelatedInformation => ({
          location: { uri, range: spanToRange(analysis, related.span) },
          message: describeRelated(related),
        }),
      );
    }
    return diagnostic;
  });
}
