// Text the client shows or writes, kept free of the `vscode` API so unit tests run it in Node.
import type { EvaluationStatusParams, ResultAtResponse } from '../../server/src/protocol.js';

/** The status bar text for one evaluation state of a note. */
export function statusText(status: EvaluationStatusParams): string {
  if (status.state === 'evaluating') return '$(sync~spin) Mathnote: evaluating';
  const elapsed = status.elapsedMs === undefined ? undefined : Math.round(status.elapsedMs);
  if (status.state === 'stopped') return `$(warning) Mathnote: stopped after ${elapsed ?? '?'} ms`;
  const problems: string[] = [];
  if (status.errors > 0) problems.push(`${status.errors} error${status.errors === 1 ? '' : 's'}`);
  if (status.warnings > 0) problems.push(`${status.warnings} warning${status.warnings === 1 ? '' : 's'}`);
  if (status.errors > 0) return `$(error) Mathnote: ${problems.join(', ')}`;
  const done = `$(check) Mathnote: done${elapsed === undefined ? '' : ` in ${elapsed} ms`}`;
  return problems.length > 0 ? `${done}, ${problems.join(', ')}` : done;
}

/** The status bar tooltip for one evaluation state. */
export function statusTooltip(status: EvaluationStatusParams): string {
  if (status.state === 'evaluating') return 'Mathnote is evaluating this note.';
  if (status.state === 'stopped') {
    return 'Evaluation was stopped after its time budget (mathnote.evaluation.timeBudgetMs). Click to open the Problems view.';
  }
  const elapsed = status.elapsedMs === undefined ? '' : ` in ${Math.round(status.elapsedMs)} ms`;
  return `Evaluated${elapsed}: ${status.errors} errors, ${status.warnings} warnings. Click to open the Problems view.`;
}

/** A result on one line: the server's `inline` form, or the lines of its text joined. */
export function inlineResult(result: Pick<ResultAtResponse, 'text' | 'inline'>): string {
  return result.inline ?? result.text.split('\n').map((line) => line.trim()).filter(Boolean).join(' ');
}

/**
 * Where "Insert Result as Comment" writes on a statement's last line and what: the comment
 * `# = result` goes at the end of the line, replacing an earlier `# = …` comment there (so running
 * the command twice does not stack results). `start` is a UTF-16 column; the edit ends at the end
 * of the line.
 */
export function resultCommentEdit(lineText: string, result: Pick<ResultAtResponse, 'text' | 'inline'>): { start: number; text: string } {
  const previous = /\s*# = .*$/.exec(lineText);
  const start = previous ? previous.index : lineText.trimEnd().length;
  return { start, text: `  # = ${inlineResult(result)}` };
}
