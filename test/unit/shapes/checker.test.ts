/**
 * What the fixtures' markers cannot show: types of sub-expressions (hovers read them), symbolic
 * sizes, and the related information of problems (definitions of the operands, and the operation
 * inside a function body for a problem reported at its call).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Expr } from '../../../server/src/language/syntax/ast.js';
import { findBlocks } from '../../../server/src/language/markdown/blocks.js';
import { resolve } from '../../../server/src/language/resolve/resolver.js';
import { checkShapes } from '../../../server/src/language/shapes/checker.js';
import { formatStaticType } from '../../../server/src/language/shapes/format.js';
import { parseBlock } from '../../../server/src/language/syntax/parser.js';
import { childExpressions, statementExpression } from '../../../server/src/language/syntax/walk.js';
import { fixtureBuiltins } from './harness.js';

function check(source: string) {
  const text = '# note\n\n```mathnote\n' + source + '\n```\n';
  const statements = findBlocks(text).flatMap((block) => parseBlock(text, block.contentStart, block.contentEnd).value.statements);
  const resolution = resolve(statements, fixtureBuiltins, text).value;
  const { value: types, problems } = checkShapes(statements, resolution, text);
  const expressions: Expr[] = [];
  for (const statement of statements) {
    const stack = [statementExpression(statement)].filter((expr): expr is Expr => expr !== undefined);
    while (stack.length > 0) {
      const expr = stack.pop()!;
      expressions.push(expr);
      stack.push(...childExpressions(expr));
    }
  }
  /** The type of the sub-expression whose source is exactly `snippet` (the first one found). */
  const typeOfSource = (snippet: string): string => {
    const found = expressions
      .filter((expr) => text.slice(expr.span.start, expr.span.end) === snippet)
      .sort((a, b) => a.span.start - b.span.start)[0];
    assert.ok(found, `an expression ${snippet}`);
    return formatStaticType(types.typeOf(found));
  };
  const at = (snippet: string, occurrence = 1): number => {
    let index = -1;
    for (let count = 0; count < occurrence; count++) index = text.indexOf(snippet, index + 1);
    return index;
  };
  return { text, problems, typeOfSource, at };
}

test('sub-expressions have types, for hovers', () => {
  const note = check('X = [1, 1; 1, 2; 1, 3]\ny = [1; 2; 3]\nβ = (XᵀX)⁻¹Xᵀy');
  assert.equal(note.typeOfSource('XᵀX'), '2×2');
  assert.equal(note.typeOfSource('(XᵀX)⁻¹'), '2×2');
  assert.equal(note.typeOfSource('Xᵀ'), '2×3');
  assert.equal(note.typeOfSource('(XᵀX)⁻¹Xᵀy'), '2×1');
});

test('sizes named by a parameter stay symbolic inside a function body', () => {
  const note = check('make(n) = [zeros(n, 1), ones(n, 1)]\nmake(3)');
  assert.equal(note.typeOfSource('zeros(n, 1)'), 'n×1');
  assert.equal(note.typeOfSource('[zeros(n, 1), ones(n, 1)]'), 'n×2');
  assert.equal(note.typeOfSource('make(3)'), '3×2');
});

test('a shape problem points at the definitions of its operands', () => {
  const note = check('A = [1, 2, 3; 4, 5, 6]\nB = [1, 2; 3, 4]\nA B');
  assert.equal(note.problems.length, 1);
  const related = note.problems[0]!.related ?? [];
  assert.deepEqual(related.map((item) => [item.kind, item.name, item.span.start]), [
    ['definition-of', 'A', note.at('A =')],
    ['definition-of', 'B', note.at('B =')],
  ]);
});

test('a problem found in a body is reported at the call, pointing at the operation and the function', () => {
  const note = check('A = [1, 2, 3; 4, 5, 6]\nh(x) = A x\nh([1; 2])');
  assert.equal(note.problems.length, 1);
  const problem = note.problems[0]!;
  assert.equal(problem.span.start, note.at('h([1; 2])'));
  assert.equal(problem.span.end, note.at('h([1; 2])') + 'h([1; 2])'.length);
  assert.deepEqual((problem.related ?? []).map((item) => [item.kind, item.name, item.span.start]), [
    ['operation', 'the body of h', note.at('A x')],
    ['definition-of', 'h', note.at('h(x)')],
    ['definition-of', 'A', note.at('A =')],
    ['definition-of', 'x', note.at('x)')],
  ]);
});

test('unknown sizes never raise a problem', () => {
  const note = check('f(x, y) = x y + [x, y] - x \\ y\ng(M) = det(M) + M⁻¹ + |M|\nk(w) = rand(2, 2) w + w[1:2]');
  assert.deepEqual(note.problems, []);
});
