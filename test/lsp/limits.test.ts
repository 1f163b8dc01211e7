/**
 * Notes that ask too much: a matrix beyond the size limit and an endless recursion get `limit`
 * diagnostics within the budget, and a note stuck in one long kernel is stopped by the watchdog
 * while hovers on another note are still answered.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Hover, MarkupContent } from 'vscode-languageserver-protocol';
import { PREVIEW_METHOD, type PreviewResponse } from '../../server/src/protocol.js';
import { exampleNote, fixtureNote, positionOf, TestClient } from './client.js';

const BUDGET_MS = 1000;

describe('limits', () => {
  let client: TestClient;
  before(async () => {
    client = await TestClient.start({ evaluation: { timeBudgetMs: BUDGET_MS, maxElements: 10_000_000 } });
  });
  after(async () => {
    await client.stop();
  });

  it('gives zeros(100000, 100000) and an endless recursion their limit diagnostics, and evaluates the rest', async () => {
    const note = fixtureNote('limits.md');
    await client.open(note.uri, note.text);
    const status = await client.evaluated(note.uri);
    assert.equal(status.state, 'done');
    assert.ok(status.elapsedMs! <= BUDGET_MS, `evaluation took ${status.elapsedMs} ms`);
    const diagnostics = client.diagnostics(note.uri);
    for (const marker of ['zeros(100000', 'f(1)']) {
      const line = positionOf(note.text, marker, marker.slice(0, 1)).line;
      assert.ok(
        diagnostics.some((diagnostic) => diagnostic.code === 'limit' && diagnostic.range.start.line === line),
        `a limit diagnostic on the line of ${marker}: ${JSON.stringify(diagnostics.map((d) => [d.range.start.line, d.code, d.message]))}`,
      );
    }
    const hover: Hover = await client.connection.sendRequest('textDocument/hover', { textDocument: { uri: note.uri }, position: positionOf(note.text, 'ok = 1 + 1', 'ok') });
    assert.match((hover.contents as MarkupContent).value, /`2`/);
  });

  it('answers a hover on another note while one note is stuck, then stops the stuck one', async () => {
    const other = exampleNote('linear-algebra.md');
    await client.open(other.uri, other.text);
    await client.evaluated(other.uri);

    const stuck = fixtureNote('stuck.md');
    await client.open(stuck.uri, stuck.text);
    await client.waitFor(() => client.status(stuck.uri)?.state === 'evaluating', 'the stuck note to start evaluating');

    const hover: Hover = await client.connection.sendRequest('textDocument/hover', {
      textDocument: { uri: other.uri },
      position: positionOf(other.text, 'A B                            # expect: [19', 'A'),
    });
    const stuckStateWhenHoverArrived = client.status(stuck.uri)?.state;
    assert.match((hover.contents as MarkupContent).value, /\| \*\*1\*\* \| 1 \| 2 \|/);
    assert.equal(stuckStateWhenHoverArrived, 'evaluating', 'the hover was answered while the stuck note was still evaluating');

    const final = await client.evaluated(stuck.uri);
    const limit = client.diagnostics(stuck.uri).filter((diagnostic) => diagnostic.code === 'limit');
    assert.ok(limit.length > 0, `a limit diagnostic once ${final.state}`);
  });

  it('keeps serving many open notes with a bounded number of workers', async () => {
    const note = exampleNote('linear-algebra.md');
    const uris = Array.from({ length: 5 }, (_, index) => note.uri.replace('linear-algebra.md', `copy-${index}.md`));
    for (const uri of uris) await client.open(uri, note.text);
    for (const uri of uris) assert.equal((await client.evaluated(uri)).state, 'done');
    // The first notes' workers were retired; their results stay, and the preview evaluates again.
    const hover: Hover = await client.connection.sendRequest('textDocument/hover', {
      textDocument: { uri: uris[0] },
      position: positionOf(note.text, 'A B                            # expect: [19', 'A'),
    });
    assert.match((hover.contents as MarkupContent).value, /\| \*\*2\*\* \| 3 \| 4 \|/);
    const model: PreviewResponse = await client.connection.sendRequest(PREVIEW_METHOD, { textDocument: { uri: uris[0] } });
    const statements = model!.segments.flatMap((segment) => (segment.kind === 'block' ? segment.statements : []));
    assert.ok(statements.find((statement) => statement.source === 'det(M)')?.result?.text === '17');
  });

  it('ends with the diagnostics of a fresh analysis after a burst of edits', async () => {
    const note = exampleNote('mistakes.md');
    const uri = note.uri.replace('mistakes.md', 'burst.md');
    await client.open(uri, note.text);
    const line = positionOf(note.text, 'q2 = 3', 'q').line;
    let version = 1;
    for (let index = 0; index < 30; index++) {
      version = await client.edit(uri, { start: { line, character: 0 }, end: { line, character: 0 } }, index % 2 === 0 ? 'z = [1, 2] [3, 4]\n' : 'w = 1\n');
    }
    const status = await client.evaluated(uri);
    assert.equal(status.version, version);
    const superseded = client.received.filter((message) => message.kind === 'status' && message.params.uri === uri && message.params.state === 'done').length;
    assert.ok(superseded < 30, `most of the 30 versions were never evaluated to the end (${superseded} were)`);

    const final = note.text.split('\n');
    final.splice(line, 0, ...Array.from({ length: 30 }, (_, index) => (index % 2 === 0 ? 'z = [1, 2] [3, 4]' : 'w = 1')).reverse());
    const fresh = uri.replace('burst.md', 'fresh.md');
    await client.open(fresh, final.join('\n'));
    await client.evaluated(fresh);
    const summary = (diagnostics: ReturnType<TestClient['diagnostics']>) => diagnostics.map((diagnostic) => [diagnostic.range.start.line, diagnostic.code, diagnostic.message]);
    assert.deepEqual(summary(client.diagnostics(uri)), summary(client.diagnostics(fresh)));
    const inserted = client.diagnostics(uri).filter((diagnostic) => diagnostic.code === 'shape' && diagnostic.range.start.line >= line && diagnostic.range.start.line < line + 30);
    assert.equal(inserted.length, 15, 'each inserted [1, 2] [3, 4] has its shape error');
  });
});
