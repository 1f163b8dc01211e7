/**
 * The shortcut for number edits (reanalyze.ts) must be invisible: whenever it answers, its problems
 * and statement positions equal a full `analyzeNote` of the edited text. Data-driven over every
 * example note, the shape fixtures (full of problems with related locations) and a generated note
 * of the benchmark's kind: every number literal is edited in several ways (a digit typed before,
 * inside and after it, a digit deleted, the number replaced by one of another size), and random
 * single-character edits anywhere check that the shortcut declines what it cannot prove.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeNote, reanalyzeEdit, type Analysis } from '../../../server/src/language/index.js';
import { generateBenchNote } from '../../../bench/note.js';

const folders = [join(process.cwd(), 'examples'), join(process.cwd(), 'test', 'fixtures', 'shapes')];
const notes = [
  ...folders.flatMap((folder) =>
    readdirSync(folder)
      .filter((file) => file.endsWith('.md'))
      .sort()
      .map((file) => ({ name: `${folder.endsWith('examples') ? 'examples' : 'fixtures/shapes'}/${file}`, text: readFileSync(join(folder, file), 'utf8') })),
  ),
  { name: 'generated bench note (40 blocks)', text: generateBenchNote(40).text },
];

/** Offsets and lengths of number literals inside mathnote blocks. */
function numbersIn(analysis: Analysis): { start: number; end: number }[] {
  const found: { start: number; end: number }[] = [];
  for (const block of analysis.blocks) {
    const content = analysis.text.slice(block.fence.contentStart, block.fence.contentEnd);
    for (const match of content.matchAll(/(?<![\p{L}\p{N}_.])\d+(?:\.\d+)?/gu)) {
      const start = block.fence.contentStart + match.index;
      found.push({ start, end: start + match[0].length });
    }
  }
  return found;
}

function numberEdits(text: string, number: { start: number; end: number }): string[] {
  const { start, end } = number;
  const edit = (from: number, to: number, insert: string) => text.slice(0, from) + insert + text.slice(to);
  const middle = start + Math.floor((end - start) / 2);
  const edits = [edit(start, start, '3'), edit(middle, middle, '7'), edit(end, end, '0'), edit(start, end, '12')];
  if (end - start > 1) edits.push(edit(end - 1, end, ''));
  return edits;
}

/** A small deterministic generator, so a failure names the same edit every time. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) & 0x7fffffff;
    return state / 0x7fffffff;
  };
}

function assertSameAsFull(base: Analysis, text: string, label: string): boolean {
  const quick = reanalyzeEdit(base, text);
  if (!quick) return false;
  const full = analyzeNote(text);
  assert.deepEqual(quick.problems, full.problems, `${label}: problems differ from a full analysis`);
  for (let index = 0; index < full.statements.length; index++) {
    assert.deepEqual(quick.statementSpan(index), full.statements[index]!.span, `${label}: statement ${index} is elsewhere`);
  }
  // Positions: every offset near the edit and a spread of others map as a fresh line index does.
  const edit = text.length - base.text.length;
  const firstDifference = [...text].findIndex((_, index) => text[index] !== base.text[index]);
  const offsets = new Set<number>([0, text.length, text.length + 5, -3]);
  for (let offset = Math.max(0, firstDifference - 40); offset < Math.min(text.length, firstDifference + 40 + Math.abs(edit)); offset++) offsets.add(offset);
  for (let offset = 0; offset < text.length; offset += 97) offsets.add(offset);
  for (const offset of offsets) {
    const position = full.positions.positionAt(offset);
    assert.deepEqual(quick.positions.positionAt(offset), position, `${label}: position of offset ${offset}`);
    assert.equal(quick.positions.offsetAt(position), full.positions.offsetAt(position), `${label}: offset of ${position.line}:${position.character}`);
  }
  return true;
}

for (const note of notes) {
  test(`number edits of ${note.name} answer exactly what a full analysis does`, () => {
    const base = analyzeNote(note.text);
    let answered = 0;
    let tried = 0;
    for (const number of numbersIn(base)) {
      for (const text of numberEdits(note.text, number)) {
        tried++;
        if (assertSameAsFull(base, text, `${note.name} @${number.start}`)) answered++;
      }
    }
    // The shortcut must actually be taken for most number edits, or this test proves nothing.
    if (tried > 0) assert.ok(answered / tried > 0.3, `${note.name}: only ${answered} of ${tried} number edits took the shortcut`);
  });

  test(`random single-character edits of ${note.name} are declined or exact`, () => {
    const base = analyzeNote(note.text);
    const next = random(note.name.length * 7919 + note.text.length);
    const alphabet = ['1', '0', 'x', ' ', '+', '-', '*', '(', ')', '[', ']', ';', ',', '=', '\n', '`', '.', 'e', 'ᵀ', '²'];
    for (let round = 0; round < 150; round++) {
      const at = Math.floor(next() * note.text.length);
      const text =
        next() < 0.5
          ? note.text.slice(0, at) + alphabet[Math.floor(next() * alphabet.length)]! + note.text.slice(at)
          : note.text.slice(0, at) + note.text.slice(at + 1);
      assertSameAsFull(base, text, `${note.name} round ${round} @${at}`);
    }
  });
}

test('a number edit that changes a shape used further down is declined', () => {
  const text = '```mathnote\nn = 3\nx = zeros(n, 1)\n```\n\n```mathnote\ny = [1, 2, 3] x\n```\n';
  const base = analyzeNote(text);
  const edited = text.replace('n = 3', 'n = 1');
  assert.equal(reanalyzeEdit(base, edited), undefined);
  // While an edit that keeps every shape takes the shortcut, with the new problem of its own line.
  const local = text.replace('zeros(n, 1)', 'zeros(n, 1) + [1, 2]');
  const localBase = analyzeNote(local);
  const widened = local.replace('[1, 2]', '[1, 27]');
  assert.ok(assertSameAsFull(localBase, widened, 'local'));
});

test('chained number edits keep answering from the same base analysis', () => {
  const note = generateBenchNote(20);
  const base = analyzeNote(note.text);
  let text = note.text;
  for (const digit of ['1', '2', '3', '4']) {
    text = text.slice(0, note.editOffset) + digit + text.slice(note.editOffset);
    assert.ok(assertSameAsFull(base, text, `after typing ${digit}`));
  }
});

test('edits that change operands and operators of a statement take the shortcut when its shape stays', () => {
  const note = generateBenchNote(30);
  const base = analyzeNote(note.text);
  let answered = 0;
  let tried = 0;
  for (const statement of base.statements) {
    if (statement.kind !== 'definition') continue;
    for (const addition of [' + 0', ' .* 1', ' + undefinedName']) {
      tried++;
      const text = note.text.slice(0, statement.span.end) + addition + note.text.slice(statement.span.end);
      if (assertSameAsFull(base, text, `after ${statement.target.name}: ${addition}`)) answered++;
    }
  }
  // The undefined name makes a definition fail, which later uses would report: those fall back.
  assert.ok(answered / tried > 0.5, `only ${answered} of ${tried} edits took the shortcut`);
});
