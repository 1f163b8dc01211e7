/**
 * Faults through the real `mathnote-lsp --stdio`: evaluation workers that really die, 1,000 rapid
 * edits (final diagnostics equal a fresh server's; memory flat between identical bursts), a note
 * closed mid-evaluation, and malformed JSON-RPC. The server runs with MATHNOTE_LSP_TEST_HOOKS=1
 * (server/src/lsp/testHooks.ts), which lets a note marker kill its worker and adds two test-only
 * requests (live worker threads; garbage collection). Every wait is on a server event.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { ResponseError } from 'vscode-languageserver-protocol/node';
import type { Diagnostic, Hover, MarkupContent } from 'vscode-languageserver-protocol';
import { PREVIEW_METHOD, RESULT_AT_METHOD, type EvaluationStatusParams, type PreviewResponse, type ResultAtResult } from '../../server/src/protocol.js';
import { TEST_GC_METHOD, TEST_HOOKS_VARIABLE, TEST_THREADS_METHOD, type GcResult, type ThreadsResult } from '../../server/src/lsp/testHooks.js';
import { exampleNote, fixtureNote, positionOf, TestClient } from './client.js';
import { EditScript, fence } from './editScript.js';

const BUDGET_MS = 1000;
const HOOKS = { [TEST_HOOKS_VARIABLE]: '1' };
const SETTINGS = { evaluation: { timeBudgetMs: BUDGET_MS, maxElements: 10_000_000 } };

function hoverText(hover: Hover | null): string {
  assert.ok(hover, 'expected a hover');
  return (hover.contents as MarkupContent).value;
}

/** The server's resident memory in bytes, from /proc (Linux). */
function residentBytes(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  assert.ok(match, 'VmRSS in /proc/<pid>/status');
  return Number(match[1]) * 1024;
}

/**
 * Waits for the evaluation of the document's current version with a long safety net: a burst of
 * 1,000 edits is analysed edit by edit, which takes tens of seconds on a loaded 2-core machine.
 */
async function evaluatedAfterBurst(client: TestClient, uri: string): Promise<EvaluationStatusParams> {
  await client.waitFor(() => ['done', 'stopped'].includes(client.status(uri)?.state ?? ''), `evaluation of ${uri} after a burst`, 180_000);
  return client.status(uri)!;
}

function summary(diagnostics: readonly Diagnostic[]): unknown[] {
  return diagnostics.map((diagnostic) => ({ range: diagnostic.range, code: diagnostic.code, severity: diagnostic.severity, message: diagnostic.message }));
}

describe('faults', () => {
  let client: TestClient;
  const normal = exampleNote('linear-algebra.md');
  const hoverOnNormal = () => positionOf(normal.text, 'A B                            # expect: [19', 'A');

  /** A hover on the normal note still shows A's value: the server is serving. */
  async function assertServing(): Promise<void> {
    const hover: Hover = await client.connection.sendRequest('textDocument/hover', { textDocument: { uri: normal.uri }, position: hoverOnNormal() });
    assert.match(hoverText(hover), /\| \*\*1\*\* \| 1 \| 2 \|/);
  }

  before(async () => {
    client = await TestClient.start(SETTINGS, HOOKS);
    await client.open(normal.uri, normal.text);
    await client.evaluated(normal.uri);
  });
  after(async () => {
    await client.stop();
  });

  for (const [fault, reason] of [
    ['exit', /exited with code 3/],
    ['exit0', /exited with code 0/],
    ['throw', /worker crashed: mathnote test hook: uncaught exception/],
    ['fail', /mathnote test hook: evaluation failed/],
  ] as const) {
    it(`survives an evaluation worker that dies (${fault}), reports it, and evaluates the next edit`, async () => {
      const uri = normal.uri.replace('linear-algebra.md', `crash-${fault}.md`);
      const text = fence(`x = 1 + 1\ny = [1, 2; 3, 4]\n# mathnote-test-fault: ${fault}`);
      await client.open(uri, text);
      const status = await client.evaluated(uri);
      // A dead worker is reported at once as a failure, not left to the watchdog as a stopped note.
      assert.equal(status.state, 'done');
      const internal = client.diagnostics(uri).filter((diagnostic) => diagnostic.code === 'internal');
      assert.equal(internal.length, 1, JSON.stringify(client.diagnostics(uri)));
      assert.match(internal[0]!.message, reason);

      await assertServing();
      const staticHover: Hover = await client.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: 2, character: 0 } });
      assert.match(hoverText(staticHover), /1×1|2×2|y/, 'the crashed note is still hovered (statically)');

      // Removing the marker: a fresh worker evaluates the note, and the failure diagnostic goes.
      const markerLine = 3;
      await client.edit(uri, { start: { line: markerLine, character: 0 }, end: { line: markerLine + 1, character: 0 } }, '');
      const again = await client.evaluated(uri);
      assert.equal(again.state, 'done');
      assert.deepEqual(client.diagnostics(uri), []);
      const hover: Hover = await client.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: 1, character: 0 } });
      assert.match(hoverText(hover), /`2`/);
      await client.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
    });
  }

  it('survives its own static analysis throwing (a bug in the core) on open, hover, settings change and edit', async () => {
    const uri = normal.uri.replace('linear-algebra.md', 'analysis-fault.md');
    await client.open(uri, fence('x = 1 + 1\n# mathnote-test-fault: analysis'));
    await client.waitFor(() => client.diagnostics(uri).some((diagnostic) => diagnostic.code === 'internal'), 'the internal diagnostic of the broken note');
    assert.match(client.diagnostics(uri)[0]!.message, /mathnote test hook: analysis failed/);

    // Requests on the broken note fail as requests; the server keeps serving the others.
    for (const method of ['textDocument/hover', 'textDocument/completion', 'textDocument/definition', RESULT_AT_METHOD, PREVIEW_METHOD]) {
      try {
        await client.connection.sendRequest(method, { textDocument: { uri }, position: { line: 1, character: 0 } });
      } catch (error) {
        assert.ok(error instanceof ResponseError, `${method}: ${String(error)}`);
      }
    }
    for (const method of ['textDocument/documentSymbol', 'textDocument/foldingRange', 'textDocument/semanticTokens/full']) {
      await client.connection.sendRequest(method, { textDocument: { uri } }).catch((error: unknown) => assert.ok(error instanceof ResponseError, `${method}: ${String(error)}`));
    }
    // The preview started an evaluation; its result could not be published over the broken
    // analysis, and the note's status still ends (the server crashed here before the fix).
    assert.equal((await client.evaluated(uri)).state, 'done');
    assert.equal(client.status(uri)!.errors, 1);
    // A settings change re-publishes every open note's diagnostics, the broken one included.
    await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: { mathnote: { precision: 5, evaluation: SETTINGS.evaluation } } });
    await assertServing();
    assert.doesNotThrow(() => process.kill(client.pid, 0), 'the server process is alive');

    await client.edit(uri, { start: { line: 2, character: 0 }, end: { line: 3, character: 0 } }, '');
    assert.equal((await client.evaluated(uri)).state, 'done');
    assert.deepEqual(client.diagnostics(uri), []);
    const result: ResultAtResult = await client.connection.sendRequest(RESULT_AT_METHOD, { textDocument: { uri }, position: { line: 1, character: 0 } });
    assert.equal(result?.text, '2');
    await client.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
  });

  it('answers a preview of a note whose worker dies with the static model, and keeps no dead threads', async () => {
    const uri = normal.uri.replace('linear-algebra.md', 'crash-loop.md');
    await client.open(uri, fence('x = 1 + 1\n# mathnote-test-fault: exit'));
    await client.evaluated(uri);
    // The preview starts an evaluation (the worker was lost) and asks the new worker, which dies too.
    const model: PreviewResponse = await client.connection.sendRequest(PREVIEW_METHOD, { textDocument: { uri } });
    const statements = model!.segments.flatMap((segment) => (segment.kind === 'block' ? segment.statements : []));
    assert.equal(statements[0]?.source, 'x = 1 + 1', 'the static model has the statement');
    assert.equal(statements[0]?.result, undefined, 'and no result');
    // Every edit of a note that kills its worker starts a new one; none may linger.
    for (let index = 0; index < 5; index++) {
      await client.edit(uri, { start: { line: 1, character: 0 }, end: { line: 1, character: 0 } }, `y${index} = ${index}\n`);
      const status = await client.evaluated(uri);
      assert.equal(status.state, 'done');
      assert.ok(client.diagnostics(uri).some((diagnostic) => diagnostic.code === 'internal'));
    }
    const threads: ThreadsResult = await client.connection.sendRequest(TEST_THREADS_METHOD, {});
    assert.ok(!threads.documents.includes(uri), 'the crashing note holds no worker');
    assert.equal(threads.threads, threads.documents.length, 'no dead worker thread lingers');
    assert.ok(threads.threads <= 4, `at most four live workers (${threads.threads})`);
    await client.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
    await assertServing();
  });

  it('leaves no worker running and publishes nothing stale for a note closed mid-evaluation', async () => {
    const closed = normal.uri.replace('linear-algebra.md', 'closed-mid-evaluation.md');
    const product = fence('M = ones(3000, 3000)\nP = M M');
    await client.open(closed, product);
    await client.waitFor(() => client.status(closed)?.state === 'evaluating', 'the long note to start evaluating');
    const whileRunning: ThreadsResult = await client.connection.sendRequest(TEST_THREADS_METHOD, {});
    assert.ok(whileRunning.documents.includes(closed), 'the long note has a worker while it runs');

    await client.connection.sendNotification('textDocument/didClose', { textDocument: { uri: closed } });
    const closedAt = client.received.length;
    // The request answers once every detached thread has exited.
    const afterClose: ThreadsResult = await client.connection.sendRequest(TEST_THREADS_METHOD, {});
    assert.ok(!afterClose.documents.includes(closed), 'the closed note has no worker');
    assert.equal(afterClose.threads, afterClose.documents.length, 'no thread outlives its document');

    // A second long note opened after the close is stopped by the watchdog later than the closed
    // note's would have been: once it is, any stale report of the closed note would have arrived.
    const later = normal.uri.replace('linear-algebra.md', 'stopped-later.md');
    await client.open(later, product);
    assert.equal((await client.evaluated(later)).state, 'stopped');
    const afterwards = client.received.slice(closedAt).filter((message) => message.params.uri === closed);
    assert.deepEqual(
      afterwards.map((message) => (message.kind === 'diagnostics' ? { diagnostics: message.params.diagnostics } : message.params)),
      [{ diagnostics: [] }],
      'after its close, the closed note only gets its diagnostics cleared',
    );
    await client.connection.sendNotification('textDocument/didClose', { textDocument: { uri: later } });
    await assertServing();
  });

  it('answers malformed requests with errors or nulls and keeps serving', async () => {
    const never = 'file:///never/opened.md';
    const doc = { uri: normal.uri };
    const positions = [
      { line: 1e9, character: 1e9 },
      { line: -5, character: -3 },
      { line: 1.5, character: 0.5 },
      { line: 3, character: -1 },
      { line: Number.MAX_SAFE_INTEGER, character: 0 },
      { line: '2', character: '1' },
      { line: null, character: null },
      {},
    ];
    const requests: Array<[string, unknown]> = [
      ['textDocument/hover', { textDocument: { uri: never }, position: { line: 0, character: 0 } }],
      ['textDocument/completion', { textDocument: { uri: never }, position: { line: 0, character: 0 } }],
      ['textDocument/definition', { textDocument: { uri: never }, position: { line: 0, character: 0 } }],
      ['textDocument/documentSymbol', { textDocument: { uri: never } }],
      ['textDocument/semanticTokens/full', { textDocument: { uri: never } }],
      [PREVIEW_METHOD, { textDocument: { uri: never } }],
      ['textDocument/hover', {}],
      ['textDocument/hover', { textDocument: null, position: null }],
      ['textDocument/hover', 'not an object'],
      ['textDocument/inlayHint', { textDocument: doc, range: { start: { line: -1, character: -1 }, end: { line: 1e9, character: 0 } } }],
      ['textDocument/inlayHint', { textDocument: doc }],
      ['textDocument/references', { textDocument: doc, position: { line: 5, character: 0 } }],
      ['textDocument/rename', { textDocument: doc, position: { line: 5, character: 0 }, newName: 42 }],
      ['textDocument/codeAction', { textDocument: doc, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, context: { diagnostics: [{ bogus: true }] } }],
      ['mathnote/noSuchMethod', {}],
    ];
    for (const method of ['textDocument/hover', 'textDocument/completion', 'textDocument/definition', 'textDocument/references', 'textDocument/signatureHelp', 'textDocument/prepareRename', 'textDocument/documentHighlight', RESULT_AT_METHOD]) {
      for (const position of positions) requests.push([method, { textDocument: doc, position, context: { includeDeclaration: true } }]);
    }
    const outcomes: string[] = [];
    for (const [method, params] of requests) {
      try {
        await client.connection.sendRequest(method, params);
        outcomes.push('result');
      } catch (error) {
        assert.ok(error instanceof ResponseError, `${method} ${JSON.stringify(params)} failed without a JSON-RPC error: ${String(error)}`);
        outcomes.push(`error ${error.code}`);
      }
    }
    assert.equal(outcomes.length, requests.length);
    assert.ok(outcomes.includes('error -32601'), 'an unknown method is MethodNotFound');

    // Notifications about documents never opened, or with edits outside the text, are ignored or clamped.
    await client.connection.sendNotification('textDocument/didChange', { textDocument: { uri: never, version: 2 }, contentChanges: [{ text: 'x' }] });
    await client.connection.sendNotification('textDocument/didClose', { textDocument: { uri: never } });
    const scratch = normal.uri.replace('linear-algebra.md', 'scratch.md');
    await client.open(scratch, fence('s = 3'));
    await client.edit(scratch, { start: { line: 1e6, character: 0 }, end: { line: 1e6 + 1, character: 5 } }, '\n```mathnote\nt = s + 1\n```\n');
    await client.edit(scratch, { start: { line: -3, character: -3 }, end: { line: 0, character: 0 } }, '');
    assert.equal((await client.evaluated(scratch)).state, 'done');
    const hover: Hover = await client.connection.sendRequest('textDocument/hover', { textDocument: { uri: scratch }, position: { line: 5, character: 0 } });
    assert.match(hoverText(hover), /`4`/, 'the clamped edit appended t = s + 1');
    await client.connection.sendNotification('textDocument/didClose', { textDocument: { uri: scratch } });

    assert.doesNotThrow(() => process.kill(client.pid, 0), 'the server process is alive');
    await assertServing();
  });
});

describe('1,000 rapid edits', () => {
  let client: TestClient;
  before(async () => {
    client = await TestClient.start(SETTINGS, HOOKS);
  });
  after(async () => {
    await client.stop();
  });

  it('end with the diagnostics a fresh server publishes for the final text, and memory stays flat between identical bursts', async () => {
    const note = fixtureNote('rapid-edits.md');
    const start = note.text;
    const uri = note.uri;
    await client.open(uri, start);
    await client.evaluated(uri);

    const measure = async (): Promise<{ rss: number; heap: number }> => {
      const gc: GcResult = await client.connection.sendRequest(TEST_GC_METHOD, {});
      return { rss: residentBytes(client.pid), heap: gc.heapUsed };
    };
    const baseline = await measure();
    const memory: Array<{ rss: number; heap: number }> = [];
    let finalText = '';
    // MATHNOTE_RAPID_BURSTS=8 runs more identical bursts to watch the heap settle (docs/reliability.md).
    const bursts = Math.max(3, Number(process.env.MATHNOTE_RAPID_BURSTS ?? 3) || 3);
    for (let burst = 1; burst <= bursts; burst++) {
      // The same seeded script each time, from the same text: the bursts are identical.
      const script = new EditScript(start, 20261122);
      for (let index = 0; index < 1000; index++) {
        const edit = script.next();
        void client.edit(uri, edit.range, edit.text);
      }
      finalText = script.text;
      const status = await evaluatedAfterBurst(client, uri);
      assert.ok(status.state === 'done' || status.state === 'stopped');
      const superseded = client.received.filter((message) => message.kind === 'status' && message.params.uri === uri && message.params.state === 'done').length;
      assert.ok(superseded < 1000 * burst, 'evaluations of superseded versions were coalesced');
      if (burst === 1) {
        const fresh = await TestClient.start(SETTINGS);
        try {
          await fresh.open(uri, finalText);
          await fresh.evaluated(uri);
          assert.deepEqual(summary(client.diagnostics(uri)), summary(fresh.diagnostics(uri)));
          assert.ok(fresh.diagnostics(uri).length >= 5, `the final text has diagnostics to compare (${fresh.diagnostics(uri).length})`);
          process.stdout.write(`# after 1,000 edits: ${fresh.diagnostics(uri).length} diagnostics, equal to a fresh server's\n`);
        } finally {
          await fresh.stop();
        }
      }
      memory.push(await measure());
      // Back to the starting text for the next burst, in one full replacement.
      const lines = finalText.split('\n');
      await client.edit(uri, { start: { line: 0, character: 0 }, end: { line: lines.length, character: 0 } }, start);
      await client.evaluated(uri);
    }
    const megabytes = (bytes: number) => (bytes / 2 ** 20).toFixed(1);
    const figures = [baseline, ...memory].map((entry, index) => `${index === 0 ? 'after opening' : `burst ${index}`}: RSS ${megabytes(entry.rss)} MB, heap ${megabytes(entry.heap)} MB`).join('; ');
    process.stdout.write(`# memory after identical bursts of 1,000 edits: ${figures}\n`);
    // Margins: the server's heap after a full collection may differ by a few caches' worth between
    // identical bursts (2 MB); RSS also holds the worker's heap, collected on its own schedule (16 MB).
    const [second, last] = [memory[1]!, memory[memory.length - 1]!];
    assert.ok(last.heap - second.heap <= 2 * 2 ** 20, `heap grew between burst 2 and burst ${bursts}: ${figures}`);
    assert.ok(last.rss - second.rss <= 16 * 2 ** 20, `RSS grew between burst 2 and burst ${bursts}: ${figures}`);
  });
});
