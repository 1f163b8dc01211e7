/**
 * Finding things by position in an analysed note: the statement at an offset, the innermost
 * expression or declared name under the cursor, the binding a name stands for. Every editor feature
 * (hover, navigation, completion, code actions) starts here.
 */
import type { Range } from 'vscode-languageserver-types';
import type { Analysis } from '../analysis.js';
import type { Binding, NameUse } from '../resolve/types.js';
import type { Expr, NameDecl, Span, Statement } from '../syntax/ast.js';
import { childExpressions, statementExpression } from '../syntax/walk.js';


/** The LSP range of a span of the document. */
export function spanToRange(analysis: Analysis, span: Span): Range {
  return { start: analysis.positions.positionAt(span.start), end: analysis.positions.positionAt(span.end) };
}

/** True when the offset lies in the span or just after its end (a cursor right behind a name). */
export function touches(span: Span, offset: number): boolean {
  return span.start <= offset && offset <= span.end;
}

/** Calls `visit` on every expression of the statement, parents before children. */
export function forEachExpression(statement: Statement, visit: (expr: Expr, parents: readonly Expr[]) => void): void {
  const root = statementExpression(statement);
  if (!root) return;
  const walk = (expr: Expr, parents: Expr[]): void => {
    visit(expr, parents);
    parents.push(expr);
    for (const child of childExpressions(expr)) walk(child, parents);
    parents.pop();
  };
  walk(root, []);
}

/** The names a statement or its lambdas/sums declare, with the node that owns each. */
export function declaredNames(statement: Statement): NameDecl[] {
  const names: NameDecl[] = [];
  switch (statement.kind) {
    case 'definition':
      names.push(statement.target);
      break;
    case 'function':
      names.push(statement.target, ...statement.params);
      break;
    case 'destructure':
      names.push(...statement.targets);
      break;
    default:
      break;
  }
  forEachExpression(statement, (expr) => {
    if (expr.kind === 'lambda') names.push(...expr.params);
    else if (expr.kind === 'reduce') names.push(expr.variable);
  });
  return names;
}

/** Index of the statement whose span contains the offset (end inclusive), or -1. */
export function statementIndexAt(analysis: Analysis, offset: number): number {
  const statements = analysis.statements;
  let low = 0;
  let high = statements.length - 1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    const span = statements[middle]!.span;
    if (offset < span.start) high = middle - 1;
    else if (offset > span.end) low = middle + 1;
    else return middle;
  }
  return -1;
}

/** The statement whose line holds the offset: the statement at it, or the last one ending on that line before it. */
export function statementIndexOnLine(analysis: Analysis, offset: number): number {
  const direct = statementIndexAt(analysis, offset);
  if (direct >= 0) return direct;
  const line = analysis.positions.positionAt(offset).line;
  for (let index = analysis.statements.length - 1; index >= 0; index--) {
    const span = analysis.statements[index]!.span;
    if (span.start > offset) continue;
    const range = spanToRange(analysis, span);
    if (range.start.line <= line && line <= range.end.line) return index;
    if (range.end.line < line) break;
  }
  return -1;
}

/** What is under the cursor. */
export interface NodeAtOffset {
  readonly statement: Statement;
  readonly statementIndex: number;
  /** Expressions containing the offset, outermost first (empty on a declared name). */
  readonly path: readonly Expr[];
  /** The declared name at the offset (a definition's target, a parameter, a sum's index). */
  readonly decl?: NameDecl;
}

/**
 * How an offset is meant: `char` is the character at the offset (a hover under the mouse), `cursor`
 * is a caret between characters, which also touches the name ending right before it (`x‸ + 1`
 * renames `x`).
 */
export type OffsetMode = 'char' | 'cursor';

function strictlyContains(span: Span, offset: number): boolean {
  return span.start <= offset && offset < span.end;
}

function descend(statement: Statement, offset: number, contains: (span: Span, offset: number) => boolean): { path: Expr[]; decl?: NameDecl } {
  for (const decl of declaredNames(statement)) {
    if (contains(decl.span, offset)) return { path: [], decl };
  }
  const root = statementExpression(statement);
  const path: Expr[] = [];
  let current: Expr | undefined = root && contains(root.span, offset) ? root : undefined;
  while (current) {
    path.push(current);
    // Prefer a child that strictly contains the offset, then (when allowed) one that ends at it.
    const children = childExpressions(current);
    current = children.find((child) => strictlyContains(child.span, offset)) ?? children.find((child) => contains(child.span, offset));
  }
  return { path };
}

function isNameNode(expr: Expr | undefined): boolean {
  return expr?.kind === 'name' || (expr?.kind === 'power' && expr.superscriptName !== undefined);
}

/** The innermost expression (or declared name) at the offset. */
export function nodeAt(analysis: Analysis, offset: number, mode: OffsetMode = 'cursor'): NodeAtOffset | undefined {
  const statementIndex = statementIndexAt(analysis, offset);
  if (statementIndex < 0) return undefined;
  const statement = analysis.statements[statementIndex]!;
  const strict = descend(statement, offset, strictlyContains);
  if (mode === 'char' || strict.decl || isNameNode(strict.path[strict.path.length - 1])) return { statement, statementIndex, ...strict };
  const touching = descend(statement, offset, touches);
  if (touching.decl || isNameNode(touching.path[touching.path.length - 1])) return { statement, statementIndex, ...touching };
  return { statement, statementIndex, ...strict };
}

const bindingsByDecl = new WeakMap<Analysis, Map<NameDecl, Binding>>();

/** The binding a declared name introduces (the map is built once per analysis). */
export function bindingOfDecl(analysis: Analysis, decl: NameDecl): Binding | undefined {
  let map = bindingsByDecl.get(analysis);
  if (!map) {
    map = new Map();
    for (const binding of analysis.resolution.bindings) if (binding.decl) map.set(binding.decl, binding);
    bindingsByDecl.set(analysis, map);
  }
  return map.get(decl);
}

/** A name under the cursor: either a use (resolved or not) or a declaration. */
export interface NameAtOffset {
  readonly name: string;
  readonly span: Span;
  readonly binding?: Binding;
  /** The use node, when the cursor is on a use. */
  readonly use?: NameUse;
  readonly decl?: NameDecl;
  readonly node: NodeAtOffset;
}

/** The name at the offset (a use, a `σ²` read as a name, or a declaration), with its binding. */
export function nameAt(analysis: Analysis, offset: number, mode: OffsetMode = 'cursor'): NameAtOffset | undefined {
  const node = nodeAt(analysis, offset, mode);
  if (!node) return undefined;
  if (node.decl) return { name: node.decl.name, span: node.decl.span, binding: bindingOfDecl(analysis, node.decl), decl: node.decl, node };
  for (let index = node.path.length - 1; index >= 0; index--) {
    const expr = node.path[index]!;
    if (expr.kind === 'name') {
      return { name: expr.name, span: expr.span, binding: analysis.resolution.uses.get(expr), use: expr, node };
    }
    if (expr.kind === 'power' && expr.superscriptName && analysis.resolution.uses.has(expr)) {
      return { name: expr.superscriptName, span: expr.span, binding: analysis.resolution.uses.get(expr), use: expr, node };
    }
  }
  return undefined;
}

/** The span of a use as written (a `σ²` use spans the whole power). */
export function useSpan(use: NameUse): Span {
  return use.span;
}
