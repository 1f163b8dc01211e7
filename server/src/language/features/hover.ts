/**
 * Hovers: on a name (its value, shape and defining formula), on a built-in (signature, meaning,
 * formula, example, conventions), on any other sub-expression (its shape and, when the evaluation
 * worker could compute it, its value).
 *
 * Hovers run on the language server's thread from the static analysis plus the serializable result
 * summaries of the last evaluation; a sub-expression's value is computed where the evaluation lives
 * (`subexpressionMarkdown`, called in the worker) and handed in through `HoverContext`.
 */
import { MarkupKind, type Hover } from 'vscode-languageserver-types';
import type { Analysis, Evaluation } from '../analysis.js';
import type { Builtin } from '../eval/builtin.js';
import { builtinRegistry } from '../eval/builtins/index.js';
import { constantValues } from '../eval/constants.js';
import { exprToLatex, statementToLatex } from '../print/latex.js';
import type { Binding } from '../resolve/types.js';
import type { CitationSummary } from './citations.js';
import type { Expr, Span, Statement } from '../syntax/ast.js';
import { nameAt, nodeAt, spanToRange } from './locate.js';
import { formatNumber } from '../print/value.js';
import { describeStaticType, valueToMarkdown, type ResultSummary } from './results.js';

/** What a hover may use besides the analysis. */
export interface HoverContext {
  /** The result summary of a statement of this analysis, when known. */
  readonly resultOf: (statementIndex: number) => ResultSummary | undefined;
  /** The value of the sub-expression under the cursor, as computed by the evaluation worker. */
  readonly subexpression?: SubexpressionValue;
  readonly precision: number;
}

/** A sub-expression's value as Markdown, with the span it belongs to. */
export interface SubexpressionValue {
  readonly span: Span;
  readonly markdown: string;
}

/** The Markdown documentation of a built-in: signature, meaning, formula, example, conventions. */
export function builtinDocumentation(builtin: Builtin): string {
  const doc = builtin.doc;
  const parts = [`\`\`\`mathnote\n${doc.signature}\n\`\`\``, doc.summary];
  if (doc.formula) parts.push(`$$${doc.formula}$$`, `\`\`\`latex\n${doc.formula}\n\`\`\``);
  if (doc.conventions) parts.push(`**Convention:** ${doc.conventions}`);
  parts.push(`**Example:**\n\`\`\`mathnote\n${doc.example}\n\`\`\``);
  if (builtin.aliases && builtin.aliases.length > 0) parts.push(`Also spelled: ${[builtin.name, ...builtin.aliases].map((name) => `\`${name}\``).join(', ')}`);
  return parts.join('\n\n');
}

function latexFence(latex: string): string {
  return `\`\`\`latex\n${latex}\n\`\`\``;
}

function safeLatex(render: () => string): string | undefined {
  try {
    return render();
  } catch {
    // A statement that only partly parsed may hold holes the printer cannot typeset; the hover
    // then simply leaves the formula out.
    return undefined;
  }
}

function statementIndexOf(analysis: Analysis, statement: Statement | undefined): number {
  return statement ? analysis.statements.indexOf(statement) : -1;
}

function hoverForBinding(analysis: Analysis, binding: Binding, span: Span, context: HoverContext): Hover | null {
  const range = spanToRange(analysis, span);
  if (binding.kind === 'builtin') {
    const builtin = builtinRegistry().get(binding.name);
    if (!builtin) return null;
    return { range, contents: { kind: MarkupKind.Markdown, value: `**${binding.name}** — built-in\n\n${builtinDocumentation(builtin)}` } };
  }
  if (binding.kind === 'constant') {
    const value = constantValues().get(binding.name);
    const text = value ? valueToMarkdown(value, context.precision) : '';
    return { range, contents: { kind: MarkupKind.Markdown, value: `**${binding.name}** — predefined constant ${text}` } };
  }
  const parts: string[] = [];
  const statementIndex = statementIndexOf(analysis, binding.statement);
  // A parameter's shape is what the checker inferred at its uses inside the body.
  const firstUse = analysis.resolution.references.get(binding)?.[0];
  const declType = firstUse ? describeStaticType(analysis.types.typeOf(firstUse)) : undefined;
  if (binding.kind === 'parameter' || binding.kind === 'index') {
    const owner = binding.owner;
    const ownerName = owner?.kind === 'function' && 'params' in owner ? ` of \`${owner.target.name}\`` : owner?.kind === 'lambda' ? ' of a lambda' : '';
    parts.push(`**${binding.name}** — ${binding.kind === 'index' ? 'summation index' : `parameter${ownerName}`}${declType ? `: ${declType}` : ''}`);
    return { range, contents: { kind: MarkupKind.Markdown, value: parts.join('\n\n') } };
  }
  const statement = binding.statement;
  const summary = statementIndex >= 0 ? context.resultOf(statementIndex) : undefined;
  const part = summary?.parts?.find((candidate, index) => (binding.tupleIndex !== undefined ? index === binding.tupleIndex : candidate.name === binding.name));
  const shape = part?.shape ?? (binding.tupleIndex === undefined ? summary?.shape : undefined);
  const staticType = statement ? describeStaticType(analysis.types.typeOf(statement)) : undefined;
  const kindText = binding.kind === 'function' ? (staticType ?? 'function') : shape ? describeShapeTuple(shape) : (staticType ?? 'value');
  const line = binding.decl ? analysis.positions.positionAt(binding.decl.span.start).line + 1 : undefined;
  parts.push(`**${binding.name}** — ${kindText}${line !== undefined ? ` (defined on line ${line})` : ''}`);
  if (binding.kind !== 'function') {
    const markdown = part?.markdown ?? (binding.tupleIndex === undefined ? summary?.markdown : undefined);
    if (markdown) parts.push(markdown);
  }
  if (statement && statement.kind !== 'error') {
    const latex = safeLatex(() => statementToLatex(statement));
    if (latex) parts.push(latexFence(latex));
  }
  return { range, contents: { kind: MarkupKind.Markdown, value: parts.join('\n\n') } };
}

function describeShapeTuple(shape: readonly [number, number]): string {
  const [rows, cols] = shape;
  if (rows === 1 && cols === 1) return 'scalar';
  return `${rows}×${cols} ${rows === 1 || cols === 1 ? 'vector' : 'matrix'}`;
}

/** The hover at a document offset, or null when nothing there has anything to say. */
export function hoverAt(analysis: Analysis, offset: number, context: HoverContext): Hover | null {
  const name = nameAt(analysis, offset, 'char');
  if (name) {
    if (name.binding) return hoverForBinding(analysis, name.binding, name.span, context);
    return {
      range: spanToRange(analysis, name.span),
      contents: { kind: MarkupKind.Markdown, value: `**${name.name}** is not defined above this line` },
    };
  }
  const node = nodeAt(analysis, offset, 'char');
  const expr = node?.path[node.path.length - 1];
  if (!node || !expr) return null;
  return hoverForExpression(analysis, expr, node.statementIndex, context);
}

function hoverForExpression(analysis: Analysis, expr: Expr, statementIndex: number, context: HoverContext): Hover | null {
  const parts: string[] = [];
  const type = describeStaticType(analysis.types.typeOf(expr));
  const source = analysis.text.slice(expr.span.start, expr.span.end);
  parts.push(`\`${source.length > 60 ? `${source.slice(0, 59)}…` : source}\`${type ? ` — ${type}` : ''}`);
  const sub = context.subexpression;
  if (sub && sub.span.start === expr.span.start && sub.span.end === expr.span.end) {
    parts.push(sub.markdown);
  } else if (expr.kind === 'number') {
    parts.push(`\`${formatNumber(expr.value, context.precision)}\``);
  } else {
    const statement = analysis.statements[statementIndex];
    const summary = context.resultOf(statementIndex);
    const root = statement && (statement.kind === 'expression' || statement.kind === 'definition') ? statement.value : undefined;
    if (summary && root && root.span.start === expr.span.start && root.span.end === expr.span.end) parts.push(summary.markdown);
  }
  const latex = safeLatex(() => exprToLatex(expr));
  if (latex && expr.kind !== 'number') parts.push(latexFence(latex));
  return { range: spanToRange(analysis, expr.span), contents: { kind: MarkupKind.Markdown, value: parts.join('\n\n') } };
}

/**
 * The expression whose value a hover at the offset would show: the innermost non-name expression
 * outside function bodies and lambdas (whose parameters have no value at the statement's level).
 * Names are answered from statement summaries, so they need no evaluation.
 */
export function subexpressionAt(analysis: Analysis, offset: number): { expr: Expr; statement: Statement } | undefined {
  if (nameAt(analysis, offset, 'char')) return undefined;
  const node = nodeAt(analysis, offset, 'char');
  if (!node || node.statement.kind === 'function') return undefined;
  if (node.path.some((expr) => expr.kind === 'lambda' || expr.kind === 'reduce')) return undefined;
  const expr = node.path[node.path.length - 1];
  if (!expr || expr.kind === 'number' || expr.kind === 'string' || expr.kind === 'error') return undefined;
  return { expr, statement: node.statement };
}

/** Evaluates the sub-expression under the cursor in its statement's scope (run where the evaluation lives). */
export function subexpressionMarkdown(analysis: Analysis, evaluation: Evaluation, offset: number, precision: number): SubexpressionValue | undefined {
  const target = subexpressionAt(analysis, offset);
  if (!target) return undefined;
  const value = evaluation.valueOfSubexpression(target.expr, target.statement);
  if (!value) return undefined;
  return { span: target.expr.span, markdown: valueToMarkdown(value, precision, analysis.text) };
}

/** The hover on a `` `= expr` `` citation in prose: the expression and its value (or why it has none). */
export function citationHoverAt(analysis: Analysis, offset: number, citations: readonly CitationSummary[]): Hover | null {
  const citation = citations.find((candidate) => candidate.span.start <= offset && offset < candidate.span.end);
  if (!citation) return null;
  const parts = [`\`${citation.expression}\` — cited result`];
  if (citation.text !== undefined) {
    parts.push(`\`\`\`\n${citation.text}\n\`\`\``);
    if (citation.latex) parts.push(latexFence(citation.latex));
  } else {
    parts.push(`no value: ${citation.problem ?? 'it could not be evaluated'}`);
  }
  return { range: spanToRange(analysis, citation.span), contents: { kind: MarkupKind.Markdown, value: parts.join('\n\n') } };
}
