/**
 * Offset ⇄ position mapping for a whole document.
 *
 * Every pass works with UTF-16 offsets; only the edges (LSP, CLI) need `{ line, character }`.
 * Columns are UTF-16 code units, as LSP counts them, so an emoji before a block counts as two.
 * Line breaks are `\n`, `\r\n` and a lone `\r`, the same set LSP clients recognise.
 */
import type { PositionMapper } from '../analysis.js';

/** Maps between document offsets and 0-based LSP positions; out-of-range input is clamped. */
export class LineIndex implements PositionMapper {
  /** Offset of the first character of every line; `lineStarts[0]` is always 0. */
  private readonly lineStarts: number[];
  /** Offset just past the content of every line (before its line break). */
  private readonly lineEnds: number[];

  constructor(private readonly text: string) {
    this.lineStarts = [0];
    this.lineEnds = [];
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 13 /* \r */) {
        this.lineEnds.push(i);
        if (text.charCodeAt(i + 1) === 10) i++;
        this.lineStarts.push(i + 1);
      } else if (c === 10 /* \n */) {
        this.lineEnds.push(i);
        this.lineStarts.push(i + 1);
      }
    }
    this.lineEnds.push(text.length);
  }

  /** Number of lines (a text ending in a line break has an empty last line). */
  get lineCount(): number {
    return this.lineStarts.length;
  }

  /** Offset of the first character of `line` (clamped to the document). */
  lineStart(line: number): number {
    return this.lineStarts[Math.max(0, Math.min(line, this.lineStarts.length - 1))]!;
  }

  /** Offset just past the last content character of `line`, before its line break. */
  lineEnd(line: number): number {
    return this.lineEnds[Math.max(0, Math.min(line, this.lineEnds.length - 1))]!;
  }

  /** The 0-based line and UTF-16 character of an offset; offsets outside the text are clamped. */
  positionAt(offset: number): { line: number; character: number } {
    const clamped = Math.max(0, Math.min(Number.isFinite(offset) ? Math.floor(offset) : 0, this.text.length));
    let low = 0;
    let high = this.lineStarts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (this.lineStarts[mid]! <= clamped) low = mid;
      else high = mid - 1;
    }
    // An offset inside a `\r\n` pair belongs to the end of its line's content.
    const character = Math.min(clamped, this.lineEnds[low]!) - this.lineStarts[low]!;
    return { line: low, character };
  }

  /** The offset of a position; a line past the end gives the text's length, a column past the
   * end of its line gives the end of that line's content. */
  offsetAt(position: { line: number; character: number }): number {
    if (position.line < 0) return 0;
    if (position.line >= this.lineStarts.length) return this.text.length;
    const start = this.lineStarts[position.line]!;
    const end = this.lineEnds[position.line]!;
    return Math.max(start, Math.min(start + Math.max(0, position.character), end));
  }
}
