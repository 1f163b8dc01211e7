/**
 * Fixture notes under test/fixtures/syntax/: each `NOTE.md` is parsed block by block, and the
 * statements (as s-expressions, with their 1-based line:column) and syntax problems (with their
 * messages) must equal `NOTE.expected` beside it. Set UPDATE_SYNTAX_FIXTURES=1 to rewrite the
 * expectations after a deliberate change, then review the diff.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { findBlocks } from '../../../server/src/language/markdown/blocks.js';
import { LineIndex } from '../../../server/src/language/markdown/lineIndex.js';
import { parseBlock } from '../../../server/src/language/syntax/parser.js';
import { syntaxMessages } from '../../../server/src/language/syntax/messages.js';
import { sexprStatement } from './sexpr.js';

const fixtures = join(process.cwd(), 'test', 'fixtures', 'syntax');
const shared = join(process.cwd(), '..', 'shared', 'examples');

/** The listing a note's expectation file holds. */
function listing(text: string): string {
  const index = new LineIndex(text);
  const where = (offset: number) => {
    const p = index.positionAt(offset);
    return `${p.line + 1}:${p.character + 1}`;
  };
  const lines: string[] = [];
  for (const block of findBlocks(text, { fenceNames: ['mathnote'], wholeFile: false })) {
    const parsed = parseBlock(text, block.contentStart, block.contentEnd);
    for (const statement of parsed.value.statements) lines.push(`${where(statement.span.start)} ${sexprStatement(statement)}`);
    for (const problem of parsed.problems) {
      lines.push(`! ${where(problem.span.start)}-${where(problem.span.end)} ${problem.kind}: ${syntaxMessages[problem.kind]!(problem.args)}`);
    }
  }
  return lines.join('\n') + '\n';
}

const notes = readdirSync(fixtures).filter((file) => file.endsWith('.md')).sort();

for (const note of notes) {
  test(`fixture ${note}`, () => {
    const text = readFileSync(join(fixtures, note), 'utf8');
    const expectedFile = join(fixtures, note.replace(/\.md$/, '.expected'));
    const actual = listing(text);
    if (process.env['UPDATE_SYNTAX_FIXTURES'] === '1') writeFileSync(expectedFile, actual);
    assert.equal(actual, readFileSync(expectedFile, 'utf8'));
  });
}

test('the example notes parse without syntax problems, except the deliberate one in mistakes.md', () => {
  const directories = [fixtures, ...(existsSync(shared) ? [shared] : [])];
  const examples = ['activations.md', 'gradient-descent.md', 'linear-algebra.md', 'mistakes.md', 'pca.md', 'probability.md', 'regression.md'];
  for (const directory of directories) {
    for (const example of examples) {
      const path = join(directory, example);
      if (!existsSync(path)) continue;
      const text = readFileSync(path, 'utf8');
      const problems = findBlocks(text, { fenceNames: ['mathnote'], wholeFile: false }).flatMap(
        (block) => parseBlock(text, block.contentStart, block.contentEnd).problems,
      );
      const lines = problems.map((problem) => text.slice(0, problem.span.start).split('\n').pop() + text.slice(problem.span.start).split('\n')[0]);
      assert.deepEqual(lines, example === 'mistakes.md' ? ['q = (1 + 2                     # expect-error: syntax'] : [], path);
    }
  }
});
