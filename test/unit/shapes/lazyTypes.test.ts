/**
 * Expression types are worked out on demand (checker.ts, ExpressionTypes): the pass records only
 * each statement's type. Whatever order they are asked in, the answers must be the types a pass
 * that records every expression gives. Data-driven over every example note, the shape, syntax
 * (broken input), LSP and evaluation fixtures, and a generated note of the benchmark's kind.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeNote } from '../../../server/src/language/index.js';
import { checkShapes } from '../../../server/src/language/shapes/checker.js';
import { forEachExpression } from '../../../server/src/language/features/locate.js';
import type { Expr, Statement } from '../../../server/src/language/syntax/ast.js';
import { generateBenchNote } from '../../../bench/note.js';

const folders = ['examples', join('test', 'fixtures', 'shapes'), join('test', 'fixtures', 'syntax'), join('test', 'fixtures', 'lsp'), join('test', 'fixtures', 'eval')];
const notes = [
  ...folders.flatMap((folder) =>
    readdirSync(join(process.cwd(), folder))
      .filter((file) => file.endsWith('.md'))
      .sort()
      .map((file) => ({ name: `${folder}/${file}`, text: readFileSync(join(process.cwd(), folder, file), 'utf8') })),
  ),
  { name: 'generated bench note (30 blocks)', text: generateBenchNote(30).text },
];

/** Every expression of a statement, parents before children. */
function expressionsOf(statement: Statement): Expr[] {
  const found: Expr[] = [];
  forEachExpression(statement, (expr) => found.push(expr));
  return found;
}

for (const note of notes) {
  test(`lazy expression types equal recorded ones: ${note.name}`, () => {
    const analysis = analyzeNote(note.text);
    const eager = checkShapes(analysis.statements, analysis.resolution, analysis.text, { recordEveryExpression: true }).value;
    const lazy = checkShapes(analysis.statements, analysis.resolution, analysis.text).value;
    const expressions = analysis.statements.flatMap(expressionsOf);
    // Asked from the last expression to the first, so no statement is typed again before the
    // statements above it were asked about.
    let typed = 0;
    for (const expr of [...expressions].reverse()) {
      assert.deepEqual(lazy.typeOf(expr), eager.typeOf(expr), `${note.name}: ${note.text.slice(expr.span.start, expr.span.end)}`);
      if (eager.typeOf(expr) !== undefined) typed++;
    }
    for (const statement of analysis.statements) assert.deepEqual(lazy.typeOf(statement), eager.typeOf(statement));
    assert.ok(expressions.length === 0 || typed > 0, `${note.name}: no expression has a type`);
  });
}

test('an analysis types a sub-expression on demand, as hovers ask', () => {
  const analysis = analyzeNote('```mathnote\nA = [1, 2; 3, 4; 5, 6]\nB = A * [1; 1]\n```\n');
  const product = analysis.statements[1]!;
  assert.equal(product.kind, 'definition');
  const value = product.kind === 'definition' ? product.value : undefined;
  assert.equal(value?.kind, 'binary');
  const right = value?.kind === 'binary' ? value.right : undefined;
  assert.deepEqual(analysis.types.typeOf(right!), { kind: 'matrix', rows: 2, cols: 1 });
  assert.deepEqual(analysis.types.typeOf(value!), { kind: 'matrix', rows: 3, cols: 1 });
});
