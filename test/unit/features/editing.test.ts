/**
 * Inlay hints, completion (names, built-ins, LaTeX-to-Unicode input), signature help and citations,
 * from cursor-marker fixtures.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  analyzeNote,
  completionsAt,
  evaluateCitations,
  evaluateNote,
  inlayHints,
  latexPrefixBefore,
  signatureHelpAt,
  summarizeCitations,
} from '../../../server/src/language/index.js';
import type { CompletionItem } from 'vscode-languageserver-types';
import { marked, note } from './support.js';

function labels(items: readonly CompletionItem[]): string[] {
  return items.map((item) => item.label);
}

describe('inlay hints', () => {
  it('puts each result at the end of its line, shortened, and skips functions', () => {
    const fixture = marked(note('A = [1, 2; 3, 4]\nB = [5, 6; 7, 8]\nA B    # product\nf(x) = x^2\nf(3)\nw = 1000000:1000030‸'));
    const hints = inlayHints(fixture.analysis, fixture.resultOf, [], { maxLength: 40, startLine: 0, endLine: 100 });
    const byLine = new Map(hints.map((hint) => [hint.position.line, hint]));
    const lines = fixture.text.split('\n');
    const lineOf = (prefix: string): number => lines.findIndex((line) => line.startsWith(prefix));
    assert.equal(byLine.get(lineOf('A B'))?.label, '⇒ [19, 22; 43, 50]');
    assert.equal(byLine.get(lineOf('A B'))?.position.character, lines[lineOf('A B')]!.length);
    assert.equal(byLine.get(lineOf('A = '))?.label, '⇒ [1, 2; 3, 4]');
    assert.equal(byLine.has(lineOf('f(x)')), false);
    assert.equal(byLine.get(lineOf('f(3)'))?.label, '⇒ 9');
    const long = byLine.get(lineOf('w = '))!.label as string;
    assert.equal(long.length, 40);
    assert.ok(long.endsWith('…'));
  });

  it('only returns hints of the requested lines', () => {
    const fixture = marked(note('a = 1\nb = 2\nc = 3‸'));
    const line = fixture.analysis.positions.positionAt(fixture.text.indexOf('b = 2')).line;
    const hints = inlayHints(fixture.analysis, fixture.resultOf, [], { maxLength: 40, startLine: line, endLine: line });
    assert.deepEqual(hints.map((hint) => hint.label), ['⇒ 2']);
  });
});

describe('citations', () => {
  it('evaluates `= expr` in the scope of the blocks above it', () => {
    const text = [
      '# Note',
      '',
      'Before any block `= 1 + 1` is just arithmetic.',
      '',
      '```mathnote',
      'A = [1, 2; 3, 4]',
      'x = 5',
      '```',
      '',
      'The product is `= A A` and x is `= x`; `= y` is not defined yet, `code` is not cited.',
      '',
      '```mathnote',
      'y = x + 1',
      '```',
      '',
      'Now `= y`.',
      '',
    ].join('\n');
    const analysis = analyzeNote(text);
    const results = summarizeCitations(evaluateCitations(analysis, { analyzeNote, evaluateNote }, { precision: 6 }));
    assert.deepEqual(
      results.map((result) => [result.expression, result.inline ?? null]),
      [
        ['1 + 1', '2'],
        ['A A', '[7, 10; 15, 22]'],
        ['x', '5'],
        ['y', null],
        ['y', '6'],
      ],
    );
    assert.match(results[3]!.problem!, /y/);
    assert.equal(text.slice(results[1]!.span.start, results[1]!.span.end), '`= A A`');
    const hints = inlayHints(analysis, () => undefined, results, { maxLength: 40, startLine: 0, endLine: 100 });
    assert.deepEqual(
      hints.map((hint) => hint.label),
      ['⇒ 2', '⇒ [7, 10; 15, 22]', '⇒ 5', hints[3]!.label, '⇒ 6'],
    );
    assert.match(String(hints[3]!.label), /^⚠/);
  });
});

describe('completion', () => {
  it('turns \\alpha into α, replacing the typed sequence', () => {
    const fixture = marked(note('x = \\alp‸'));
    const items = completionsAt(fixture.analysis, fixture.position);
    const alpha = items.find((item) => item.label === '\\alpha');
    assert.ok(alpha);
    assert.deepEqual(alpha.textEdit, {
      range: { start: { line: fixture.position.line, character: fixture.position.character - 4 }, end: fixture.position },
      newText: 'α',
    });
    assert.ok(!labels(items).includes('\\beta'));
  });

  for (const [typed, expected] of [
    ['\\hat', '\u0302'],
    ['\\bar', '\u0304'],
    ['\\tilde', '\u0303'],
    ['\\nabla', '∇'],
    ['\\|', '‖'],
    ['\\sum', '∑'],
    ['\\cdot', '·'],
    ['\\leq', '≤'],
    ['^T', 'ᵀ'],
    ['^-1', '⁻¹'],
    ['^2', '²'],
    ['_1', '₁'],
    ['\\_1', '₁'],
    ['\\Sigma', 'Σ'],
  ] as const) {
    it(`offers ${typed} → ${expected}`, () => {
      const fixture = marked(note(`y = β${typed}‸`));
      const item = completionsAt(fixture.analysis, fixture.position).find((candidate) => candidate.label === typed);
      assert.ok(item, `an item labelled ${typed}`);
      assert.equal(item.textEdit && 'newText' in item.textEdit ? item.textEdit.newText : undefined, expected);
    });
  }

  it('recognizes the sequence being typed', () => {
    assert.equal(latexPrefixBefore('y = x\\alp'), '\\alp');
    assert.equal(latexPrefixBefore('y = X^-'), '^-');
    assert.equal(latexPrefixBefore('y = X^-1'), '^-1');
    assert.equal(latexPrefixBefore('θ_'), '_');
    assert.equal(latexPrefixBefore('y = x + 1'), undefined);
  });

  it('lists names in scope with their shapes, constants and built-ins with signatures', () => {
    const fixture = marked(note('A = [1, 2, 3; 4, 5, 6]\nf(x) = x^2\nv = ‸\nlater = 1'));
    const items = completionsAt(fixture.analysis, fixture.position);
    const byLabel = new Map(items.map((item) => [item.label, item]));
    assert.equal(byLabel.get('A')?.detail, '2×3 matrix');
    assert.equal(byLabel.get('f')?.detail, 'f(x)');
    assert.ok(byLabel.has('π'));
    assert.match(String(byLabel.get('mean')?.detail), /mean\(/);
    assert.ok(!byLabel.has('later'), 'a name defined below is not in scope');
  });

  it('offers parameters inside a function body', () => {
    const fixture = marked(note('g(θ, λ) = θ + ‸'));
    const items = completionsAt(fixture.analysis, fixture.position);
    assert.ok(labels(items).includes('θ'));
    assert.ok(labels(items).includes('λ'));
  });

  it('leaves prose alone', () => {
    const fixture = marked('Some $\\alp‸$ prose\n\n```mathnote\nx = 1\n```\n');
    assert.deepEqual(completionsAt(fixture.analysis, fixture.position), []);
  });
});

describe('signature help', () => {
  it('shows a built-in signature and the active parameter', () => {
    const fixture = marked(note('A = [1, 2; 3, 4]\nx = solve(A, ‸'));
    const help = signatureHelpAt(fixture.analysis, fixture.position);
    assert.ok(help);
    assert.match(help.signatures[0]!.label, /solve\(/);
    assert.equal(help.activeParameter, 1);
  });

  it('shows a user function with its parameters', () => {
    const fixture = marked(note('adj(a, b, c, d) = [d, -b; -c, a] / (a d - b c)\nadj(1, 2, ‸'));
    const help = signatureHelpAt(fixture.analysis, fixture.position);
    assert.ok(help);
    assert.equal(help.signatures[0]!.label, 'adj(a, b, c, d)');
    assert.equal(help.activeParameter, 2);
  });

  it('is absent outside a call', () => {
    const fixture = marked(note('x = (1 + 2) * 3‸'));
    assert.equal(signatureHelpAt(fixture.analysis, fixture.position), null);
  });
});
