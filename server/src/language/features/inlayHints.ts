/**
 * Inlay hints: each statement's result at the end of its line (`⇒ [19, 22; 43, 50]`), shortened,
 * and the value of every `` `= expr` `` citation right after its code span in the prose.
 */
import { MarkupKind, type InlayHint } from 'vscode-languageserver-types';
import type { Analysis } from '../analysis.js';
import type { CitationSummary } from './citations.js';
import type { ResultSummary } from './results.js';
import { shorten } from './results.js';

export interface InlayHintOptions {
  /** Longest label (the arrow included) before it is shortened with `…`. */
  readonly maxLength: number;
  /** Only hints on lines in this range (0-based, inclusive) are returned. */
  readonly startLine: number;
  readonly endLine: number;
}

/** Offset of the end of the line holding `offset` (before its line break). */
function endOfLine(text: string, offset: number): number {
  let end = offset;
  while (end < text.length && text[end] !== '\n' && text[end] !== '\r') end++;
  return end;
}

/** The result and citation hints of the lines in the requested range. */
export function inlayHints(
  analysis: Analysis,
  resultOf: (statementIndex: number) => ResultSummary | undefined,
  citations: readonly CitationSummary[],
  options: InlayHintOptions,
): InlayHint[] {
  const hints: InlayHint[] = [];
  const inRange = (line: number): boolean => line >= options.startLine && line <= options.endLine;
  // Only statements that can end on the requested lines are looked at (long notes ask for a screenful).
  const firstOffset = analysis.positions.offsetAt({ line: options.startLine, character: 0 });
  const lastOffset = analysis.positions.offsetAt({ line: options.endLine + 1, character: 0 });
  analysis.statements.forEach((statement, index) => {
    if (statement.span.end < firstOffset || statement.span.start > lastOffset) return;
    if (statement.kind === 'error' || statement.kind === 'function') return;
    const summary = resultOf(index);
    if (!summary || summary.isFunction) return;
    // A statement may span lines (an open bracket continues it); the hint goes after its last line.
    const position = analysis.positions.positionAt(endOfLine(analysis.text, Math.max(statement.span.start, statement.span.end - 1)));
    if (!inRange(position.line)) return;
    hints.push({
      position,
      label: shorten(`⇒ ${summary.inline}`, options.maxLength),
      paddingLeft: true,
      tooltip: { kind: MarkupKind.Markdown, value: summary.markdown },
    });
  });
  for (const citation of citations) {
    const position = analysis.positions.positionAt(citation.span.end);
    if (!inRange(position.line)) continue;
    const label = citation.inline !== undefined ? `⇒ ${citation.inline}` : `⚠ ${citation.problem ?? 'no value'}`;
    hints.push({ position, label: shorten(label, options.maxLength), paddingLeft: true });
  }
  return hints.sort((a, b) => a.position.line - b.position.line || a.position.character - b.position.character);
}
