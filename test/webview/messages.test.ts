/**
 * The extension's validation of what the preview page posts: only exact known shapes with lines
 * inside the document pass; everything else is ignored.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parsePageMessage, parsePanelState } from '../../client/src/preview/messages.js';
import { parseHostMessage } from '../../media/src/messages.js';

describe('messages from the preview page', () => {
  test('known shapes pass', () => {
    assert.deepEqual(parsePageMessage({ type: 'ready' }, 10), { type: 'ready' });
    assert.deepEqual(parsePageMessage({ type: 'reveal', line: 9 }, 10), { type: 'reveal', line: 9 });
    assert.deepEqual(parsePageMessage({ type: 'visibleLine', line: 0 }, 10), { type: 'visibleLine', line: 0 });
    const rendered = { type: 'rendered', statements: 3, katex: 7, plots: 1, dots: 5, lines: 1 };
    assert.deepEqual(parsePageMessage(rendered, 10), rendered);
  });

  const rejected: [string, unknown][] = [
    ['a string', 'reveal'],
    ['null', null],
    ['an array', [{ type: 'ready' }]],
    ['an unknown type', { type: 'runCommand', command: 'workbench.action.terminal.new' }],
    ['a line past the end', { type: 'reveal', line: 10 }],
    ['a negative line', { type: 'reveal', line: -1 }],
    ['a fractional line', { type: 'reveal', line: 1.5 }],
    ['a line as a string', { type: 'reveal', line: '3' }],
    ['NaN', { type: 'visibleLine', line: NaN }],
    ['extra keys', { type: 'reveal', line: 1, uri: 'file:///etc/passwd' }],
    ['extra keys on ready', { type: 'ready', then: 'x' }],
    ['an inherited type', Object.create({ type: 'ready' })],
    ['rendered with a missing count', { type: 'rendered', statements: 3, katex: 7, plots: 1, dots: 5 }],
    ['rendered with a negative count', { type: 'rendered', statements: -3, katex: 7, plots: 1, dots: 5, lines: 1 }],
    ['rendered with an extra key', { type: 'rendered', statements: 3, katex: 7, plots: 1, dots: 5, lines: 1, html: '<b>' }],
  ];
  for (const [name, message] of rejected) {
    test(`ignores ${name}`, () => assert.equal(parsePageMessage(message, 10), undefined));
  }

  test('saved state is read back only when well formed', () => {
    assert.deepEqual(parsePanelState({ uri: 'file:///a.md', locked: true, line: 4 }), { uri: 'file:///a.md', locked: true, line: 4 });
    assert.deepEqual(parsePanelState({ locked: false, line: -3 }), { uri: undefined, locked: false, line: 0 });
    assert.equal(parsePanelState({ uri: 3, locked: true, line: 1 }), undefined);
    assert.equal(parsePanelState('state'), undefined);
  });
});

describe('messages to the preview page', () => {
  const model = { version: 1, title: 't', segments: [], complete: true, errorCount: 0, warningCount: 0 };
  test('a model and a scroll pass', () => {
    assert.deepEqual(parseHostMessage({ type: 'model', model, locked: true }), { type: 'model', model, locked: true });
    assert.deepEqual(parseHostMessage({ type: 'scrollToLine', line: 7 }), { type: 'scrollToLine', line: 7 });
  });
  test('anything else is ignored', () => {
    for (const message of [
      { type: 'model', model: { ...model, version: 2 }, locked: false },
      { type: 'model', model: { ...model, segments: [{ kind: 'html', key: 'k' }] }, locked: false },
      { type: 'model', model, locked: 'no' },
      { type: 'scrollToLine', line: -2 },
      { type: 'eval', code: '1' },
      undefined,
    ]) {
      assert.equal(parseHostMessage(message), undefined, JSON.stringify(message));
    }
  });
});
