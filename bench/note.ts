/**
 * The benchmark note of DESIGN.md's budgets: 10,000 lines in 1,000 blocks, in the style of real
 * notes (prose between blocks, small matrices, functions, reductions), with names that chain across
 * blocks so that resolution and evaluation have real work to do.
 */
export interface BenchNote {
  readonly text: string;
  /** Offset of a position inside block 500's first statement, where the keystroke bench types. */
  readonly editOffset: number;
  /** Offset of a name use to hover over. */
  readonly hoverOffset: number;
  /** Offset just after a name use in block 500, where typing a letter changes the name. */
  readonly nameOffset: number;
}

export function generateBenchNote(blocks = 1000): BenchNote {
  const parts: string[] = ['# Benchmark note\n\n'];
  let length = parts[0].length;
  let editOffset = 0;
  let hoverOffset = 0;
  let nameOffset = 0;
  for (let b = 0; b < blocks; b++) {
    const prose = `Section ${b}: the matrix $A_{${b}}$ and its products.\n\n`;
    const lines = [
      '```mathnote',
      `A${b} = [${b % 7 + 1}, 2; 3, ${b % 5 + 4}]`,
      `v${b} = [1; ${b % 3 + 1}]`,
      `w${b} = A${b} v${b}`,
      `s${b} = sum(w${b}) + ${b === 0 ? 0 : `s${b - 1}`} / 1000`,
      `f${b}(x) = x² + ${b % 9} x + 1`,
      `y${b} = f${b}(${b % 4}) + det(A${b})`,
      `B${b} = A${b}ᵀ A${b}`,
      '```',
    ];
    const block = lines.join('\n') + '\n';
    if (b === Math.floor(blocks / 2)) {
      const start = length + prose.length + lines[0].length + 1;
      editOffset = start + `A${b} = [`.length;
      hoverOffset = start + lines[1].length + 1 + lines[2].length + 1 + `w${b} = `.length + 1;
      nameOffset = start + lines[1].length + 1 + lines[2].length + 1 + `w${b} = A${b} v${b}`.length;
    }
    parts.push(prose, block);
    length += prose.length + block.length;
  }
  return { text: parts.join(''), editOffset, hoverOffset, nameOffset };
}
