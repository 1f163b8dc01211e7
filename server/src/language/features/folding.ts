/**
 * Folding ranges: every Mathnote block folds from its opening fence to its closing fence.
 */
import { FoldingRangeKind, type FoldingRange } from 'vscode-languageserver-types';
import type { Analysis } from '../analysis.js';

/** One folding range per fenced block that spans more than one line. */
export function foldingRanges(analysis: Analysis): FoldingRange[] {
  const ranges: FoldingRange[] = [];
  for (const block of analysis.blocks) {
    const start = analysis.positions.positionAt(block.fence.openFence?.start ?? block.fence.contentStart).line;
    const endOffset = block.fence.closeFence ? block.fence.closeFence.start : block.fence.contentEnd;
    const end = analysis.positions.positionAt(Math.max(endOffset, block.fence.contentStart)).line;
    if (end > start) ranges.push({ startLine: start, endLine: end, kind: FoldingRangeKind.Region });
  }
  return ranges;
}
