/**
 * The hostile-note corpus through the real `mathnote-lsp --stdio` (the core alone is covered by
 * test/unit/hardening/hostile.test.ts): each hostile note is opened as a document, its diagnostics
 * are published with ranges inside the document, its evaluation ends, the statement after the
 * hostile one still has its value, and a hover on a small normal note is answered afterwards.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Hover, MarkupContent } from 'vscode-languageserver-protocol';
import { RESULT_AT_METHOD, type ResultAtResult } from '../../server/src/protocol.js';
import { TEST_GC_METHOD, TEST_THREADS_METHOD } from '../../server/src/lsp/testHooks.js';
import { TestClient } from './client.js';
import { fence } from './editScript.js';

interface HostileCase {
  readonly name: string;
  readonly text: string;
  /** Diagnostic codes of which at least one must be published. */
  readonly codes?: readonly string[];
  /** A line (0-based) and the value text its statement must have once evaluated. */
  readonly value?: { readonly line: number; readonly text: string };
  /** The evaluation status the note must end with (done or stopped when absent). */
  readonly state?: 'done';
}

/** The 0-based line of the first line containing `needle`. */
function lineOf(text: string, needle: string): number {
  const line = text.split(/\r\n|\r|\n/).findIndex((candidate) => candidate.includes(needle));
  assert.ok(line >= 0, `no line holds ${needle}`);
  return line;
}

function hostileCase(name: string, text: string, after: string, value: string, codes?: readonly string[]): HostileCase {
  return { name, text, value: { line: lineOf(text, after), text: value }, ...(codes ? { codes } : {}) };
}

const deepParentheses = fence(`x = ${'('.repeat(10_000)}1${')'.repeat(10_000)}\ny = 2 + 3`);
const deepBrackets = fence(`v = ${'['.repeat(10_000)}1${']'.repeat(10_000)}\nw = 1`);
const data = `v = [${Array.from({ length: 150_000 }, (_, index) => String(index % 1000)).join(', ')}]`;
const megabyteLine = fence(`${data}${' '.repeat(1_000_000 - data.length)}\nt = 7`);
const emptyBlocks = '```mathnote\n```\n'.repeat(100_000) + fence('z = 4');
const mixedEndings = '\uFEFF# note\r\n```mathnote\r\na = 1\t+\t2\r\nb = "\uD800"\nc = a\r3\r\nd = a + 1\n```\r\n\uDC00 prose';

const CASES: readonly HostileCase[] = [
  hostileCase('parentheses nested 10,000 deep', deepParentheses, 'y = 2 + 3', '5', ['syntax', 'limit']),
  hostileCase('brackets nested 10,000 deep', deepBrackets, 'w = 1', '1', ['syntax', 'limit']),
  hostileCase('a 1 MB line of data', megabyteLine, 't = 7', '7'),
  hostileCase('100,000 empty blocks', emptyBlocks, 'z = 4', '4'),
  hostileCase('zeros(1e5, 1e5)', fence('Z = zeros(1e5, 1e5)\nk = 3'), 'k = 3', '3', ['limit']),
  hostileCase('endless recursion', fence('f(n) = f(n + 1)\nf(1)\nafter = 1'), 'after = 1', '1', ['limit']),
  {
    // Each line is one kernel call of a few steps, so the budget must be checked per statement: the
    // evaluator ends the note itself (status done, a limit problem), before the watchdog would.
    name: '200 inversions of a 300×300 matrix',
    text: fence(['M = rand(300, 300)', ...Array.from({ length: 200 }, (_, index) => `I${index} = inv(M)`)].join('\n')),
    codes: ['limit'],
    state: 'done',
  },
  hostileCase('lone surrogates, BOM, CRLF, CR and LF, tabs', mixedEndings, 'd = a + 1', '4'),
  hostileCase('a BOM before the first fence', '\uFEFF```mathnote\nm = 6\n```\n', 'm = 6', '6'),
  hostileCase('CRLF throughout', '# t\r\n```mathnote\r\np = [1, 2; 3, 4]\r\nq = p p\r\nbad = p [1, 2, 3]\r\nr = 1\r\n```\r\n', 'r = 1', '1', ['shape']),
  hostileCase('an unclosed fence', '# title\n```mathnote\nu = 5\nu + 1', 'u + 1', '6'),
  hostileCase('NaN and Inf everywhere', fence('a = [NaN, Inf; -Inf, 0]\nb = a * a\nc = inv(a)\nd = 0/0\ne2 = Inf - Inf\ng = 2'), 'g = 2', '2'),
];

describe('hostile notes through the language server', () => {
  let client: TestClient;
  const normal = { uri: 'file:///hostile/normal.md', text: fence('A = [1, 2; 3, 4]\nB = A A') };

  before(async () => {
    client = await TestClient.start({ evaluation: { timeBudgetMs: 2000, maxElements: 10_000_000 } });
    await client.open(normal.uri, normal.text);
    await client.evaluated(normal.uri);
  });
  after(async () => {
    await client.stop();
  });

  it('ignores the fault-test markers and requests when the server runs without the test hooks', async () => {
    const uri = 'file:///hostile/marker.md';
    await client.open(uri, fence('x = 1 + 1\n# mathnote-test-fault: exit'));
    assert.equal((await client.evaluated(uri)).state, 'done');
    assert.deepEqual(client.diagnostics(uri), [], 'the marker is an ordinary comment');
    const result: ResultAtResult = await client.connection.sendRequest(RESULT_AT_METHOD, { textDocument: { uri }, position: { line: 1, character: 0 } });
    assert.equal(result?.text, '2');
    for (const method of [TEST_GC_METHOD, TEST_THREADS_METHOD]) {
      await assert.rejects(client.connection.sendRequest(method, {}), (error: { code?: number }) => error.code === -32601, `${method} is unknown`);
    }
    await client.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
  });

  for (const hostile of CASES) {
    it(`${hostile.name}: diagnostics arrive, the rest evaluates, other notes are served`, async () => {
      const uri = `file:///hostile/${encodeURIComponent(hostile.name)}.md`;
      await client.open(uri, hostile.text);
      const status = await client.evaluated(uri);
      assert.ok(status.state === (hostile.state ?? status.state) && (status.state === 'done' || status.state === 'stopped'), status.state);
      assert.ok(
        client.received.some((message) => message.kind === 'diagnostics' && message.params.uri === uri),
        'diagnostics were published',
      );
      const diagnostics = client.diagnostics(uri);
      const lineCount = hostile.text.split(/\r\n|\r|\n/).length;
      for (const diagnostic of diagnostics) {
        assert.ok(diagnostic.range.start.line >= 0 && diagnostic.range.end.line < lineCount, `range inside the document: ${JSON.stringify(diagnostic.range)}`);
        assert.ok(typeof diagnostic.message === 'string' && diagnostic.message.length > 0);
      }
      if (hostile.codes) {
        const codes = diagnostics.map((diagnostic) => String(diagnostic.code));
        assert.ok(hostile.codes.some((code) => codes.includes(code)), `one of ${hostile.codes.join('/')} among ${codes.join(', ')}`);
      }
      assert.ok(!diagnostics.some((diagnostic) => diagnostic.code === 'internal'), 'no internal failure');
      if (hostile.value) {
        const result: ResultAtResult = await client.connection.sendRequest(RESULT_AT_METHOD, { textDocument: { uri }, position: { line: hostile.value.line, character: 0 } });
        assert.equal(result?.text, hostile.value.text);
      }

      const hover: Hover = await client.connection.sendRequest('textDocument/hover', { textDocument: { uri: normal.uri }, position: { line: 2, character: 0 } });
      assert.match((hover.contents as MarkupContent).value, /\| 7 \| 10 \|/);
      await client.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
    });
  }
});
