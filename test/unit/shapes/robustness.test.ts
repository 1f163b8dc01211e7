/**
 * Broken input is normal: the resolver and the checker must return a result, never throw, on any
 * text the parser accepts or recovers from (random token soup, and example notes with random
 * pieces cut out).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import fc from 'fast-check';
import { analyzeNote } from './harness.js';

const TOKENS = [
  'A', 'x', 'σ', 'σ²', 'f', 'θ₀', '=', ' ', '\n', '(', ')', '[', ']', ',', ';', ':', '+', '-', '*', '/', '\\', '^', '.^', '.*',
  '·', '×', 'ᵀ', "'", '⁻¹', '|', '‖', '∇', '∂', '∑', '->', '1', '2', '3.5', 'end', 'zeros', 'det', 'svd', 'plot', '"s"',
  '(k = 1:3)', 'x -> ', 'f(x) = ', 'U, S, V = ', '≈', '==', '!', '²',
];

function note(body: string): string {
  return '```mathnote\nA = [1, 2, 3; 4, 5, 6]\nx = [1; 2; 3]\n' + body + '\n```\n';
}

test('token soup never makes the resolver or the checker throw', () => {
  fc.assert(
    fc.property(fc.array(fc.constantFrom(...TOKENS), { maxLength: 40 }), (tokens) => {
      const analysis = analyzeNote(note(tokens.join('')));
      assert.ok(Array.isArray(analysis.problems));
      for (const statement of analysis.statements) analysis.typeOf(statement);
    }),
    { numRuns: 120, seed: 20261122 },
  );
});

test('example notes with pieces cut out never make them throw', () => {
  const source = ['regression.md', 'gradient-descent.md']
    .map((file) => readFileSync(join(process.cwd(), 'examples', file), 'utf8'))
    .join('\n');
  fc.assert(
    fc.property(fc.nat(source.length), fc.nat(12), (start, length) => {
      const analysis = analyzeNote(source.slice(0, start) + source.slice(start + length));
      assert.ok(Array.isArray(analysis.problems));
    }),
    { numRuns: 40, seed: 7 },
  );
});
