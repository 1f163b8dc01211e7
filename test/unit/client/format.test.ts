// The client's texts: the status bar for each evaluation state and the "Insert Result as Comment"
// edit (where it goes, what it writes, that it replaces its own earlier comment).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { inlineResult, resultCommentEdit, statusText, statusTooltip } from '../../../client/src/format.js';
import type { EvaluationStatusParams } from '../../../server/src/protocol.js';

const status = (fields: Partial<EvaluationStatusParams>): EvaluationStatusParams =>
  ({ uri: 'file:///note.md', version: 1, state: 'done', errors: 0, warnings: 0, ...fields });

describe('status bar text', () => {
  const cases: [Partial<EvaluationStatusParams>, string][] = [
    [{ state: 'evaluating' }, '$(sync~spin) Mathnote: evaluating'],
    [{ elapsedMs: 12.6 }, '$(check) Mathnote: done in 13 ms'],
    [{}, '$(check) Mathnote: done'],
    [{ elapsedMs: 40, warnings: 1 }, '$(check) Mathnote: done in 40 ms, 1 warning'],
    [{ elapsedMs: 40, errors: 1 }, '$(error) Mathnote: 1 error'],
    [{ elapsedMs: 40, errors: 7, warnings: 2 }, '$(error) Mathnote: 7 errors, 2 warnings'],
    [{ state: 'stopped', elapsedMs: 2003.2, errors: 1 }, '$(warning) Mathnote: stopped after 2003 ms'],
  ];
  for (const [fields, expected] of cases) {
    it(`${JSON.stringify(fields)} → ${expected}`, () => assert.equal(statusText(status(fields)), expected));
  }

  it('tooltips say what a click does once the evaluation ended', () => {
    assert.match(statusTooltip(status({ errors: 2, warnings: 1, elapsedMs: 5 })), /^Evaluated in 5 ms: 2 errors, 1 warnings\. Click to open the Problems view\.$/);
    assert.match(statusTooltip(status({ state: 'stopped' })), /mathnote\.evaluation\.timeBudgetMs/);
    assert.doesNotMatch(statusTooltip(status({ state: 'evaluating' })), /Click/);
  });
});

describe('insert result as comment', () => {
  const matrix = { text: '[19  22\n 43  50]' };

  it('prefers the server\'s one-line form', () => {
    assert.equal(inlineResult({ text: '[19  22\n 43  50]', inline: '[19, 22; 43, 50]' }), '[19, 22; 43, 50]');
  });

  it('joins the lines of a multi-line result otherwise', () => {
    assert.equal(inlineResult(matrix), '[19  22 43  50]');
    assert.equal(inlineResult({ text: '17' }), '17');
  });

  it('appends at the end of the line, after trailing spaces are dropped', () => {
    assert.deepEqual(resultCommentEdit('det(M)   ', { text: '17' }), { start: 6, text: '  # = 17' });
  });

  it('keeps the note\'s own comment and appends after it', () => {
    const line = 'B A                            # expect: [23, 34; 31, 46]';
    assert.deepEqual(resultCommentEdit(line, { text: '', inline: '[23, 34; 31, 46]' }), { start: line.length, text: '  # = [23, 34; 31, 46]' });
  });

  it('replaces its own earlier result comment instead of stacking a second one', () => {
    const line = 'det(M)  # = 16';
    const edit = resultCommentEdit(line, { text: '17' });
    assert.equal(line.slice(0, edit.start) + edit.text, 'det(M)  # = 17');
  });

  it('counts columns in UTF-16 code units, as the editor does', () => {
    const line = 'θ₁ = 𝑥';
    assert.equal(resultCommentEdit(line, { text: '1' }).start, line.length);
    assert.equal(line.length, 7);
  });
});
