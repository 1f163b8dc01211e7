/**
 * Signature help for calls of built-ins and user functions. The call being typed is usually
 * unfinished (`solve(A, `) and does not parse, so the call is found in the text: the innermost
 * unclosed `(` before the cursor, the name right before it, and the commas at its depth.
 */
import { MarkupKind, type Position, type SignatureHelp, type SignatureInformation } from 'vscode-languageserver-types';
import type { Analysis } from '../analysis.js';
import { builtinRegistry } from '../eval/builtins/index.js';
import { bindingsInScope, insideBlock } from './completion.js';

export const SIGNATURE_TRIGGER_CHARACTERS: readonly string[] = ['(', ','];

/** The open call before the offset: the callee's name, and which argument the cursor is in. */
export function openCallBefore(text: string, blockStart: number, offset: number): { name: string; nameStart: number; argument: number } | undefined {
  let depth = 0;
  let commas = 0;
  for (let index = offset - 1; index >= blockStart; index--) {
    const char = text[index]!;
    if (char === ')' || char === ']') depth++;
    else if (char === '[') {
      if (depth === 0) return undefined;
      depth--;
    } else if (char === '(') {
      if (depth > 0) {
        depth--;
        continue;
      }
      const before = text.slice(blockStart, index);
      const match = /([\p{L}\p{M}_][\p{L}\p{M}\p{N}_\u2080-\u2089\u1D62\u2C7C\u2096\u2099\u2098\u209C]*)'?$/u.exec(before);
      if (!match) return undefined;
      return { name: match[1]!, nameStart: index - match[0].length, argument: commas };
    } else if (char === ',' && depth === 0) commas++;
  }
  return undefined;
}

function parameterNames(signature: string): string[] {
  const inside = /\(([^)]*)\)/.exec(signature);
  if (!inside || inside[1]!.trim() === '') return [];
  return inside[1]!.split(',').map((part) => part.trim());
}

/** The signature help at a position, or null outside a call. */
export function signatureHelpAt(analysis: Analysis, position: Position): SignatureHelp | null {
  const offset = analysis.positions.offsetAt(position);
  if (!insideBlock(analysis, offset)) return null;
  const block = analysis.blocks.find((candidate) => candidate.fence.contentStart <= offset && offset <= candidate.fence.contentEnd)!;
  const call = openCallBefore(analysis.text, block.fence.contentStart, offset);
  if (!call) return null;

  const user = bindingsInScope(analysis, call.nameStart).find((binding) => binding.name === call.name);
  let signature: SignatureInformation | undefined;
  if (user) {
    if (user.kind !== 'function' || user.statement?.kind !== 'function') return null;
    const params = user.statement.params.map((param) => param.name);
    const source = analysis.text.slice(user.statement.span.start, user.statement.span.end);
    signature = {
      label: `${call.name}(${params.join(', ')})`,
      documentation: { kind: MarkupKind.Markdown, value: `\`\`\`mathnote\n${source}\n\`\`\`` },
      parameters: params.map((label) => ({ label })),
    };
  } else {
    const builtin = builtinRegistry().get(call.name);
    if (!builtin) return null;
    const label = builtin.doc.signature;
    signature = {
      label,
      documentation: { kind: MarkupKind.Markdown, value: builtin.doc.summary + (builtin.doc.conventions ? `\n\n${builtin.doc.conventions}` : '') },
      parameters: parameterNames(label)
        .filter((parameter) => label.includes(parameter))
        .map((parameter) => ({ label: parameter })),
    };
  }
  const count = signature.parameters?.length ?? 0;
  return { signatures: [signature], activeSignature: 0, activeParameter: count === 0 ? 0 : Math.min(call.argument, count - 1) };
}
