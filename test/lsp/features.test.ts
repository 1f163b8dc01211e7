/**
 * The real language server over stdio: diagnostics of the example notes, hovers, inlay hints,
 * completion, definitions, references and rename, code actions, and `mathnote/resultAt`.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { CompletionItem, Hover, InlayHint, Location, MarkupContent, WorkspaceEdit } from 'vscode-languageserver-protocol';
import { PREVIEW_METHOD, RESULT_AT_METHOD, type PreviewResponse, type ResultAtResult } from '../../server/src/protocol.js';
import { exampleNote, fixtureNote, positionOf, TestClient } from './client.js';

function hoverText(hover: Hover | null): string {
  assert.ok(hover, 'expected a hover');
  return (hover.contents as MarkupContent).value;
}

describe('mathnote-lsp --stdio', () => {
  let client: TestClient;
  const linear = exampleNote('linear-algebra.md');
  const mistakes = exampleNote('mistakes.md');

  before(async () => {
    client = await TestClient.start();
    await client.open(linear.uri, linear.text);
    await client.open(mistakes.uri, mistakes.text);
    await client.evaluated(linear.uri);
    await client.evaluated(mistakes.uri);
  });
  after(async () => {
    await client.stop();
  });

  it('publishes each expected diagnostic of mistakes.md on its line', () => {
    const diagnostics = client.diagnostics(mistakes.uri);
    const lines = mistakes.text.split('\n');
    let expected = 0;
    lines.forEach((line, index) => {
      const match = /# expect-(error|warning): ([\w|]+)/.exec(line);
      if (!match) return;
      expected++;
      const codes = match[2]!.split('|');
      const found = diagnostics.filter((diagnostic) => diagnostic.range.start.line === index && codes.includes(String(diagnostic.code)));
      assert.ok(found.length > 0, `line ${index + 1} (${line.trim()}) should have a ${codes.join(' or ')} diagnostic; got ${JSON.stringify(diagnostics.map((d) => [d.range.start.line, d.code]))}`);
      const severity = match[1] === 'error' ? 1 : 2;
      assert.ok(found.some((diagnostic) => diagnostic.severity === severity), `line ${index + 1} severity`);
    });
    assert.equal(expected, 9, "mistakes.md lists nine expected diagnostics");
  });

  it('publishes no diagnostics for linear-algebra.md', () => {
    assert.deepEqual(client.diagnostics(linear.uri).filter((diagnostic) => diagnostic.severity === 1), []);
  });

  it('reports the evaluation status with counts', () => {
    const status = client.status(mistakes.uri)!;
    assert.equal(status.state, 'done');
    assert.ok(status.errors >= 7, `errors ${status.errors}`);
    assert.ok(status.warnings >= 2, `warnings ${status.warnings}`);
  });

  it('hovers a matrix name with its value as a table and its shape', async () => {
    const position = positionOf(linear.text, 'A B                            # expect: [19', 'A');
    const text = hoverText(await client.connection.sendRequest('textDocument/hover', { textDocument: { uri: linear.uri }, position }));
    assert.match(text, /2×2 matrix/);
    assert.match(text, /\| \*\*1\*\* \| 1 \| 2 \|/);
    assert.match(text, /\| \*\*2\*\* \| 3 \| 4 \|/);
    assert.match(text, /```latex/);
  });

  it('hovers a sub-expression with its value computed by the worker', async () => {
    const position = positionOf(linear.text, '(A B)ᵀ ≈ Bᵀ Aᵀ', '(');
    const text = hoverText(await client.connection.sendRequest('textDocument/hover', { textDocument: { uri: linear.uri }, position }));
    assert.match(text, /19/);
    assert.match(text, /50/);
  });

  it('hovers a built-in with its documentation', async () => {
    const position = positionOf(linear.text, 'det(M)', 'det');
    const text = hoverText(await client.connection.sendRequest('textDocument/hover', { textDocument: { uri: linear.uri }, position }));
    assert.match(text, /built-in/);
    assert.match(text, /det\(/);
    assert.match(text, /Example/);
  });

  it('shows each result as an inlay hint at the end of its line', async () => {
    const hints: InlayHint[] = await client.connection.sendRequest('textDocument/inlayHint', {
      textDocument: { uri: linear.uri },
      range: { start: { line: 0, character: 0 }, end: { line: linear.text.split('\n').length, character: 0 } },
    });
    const line = positionOf(linear.text, 'A B                            # expect: [19', 'A').line;
    const hint = hints.find((candidate) => candidate.position.line === line);
    assert.ok(hint, 'a hint on the A B line');
    assert.equal(hint.label, '⇒ [19, 22; 43, 50]');
    assert.equal(hint.position.character, linear.text.split('\n')[line]!.length);
    const detLine = positionOf(linear.text, 'det(M)', 'det').line;
    assert.equal(hints.find((candidate) => candidate.position.line === detLine)?.label, '⇒ 17');
  });

  it('answers mathnote/resultAt with text, its one-line form and LaTeX', async () => {
    const position = positionOf(linear.text, 'B A                            # expect: [23', 'B');
    const result: ResultAtResult = await client.connection.sendRequest(RESULT_AT_METHOD, { textDocument: { uri: linear.uri }, position });
    assert.ok(result);
    assert.deepEqual(result.shape, [2, 2]);
    assert.match(result.text, /23/);
    assert.match(result.latex, /bmatrix/);
    // The one-line form keeps the row separators that "Insert Result as Comment" needs.
    assert.equal(result.inline, '[23, 34; 31, 46]');
    assert.equal(result.source, 'B A');
  });

  it('goes to the definition of a name in an earlier line', async () => {
    const position = positionOf(linear.text, 'M \\ [14; 5]', 'M');
    const location: Location = await client.connection.sendRequest('textDocument/definition', { textDocument: { uri: linear.uri }, position });
    assert.equal(location.uri, linear.uri);
    assert.deepEqual(location.range.start, positionOf(linear.text, 'M = [4, 5; -1, 3]', 'M'));
  });

  it('finds every reference and renames exactly one binding', async () => {
    const position = positionOf(linear.text, 'M = [4, 5; -1, 3]', 'M');
    const references: Location[] = await client.connection.sendRequest('textDocument/references', {
      textDocument: { uri: linear.uri },
      position,
      context: { includeDeclaration: true },
    });
    // M = …, M⁻¹ [14; 5], M \ [14; 5], det(M), adj(…) ≈ M⁻¹
    assert.equal(references.length, 5);
    const edit: WorkspaceEdit = await client.connection.sendRequest('textDocument/rename', { textDocument: { uri: linear.uri }, position, newName: 'Mₐ' });
    const edits = edit.changes![linear.uri]!;
    assert.equal(edits.length, 5);
    assert.ok(edits.every((change) => change.newText === 'Mₐ'));
    await assert.rejects(
      client.connection.sendRequest('textDocument/rename', { textDocument: { uri: linear.uri }, position: positionOf(linear.text, 'det(M)', 'det'), newName: 'd' }),
      /built-in/,
    );
  });

  it('completes \\alpha to α, replacing what was typed', async () => {
    const line = positionOf(linear.text, 'S = [2, 1; 1, 2]', 'S').line;
    const lineLength = linear.text.split('\n')[line]!.length;
    await client.edit(linear.uri, { start: { line, character: lineLength }, end: { line, character: lineLength } }, '\nx = \\alp');
    const items: CompletionItem[] = await client.connection.sendRequest('textDocument/completion', {
      textDocument: { uri: linear.uri },
      position: { line: line + 1, character: 8 },
    });
    const alpha = items.find((item) => item.label === '\\alpha');
    assert.ok(alpha, 'an item for \\alpha');
    assert.deepEqual(alpha.textEdit, { range: { start: { line: line + 1, character: 4 }, end: { line: line + 1, character: 8 } }, newText: 'α' });
    const names: CompletionItem[] = await client.connection.sendRequest('textDocument/completion', {
      textDocument: { uri: linear.uri },
      position: { line: line + 1, character: 4 },
    });
    const matrix = names.find((item) => item.label === 'S');
    assert.ok(matrix, 'S is in scope');
    assert.equal(matrix.detail, '2×2 matrix');
    assert.ok(names.some((item) => item.label === 'svd' && typeof item.detail === 'string' && item.detail.includes('svd(')));
    // Undo the edit so other tests see the note as written.
    await client.edit(linear.uri, { start: { line, character: lineLength }, end: { line: line + 1, character: 8 } }, '');
    await client.evaluated(linear.uri);
  });

  it('offers "transpose" and ".*" quick fixes on a shape error', async () => {
    const line = positionOf(mistakes.text, 'A B                            # expect-error', 'A').line;
    const diagnostics = client.diagnostics(mistakes.uri).filter((diagnostic) => diagnostic.range.start.line === line && diagnostic.code === 'shape');
    assert.ok(diagnostics.length > 0);
    const actions: { title: string }[] = await client.connection.sendRequest('textDocument/codeAction', {
      textDocument: { uri: mistakes.uri },
      range: diagnostics[0]!.range,
      context: { diagnostics },
    });
    const titles = actions.map((action) => action.title);
    // A is 2×3 and B is 2×2: only Aᵀ B fits.
    assert.ok(titles.some((title) => title.startsWith('Transpose A')), titles.join('; '));
    assert.ok(!titles.some((title) => title.startsWith('Use .*')), titles.join('; '));
  });

  it('publishes static diagnostics of an edit at once, then runtime ones after evaluation', async () => {
    const line = positionOf(linear.text, 'M = [4, 5; -1, 3]', 'M').line;
    const end = linear.text.split('\n')[line]!.length;
    const version = await client.edit(linear.uri, { start: { line, character: end }, end: { line, character: end } }, '\nbad = M + [1, 2, 3]\nsing = [1, 2; 2, 4]⁻¹');
    await client.waitFor(
      () => client.received.some((message) => message.kind === 'diagnostics' && message.params.uri === linear.uri && message.params.version === version),
      'diagnostics of the edited version',
    );
    const first = client.received.find((message) => message.kind === 'diagnostics' && message.params.uri === linear.uri && message.params.version === version)!;
    assert.equal(first.kind, 'diagnostics');
    if (first.kind !== 'diagnostics') return;
    assert.ok(first.params.diagnostics.some((diagnostic) => diagnostic.code === 'shape' && diagnostic.range.start.line === line + 1), 'the shape error comes with the edit');
    await client.evaluated(linear.uri);
    const diagnostics = client.diagnostics(linear.uri);
    assert.ok(diagnostics.some((diagnostic) => diagnostic.code === 'singular' && diagnostic.range.start.line === line + 2), 'the singular warning comes with the evaluation');
    await client.edit(linear.uri, { start: { line, character: end }, end: { line: line + 2, character: 'sing = [1, 2; 2, 4]⁻¹'.length } }, '');
    await client.evaluated(linear.uri);
    assert.deepEqual(client.diagnostics(linear.uri), []);
  });

  it('re-evaluates only the statements an edit affects', async () => {
    const position = positionOf(linear.text, 'det(M)                         # expect: 17', 'd');
    const version = await client.edit(linear.uri, { start: position, end: { line: position.line, character: position.character + 'det(M)'.length } }, 'det(2M)');
    const status = await client.evaluated(linear.uri);
    assert.equal(status.version, version);
    // det(2M) and M, which it reads; nothing else in the note.
    assert.equal(status.statementsEvaluated, 2);
    const hints: InlayHint[] = await client.connection.sendRequest('textDocument/inlayHint', {
      textDocument: { uri: linear.uri },
      range: { start: { line: 0, character: 0 }, end: { line: 200, character: 0 } },
    });
    assert.equal(hints.find((hint) => hint.position.line === position.line)?.label, '⇒ 68');
    assert.equal(hints.find((hint) => hint.position.line === positionOf(linear.text, 'A B                            # expect: [19', 'A').line)?.label, '⇒ [19, 22; 43, 50]');
    await client.edit(linear.uri, { start: position, end: { line: position.line, character: position.character + 'det(2M)'.length } }, 'det(M)');
    await client.evaluated(linear.uri);
  });

  it('serves the preview model of a note', async () => {
    const model: PreviewResponse = await client.connection.sendRequest(PREVIEW_METHOD, { textDocument: { uri: linear.uri } });
    assert.ok(model);
    const blocks = model.segments.filter((segment) => segment.kind === 'block');
    assert.equal(blocks.length, 4);
    const product = blocks[1]!.kind === 'block' ? blocks[1]!.statements.find((statement) => statement.source === 'A B') : undefined;
    assert.equal(product?.result?.text.replace(/\s+/g, ' '), '[19 22 43 50]');
  });

  it('follows settings pushed by the client', async () => {
    await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: { mathnote: { inlayHints: { enabled: false } } } });
    const range = { start: { line: 0, character: 0 }, end: { line: 200, character: 0 } };
    const hints: InlayHint[] = await client.connection.sendRequest('textDocument/inlayHint', { textDocument: { uri: linear.uri }, range });
    assert.deepEqual(hints, []);
    await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: { mathnote: { precision: 3 } } });
    await client.evaluated(linear.uri);
    const again: InlayHint[] = await client.connection.sendRequest('textDocument/inlayHint', { textDocument: { uri: linear.uri }, range });
    assert.ok(again.length > 0);
  });

  it('reads a .mathnote file as one block, and other fence names when configured', async () => {
    const uri = linear.uri.replace('linear-algebra.md', 'scratch.mathnote');
    await client.open(uri, 'A = [1, 2, 3]\nA A\nB = [1, 2; 3, 4]', 'mathnote');
    await client.evaluated(uri);
    assert.deepEqual(client.diagnostics(uri).map((diagnostic) => [diagnostic.range.start.line, diagnostic.code]), [[1, 'shape']]);

    const other = linear.uri.replace('linear-algebra.md', 'fences.md');
    const text = '# Fences\n\n```math-eval\nx = [1, 2] [3, 4]\n```\n';
    await client.open(other, text);
    await client.evaluated(other);
    assert.deepEqual(client.diagnostics(other), [], 'math-eval blocks are prose by default');
    await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: { mathnote: { fenceNames: ['mathnote', 'math-eval'] } } });
    await client.waitFor(() => client.diagnostics(other).some((diagnostic) => diagnostic.code === 'shape'), 'the math-eval block to be checked');
  });

  it('shows the values of `= expr` citations in prose as inlay hints', async () => {
    const cited = fixtureNote('citations.md');
    await client.open(cited.uri, cited.text);
    await client.evaluated(cited.uri);
    const line = positionOf(cited.text, 'The fitted slope', 'T').line;
    const hints: InlayHint[] = await client.connection.sendRequest('textDocument/inlayHint', {
      textDocument: { uri: cited.uri },
      range: { start: { line, character: 0 }, end: { line: line + 1, character: 0 } },
    });
    assert.deepEqual(
      hints.map((hint) => [hint.position.character, hint.label]),
      [
        [positionOf(cited.text, 'The fitted slope', '`= β̂[2]`').character + '`= β̂[2]`'.length, '⇒ 1.4'],
        [positionOf(cited.text, 'The fitted slope', '`= β̂[1]`').character + '`= β̂[1]`'.length, '⇒ 3.5'],
        [positionOf(cited.text, 'The fitted slope', '`= ‖y - X β̂‖`').character + '`= ‖y - X β̂‖`'.length, '⇒ 2.04939'], // numpy: norm(y - X lstsq(X, y)) = 2.0493901531919
      ],
    );
    const hover: Hover = await client.connection.sendRequest('textDocument/hover', {
      textDocument: { uri: cited.uri },
      position: positionOf(cited.text, 'The fitted slope', 'β̂[2]'),
    });
    assert.match(hoverText(hover), /`β̂\[2\]` — cited result/);
    assert.match(hoverText(hover), /1\.4/);

    // Typing in the prose moves the hints with their code spans before the note is evaluated again.
    await client.edit(cited.uri, { start: { line, character: 0 }, end: { line, character: 0 } }, 'So: ');
    const moved: InlayHint[] = await client.connection.sendRequest('textDocument/inlayHint', {
      textDocument: { uri: cited.uri },
      range: { start: { line, character: 0 }, end: { line: line + 1, character: 0 } },
    });
    assert.deepEqual(
      moved.map((hint) => [hint.position.character, hint.label]),
      hints.map((hint) => [hint.position.character + 4, hint.label]),
    );
  });
});
