/**
 * Hovers from cursor-marker fixtures: each case is a note with `‸` and what the hover must contain
 * (and must not).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { hoverAt, subexpressionMarkdown } from '../../../server/src/language/index.js';
import type { Hover } from 'vscode-languageserver-types';
import { marked, note } from './support.js';

function hoverText(hover: Hover | null): string {
  assert.ok(hover, 'expected a hover');
  return typeof hover.contents === 'object' && 'value' in hover.contents ? hover.contents.value : String(hover.contents);
}

interface Case {
  readonly name: string;
  readonly note: string;
  readonly contains: readonly (string | RegExp)[];
  readonly excludes?: readonly (string | RegExp)[];
}

const CASES: readonly Case[] = [
  {
    name: 'a matrix name shows its value as a table, its shape and its definition as LaTeX',
    note: note('A = [1, 2; 3, 4]\n‸A'),
    contains: ['2×2 matrix', '| **1** | 1 | 2 |', '| **2** | 3 | 4 |', '```latex', 'bmatrix'],
  },
  {
    name: 'a definition target shows the same',
    note: note('‸B = [1, 2; 3, 4] [1; 1]'),
    contains: ['2×1 vector', '| **1** | 3 |', '| **2** | 7 |'],
  },
  {
    name: 'a scalar shows its value in code',
    note: note('x = 2 + 3\ny = ‸x'),
    contains: ['scalar', '`5`'],
  },
  {
    name: 'a large matrix is elided',
    note: note('Z = zeros(40, 30)\n‸Z'),
    contains: ['40×30 matrix', '(elided)', '⋮', '⋯', '| **40** |'],
    excludes: ['| **20** |'],
  },
  {
    name: 'a built-in shows signature, meaning and example',
    note: note('A = [1, 2; 3, 4]\nd‸et(A)'),
    contains: ['built-in', 'det(', '**Example:**'],
  },
  {
    name: 'a user function shows its formula as LaTeX',
    note: note('f(x) = 1 / (1 + e^(-x))\n‸f(0)'),
    contains: ['function', '```latex', '\\frac'],
  },
  {
    name: 'a destructured name shows its own part of the tuple',
    note: note('S = [2, 1; 1, 2]\nλ, Q = eig(S)\n‸λ'),
    contains: ['2×1 vector', '| **1** | 1 |', '| **2** | 3 |'],
  },
  {
    name: 'a parameter names its function',
    note: note('g(t) = 2 ‸t'),
    contains: ['parameter of `g`'],
  },
  {
    name: 'an undefined name says so',
    note: note('y = ‸θ₁ + 1'),
    contains: ['θ₁', 'not defined'],
  },
];

describe('hover', () => {
  for (const testCase of CASES) {
    it(testCase.name, () => {
      const fixture = marked(testCase.note);
      const text = hoverText(hoverAt(fixture.analysis, fixture.offset, { resultOf: fixture.resultOf, precision: 6 }));
      for (const expected of testCase.contains) {
        if (typeof expected === 'string') assert.ok(text.includes(expected), `hover should contain ${JSON.stringify(expected)}:\n${text}`);
        else assert.match(text, expected);
      }
      for (const excluded of testCase.excludes ?? []) {
        if (typeof excluded === 'string') assert.ok(!text.includes(excluded), `hover should not contain ${JSON.stringify(excluded)}:\n${text}`);
        else assert.doesNotMatch(text, excluded);
      }
    });
  }

  it('evaluates a sub-expression in its statement scope', () => {
    const fixture = marked(note('A = [1, 2; 3, 4]\nB = [5, 6; 7, 8]\nC = (A ‸ B)ᵀ + A'));
    const sub = subexpressionMarkdown(fixture.analysis, fixture.evaluation, fixture.offset, 6);
    assert.ok(sub, 'a value for A B');
    assert.equal(fixture.text.slice(sub.span.start, sub.span.end), 'A  B');
    assert.ok(sub.markdown.includes('| **1** | 19 | 22 |'), sub.markdown);
    const text = hoverText(hoverAt(fixture.analysis, fixture.offset, { resultOf: fixture.resultOf, precision: 6, subexpression: sub }));
    assert.ok(text.includes('| **2** | 43 | 50 |'), text);
  });

  it('shows the formula and method of a derivative', () => {
    const fixture = marked(note("σ(z) = 1 / (1 + e^-z)\nd = σ‸'(0)"));
    const sub = subexpressionMarkdown(fixture.analysis, fixture.evaluation, fixture.offset, 6);
    assert.ok(sub);
    const text = hoverText(hoverAt(fixture.analysis, fixture.offset, { resultOf: fixture.resultOf, precision: 6, subexpression: sub }));
    assert.ok(text.includes('symbolic differentiation'), text);
    assert.ok(text.includes('\\frac{{e}^{- z}}'), text);
  });
});
