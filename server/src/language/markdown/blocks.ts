/**
 * Finding Mathnote code in Markdown: ```mathnote fenced blocks, and results cited in prose as an
 * inline code span `` `= expr` ``.
 *
 * Only the parts of CommonMark that decide where code is are implemented: fenced code blocks
 * (backticks or tildes, three or more, indented up to three columns, closed by a fence of the
 * same character that is at least as long and has no info string, or running to the end of the
 * document) and code spans. Fences nested in block quotes or list items are not recognised.
 */
import type { AnalysisOptions, FencedBlock } from '../analysis.js';
import type { Span } from '../syntax/ast.js';

/** The options used when a caller gives none: ```mathnote blocks in Markdown. */
export const defaultAnalysisOptions: AnalysisOptions = { fenceNames: ['mathnote'], wholeFile: false };

/** A fenced code block of any language; Mathnote blocks are the ones whose language matches. */
interface AnyFence extends FencedBlock {
  /** Offset of the opening fence line's start. */
  readonly start: number;
  /** Offset just past the closing fence line (or the document's end). */
  readonly end: number;
}

/** One line of the document: where its content starts and ends, and where the next line begins. */
interface Line {
  readonly start: number;
  readonly end: number;
  readonly next: number;
}

function splitLines(text: string): Line[] {
  const lines: Line[] = [];
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || c === 13) {
      const next = c === 13 && text.charCodeAt(i + 1) === 10 ? i + 2 : i + 1;
      lines.push({ start, end: i, next });
      start = next;
      i = next - 1;
    }
  }
  lines.push({ start, end: text.length, next: text.length });
  return lines;
}

interface FenceLine {
  readonly char: '`' | '~';
  readonly length: number;
  /** The trimmed text after the fence characters. */
  readonly info: string;
}

/**
 * Reads a fence at the start of a line, or returns undefined. Indentation is measured in columns
 * with tab stops of four, as CommonMark does, so a tab makes the line an indented code line.
 */
function readFence(text: string, line: Line): FenceLine | undefined {
  let i = line.start;
  // A byte order mark belongs to no line's content.
  if (i === 0 && text.charCodeAt(0) === 0xfeff) i = 1;
  let column = 0;
  while (i < line.end) {
    const c = text[i];
    if (c === ' ') column++;
    else if (c === '\t') column += 4 - (column % 4);
    else break;
    if (column > 3) return undefined;
    i++;
  }
  const char = text[i];
  if (char !== '`' && char !== '~') return undefined;
  let length = 0;
  while (i + length < line.end && text[i + length] === char) length++;
  if (length < 3) return undefined;
  const info = text.slice(i + length, line.end).trim();
  // A backtick fence's info string may not contain backticks (that would be inline code).
  if (char === '`' && info.includes('`')) return undefined;
  return { char, length, info };
}

/** Every fenced code block of the document, whatever its language. */
function findAllFences(text: string): AnyFence[] {
  const lines = splitLines(text);
  const fences: AnyFence[] = [];
  let index = 0;
  while (index < lines.length) {
    const line = lines[index]!;
    const open = readFence(text, line);
    if (!open) {
      index++;
      continue;
    }
    const language = open.info.split(/\s+/)[0] ?? '';
    const contentStart = line.next === line.end ? text.length : line.next;
    let closeIndex = -1;
    for (let j = index + 1; j < lines.length; j++) {
      const close = readFence(text, lines[j]!);
      if (close && close.char === open.char && close.length >= open.length && close.info === '') {
        closeIndex = j;
        break;
      }
    }
    if (closeIndex < 0) {
      fences.push({
        openFence: { start: line.start, end: line.end },
        contentStart,
        contentEnd: Math.max(contentStart, text.length),
        language,
        start: line.start,
        end: text.length,
      });
      break;
    }
    const closeLine = lines[closeIndex]!;
    const lastContent = closeIndex > index + 1 ? lines[closeIndex - 1]!.end : contentStart;
    fences.push({
      openFence: { start: line.start, end: line.end },
      closeFence: { start: closeLine.start, end: closeLine.end },
      contentStart,
      contentEnd: Math.max(contentStart, lastContent),
      language,
      start: line.start,
      end: closeLine.end,
    });
    index = closeIndex + 1;
  }
  return fences;
}

function toFencedBlock(fence: AnyFence): FencedBlock {
  const { openFence, closeFence, contentStart, contentEnd, language } = fence;
  return closeFence
    ? { openFence, closeFence, contentStart, contentEnd, language }
    : { openFence, contentStart, contentEnd, language };
}

/**
 * The Mathnote blocks of a document, in order: fenced code blocks whose info string's first word
 * is one of `options.fenceNames` (compared without regard to case), or, for a `.mathnote` file
 * (`options.wholeFile`), one block holding the whole text.
 */
export function findBlocks(text: string, options: AnalysisOptions = defaultAnalysisOptions): FencedBlock[] {
  if (options.wholeFile) {
    const contentStart = text.charCodeAt(0) === 0xfeff ? 1 : 0;
    return [{ contentStart, contentEnd: text.length, language: 'mathnote' }];
  }
  const names = new Set(options.fenceNames.map((name) => name.toLowerCase()));
  return findAllFences(text)
    .filter((fence) => names.has(fence.language.toLowerCase()))
    .map(toFencedBlock);
}

/** A result cited in prose: the inline code span `` `= expr` `` and where its expression lies. */
export interface Citation {
  /** The whole code span, backticks included. */
  readonly span: Span;
  /** Offset of the expression's first character (after `=` and spaces). */
  readonly exprStart: number;
  /** Offset just past the expression's last non-space character. */
  readonly exprEnd: number;
}

function isBlankBetween(text: string, from: number, to: number): boolean {
  // A blank line ends a paragraph, and a code span never crosses a paragraph's end.
  return /\r?\n[ \t]*\r?\n|\r[ \t]*\r/.test(text.slice(from, to));
}

/**
 * The citations `` `= expr` `` in the prose of a document: inline code spans (CommonMark rules:
 * a run of n backticks up to the next run of exactly n) whose content starts with `=` (not `==`).
 * Code spans inside any fenced code block (given `blocks` and fences of other languages) are
 * skipped, as is a backtick escaped with a backslash.
 */
export function findCitations(text: string, blocks: readonly FencedBlock[]): Citation[] {
  const excluded: Span[] = findAllFences(text).map((fence) => ({ start: fence.start, end: fence.end }));
  for (const block of blocks) {
    excluded.push({ start: block.openFence?.start ?? block.contentStart, end: block.closeFence?.end ?? block.contentEnd });
  }
  excluded.sort((a, b) => a.start - b.start);
  const citations: Citation[] = [];
  let regionStart = 0;
  const regions: Span[] = [];
  for (const span of excluded) {
    if (span.start > regionStart) regions.push({ start: regionStart, end: span.start });
    regionStart = Math.max(regionStart, span.end);
  }
  if (regionStart < text.length) regions.push({ start: regionStart, end: text.length });

  for (const region of regions) {
    let i = region.start;
    while (i < region.end) {
      if (text[i] === '\\') {
        i += 2;
        continue;
      }
      if (text[i] !== '`') {
        i++;
        continue;
      }
      let runLength = 0;
      while (i + runLength < region.end && text[i + runLength] === '`') runLength++;
      const contentStart = i + runLength;
      // Find the closing run of exactly the same length.
      let j = contentStart;
      let closeStart = -1;
      while (j < region.end) {
        if (text[j] !== '`') {
          j++;
          continue;
        }
        let length = 0;
        while (j + length < region.end && text[j + length] === '`') length++;
        if (length === runLength) {
          closeStart = j;
          break;
        }
        j += length;
      }
      if (closeStart < 0 || isBlankBetween(text, contentStart, closeStart)) {
        // An unmatched run is literal text.
        i = contentStart;
        continue;
      }
      const citation = readCitation(text, i, contentStart, closeStart, closeStart + runLength);
      if (citation) citations.push(citation);
      i = closeStart + runLength;
    }
  }
  return citations;
}

function readCitation(text: string, spanStart: number, contentStart: number, contentEnd: number, spanEnd: number): Citation | undefined {
  let start = contentStart;
  while (start < contentEnd && /\s/.test(text[start]!)) start++;
  if (text[start] !== '=' || text[start + 1] === '=') return undefined;
  start++;
  while (start < contentEnd && /\s/.test(text[start]!)) start++;
  let end = contentEnd;
  while (end > start && /\s/.test(text[end - 1]!)) end--;
  if (end <= start) return undefined;
  return { span: { start: spanStart, end: spanEnd }, exprStart: start, exprEnd: end };
}
