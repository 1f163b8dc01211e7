/**
 * Semantic tokens: names coloured by what they are bound to (user functions, parameters, variables,
 * built-ins, constants), plus operators and numbers, for editors whose TextMate grammar cannot know
 * that `σ(z)` is a call while `P (1 - P)` is a product.
 */
import type { SemanticTokens, SemanticTokensLegend } from 'vscode-languageserver-types';
import type { Analysis } from '../analysis.js';
import type { Binding } from '../resolve/types.js';
import type { Expr } from '../syntax/ast.js';
import { bindingOfDecl, declaredNames, forEachExpression } from './locate.js';

const TOKEN_TYPES = ['function', 'parameter', 'variable', 'operator', 'number', 'string'] as const;
const TOKEN_MODIFIERS = ['declaration', 'readonly', 'defaultLibrary'] as const;

type TokenType = (typeof TOKEN_TYPES)[number];
type TokenModifier = (typeof TOKEN_MODIFIERS)[number];

/** The legend the server announces in its capabilities. */
export const SEMANTIC_TOKENS_LEGEND: SemanticTokensLegend = { tokenTypes: [...TOKEN_TYPES], tokenModifiers: [...TOKEN_MODIFIERS] };

/** A token before encoding, in document offsets. */
export interface SemanticToken {
  readonly start: number;
  readonly end: number;
  readonly type: TokenType;
  readonly modifiers: readonly TokenModifier[];
}

function classify(binding: Binding, declaration: boolean): { type: TokenType; modifiers: TokenModifier[] } {
  const modifiers: TokenModifier[] = declaration ? ['declaration'] : [];
  switch (binding.kind) {
    case 'function':
      return { type: 'function', modifiers };
    case 'parameter':
      return { type: 'parameter', modifiers };
    case 'builtin':
      return { type: 'function', modifiers: [...modifiers, 'defaultLibrary'] };
    case 'constant':
      return { type: 'variable', modifiers: [...modifiers, 'readonly', 'defaultLibrary'] };
    case 'value':
    case 'index':
      return { type: 'variable', modifiers };
  }
}

/** The offset of an operator's text between two offsets, or -1. */
function findOperator(text: string, operator: string, from: number, to: number): number {
  const index = text.indexOf(operator, from);
  return index >= 0 && index + operator.length <= to ? index : -1;
}

function operatorToken(analysis: Analysis, expr: Expr): SemanticToken | undefined {
  const text = analysis.text;
  let start = -1;
  let length = 0;
  switch (expr.kind) {
    case 'binary':
      if (expr.op === 'implicit') return undefined;
      start = findOperator(text, expr.op, expr.left.span.end, expr.right.span.start);
      length = expr.op.length;
      break;
    case 'prefix':
      start = expr.span.start;
      length = expr.op.length;
      break;
    case 'postfix':
      start = findOperator(text, expr.op, expr.operand.span.end, expr.span.end);
      length = expr.op.length;
      break;
    case 'power':
      if (expr.superscript) return undefined;
      start = findOperator(text, expr.op, expr.base.span.end, expr.exponent.span.start);
      length = expr.op.length;
      break;
    default:
      return undefined;
  }
  return start >= 0 ? { start, end: start + length, type: 'operator', modifiers: [] } : undefined;
}

/** Every token of the note's blocks, in document order. */
export function collectSemanticTokens(analysis: Analysis): SemanticToken[] {
  const tokens: SemanticToken[] = [];
  for (const statement of analysis.statements) {
    for (const decl of declaredNames(statement)) {
      const binding = bindingOfDecl(analysis, decl);
      if (!binding) continue;
      tokens.push({ start: decl.span.start, end: decl.span.end, ...classify(binding, true) });
    }
    forEachExpression(statement, (expr) => {
      if (expr.kind === 'name' || expr.kind === 'power') {
        const binding = analysis.resolution.uses.get(expr);
        if (binding) {
          tokens.push({ start: expr.span.start, end: expr.span.end, ...classify(binding, false) });
          return;
        }
      }
      if (expr.kind === 'number') tokens.push({ start: expr.span.start, end: expr.span.end, type: 'number', modifiers: [] });
      else if (expr.kind === 'string') tokens.push({ start: expr.span.start, end: expr.span.end, type: 'string', modifiers: [] });
      const operator = operatorToken(analysis, expr);
      if (operator) tokens.push(operator);
    });
  }
  tokens.sort((a, b) => a.start - b.start || a.end - b.end);
  // A power read as a name (`σ²`) covers its base; keep the outer token and drop what it contains.
  const kept: SemanticToken[] = [];
  for (const token of tokens) {
    const previous = kept[kept.length - 1];
    if (previous && token.start < previous.end) continue;
    kept.push(token);
  }
  return kept;
}

/** The tokens in LSP's relative encoding (line delta, start delta, length, type, modifier bits). */
export function semanticTokens(analysis: Analysis): SemanticTokens {
  const data: number[] = [];
  let previousLine = 0;
  let previousCharacter = 0;
  for (const token of collectSemanticTokens(analysis)) {
    const start = analysis.positions.positionAt(token.start);
    const end = analysis.positions.positionAt(token.end);
    if (end.line !== start.line) continue;
    const deltaLine = start.line - previousLine;
    const deltaStart = deltaLine === 0 ? start.character - previousCharacter : start.character;
    let bits = 0;
    for (const modifier of token.modifiers) bits |= 1 << TOKEN_MODIFIERS.indexOf(modifier);
    data.push(deltaLine, deltaStart, end.character - start.character, TOKEN_TYPES.indexOf(token.type), bits);
    previousLine = start.line;
    previousCharacter = start.character;
  }
  return { data };
}
