/**
 * Document symbols: one entry per Mathnote block (named after the heading above it when there is
 * one), with the definitions of that block as its children, so the outline reads like the note.
 */
import { SymbolKind, type DocumentSymbol } from 'vscode-languageserver-types';
import type { Analysis, BlockInfo } from '../analysis.js';
import type { NameDecl, Statement } from '../syntax/ast.js';
import { spanToRange } from './locate.js';
import { describeStaticType } from './results.js';

/** The ATX headings of the note with their offsets, in order (one pass over the text). */
function headings(text: string): { offset: number; title: string }[] {
  return [...text.matchAll(/^ {0,3}#{1,6}[ \t]+(.+?)[ \t#]*$/gm)].map((match) => ({ offset: match.index, title: match[1]! }));
}

/** The last heading before an offset (binary search over the headings). */
function headingAbove(list: readonly { offset: number; title: string }[], offset: number): string | undefined {
  let low = 0;
  let high = list.length - 1;
  let found: string | undefined;
  while (low <= high) {
    const middle = (low + high) >> 1;
    if (list[middle]!.offset < offset) {
      found = list[middle]!.title;
      low = middle + 1;
    } else high = middle - 1;
  }
  return found;
}

function definitionSymbols(analysis: Analysis, statement: Statement): DocumentSymbol[] {
  const range = spanToRange(analysis, statement.span);
  const type = analysis.types.typeOf(statement);
  const symbol = (decl: NameDecl, kind: SymbolKind, detail: string | undefined): DocumentSymbol => ({
    name: decl.name,
    kind,
    range,
    selectionRange: spanToRange(analysis, decl.span),
    ...(detail ? { detail } : {}),
  });
  switch (statement.kind) {
    case 'definition':
      return [symbol(statement.target, SymbolKind.Variable, describeStaticType(type))];
    case 'function':
      return [symbol(statement.target, SymbolKind.Function, `(${statement.params.map((param) => param.name).join(', ')})`)];
    case 'destructure':
      return statement.targets.map((target, index) =>
        symbol(target, SymbolKind.Variable, type?.kind === 'tuple' ? describeStaticType(type.items[index]) : undefined),
      );
    default:
      return [];
  }
}

function blockSymbol(analysis: Analysis, block: BlockInfo, index: number, titles: readonly { offset: number; title: string }[]): DocumentSymbol {
  const start = block.fence.openFence?.start ?? block.fence.contentStart;
  const end = block.fence.closeFence?.end ?? block.fence.contentEnd;
  const line = analysis.positions.positionAt(start).line + 1;
  const heading = block.fence.openFence ? headingAbove(titles, start) : undefined;
  const range = spanToRange(analysis, { start, end });
  return {
    name: heading ? `${heading} (block ${index + 1})` : `block ${index + 1}`,
    detail: `line ${line}`,
    kind: SymbolKind.Namespace,
    range,
    selectionRange: spanToRange(analysis, { start, end: Math.max(start, block.fence.openFence?.end ?? start) }),
    children: block.ast.statements.flatMap((statement) => definitionSymbols(analysis, statement)),
  };
}

/** The outline of the note: its blocks with their definitions. */
export function documentSymbols(analysis: Analysis): DocumentSymbol[] {
  const titles = headings(analysis.text);
  return analysis.blocks.map((block, index) => blockSymbol(analysis, block, index, titles));
}
