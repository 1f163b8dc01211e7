/**
 * Reusing an evaluation across edits that leave the program unchanged, and carrying result
 * summaries over to a newer version of the note.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyzeNote, carryEvaluation, evaluateNote, resultLookup, summarizeEvaluation } from '../../../server/src/language/index.js';
import { note } from './support.js';

const PROGRAM = 'A = [1, 2; 3, 4]\nB = A A\nC = [1, 2; 2, 4]\nD = C⁻¹\nB + (A  A)';

describe('carrying an evaluation over', () => {
  it('reuses values and moves runtime problems when only the prose changed', () => {
    const before = analyzeNote(note(PROGRAM, '# Short\n\n'));
    const evaluation = evaluateNote(before);
    assert.ok(evaluation.problems.some((problem) => problem.code === 'singular'));
    const after = analyzeNote(note(PROGRAM, '# A much longer title 😀\n\nWith a paragraph of prose.\n\n'));
    const carried = carryEvaluation({ analysis: before, evaluation }, after);
    assert.ok(carried, 'the program did not change');
    const fresh = evaluateNote(after);
    assert.deepEqual(
      carried.problems.map((problem) => [problem.code, problem.span]),
      fresh.problems.map((problem) => [problem.code, problem.span]),
    );
    const summaries = (value: typeof carried) => summarizeEvaluation(after, value, 6).map((summary) => [summary.statementIndex, summary.inline]);
    assert.deepEqual(summaries(carried), summaries(fresh));
    // A sub-expression of the new version is answered from the old evaluation.
    const last = after.statements[after.statements.length - 1]!;
    assert.equal(last.kind, 'expression');
    const product = last.kind === 'expression' && last.value.kind === 'binary' ? last.value.right : undefined;
    assert.ok(product);
    const value = carried.valueOfSubexpression(product, last);
    assert.ok(value && value.kind === 'matrix');
    assert.deepEqual([...value.data], [7, 10, 15, 22]);
  });

  it('refuses when a statement changed', () => {
    const before = analyzeNote(note(PROGRAM));
    const evaluation = evaluateNote(before);
    const after = analyzeNote(note(PROGRAM.replace('[1, 2; 3, 4]', '[1, 2; 3, 5]')));
    assert.equal(carryEvaluation({ analysis: before, evaluation }, after), undefined);
  });
});

describe('result lookup across versions', () => {
  it('finds a statement that moved after a line was inserted above it', () => {
    const before = analyzeNote(note('a = 1\nb = 2\nc = a + b'));
    const summaries = summarizeEvaluation(before, evaluateNote(before), 6);
    const after = analyzeNote(note('a = 1\nnew = 5\nb = 2\nc = a + b'));
    const lookup = resultLookup(after, summaries);
    assert.deepEqual(after.statements.map((_, index) => lookup(index)?.inline), ['1', undefined, '2', '3']);
  });
});
