/**
 * Helpers of the feature tests: notes with a cursor marker `‸`, analysed and evaluated through the
 * language service, and the result summaries the server would hold for them.
 */
import { analyzeNote, evaluateNote, resultLookup, summarizeEvaluation, type Analysis, type Evaluation, type ResultSummary } from '../../../server/src/language/index.js';

export const CURSOR = '‸';

export interface MarkedNote {
  readonly text: string;
  /** Offset of the cursor marker (removed from the text). */
  readonly offset: number;
  readonly analysis: Analysis;
  readonly evaluation: Evaluation;
  readonly resultOf: (statementIndex: number) => ResultSummary | undefined;
  /** The LSP position of the cursor. */
  readonly position: { line: number; character: number };
}

/** Wraps Mathnote source in a fenced block of a Markdown note. */
export function note(source: string, prose = '# Note\n\n'): string {
  return `${prose}\`\`\`mathnote\n${source}\n\`\`\`\n`;
}

/** Analyses and evaluates a note holding exactly one cursor marker. */
export function marked(markdown: string): MarkedNote {
  const offset = markdown.indexOf(CURSOR);
  if (offset < 0 || markdown.indexOf(CURSOR, offset + 1) >= 0) throw new Error('a fixture needs exactly one cursor marker');
  const text = markdown.slice(0, offset) + markdown.slice(offset + CURSOR.length);
  const analysis = analyzeNote(text);
  const evaluation = evaluateNote(analysis);
  const resultOf = resultLookup(analysis, summarizeEvaluation(analysis, evaluation, 6));
  return { text, offset, analysis, evaluation, resultOf, position: analysis.positions.positionAt(offset) };
}
