import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LineIndex } from '../../../server/src/language/markdown/lineIndex.js';
import { findBlocks } from '../../../server/src/language/markdown/blocks.js';

test('LineIndex: UTF-16 columns after emoji and CJK', () => {
  const text = '# 😀 笔记 😀\n```mathnote\n😀x = 1\n```\n';
  const index = new LineIndex(text);
  const [block] = findBlocks(text, { fenceNames: ['mathnote'], wholeFile: false });
  const x = text.indexOf('x = 1');
  assert.deepEqual(index.positionAt(block!.contentStart), { line: 2, character: 0 });
  // The emoji is a surrogate pair: two UTF-16 code units, as LSP counts.
  assert.deepEqual(index.positionAt(x), { line: 2, character: 2 });
  assert.equal(index.offsetAt({ line: 2, character: 2 }), x);
  assert.deepEqual(index.positionAt(text.indexOf('笔')), { line: 0, character: 5 });
});

test('LineIndex: every line break style', () => {
  const text = 'a\r\nb\rc\nd';
  const index = new LineIndex(text);
  assert.equal(index.lineCount, 4);
  assert.deepEqual([0, 3, 5, 7].map((o) => index.positionAt(o)), [
    { line: 0, character: 0 }, { line: 1, character: 0 }, { line: 2, character: 0 }, { line: 3, character: 0 },
  ]);
  // Inside a CRLF pair is the end of the line's content.
  assert.deepEqual(index.positionAt(2), { line: 0, character: 1 });
  for (let offset = 0; offset <= text.length; offset++) {
    const p = index.positionAt(offset);
    if (offset !== 2) assert.equal(index.offsetAt(p), offset === 4 ? 4 : offset, `offset ${offset}`);
  }
});

test('LineIndex: clamps out-of-range input', () => {
  const index = new LineIndex('ab\ncd');
  assert.deepEqual(index.positionAt(-5), { line: 0, character: 0 });
  assert.deepEqual(index.positionAt(99), { line: 1, character: 2 });
  assert.equal(index.offsetAt({ line: -1, character: 3 }), 0);
  assert.equal(index.offsetAt({ line: 7, character: 0 }), 5);
  assert.equal(index.offsetAt({ line: 0, character: 99 }), 2);
  assert.equal(index.offsetAt({ line: 1, character: -4 }), 3);
  assert.deepEqual(new LineIndex('').positionAt(0), { line: 0, character: 0 });
});
