/**
 * Reusing an evaluation across edits that leave the program unchanged, and carrying result
 * summaries over to a newer version of the note.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyzeNote, carryEvaluation, evaluateIncrementally, MAX_INCREMENTAL_GENERATIONS, evaluateNote, resultLookup, summarizeEvaluation, type Analysis, type Evaluation } from '../../../server/src/language/index.js';
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

/** Everything a user sees of an evaluation: each statement's printed result and each problem. */
function visible(analysis: Analysis, evaluation: Evaluation): unknown {
  return {
    results: summarizeEvaluation(analysis, evaluation, 6).map((summary) => [summary.statementIndex, summary.text]),
    problems: evaluation.problems.map((problem) => [problem.code, problem.kind, problem.span.start, problem.span.end]),
  };
}

interface IncrementalCase {
  readonly name: string;
  readonly before: string;
  readonly after: string;
  /** How many statements must be evaluated again. */
  readonly evaluated: number;
}

const BASE = 'A = [1, 2; 3, 4]\nb = [1; 1]\nx = A \\ b\nf(t) = A t\ny = f(b)\nC = [1, 2; 2, 4]\nD = C⁻¹\nz = 10';

const INCREMENTAL_CASES: readonly IncrementalCase[] = [
  { name: 'an independent last line', before: BASE, after: BASE.replace('z = 10', 'z = 11'), evaluated: 1 },
  // b, then x and y that read it, plus A and f, which they read.
  { name: 'a matrix read by a function and its call', before: BASE, after: BASE.replace('b = [1; 1]', 'b = [2; 1]'), evaluated: 5 },
  { name: 'a definition read through a closure', before: BASE, after: BASE.replace('A = [1, 2; 3, 4]', 'A = [2, 0; 0, 2]'), evaluated: 5 },
  // The new C and D, which now reads it; the first C is not needed any more.
  { name: 'a new line that shadows a later read', before: BASE, after: BASE.replace('C = [1, 2; 2, 4]', 'C = [1, 2; 2, 4]\nC = [1, 0; 0, 1]'), evaluated: 2 },
  { name: 'a removed definition a later line read', before: BASE + '\nb = [5; 5]\nw = b', after: BASE + '\nw = b', evaluated: 2 },
  { name: 'a singular matrix made regular', before: BASE, after: BASE.replace('C = [1, 2; 2, 4]', 'C = [1, 2; 2, 5]'), evaluated: 2 },
  // The broken b, x and y that read it, and A and f for them.
  { name: 'a line that stops parsing', before: BASE, after: BASE.replace('b = [1; 1]', 'b = [1; 1'), evaluated: 5 },
  { name: 'random numbers keep the whole note', before: BASE + '\nr = rand(2, 2)', after: BASE.replace('z = 10', 'z = 12') + '\nr = rand(2, 2)', evaluated: 9 },
];

describe('incremental evaluation', () => {
  for (const testCase of INCREMENTAL_CASES) {
    it(`re-evaluates only what ${testCase.name} affects, with the values of a full evaluation`, () => {
      const before = analyzeNote(note(testCase.before));
      const previous = { analysis: before, evaluation: evaluateNote(before) };
      const after = analyzeNote(note(testCase.after));
      const incremental = evaluateIncrementally(previous, after, (analysis) => evaluateNote(analysis));
      assert.deepEqual(visible(after, incremental.evaluation), visible(after, evaluateNote(after)));
      assert.equal(incremental.evaluated, testCase.evaluated);
    });
  }

  it('answers sub-expressions of reused statements from the previous evaluation', () => {
    const before = analyzeNote(note(BASE));
    const previous = { analysis: before, evaluation: evaluateNote(before) };
    const after = analyzeNote(note(BASE.replace('z = 10', 'z = 11'), '# Title\n\nMore prose above.\n\n'));
    const { evaluation } = evaluateIncrementally(previous, after, (analysis) => evaluateNote(analysis));
    const statement = after.statements[2]!;
    assert.equal(statement.kind, 'definition');
    const solve = statement.kind === 'definition' ? statement.value : undefined;
    const value = evaluation.valueOfSubexpression(solve!, statement);
    assert.ok(value && value.kind === 'matrix');
    assert.deepEqual([...value.data], [-1, 1]);
  });

  it('evaluates the whole note again after a chain of incremental evaluations', () => {
    let analysis = analyzeNote(note(BASE));
    let previous = { analysis, evaluation: evaluateNote(analysis), generation: 0 };
    const counts: number[] = [];
    for (let edit = 1; edit <= MAX_INCREMENTAL_GENERATIONS + 1; edit++) {
      analysis = analyzeNote(note(BASE.replace('z = 10', `z = ${10 + edit}`)));
      const result = evaluateIncrementally(previous, analysis, (program) => evaluateNote(program));
      counts.push(result.evaluated);
      previous = { analysis, evaluation: result.evaluation, generation: result.generation };
    }
    assert.deepEqual(counts, [...Array.from({ length: MAX_INCREMENTAL_GENERATIONS }, () => 1), analysis.statements.length]);
  });
});
