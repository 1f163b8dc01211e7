/**
 * Completion inside Mathnote blocks: LaTeX-like input of Unicode symbols (`\alpha` → `α`), the names
 * in scope at the cursor with their shapes, the predefined constants, and the built-ins with their
 * signatures. Prose is left alone: a `\alpha` there is LaTeX for KaTeX and must stay as typed.
 */
import { CompletionItemKind, MarkupKind, type CompletionItem, type Position } from 'vscode-languageserver-types';
import type { Analysis } from '../analysis.js';
import { builtinRegistry } from '../eval/builtins/index.js';
import { constantNames } from '../eval/constants.js';
import type { Binding } from '../resolve/types.js';
import { builtinDocumentation } from './hover.js';
import { statementIndexAt } from './locate.js';
import { latexCandidates, latexPrefixBefore } from './latexSymbols.js';
import { describeStaticType } from './results.js';

/** Characters after which editors should ask for completions on their own. */
export const COMPLETION_TRIGGER_CHARACTERS: readonly string[] = ['\\', '^', '_'];

/** True when the offset lies inside the content of a Mathnote block. */
export function insideBlock(analysis: Analysis, offset: number): boolean {
  return analysis.blocks.some((block) => block.fence.contentStart <= offset && offset <= block.fence.contentEnd);
}

/** The bindings visible at the offset: the latest definition of each name above it, and enclosing parameters. */
export function bindingsInScope(analysis: Analysis, offset: number): Binding[] {
  const visible = new Map<string, Binding>();
  for (const binding of analysis.resolution.bindings) {
    if (!binding.decl) continue;
    if (binding.kind === 'parameter' || binding.kind === 'index') {
      const owner = binding.owner;
      if (owner && owner.span.start <= offset && offset <= owner.span.end) visible.set(binding.name, binding);
      continue;
    }
    // A definition is visible below the statement that makes it (not inside its own right side).
    const statement = binding.statement;
    const visibleFrom = statement ? statement.span.end : binding.decl.span.end;
    if (visibleFrom <= offset || (statement?.kind === 'function' && statement.span.start <= offset && offset <= statement.span.end)) {
      visible.set(binding.name, binding);
    }
  }
  return [...visible.values()];
}

function bindingDetail(analysis: Analysis, binding: Binding): string | undefined {
  if (binding.kind === 'function' && binding.statement?.kind === 'function') {
    return `${binding.name}(${binding.statement.params.map((param) => param.name).join(', ')})`;
  }
  const statement = binding.statement;
  if (!statement || binding.kind === 'parameter' || binding.kind === 'index') return binding.kind;
  const type = analysis.types.typeOf(statement);
  if (type?.kind === 'tuple' && binding.tupleIndex !== undefined) return describeStaticType(type.items[binding.tupleIndex]);
  return describeStaticType(type);
}

/** The completion items at a position of the analysed note. */
export function completionsAt(analysis: Analysis, position: Position): CompletionItem[] {
  const offset = analysis.positions.offsetAt(position);
  if (!insideBlock(analysis, offset)) return [];
  const lineStart = analysis.positions.offsetAt({ line: position.line, character: 0 });
  const linePrefix = analysis.text.slice(lineStart, offset);

  const latexPrefix = latexPrefixBefore(linePrefix);
  if (latexPrefix) {
    const candidates = latexCandidates(latexPrefix);
    if (candidates.length > 0 || latexPrefix.startsWith('\\')) {
      const range = { start: { line: position.line, character: position.character - latexPrefix.length }, end: position };
      return candidates.map((symbol, index) => ({
        label: symbol.input,
        kind: CompletionItemKind.Text,
        detail: symbol.combining ? `◌${symbol.output} (accent on the previous letter)` : symbol.output,
        filterText: symbol.input,
        sortText: String(index).padStart(4, '0'),
        textEdit: { range, newText: symbol.output },
      }));
    }
  }

  const items: CompletionItem[] = [];
  const seen = new Set<string>();
  // A function definition being typed does not parse yet, so its parameters have no bindings;
  // read them from the text of the line.
  const header = /^\s*[\p{L}_][\p{L}\p{M}\p{N}_]*\s*\(([^()]*)\)\s*=(?!=)/u.exec(linePrefix);
  const statementIndex = statementIndexAt(analysis, offset);
  if (header && (statementIndex < 0 || analysis.statements[statementIndex]!.kind === 'error')) {
    for (const param of header[1]!.split(',').map((part) => part.trim()).filter((part) => part !== '')) {
      seen.add(param);
      items.push({ label: param, kind: CompletionItemKind.Variable, detail: 'parameter', sortText: `0${param}` });
    }
  }
  for (const binding of bindingsInScope(analysis, offset)) {
    if (seen.has(binding.name)) continue;
    seen.add(binding.name);
    items.push({
      label: binding.name,
      kind: binding.kind === 'function' ? CompletionItemKind.Function : binding.kind === 'parameter' || binding.kind === 'index' ? CompletionItemKind.Variable : CompletionItemKind.Variable,
      detail: bindingDetail(analysis, binding),
      sortText: `0${binding.name}`,
    });
  }
  for (const name of constantNames) {
    if (seen.has(name)) continue;
    seen.add(name);
    items.push({ label: name, kind: CompletionItemKind.Constant, detail: 'constant', sortText: `1${name}` });
  }
  for (const [name, builtin] of builtinRegistry()) {
    if (seen.has(name)) continue;
    seen.add(name);
    items.push({
      label: name,
      kind: CompletionItemKind.Function,
      detail: builtin.doc.signature,
      documentation: { kind: MarkupKind.Markdown, value: builtinDocumentation(builtin) },
      sortText: `2${name}`,
    });
  }
  return items;
}
