/**
 * Hostile notes: inputs built to break a parser, a checker or an evaluator. Each must give
 * diagnostics (or plain results), never an exception, a hang or a lost rest-of-note. The figures
 * of what was tried are in docs/reliability.md.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeNote, evaluateNote, evalReport, allProblems, describeProblem, type Analysis, type Evaluation } from '../../../server/src/language/index.js';

const fence = (body: string): string => '```mathnote\n' + body + '\n```\n';

interface Outcome {
  readonly analysis: Analysis;
  readonly evaluation: Evaluation;
  readonly codes: string[];
}

/** Runs a note end to end with a short budget and checks the invariants every note must keep. */
function run(text: string, timeBudgetMs = 1500): Outcome {
  const analysis = analyzeNote(text);
  const evaluation = evaluateNote(analysis, { timeBudgetMs });
  const problems = allProblems(analysis, evaluation);
  for (const problem of problems) {
    assert.ok(problem.span.start >= 0 && problem.span.end <= text.length && problem.span.start <= problem.span.end, `problem ${problem.kind} has a span outside the document`);
    assert.ok(describeProblem(problem).length > 0);
  }
  // The report is what the CLI prints: it must be valid JSON for any note.
  JSON.parse(JSON.stringify(evalReport('hostile.md', analysis, evaluation)));
  return { analysis, evaluation, codes: problems.map((p) => p.code) };
}

/** The value text of the statement whose source starts with `prefix`. */
function valueOf(outcome: Outcome, prefix: string): string | undefined {
  const report = evalReport('x.md', outcome.analysis, outcome.evaluation);
  return report.statements.find((s) => s.source.startsWith(prefix))?.text ?? undefined;
}

test('parentheses nested 10,000 deep give a syntax problem, and the next line still evaluates', () => {
  const deep = '('.repeat(10_000) + '1' + ')'.repeat(10_000);
  const outcome = run(fence(`x = ${deep}\ny = 2 + 3`));
  assert.ok(outcome.codes.includes('syntax') || outcome.codes.includes('limit'));
  assert.equal(valueOf(outcome, 'y = 2 + 3'), '5');
});

test('brackets nested 10,000 deep give a problem, never a stack overflow', () => {
  const outcome = run(fence(`v = ${'['.repeat(10_000)}1${']'.repeat(10_000)}\nw = 1`));
  assert.ok(outcome.codes.length > 0);
  assert.equal(valueOf(outcome, 'w = 1'), '1');
});

test('a 1 MB line of pasted data is analysed and evaluated', () => {
  const count = 150_000;
  const data = `v = [${Array.from({ length: count }, (_, i) => String(i % 1000)).join(', ')}]`;
  assert.ok(data.length >= 700_000);
  const line = data + ' '.repeat(1_000_000 - data.length);
  const outcome = run(fence(line + '\nn = size(v)\nt = 7'), 10_000);
  assert.equal(valueOf(outcome, 't = 7'), '7');
  const report = evalReport('x.md', outcome.analysis, outcome.evaluation);
  assert.deepEqual(report.statements.find((s) => s.source.startsWith('v = '))?.shape, [1, count]);
});

test('a 1 MB sum on one line gives a problem, and the next line still evaluates', () => {
  // A flat chain of 200,000 additions is deeper than the passes walk recursively; the parser
  // reports it as too deep rather than letting a later pass overflow the stack.
  const terms = Array.from({ length: 200_000 }, (_, i) => String(i % 10)).join('+');
  const long = `s = ${terms}${'  '.repeat(300_000)}`;
  assert.ok(long.length >= 1_000_000);
  const outcome = run(fence(long + '\nt = 7'), 10_000);
  assert.equal(valueOf(outcome, 't = 7'), '7');
  assert.ok(outcome.codes.includes('syntax') || valueOf(outcome, 's = ') === '900000');
});

test('100,000 empty blocks are found and do not slow the note down to a hang', () => {
  const text = '```mathnote\n```\n'.repeat(100_000) + fence('z = 4');
  const outcome = run(text);
  assert.equal(outcome.analysis.blocks.length, 100_001);
  assert.equal(valueOf(outcome, 'z = 4'), '4');
});

test('zeros(1e5, 1e5) is a limit error and the rest of the note evaluates', () => {
  const outcome = run(fence('Z = zeros(1e5, 1e5)\nk = 3'));
  assert.ok(outcome.codes.includes('limit'));
  assert.equal(valueOf(outcome, 'k = 3'), '3');
});

test('endless recursion is a limit error, not a stack overflow', () => {
  const outcome = run(fence('f(n) = f(n + 1)\nf(1)\nafter = 1'));
  assert.ok(outcome.codes.includes('limit'));
  assert.equal(valueOf(outcome, 'after = 1'), '1');
});

test('a slow loop runs into the time budget and says so', () => {
  const outcome = run(fence('big = ∑(k = 1:5000000) ∑(j = 1:50) sin(k j)\nafter = 1'), 300);
  assert.ok(outcome.codes.includes('limit'), `codes: ${outcome.codes.join(', ')}`);
  assert.equal(outcome.evaluation.elapsedMs < 5000, true, `evaluation took ${outcome.evaluation.elapsedMs} ms with a 300 ms budget`);
  // DESIGN.md: the offending line gets the limit diagnostic and the rest of the note still evaluates.
  assert.equal(valueOf(outcome, 'after = 1'), '1');
});

test('lone surrogates, a BOM, CRLF and mixed line endings, tabs', () => {
  const text = '\uFEFF# note\r\n```mathnote\r\na = 1\t+\t2\r\nb = "\uD800"\nc = a\r3\r\nd = a + 1\n```\r\n\uDC00 prose';
  const outcome = run(text);
  assert.equal(valueOf(outcome, 'd = a + 1'), '4');
});

test('an unclosed fence runs to the end of the note', () => {
  const outcome = run('# title\n```mathnote\nu = 5\nu + 1');
  assert.equal(valueOf(outcome, 'u + 1'), '6');
});

test('NaN and Inf everywhere print and serialise', () => {
  const outcome = run(fence('a = [NaN, Inf; -Inf, 0]\nb = a * a\nc = inv(a)\nd = 0/0\ne2 = Inf - Inf\nf = [1, 2] ≈ [NaN, 2]'));
  const report = evalReport('x.md', outcome.analysis, outcome.evaluation);
  assert.ok(report.statements.length >= 6);
  assert.doesNotThrow(() => JSON.parse(JSON.stringify(report)));
});

test('names that mean something to JavaScript are ordinary names', () => {
  const names = ['constructor', '__proto__', 'prototype', 'import', 'evaluate', 'createUnit', 'toString', 'hasOwnProperty', 'valueOf', 'parse', 'compile'];
  for (const name of names) {
    const outcome = run(fence(`${name} = 41\n${name} + 1`));
    assert.equal(valueOf(outcome, `${name} + 1`), '42', `${name} is not an ordinary name`);
  }
  // Using them before a definition is an ordinary undefined-name problem (or a call of a built-in
  // of that name), never a reach into JavaScript objects.
  for (const name of ['constructor', '__proto__', 'prototype', 'import', 'evaluate', 'createUnit']) {
    const outcome = run(fence(`${name}(1)\n${name}.x`));
    assert.ok(outcome.codes.length > 0, `${name}(1) raised nothing`);
  }
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
  assert.equal(Object.prototype.hasOwnProperty.call(Object.prototype, '41'), false);
});
