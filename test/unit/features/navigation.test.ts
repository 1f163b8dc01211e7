/**
 * Definitions, references, rename, document symbols, folding, semantic tokens and quick fixes, from
 * cursor-marker fixtures.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  codeActionsFor,
  collectSemanticTokens,
  definitionAt,
  documentHighlightsAt,
  documentSymbols,
  foldingRanges,
  prepareRenameAt,
  problemsToDiagnostics,
  referencesAt,
  renameAt,
  semanticTokens,
} from '../../../server/src/language/index.js';
import type { WorkspaceEdit } from 'vscode-languageserver-types';
import { marked, note } from './support.js';

const URI = 'file:///note.md';

function slices(text: string, fixture: ReturnType<typeof marked>, ranges: readonly { start: { line: number; character: number }; end: { line: number; character: number } }[]): string[] {
  return ranges.map((range) => text.slice(fixture.analysis.positions.offsetAt(range.start), fixture.analysis.positions.offsetAt(range.end)));
}

describe('definition and references', () => {
  it('goes to the nearest definition above the use', () => {
    const fixture = marked(note('x = 1\nx = 2\ny = ‸x + 1'));
    const location = definitionAt(fixture.analysis, URI, fixture.offset)!;
    assert.equal(location.range.start.line, fixture.analysis.positions.positionAt(fixture.text.indexOf('x = 2')).line);
  });

  it('finds uses across blocks, not those of another binding of the same name', () => {
    const text = note('‸x = 1\ny = x + x', '# Note\n\n') + '\n```mathnote\nz = 2x\nx = 5\nw = x\n```\n';
    const fixture = marked(text);
    const references = referencesAt(fixture.analysis, URI, fixture.offset, true);
    assert.equal(references.length, 4);
    assert.deepEqual(slices(fixture.text, fixture, references.map((reference) => reference.range)), ['x', 'x', 'x', 'x']);
    const lastX = fixture.text.lastIndexOf('w = x') + 4;
    assert.ok(references.every((reference) => fixture.analysis.positions.offsetAt(reference.range.start) !== lastX));
  });

  it('highlights the definition as written and the uses as read', () => {
    const fixture = marked(note('x = 1\ny = ‸x + x\nx = 2\nz = x'));
    const highlights = documentHighlightsAt(fixture.analysis, fixture.offset);
    assert.deepEqual(highlights.map((highlight) => [highlight.range.start.line, highlight.kind]), [[3, 3], [4, 2], [4, 2]]);
  });

  it('has no definition for a built-in', () => {
    const fixture = marked(note('y = s‸in(1)'));
    assert.equal(definitionAt(fixture.analysis, URI, fixture.offset), null);
  });
});

describe('rename', () => {
  it('renames one binding and its uses exactly', () => {
    const fixture = marked(note('‸θ = [1; 2]\nJ(θ) = θ[1]² + θ[2]²\nv = θ + J(θ)\nθ = 3\nu = θ'));
    const edit = renameAt(fixture.analysis, URI, fixture.offset, 'θ₀') as WorkspaceEdit;
    const edits = edit.changes![URI]!;
    // The definition and the two uses on the `v = …` line; J's parameter and the later θ are other bindings.
    assert.equal(edits.length, 3);
    const lines = edits.map((change) => change.range.start.line);
    const vLine = fixture.analysis.positions.positionAt(fixture.text.indexOf('v = ')).line;
    assert.deepEqual(lines, [vLine - 2, vLine, vLine]);
    assert.ok(edits.every((change) => change.newText === 'θ₀'));
  });

  it('renames a function parameter inside its body only', () => {
    const fixture = marked(note('x = 2\nf(‸x) = x^2 + x\ny = f(x)'));
    const edits = (renameAt(fixture.analysis, URI, fixture.offset, 't') as WorkspaceEdit).changes![URI]!;
    assert.equal(edits.length, 3);
    const fLine = fixture.analysis.positions.positionAt(fixture.text.indexOf('f(x) =')).line;
    assert.ok(edits.every((change) => change.range.start.line === fLine));
  });

  it('refuses built-ins, constants and invalid names', () => {
    const builtin = marked(note('y = ‸det([1, 2; 3, 4])'));
    assert.match(JSON.stringify(prepareRenameAt(builtin.analysis, builtin.offset)), /built-in/);
    assert.match(JSON.stringify(renameAt(builtin.analysis, URI, builtin.offset, 'd')), /built-in/);
    const constant = marked(note('y = 2‸π'));
    assert.match(JSON.stringify(prepareRenameAt(constant.analysis, constant.offset)), /constant/);
    const user = marked(note('‸a = 1'));
    assert.match(JSON.stringify(renameAt(user.analysis, URI, user.offset, '1a')), /not a valid name/);
  });
});

describe('symbols, folding, semantic tokens', () => {
  const text = '# Regression\n\n```mathnote\nX = [1, 1; 1, 2]\nf(x) = x + 1\nU, S, V = svd(X)\nX f(2)\n```\n\n## More\n\n```mathnote\ny = 1\n```\n';

  it('outlines blocks with their definitions', () => {
    const fixture = marked(text + '‸');
    const symbols = documentSymbols(fixture.analysis);
    assert.deepEqual(symbols.map((symbol) => symbol.name), ['Regression (block 1)', 'More (block 2)']);
    assert.deepEqual(symbols[0]!.children!.map((child) => child.name), ['X', 'f', 'U', 'S', 'V']);
    assert.equal(symbols[0]!.children![0]!.detail, '2×2 matrix');
    assert.deepEqual(symbols[1]!.children!.map((child) => child.name), ['y']);
  });

  it('folds each block from fence to fence', () => {
    const fixture = marked(text + '‸');
    assert.deepEqual(foldingRanges(fixture.analysis).map((range) => [range.startLine, range.endLine]), [[2, 7], [11, 13]]);
  });

  it('classifies names by binding and marks operators', () => {
    const fixture = marked(text + '‸');
    const tokens = collectSemanticTokens(fixture.analysis).map((token) => [fixture.text.slice(token.start, token.end), token.type, token.modifiers.join(',')]);
    assert.deepEqual(tokens.find((token) => token[0] === 'svd'), ['svd', 'function', 'defaultLibrary']);
    assert.deepEqual(tokens.find((token) => token[0] === 'f'), ['f', 'function', 'declaration']);
    assert.ok(tokens.some((token) => token[0] === 'x' && token[1] === 'parameter' && token[2] === 'declaration'));
    assert.ok(tokens.some((token) => token[0] === 'x' && token[1] === 'parameter' && token[2] === ''));
    assert.ok(tokens.some((token) => token[0] === '+' && token[1] === 'operator'));
    assert.ok(tokens.some((token) => token[0] === 'X' && token[1] === 'variable' && token[2] === ''));
    const encoded = semanticTokens(fixture.analysis).data;
    assert.equal(encoded.length, tokens.length * 5);
  });
});

describe('quick fixes', () => {
  function actionsFor(source: string): { title: string; newText: string; replaced: string }[] {
    const fixture = marked(note(source + '‸'));
    const diagnostics = problemsToDiagnostics(fixture.analysis, fixture.analysis.problems, URI).filter((diagnostic) => diagnostic.code === 'shape');
    assert.ok(diagnostics.length > 0, 'the fixture has a shape problem');
    return codeActionsFor(fixture.analysis, URI, diagnostics).map((action) => {
      const change = action.edit!.changes![URI]![0]!;
      return { title: action.title, newText: change.newText, replaced: slices(fixture.text, fixture, [change.range])[0]! };
    });
  }

  it('offers to transpose a row vector that should be a column', () => {
    const actions = actionsFor('X = [1, 2; 3, 4; 5, 6]\nw = [1, 2]\nX w');
    assert.deepEqual(actions.map((action) => [action.replaced, action.newText]), [['w', 'wᵀ']]);
  });

  it('offers .* when both operands have the same shape', () => {
    const actions = actionsFor('A = [1, 2, 3; 4, 5, 6]\nA * A');
    assert.ok(actions.some((action) => action.replaced === '*' && action.newText === '.*'), JSON.stringify(actions));
    assert.ok(actions.some((action) => action.newText === 'Aᵀ'), JSON.stringify(actions));
  });
});
