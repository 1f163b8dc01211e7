/**
 * Property tests with fast-check: random token soups and mutations of the example notes go through
 * parser, resolver, checker and evaluator. Whatever the input: nothing throws, every problem lies
 * inside the document and has words, evaluation ends within its budget, and printing a parsed
 * statement gives source that parses back to the same tree.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  allProblems,
  analyzeNote,
  describeProblem,
  evalReport,
  evaluateNote,
  parseBlock,
  printStatement,
  type Statement,
} from '../../../server/src/language/index.js';
import { exampleNotes } from '../../support/notes.js';

const TOKENS = [
  'x', 'y', 'A', 'B', 'θ', 'θ₀', 'σ', 'σ²', 'β̂', 'x̄', 'f', 'g', 'J', 'k', 'n', 'e', 'π', 'im', 'Inf', 'NaN',
  '0', '1', '2', '3.5', '1e-3', '100000', '"s"',
  '+', '-', '*', '/', '\\', '^', '.*', './', '.^', '·', '⊙', '×', '==', '≈', '<', '≤', '!=',
  '=', ',', ';', ':', '(', ')', '[', ']', '|', '‖', "'", 'ᵀ', '⁻¹', '²', '!', '√', '∇', '∂', '∑', 'Σ', '->',
  'sin', 'sum', 'zeros', 'inv', 'det', 'svd', 'eig', 'plot', 'iterate', 'end', ' ', ' ', '\n', '#', '\t',
];

const tokenSoup = fc.array(fc.constantFrom(...TOKENS), { maxLength: 40 }).map((tokens) => tokens.join(''));
const soupNote = fc.array(tokenSoup, { minLength: 1, maxLength: 6 }).map((lines) => '# soup\n```mathnote\n' + lines.join('\n') + '\n```\n');

/** Runs a note and checks the invariants; returns the elapsed evaluation time. */
function checkInvariants(text: string): number {
  const analysis = analyzeNote(text);
  const evaluation = evaluateNote(analysis, { timeBudgetMs: 500, maxElements: 100_000 });
  for (const problem of allProblems(analysis, evaluation)) {
    assert.ok(problem.span.start >= 0 && problem.span.start <= problem.span.end && problem.span.end <= text.length, `span of ${problem.kind} outside the document`);
    assert.notEqual(describeProblem(problem), '');
  }
  JSON.stringify(evalReport('fuzz.md', analysis, evaluation));
  return evaluation.elapsedMs;
}

test('token soups never throw and keep every problem inside the note', () => {
  fc.assert(
    fc.property(soupNote, (text) => {
      const elapsed = checkInvariants(text);
      assert.ok(elapsed < 500 + 1500, `evaluation took ${elapsed} ms with a 500 ms budget`);
    }),
    { numRuns: 300, seed: 20261122 },
  );
});

/** Edits that people make while typing: delete, insert or duplicate a run of characters. */
const mutation = fc.oneof(
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 12 }) }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), text: fc.constantFrom(...TOKENS) }),
  fc.record({ kind: fc.constant('duplicate' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 30 }) }),
);

function mutate(text: string, edits: readonly { kind: 'delete' | 'insert' | 'duplicate'; at: number; length?: number; text?: string }[]): string {
  let result = text;
  for (const edit of edits) {
    const at = result.length === 0 ? 0 : edit.at % result.length;
    if (edit.kind === 'delete') result = result.slice(0, at) + result.slice(at + (edit.length ?? 1));
    else if (edit.kind === 'insert') result = result.slice(0, at) + edit.text + result.slice(at);
    else result = result.slice(0, at) + result.slice(at, at + (edit.length ?? 1)) + result.slice(at);
  }
  return result;
}

test('mutations of the example notes never throw', () => {
  const notes = [...exampleNotes().values()];
  fc.assert(
    fc.property(fc.constantFrom(...notes), fc.array(mutation, { minLength: 1, maxLength: 5 }), (note, edits) => {
      checkInvariants(mutate(note, edits));
    }),
    { numRuns: 150, seed: 7 },
  );
});

/**
 * A statement's tree without positions and without grouping parentheses (the printer may add
 * parentheses where precedence needs them), to compare a statement with its re-parsed print.
 */
function shape(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(shape);
  if (node && typeof node === 'object') {
    if ((node as { kind?: string }).kind === 'paren') return shape((node as { inner: unknown }).inner);
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(node)) {
      if (key === 'span' || key === 'spaced' || key === 'raw') continue;
      out[key] = shape(value);
    }
    return out;
  }
  return node;
}

function parseStatements(source: string): readonly Statement[] {
  return parseBlock(source, 0, source.length).value.statements;
}

test('printing a parsed statement gives source that parses to the same tree', () => {
  const statements: string[] = [];
  for (const note of exampleNotes().values()) {
    const analysis = analyzeNote(note);
    for (const statement of analysis.statements) {
      if (statement.kind !== 'error') statements.push(note.slice(statement.span.start, statement.span.end));
    }
  }
  assert.ok(statements.length > 50);
  fc.assert(
    fc.property(fc.constantFrom(...statements), (source) => {
      const [original] = parseStatements(source);
      const printed = printStatement(original);
      const reparsed = parseStatements(printed);
      assert.equal(reparsed.length, 1, `'${printed}' (printed from '${source}') did not parse as one statement`);
      assert.deepEqual(shape(reparsed[0]), shape(original), `'${source}' printed as '${printed}'`);
    }),
    { numRuns: statements.length * 2, seed: 3 },
  );
});

test('printing random well-formed expressions round-trips', () => {
  const atom = fc.constantFrom('x', 'A', 'θ₀', 'β̂', '2', '0.5', 'e', 'f(x)', 'A[1, 2]', '[1, 2; 3, 4]', 'x[end]');
  const expression: fc.Arbitrary<string> = fc.letrec<{ expr: string }>((tie) => ({
    expr: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      atom,
      fc.tuple(tie('expr'), fc.constantFrom(' + ', ' - ', ' * ', ' / ', ' .* ', ' ⊙ ', ' · ', ' ≈ ', ' < '), tie('expr')).map(([a, op, b]) => `${a}${op}${b}`),
      tie('expr').map((a) => `(${a})`),
      tie('expr').map((a) => `-${a}`),
      tie('expr').map((a) => `(${a})ᵀ`),
      tie('expr').map((a) => `(${a})^2`),
      tie('expr').map((a) => `sqrt(${a})`),
    ),
  })).expr;
  fc.assert(
    fc.property(expression, (source) => {
      const [original] = parseStatements(source);
      assert.equal(original.kind, 'expression', `'${source}' did not parse`);
      const printed = printStatement(original);
      const [reparsed] = parseStatements(printed);
      assert.deepEqual(shape(reparsed), shape(original), `'${source}' printed as '${printed}'`);
    }),
    { numRuns: 300, seed: 11 },
  );
});
