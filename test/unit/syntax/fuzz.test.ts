/**
 * Broken input is normal: for any text, parseBlock returns a tree and problems, never throws,
 * keeps every span inside the block, and gives every ErrorStatement exactly one problem.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseBlock, parseExpressionAt } from '../../../server/src/language/syntax/parser.js';

const pieces = [
  'x', 'A', 'β̂', 'x₁', 'σ', 'Σ', 'f', 'end', '1', '0.5', '1e-3', '"s"', '"', '(', ')', '[', ']', '|', '‖', ',', ';', '=', '==', '+', '-',
  '*', '/', '\\', '.*', '^', '.^', '²', '⁻¹', 'ᵀ', "'", '!', ':', '->', '∑', '∏', '∇', '∂', '√', '≈', ' ', '  ', '\n', '\r\n', '#', '@', '😀', '₁', '∞',
];
const source = fc.oneof(fc.array(fc.constantFrom(...pieces), { maxLength: 40 }).map((parts) => parts.join('')), fc.string({ unit: 'grapheme', maxLength: 60 }));

test('parseBlock never throws and keeps its invariants', () => {
  fc.assert(
    fc.property(source, fc.string({ maxLength: 5 }), (body, prefix) => {
      const text = `${prefix}\n${body}\n`;
      const start = prefix.length + 1;
      const end = start + body.length;
      const { value, problems } = parseBlock(text, start, end);
      for (const problem of problems) {
        assert.equal(problem.code, 'syntax');
        assert.ok(problem.span.start >= start && problem.span.end <= end && problem.span.start <= problem.span.end, JSON.stringify(problem));
      }
      let previousEnd = start;
      for (const statement of value.statements) {
        assert.ok(statement.span.start >= previousEnd && statement.span.end <= end, body);
        previousEnd = statement.span.end;
      }
      const errors = value.statements.filter((s) => s.kind === 'error').length;
      assert.ok(problems.length >= errors, body);
      assert.ok(problems.length <= value.statements.length, body);
      parseExpressionAt(text, start, end);
      return true;
    }),
    { numRuns: 500, seed: 42 },
  );
});
