/**
 * Memory of the language server on the 10,000-line benchmark note (bench/note.ts): the server's own
 * young generation stays at its start-up size instead of V8's 32 MB (server/src/lsp/memory.ts); the
 * worker lets a chain of incremental evaluations go once idle; and a run of edits, each evaluated
 * incrementally, ends its chain by a whole evaluation once the chain holds too much memory, with
 * results equal to a fresh evaluation. The server runs with MATHNOTE_LSP_TEST_HOOKS=1 for its
 * memory figures (testHooks.ts).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { RESULT_AT_METHOD, type EvaluationStatusParams, type ResultAtResult } from '../../server/src/protocol.js';
import type { Hover } from 'vscode-languageserver-protocol';
import { TEST_GC_METHOD, TEST_HOOKS_VARIABLE, TEST_MEMORY_METHOD, type GcResult, type MemoryResult } from '../../server/src/lsp/testHooks.js';
import { MAX_INCREMENTAL_GENERATIONS } from '../../server/src/language/features/incremental.js';
import { generateBenchNote } from '../../bench/note.js';
import { root, TestClient } from './client.js';

const MB = 1024 * 1024;

function positionAt(text: string, offset: number): { line: number; character: number } {
  const before = text.slice(0, offset);
  return { line: before.split('\n').length - 1, character: offset - (before.lastIndexOf('\n') + 1) };
}

/** Waits with a long safety net: the first evaluation of the whole note takes seconds on a loaded machine. */
async function evaluated(client: TestClient, uri: string): Promise<EvaluationStatusParams> {
  await client.waitFor(() => ['done', 'stopped'].includes(client.status(uri)?.state ?? ''), `evaluation of ${uri}`, 120_000);
  return client.status(uri)!;
}

describe('server memory on the benchmark note', () => {
  let client: TestClient;
  const note = generateBenchNote();
  const uri = 'file:///memory/bench.md';

  before(async () => {
    // A generous budget: this test is about memory, and a loaded machine must not stop the note.
    client = await TestClient.start({ evaluation: { timeBudgetMs: 20_000, maxElements: 10_000_000 } }, { [TEST_HOOKS_VARIABLE]: '1' });
    await client.open(uri, note.text);
    assert.equal((await evaluated(client, uri)).state, 'done');
  });
  after(async () => {
    await client.stop();
  });

  it('ships the server and worker bundles as ASCII', () => {
    // V8 keeps a bundle's source for as long as the thread runs; one character outside ASCII (a
    // comment's ·, a regular expression's ₖ) makes it a two-byte string of twice the size.
    for (const bundle of ['server.js', 'evalWorker.js']) {
      const source = readFileSync(join(root, 'dist', bundle), 'utf8');
      const offset = source.search(/[^\x00-\x7f]/);
      assert.equal(offset, -1, `dist/${bundle} has ${JSON.stringify(source.slice(Math.max(0, offset - 40), offset + 10))}`);
    }
  });

  it("keeps the server thread's young generation small after analysing the note", async () => {
    const gc: GcResult = await client.connection.sendRequest(TEST_GC_METHOD, {});
    // V8 grows it to 32 MB on this note when left alone; the server stops it at its start-up size
    // before its modules load (4 MB when stopped after they had loaded, 8 MB after the grammar was built).
    assert.ok(gc.youngGeneration > 0 && gc.youngGeneration <= 2 * MB, `young generation of ${(gc.youngGeneration / MB).toFixed(1)} MB`);
  });

  it('lets a chain of incremental evaluations go once idle, keeping its values', async () => {
    const whole: MemoryResult = await client.connection.sendRequest(TEST_MEMORY_METHOD, { settled: true });
    const [before] = Object.values(whole.workers);
    assert.ok(before, 'the note has a live worker');
    // Block 500 reads `A500 = [4, 2; 3, 4]`; a 5 in place of the first 4 is evaluated incrementally.
    const position = positionAt(note.text, note.editOffset);
    await client.edit(uri, { start: position, end: { line: position.line, character: position.character + 1 } }, '5');
    const status = await evaluated(client, uri);
    assert.equal(status.state, 'done');
    assert.ok((status.statementsEvaluated ?? Infinity) < 7 * 1000, `an incremental evaluation (${status.statementsEvaluated} statements)`);
    // Settled: the server's idle collection has run, and the worker answers once it is idle too.
    const idle: MemoryResult = await client.connection.sendRequest(TEST_MEMORY_METHOD, { settled: true });
    const [after] = Object.values(idle.workers);
    // Each link of the chain kept the version before it alive, about 10 MB on this note.
    const grown = after!.heapUsed - before.heapUsed;
    assert.ok(grown < 4 * MB, `the worker's heap grew by ${(grown / MB).toFixed(1)} MB`);
    // A sub-expression hover is answered from the whole evaluation now: A500 v500 = [5·1 + 2·3; 3·1 + 4·3].
    const product = note.text.indexOf('A500 v500');
    const hover: Hover | null = await client.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: positionAt(note.text, product + 'A500 '.length - 1) });
    const w = positionAt(note.text, note.text.indexOf('w500 = A500 v500'));
    const result: ResultAtResult = await client.connection.sendRequest(RESULT_AT_METHOD, { textDocument: { uri }, position: w });
    assert.equal(result?.inline, '[11; 15]');
    const markdown = hover && typeof hover.contents === 'object' && 'value' in hover.contents ? hover.contents.value : '';
    assert.ok(markdown.includes('| **1** | 11 |') && markdown.includes('| **2** | 15 |'), markdown);
  });

  it('ends a chain of incremental evaluations that holds too much memory with a whole one, with correct results', async () => {
    // Block 500 reads `A500 = [4, 2; 3, 4]` and `v500 = [1; 3]`; the edits change the 4 at editOffset.
    assert.equal(note.text.slice(note.editOffset, note.editOffset + 1), '4');
    const position = positionAt(note.text, note.editOffset);
    const range = { start: position, end: { line: position.line, character: position.character + 1 } };
    const evaluatedCounts: number[] = [];
    const digits = ['5', '6', '7', '8', '9', '8'];
    for (const digit of digits) {
      await client.edit(uri, range, digit);
      const status = await evaluated(client, uri);
      assert.equal(status.state, 'done');
      evaluatedCounts.push(status.statementsEvaluated ?? -1);
    }
    const statements = 7 * 1000;
    assert.ok(digits.length < MAX_INCREMENTAL_GENERATIONS, 'without the memory bound, every evaluation here would be incremental');
    assert.ok(evaluatedCounts.includes(statements), `a whole evaluation among ${evaluatedCounts.join(', ')}`);
    assert.ok(evaluatedCounts.some((count) => count < statements), `an incremental evaluation among ${evaluatedCounts.join(', ')}`);
    // w500 = A500 v500 with A500 = [8, 2; 3, 4] and v500 = [1; 3].
    const w = positionAt(note.text, note.text.indexOf('w500 = A500 v500'));
    const result: ResultAtResult = await client.connection.sendRequest(RESULT_AT_METHOD, { textDocument: { uri }, position: w });
    assert.equal(result?.inline, '[14; 15]');
  });
});
