/**
 * Diagnostics after typing digits take the number-edit shortcut of the server (reanalyze.ts):
 * they must be exactly what a server that opens the edited text afresh publishes, with the same
 * ranges (also after a UTF-16 surrogate pair earlier on the line) and related locations, and the
 * shortcut must hand over to a full analysis as soon as an edit changes a shape used further down.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import { positionOf, TestClient } from './client.js';

const NOTE = [
  '# Typing numbers 😀',
  '',
  '```mathnote',
  'A = [1, 2; 3, 4]',
  'n = 2',
  'b = [1, 2] + [3, 4, 5]   # 😀 a local mistake',
  'x = zeros(n, 1)',
  '```',
  '',
  'Some prose with `= A x`.',
  '',
  '```mathnote',
  'y = A x',
  'z = [1, 2, 3] x',
  'w = A [1; 2; 3]',
  '```',
  '',
].join('\n');

describe('number edits in the language server', () => {
  let client: TestClient;
  const uri = 'file:///incremental/typing.md';

  before(async () => {
    client = await TestClient.start();
    await client.open(uri, NOTE);
    await client.evaluated(uri);
  });
  after(async () => {
    await client.stop();
  });

  /** The diagnostics a fresh document with `text` gets (a new uri, so nothing is carried over). */
  async function freshDiagnostics(text: string, name: string): Promise<Diagnostic[]> {
    const fresh = `file:///incremental/${name}.md`;
    await client.open(fresh, text);
    await client.evaluated(fresh);
    // Related locations name the document; the edited one's uri is what the comparison expects.
    return JSON.parse(JSON.stringify(client.diagnostics(fresh)).replaceAll(fresh, uri)) as Diagnostic[];
  }

  async function typeAndCompare(text: string, range: Parameters<TestClient['edit']>[1], insert: string, name: string): Promise<string> {
    const version = await client.edit(uri, range, insert);
    await client.evaluated(uri);
    const published = client.received.filter((m) => m.kind === 'diagnostics' && m.params.uri === uri && m.params.version === version);
    assert.ok(published.length > 0, 'the edit published diagnostics for its version');
    const lines = text.split('\n');
    const line = lines[range.start.line]!;
    lines[range.start.line] = line.slice(0, range.start.character) + insert + line.slice(range.end.character);
    const edited = lines.join('\n');
    const expected = await freshDiagnostics(edited, name);
    // The first publication of the version is the shortcut's; the evaluation's follows it.
    const first = published[0]!;
    if (first.kind !== 'diagnostics') throw new Error('unreachable');
    const staticOnly = (list: readonly Diagnostic[]) => list.filter((d) => d.code !== 'eval' && !String(d.code).startsWith('runtime'));
    assert.deepEqual(staticOnly(first.params.diagnostics), staticOnly(expected));
    assert.deepEqual(client.diagnostics(uri), expected);
    return edited;
  }

  let text = NOTE;

  it('typing digits in a matrix and after an emoji gives what a fresh analysis gives', async () => {
    const five = positionOf(text, 'b = [1, 2]', '5');
    text = await typeAndCompare(text, { start: { line: five.line, character: five.character + 1 }, end: { line: five.line, character: five.character + 1 } }, '6', 'a');
    const four = positionOf(text, 'A = [1, 2; 3, 4]', '4');
    text = await typeAndCompare(text, { start: four, end: four }, '1', 'b');
    const three = positionOf(text, 'z = [1, 2, 3]', '3');
    text = await typeAndCompare(text, { start: three, end: { line: three.line, character: three.character + 1 } }, '', 'c');
    assert.ok(client.diagnostics(uri).some((d) => d.message.includes('[3, 4, 56]')), 'the local mistake quotes the new number');
  });

  it('an edit that changes a size used further down is followed by every later block', async () => {
    const yLine = positionOf(text, 'y = A x', 'y').line;
    assert.equal(client.diagnostics(uri).filter((d) => d.range.start.line === yLine).length, 0, 'A x fits while x is 2×1');
    const n = positionOf(text, 'n = 2', '2');
    text = await typeAndCompare(text, { start: n, end: { line: n.line, character: n.character + 1 } }, '3', 'd');
    assert.ok(client.diagnostics(uri).some((d) => d.range.start.line === yLine), 'A x with x now 3×1 is reported in the second block');
  });
});
