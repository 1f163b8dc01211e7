/**
 * Go to definition, find references and rename. Bindings are immutable and every use resolves to
 * exactly one of them (`analysis.resolution`), so all three are exact: renaming `x` renames that
 * binding and its uses, never an earlier or later `x`.
 */
import { DocumentHighlightKind, type DocumentHighlight, type Location, type Range, type TextEdit, type WorkspaceEdit } from 'vscode-languageserver-types';
import type { Analysis } from '../analysis.js';
import type { Binding } from '../resolve/types.js';
import type { Span } from '../syntax/ast.js';
import { nameAt, spanToRange } from './locate.js';

/** The definition of the name at the offset (none for built-ins, constants and undefined names). */
export function definitionAt(analysis: Analysis, uri: string, offset: number): Location | null {
  const name = nameAt(analysis, offset);
  const decl = name?.binding?.decl;
  if (!decl) return null;
  return { uri, range: spanToRange(analysis, decl.span) };
}

/** The spans of a binding's declaration (when asked) and every use, in document order. */
export function bindingSpans(analysis: Analysis, binding: Binding, includeDeclaration: boolean): Span[] {
  const spans: Span[] = [];
  if (includeDeclaration && binding.decl) spans.push(binding.decl.span);
  for (const use of analysis.resolution.references.get(binding) ?? []) spans.push(use.span);
  return spans.sort((a, b) => a.start - b.start);
}

/** Every reference to the binding of the name at the offset. */
export function referencesAt(analysis: Analysis, uri: string, offset: number, includeDeclaration: boolean): Location[] {
  const binding = nameAt(analysis, offset)?.binding;
  if (!binding) return [];
  return bindingSpans(analysis, binding, includeDeclaration).map((span) => ({ uri, range: spanToRange(analysis, span) }));
}

/** The binding under the cursor highlighted where it is defined (write) and used (read). */
export function documentHighlightsAt(analysis: Analysis, offset: number): DocumentHighlight[] {
  const binding = nameAt(analysis, offset)?.binding;
  if (!binding || !binding.decl) return [];
  return bindingSpans(analysis, binding, true).map((span) => ({
    range: spanToRange(analysis, span),
    kind: span === binding.decl!.span ? DocumentHighlightKind.Write : DocumentHighlightKind.Read,
  }));
}

/** Why a rename is refused, or the range and current name to rename. */
export type PrepareRenameResult = { readonly range: Range; readonly placeholder: string } | { readonly refused: string };

/** Whether the name at the offset can be renamed: user bindings only, never built-ins or constants. */
export function prepareRenameAt(analysis: Analysis, offset: number): PrepareRenameResult | null {
  const name = nameAt(analysis, offset);
  if (!name) return null;
  const binding = name.binding;
  if (!binding) return { refused: `'${name.name}' is not defined, so there is nothing to rename` };
  if (binding.kind === 'builtin') return { refused: `'${name.name}' is a built-in function and cannot be renamed` };
  if (binding.kind === 'constant') return { refused: `'${name.name}' is a predefined constant and cannot be renamed` };
  return { range: spanToRange(analysis, name.span), placeholder: name.name };
}

/** A name a user may write: letters, digits, `_`, subscripts and accents, not starting with a digit. */
export function isValidName(name: string): boolean {
  return /^[\p{L}_][\p{L}\p{M}\p{N}_]*$/u.test(name);
}

/** The edits that rename the binding at the offset, or a refusal. */
export function renameAt(analysis: Analysis, uri: string, offset: number, newName: string): WorkspaceEdit | { readonly refused: string } {
  const prepared = prepareRenameAt(analysis, offset);
  if (!prepared) return { refused: 'there is no name here to rename' };
  if ('refused' in prepared) return prepared;
  if (!isValidName(newName)) return { refused: `'${newName}' is not a valid name` };
  const binding = nameAt(analysis, offset)!.binding!;
  const edits: TextEdit[] = bindingSpans(analysis, binding, true).map((span) => ({ range: spanToRange(analysis, span), newText: newName }));
  return { changes: { [uri]: edits } };
}
