import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AnalysisOptions } from '../../../server/src/language/analysis.js';
import { findBlocks, findCitations } from '../../../server/src/language/markdown/blocks.js';

const md: AnalysisOptions = { fenceNames: ['mathnote'], wholeFile: false };

/** The content of every block, as the parser will see it. */
function contents(text: string, options = md): string[] {
  return findBlocks(text, options).map((block) => text.slice(block.contentStart, block.contentEnd));
}

const cases: { name: string; text: string; expected: string[] }[] = [
  { name: 'backtick fence', text: 'prose\n```mathnote\nx = 1\ny = 2\n```\nmore', expected: ['x = 1\ny = 2'] },
  { name: 'tilde fence, longer', text: '~~~~mathnote extra words\nx = 1\n~~~~~\n', expected: ['x = 1'] },
  { name: 'other languages are prose', text: '```python\nx = 1\n```\n```mathnote\ny = 2\n```', expected: ['y = 2'] },
  { name: 'fence inside another language block is not a block', text: '````markdown\n```mathnote\nx = 1\n```\n````\n', expected: [] },
  { name: 'closing fence must be as long', text: '````mathnote\nx = 1\n```\ny = 2\n````\n', expected: ['x = 1\n```\ny = 2'] },
  { name: 'closing fence of the other character does not close', text: '```mathnote\nx = 1\n~~~\n```', expected: ['x = 1\n~~~'] },
  { name: 'closing fence with an info string does not close', text: '```mathnote\nx = 1\n```js\n```', expected: ['x = 1\n```js'] },
  { name: 'indented up to three spaces', text: '   ```mathnote\nx = 1\n   ```', expected: ['x = 1'] },
  { name: 'four spaces is not a fence', text: '    ```mathnote\nx = 1\n    ```', expected: [] },
  { name: 'tab indentation is four columns', text: '\t```mathnote\nx = 1\n```', expected: [] },
  { name: 'unclosed fence runs to the end', text: 'a\n```mathnote\nx = 1\ny = (2\n', expected: ['x = 1\ny = (2\n'] },
  { name: 'CRLF line breaks', text: 'a\r\n```mathnote\r\nx = 1\r\ny = 2\r\n```\r\nb', expected: ['x = 1\r\ny = 2'] },
  { name: 'lone CR line breaks', text: '```mathnote\rx = 1\r```', expected: ['x = 1'] },
  { name: 'leading BOM', text: '\uFEFF```mathnote\nx = 1\n```', expected: ['x = 1'] },
  { name: 'empty block', text: '```mathnote\n```\n', expected: [''] },
  { name: 'two blocks', text: '```mathnote\na = 1\n```\ntext\n~~~ mathnote\nb = a\n~~~', expected: ['a = 1', 'b = a'] },
  { name: 'backticks in a backtick info string make it inline code', text: '```mathnote `x`\nx = 1\n```', expected: [] },
];

for (const c of cases) {
  test(`findBlocks: ${c.name}`, () => {
    assert.deepEqual(contents(c.text), c.expected);
  });
}

test('findBlocks: fence names are configurable', () => {
  assert.deepEqual(contents('```math\nx = 1\n```\n```mathnote\ny\n```', { fenceNames: ['math'], wholeFile: false }), ['x = 1']);
});

test('findBlocks: fence spans', () => {
  const text = 'p\n```mathnote\nx\n```\n';
  const [block] = findBlocks(text, md);
  assert.deepEqual(block!.openFence, { start: 2, end: 13 });
  assert.deepEqual(block!.closeFence, { start: 16, end: 19 });
  assert.equal(block!.language, 'mathnote');
});

test('findBlocks: a .mathnote file is one block', () => {
  const text = 'x = 1\n```\ny = 2\n';
  assert.deepEqual(contents(text, { fenceNames: ['mathnote'], wholeFile: true }), [text]);
  assert.deepEqual(contents('\uFEFFx', { fenceNames: ['mathnote'], wholeFile: true }), ['x']);
});

test('findCitations: `= expr` spans in prose only', () => {
  const text = 'The fit is `= β̂` and `=  x + 1 ` but not `x` nor `== 2`.\n```mathnote\n`= no`\n```\n```js\n`= no`\n```\nEnd ``= y` ``.';
  const blocks = findBlocks(text, md);
  const found = findCitations(text, blocks).map((c) => [text.slice(c.span.start, c.span.end), text.slice(c.exprStart, c.exprEnd)]);
  assert.deepEqual(found, [
    ['`= β̂`', 'β̂'],
    ['`=  x + 1 `', 'x + 1'],
    ['``= y` ``', 'y`'],
  ]);
});

test('findCitations: escaped backticks and unmatched runs are literal', () => {
  const text = 'a \\`= x b `= y`\n\nc `= z\n\nd`';
  const found = findCitations(text, []).map((c) => text.slice(c.exprStart, c.exprEnd));
  assert.deepEqual(found, ['y']);
});
