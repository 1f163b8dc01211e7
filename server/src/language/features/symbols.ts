/**
 * Document symbols: one entry per Mathnote block (named after the heading above it when there is
 * one), with the definitions of that block as its children, so the outline reads like the note.
 */
import { SymbolKind, type DocumentSymbol } from 'vscode-languageserver-types';
import type { Analysis, BlockInfo } from '../analysis.js';
import type { NameDecl, Statement } from '../syntax/ast.js';
import { spanToRange } from './locate.js';
import { describeStaticType } from './results.js';

/** The last Markdown heading above an offset, if any. */
function headingAbove(text: string, offset: number): string | undefined {
  const before = text.slice(0, offset);
  const headings = [...before.matchAll(/^ {0,3}#{1,6}[ \t]+(.+?)[ \t#]*$/gm)];
  return headings.length > 0 ? headings[headings.length - 1]![1] : undefined;
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

function blockSymbol(analysis: Analysis, block: BlockInfo, index: number): DocumentSymbol {
  const start = block.fence.openFence?.start ?? block.fence.contentStart;
  const end = block.fence.closeFence?.end ?? block.fence.contentEnd;
  const line = analysis.positions.positionAt(start).line + 1;
  const heading = block.fence.openFence ? headingAbove(analysis.text, start) : undefined;
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
  return analysis.blocks.map((block, index) => blockSymbol(analysis, block, index));
}
