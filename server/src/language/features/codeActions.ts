/**
 * Quick fixes for the commonest shape mistakes of a matrix product `L R` (or `L * R`, `L · R`):
 * - "Transpose R" when the inner sizes differ but `L Rᵀ` fits (a row vector where a column was meant);
 * - "Transpose L" when `Lᵀ R` fits;
 * - "Use `.*`" when both operands have the same shape, so an element-wise product was likely meant.
 *
 * The fixes are computed from the static shapes of the operands, so they need nothing from the
 * problem but its range: any product inside a `shape` diagnostic whose operand shapes are known and
 * do not chain is a candidate.
 */
import { CodeActionKind, type CodeAction, type Diagnostic, type Range, type TextEdit } from 'vscode-languageserver-types';
import type { Analysis } from '../analysis.js';
import type { BinaryExpr, Expr } from '../syntax/ast.js';
import type { StaticType } from '../shapes/types.js';
import { forEachExpression, spanToRange } from './locate.js';

type KnownShape = readonly [number, number];

function knownShape(type: StaticType | undefined): KnownShape | undefined {
  if (type?.kind !== 'matrix' || typeof type.rows !== 'number' || typeof type.cols !== 'number') return undefined;
  return [type.rows, type.cols];
}

function isScalar(shape: KnownShape): boolean {
  return shape[0] === 1 && shape[1] === 1;
}

/** Whether an expression can take a postfix `ᵀ` without parentheses. */
function isAtomic(expr: Expr): boolean {
  return ['name', 'paren', 'matrix', 'call', 'index', 'postfix', 'number', 'abs', 'norm'].includes(expr.kind);
}

function transposeEdit(analysis: Analysis, expr: Expr): { edit: TextEdit; label: string } {
  const source = analysis.text.slice(expr.span.start, expr.span.end);
  if (expr.kind === 'postfix' && (expr.op === 'ᵀ' || expr.op === "'")) {
    const inner = analysis.text.slice(expr.operand.span.start, expr.operand.span.end);
    return { edit: { range: spanToRange(analysis, expr.span), newText: inner }, label: `Remove the transpose: ${inner}` };
  }
  const newText = isAtomic(expr) ? `${source}ᵀ` : `(${source})ᵀ`;
  return { edit: { range: spanToRange(analysis, expr.span), newText }, label: `Transpose ${source} → ${newText}` };
}

function overlaps(a: Range, b: Range): boolean {
  const before = (p: Range['start'], q: Range['start']): boolean => p.line < q.line || (p.line === q.line && p.character <= q.character);
  return before(a.start, b.end) && before(b.start, a.end);
}

function productsIn(analysis: Analysis, range: Range): BinaryExpr[] {
  const products: BinaryExpr[] = [];
  for (const statement of analysis.statements) {
    if (!overlaps(spanToRange(analysis, statement.span), range)) continue;
    forEachExpression(statement, (expr) => {
      if (expr.kind === 'binary' && (expr.op === '*' || expr.op === 'implicit' || expr.op === '·') && overlaps(spanToRange(analysis, expr.span), range)) products.push(expr);
    });
  }
  return products;
}

function elementwiseEdit(analysis: Analysis, product: BinaryExpr): TextEdit {
  if (product.op === 'implicit') {
    return { range: spanToRange(analysis, { start: product.left.span.end, end: product.right.span.start }), newText: ' .* ' };
  }
  const operatorStart = analysis.text.indexOf(product.op, product.left.span.end);
  return { range: spanToRange(analysis, { start: operatorStart, end: operatorStart + product.op.length }), newText: '.*' };
}

/** The quick fixes for the shape diagnostics among `diagnostics`. */
export function codeActionsFor(analysis: Analysis, uri: string, diagnostics: readonly Diagnostic[]): CodeAction[] {
  const actions: CodeAction[] = [];
  const seen = new Set<string>();
  for (const diagnostic of diagnostics) {
    if (diagnostic.code !== 'shape') continue;
    for (const product of productsIn(analysis, diagnostic.range)) {
      const left = knownShape(analysis.types.typeOf(product.left));
      const right = knownShape(analysis.types.typeOf(product.right));
      if (!left || !right || isScalar(left) || isScalar(right) || left[1] === right[0]) continue;
      const fixes: { title: string; edit: TextEdit }[] = [];
      if (left[1] === right[1]) {
        const { edit, label } = transposeEdit(analysis, product.right);
        fixes.push({ title: label, edit });
      }
      if (left[0] === right[0]) {
        const { edit, label } = transposeEdit(analysis, product.left);
        fixes.push({ title: label, edit });
      }
      if (left[0] === right[0] && left[1] === right[1]) {
        fixes.push({ title: 'Use .* (element-wise product): both operands are ' + `${left[0]}×${left[1]}`, edit: elementwiseEdit(analysis, product) });
      }
      fixes.forEach((fix, index) => {
        const key = `${fix.edit.range.start.line}:${fix.edit.range.start.character}:${fix.edit.newText}`;
        if (seen.has(key)) return;
        seen.add(key);
        actions.push({
          title: fix.title,
          kind: CodeActionKind.QuickFix,
          diagnostics: [diagnostic],
          isPreferred: index === 0,
          edit: { changes: { [uri]: [fix.edit] } },
        });
      });
    }
  }
  return actions;
}
