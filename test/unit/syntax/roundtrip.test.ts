/**
 * Printing and parsing agree: every statement of the fixture notes prints to source that parses
 * back to the same tree, and for random trees printing is stable (print ∘ parse ∘ print = print)
 * and always yields source without syntax problems.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import type { Expr, NameDecl, NameExpr, Span } from '../../../server/src/language/syntax/ast.js';
import { findBlocks } from '../../../server/src/language/markdown/blocks.js';
import { parseBlock } from '../../../server/src/language/syntax/parser.js';
import { printExpr, printStatement } from '../../../server/src/language/syntax/print.js';
import { sexpr, sexprStatement } from './sexpr.js';

const fixtures = join(process.cwd(), 'test', 'fixtures', 'syntax');

test('print → parse reproduces every statement of the fixture notes', () => {
  let count = 0;
  for (const note of readdirSync(fixtures).filter((file) => file.endsWith('.md'))) {
    const text = readFileSync(join(fixtures, note), 'utf8');
    for (const block of findBlocks(text, { fenceNames: ['mathnote'], wholeFile: false })) {
      for (const statement of parseBlock(text, block.contentStart, block.contentEnd).value.statements) {
        if (statement.kind === 'error') continue;
        const source = printStatement(statement);
        const again = parseBlock(source, 0, source.length);
        assert.deepEqual(again.problems, [], source);
        assert.deepEqual(again.value.statements.map(sexprStatement), [sexprStatement(statement)], source);
        count++;
      }
    }
  }
  assert.ok(count > 100, `checked ${count} statements`);
});

const at: Span = { start: 0, end: 0 };
const names = ['x', 'y', 'θ', 'β̂', 'x₁', 'A', 'P_ham', 'σ', 'f', 'Σ', 'end'];
const nameDecl = fc.constantFrom(...names.filter((n) => n !== 'end')).map((name): NameDecl => ({ name, span: at }));
const nameExpr = fc.constantFrom(...names.filter((n) => n !== 'end' && n !== 'Σ')).map((name): NameExpr => ({ kind: 'name', name, span: at }));

const { expr } = fc.letrec<{ expr: Expr }>((tie) => {
  const sub = tie('expr');
  return {
    expr: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      fc.constantFrom('2', '0.5', '1e-3', '10').map((raw): Expr => ({ kind: 'number', raw, value: Number(raw), span: at })),
      nameExpr,
      fc.constantFrom('a', 'say "hi"', 'back\\slash').map((value): Expr => ({ kind: 'string', value, span: at })),
      sub.map((inner): Expr => ({ kind: 'paren', inner, span: at })),
      fc.record({ op: fc.constantFrom('-', '+', '√' as const), operand: sub }).map((r): Expr => ({ kind: 'prefix', span: at, ...r })),
      fc
        .record({
          op: fc.constantFrom('==', '!=', '<', '<=', '>', '>=', '≈', '+', '-', '*', 'implicit', '·', '/', '\\', '.*', '⊙', './', '×' as const),
          left: sub,
          right: sub,
        })
        .map((r): Expr => ({ kind: 'binary', span: at, ...r })),
      fc.record({ op: fc.constantFrom('^', '.^' as const), base: sub, exponent: sub }).map((r): Expr => ({ kind: 'power', span: at, superscript: false, ...r })),
      nameExpr.map((base): Expr => ({ kind: 'power', span: at, op: '^', base, exponent: { kind: 'number', raw: '2', value: 2, span: at }, superscript: true, superscriptName: `${base.name}²` })),
      fc.record({ op: fc.constantFrom("'", 'ᵀ', '⁻¹', '!' as const), operand: sub }).map((r): Expr => ({ kind: 'postfix', span: at, ...r })),
      fc
        .record({ callee: nameExpr, args: fc.array(sub, { maxLength: 2 }), named: fc.array(fc.record({ name: nameDecl, value: sub }), { maxLength: 1 }), spaced: fc.boolean() })
        .map((r): Expr => ({ kind: 'call', span: at, callee: r.callee, args: r.args, named: r.named.map((n) => ({ ...n, span: at })), spaced: r.spaced })),
      fc
        .record({ target: nameExpr, indices: fc.array(fc.oneof(sub, fc.constant<Expr>({ kind: 'colon', span: at }), fc.constant<Expr>({ kind: 'end', span: at })), { minLength: 1, maxLength: 2 }) })
        .map((r): Expr => ({ kind: 'index', span: at, ...r })),
      fc.record({ start: sub, end: sub }).map((r): Expr => ({ kind: 'range', span: at, ...r })),
      fc.record({ params: fc.uniqueArray(nameDecl, { maxLength: 3, selector: (p) => p.name }), body: sub }).map((r): Expr => ({ kind: 'lambda', span: at, ...r })),
      sub.map((operand): Expr => ({ kind: 'abs', span: at, operand })),
      fc.record({ operand: sub, p: fc.constantFrom<1 | 2 | 'inf' | 'fro'>(1, 2, 'inf', 'fro'), explicitP: fc.boolean() }).map((r): Expr => ({ kind: 'norm', span: at, ...r })),
      nameExpr.map((fn): Expr => ({ kind: 'gradient', span: at, fn })),
      fc.record({ fn: nameExpr, variable: nameDecl }).map((r): Expr => ({ kind: 'partial', span: at, ...r })),
      fc
        .record({ notation: fc.constantFrom('∑', '∏', 'Σ', 'call' as const), variable: nameDecl, range: sub, body: sub })
        .map((r): Expr => ({ kind: 'reduce', span: at, op: r.notation === '∏' ? 'product' : 'sum', ...r })),
      fc.array(fc.array(sub, { minLength: 1, maxLength: 3 }), { maxLength: 3 }).map((rows): Expr => ({ kind: 'matrix', span: at, rows })),
    ),
  };
});

test('printing random trees is stable and always parses', () => {
  fc.assert(
    fc.property(expr, (tree) => {
      const source = `v = ${printExpr(tree)}`;
      const parsed = parseBlock(source, 0, source.length);
      assert.deepEqual(parsed.problems, [], source);
      const [statement] = parsed.value.statements;
      assert.ok(statement && statement.kind === 'definition', source);
      const again = `v = ${printExpr(statement.value)}`;
      assert.equal(again, source);
      return true;
    }),
    { numRuns: 400, seed: 20261122 },
  );
});

test('sexpr of parsed source is independent of spacing outside brackets', () => {
  fc.assert(
    fc.property(expr, (tree) => {
      const source = printExpr(tree);
      const spaced = source.replace(/ \+ /g, '  +  ');
      const a = parseBlock(source, 0, source.length).value.statements.map(sexprStatement);
      const b = parseBlock(spaced, 0, spaced.length).value.statements.map(sexprStatement);
      if (!source.includes('[') && !source.includes('"')) assert.deepEqual(b, a, source);
      return sexpr(tree).length > 0;
    }),
    { numRuns: 200, seed: 7 },
  );
});
