/**
 * The parse cache of `analyzeNote` (syntax/blockCache.ts) must be invisible: after any edit, every
 * block it answers equals a fresh `parseBlock` of the new text (same statements, same spans, same
 * problems with the same `openedAt` lines). Data-driven: each example note and syntax fixture is
 * edited in several ways (text inserted above every block, a statement changed and restored, an
 * unclosed bracket introduced and then moved down), and each version is compared block by block.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeNote } from '../../../server/src/language/index.js';
import { findBlocks } from '../../../server/src/language/markdown/blocks.js';
import { LineIndex } from '../../../server/src/language/markdown/lineIndex.js';
import { parseBlockCached, clearBlockCache } from '../../../server/src/language/syntax/blockCache.js';
import { parseBlock } from '../../../server/src/language/syntax/parser.js';
import { lex } from '../../../server/src/language/syntax/lexer.js';

const folders = [join(process.cwd(), 'examples'), join(process.cwd(), 'test', 'fixtures', 'syntax')];
const notes = folders.flatMap((folder) =>
  readdirSync(folder)
    .filter((file) => file.endsWith('.md'))
    .sort()
    .map((file) => ({ name: `${folder.endsWith('examples') ? 'examples' : 'fixtures'}/${file}`, text: readFileSync(join(folder, file), 'utf8') })),
);

const options = { fenceNames: ['mathnote'], wholeFile: false };

/** Versions of a note, as a person editing it would produce them one after another. */
function editsOf(text: string): string[] {
  const blocks = findBlocks(text, options);
  const versions: string[] = [text, `A new first line.\n\n${text}`, `A new first line.\r\nand another\n\n${text}`, text];
  const middle = blocks[Math.floor(blocks.length / 2)];
  if (middle && middle.contentEnd > middle.contentStart) {
    const at = middle.contentStart + 1;
    const typed = text.slice(0, at) + '7' + text.slice(at);
    const unclosed = text.slice(0, middle.contentStart) + 'q = (1 + \n' + text.slice(middle.contentStart);
    versions.push(typed, text, unclosed, `Moved down.\n${unclosed}`, `Moved\ndown\ntwice.\n${unclosed}`, unclosed, text);
  }
  return versions;
}

function assertSameAsFresh(text: string, label: string): void {
  const positions = new LineIndex(text);
  for (const block of findBlocks(text, options)) {
    const cached = parseBlockCached(text, block.contentStart, block.contentEnd, positions.positionAt(block.contentStart).line);
    const fresh = parseBlock(text, block.contentStart, block.contentEnd);
    assert.deepStrictEqual(cached, fresh, `${label}: block at ${block.contentStart}`);
  }
}

for (const note of notes) {
  test(`parse cache equals a fresh parse after edits: ${note.name}`, () => {
    clearBlockCache();
    editsOf(note.text).forEach((version, index) => assertSameAsFresh(version, `${note.name} version ${index}`));
  });
}

test('analyzeNote gives the same blocks and problems with a warm cache as with a cold one', () => {
  for (const note of notes) {
    for (const version of editsOf(note.text)) {
      const warm = analyzeNote(version);
      clearBlockCache();
      const cold = analyzeNote(version);
      assert.deepStrictEqual(warm.blocks, cold.blocks, note.name);
      assert.deepStrictEqual(warm.problems, cold.problems, note.name);
    }
  }
});

test('an unchanged block at the same place is answered from the cache, not parsed again', () => {
  clearBlockCache();
  const text = notes[0]!.text;
  const [block] = findBlocks(text, options);
  assert.ok(block);
  const first = parseBlockCached(text, block.contentStart, block.contentEnd, 0);
  const again = parseBlockCached(`${text}\nmore prose`, block.contentStart, block.contentEnd, 0);
  assert.equal(again, first);
});

test('an unclosed bracket moved down keeps its openedAt line right', () => {
  clearBlockCache();
  const body = '```mathnote\nq = (1 +\n```\n';
  const lineOf = (text: string) => {
    const [block] = findBlocks(text, options);
    const parsed = parseBlockCached(text, block!.contentStart, block!.contentEnd, new LineIndex(text).positionAt(block!.contentStart).line);
    return parsed.problems.map((problem) => problem.args['openedAt']);
  };
  assert.deepEqual(lineOf(body), ['2:5']);
  assert.deepEqual(lineOf(`one\ntwo\n${body}`), ['4:5']);
});

test('the lexer stops at the end of its range even before a digit after a dot', () => {
  const text = 'x.5';
  const { tokens } = lex(text, 0, 2);
  assert.deepEqual(tokens.map((token) => token.image), ['x', '.']);
});
