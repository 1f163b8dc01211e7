/**
 * Seeded random typing for the fault tests: a script of small incremental edits (insertions of
 * characters and fragments, deletions within a line, new lines) with the text they lead to, so a
 * test can send the edits without waiting and still know the final text.
 */

/** A Mathnote block around a body. */
export function fence(body: string): string {
  return '```mathnote\n' + body + '\n```\n';
}

/** One incremental change in LSP coordinates (UTF-16 columns). */
export interface ScriptedEdit {
  readonly range: { start: { line: number; character: number }; end: { line: number; character: number } };
  readonly text: string;
}

/** What the script types: single characters and fragments that make statements right and wrong. */
const FRAGMENTS = ['a', 'x', '1', '2', ' ', '+', '*', '[', ']', ';', ',', '(', ')', 'ᵀ', '⁻¹', 'α', '😀', '\n', 'z = [1, 2] [3, 4]\n', 'w = A B\n', 'k = 1 / 0\n'];

export class EditScript {
  private lines: string[];
  private state: number;

  constructor(text: string, seed: number) {
    this.lines = text.split('\n');
    this.state = seed >>> 0 || 1;
  }

  /** The text after every edit made so far. */
  get text(): string {
    return this.lines.join('\n');
  }

  /** xorshift32: the same seed gives the same script on every machine. */
  private random(limit: number): number {
    let x = this.state;
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    this.state = x;
    return x % limit;
  }

  /** The next edit, already applied to the script's text. */
  next(): ScriptedEdit {
    // Fence lines are left alone so the blocks, and their diagnostics, survive the typing.
    let line = this.random(this.lines.length);
    while (/^\s*(```|~~~)/.test(this.lines[line]!)) line = (line + 1) % this.lines.length;
    const content = this.lines[line]!;
    const character = this.random(content.length + 1);
    if (this.random(4) === 0 && character < content.length) {
      // Delete up to three UTF-16 units inside the line (a surrogate pair may be split: notes can hold anything).
      const end = Math.min(content.length, character + 1 + this.random(3));
      this.lines[line] = content.slice(0, character) + content.slice(end);
      return { range: { start: { line, character }, end: { line, character: end } }, text: '' };
    }
    const fragment = FRAGMENTS[this.random(FRAGMENTS.length)]!;
    const updated = content.slice(0, character) + fragment + content.slice(character);
    this.lines.splice(line, 1, ...updated.split('\n'));
    return { range: { start: { line, character }, end: { line, character } }, text: fragment };
  }
}
