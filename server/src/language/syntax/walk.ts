/**
 * Traversal helpers over the AST: the one place that knows which fields of each node are
 * sub-expressions, so passes and editor features walk trees the same way.
 */
import type { Expr, Statement } from './ast.js';

/** The direct sub-expressions of an expression, in source order. */
export function childExpressions(expr: Expr): readonly Expr[] {
  switch (expr.kind) {
    case 'number':
    case 'string':
    case 'name':
    case 'colon':
    case 'end':
    case 'error':
      return [];
    case 'matrix':
      return expr.rows.flat();
    case 'paren':
      return [expr.inner];
    case 'prefix':
    case 'postfix':
    case 'abs':
    case 'norm':
      return [expr.operand];
    case 'binary':
      return [expr.left, expr.right];
    case 'power':
      return [expr.base, expr.exponent];
    case 'call':
      return [expr.callee, ...expr.args, ...expr.named.map((argument) => argument.value)];
    case 'index':
      return [expr.target, ...expr.indices];
    case 'range':
      return expr.step ? [expr.start, expr.step, expr.end] : [expr.start, expr.end];
    case 'lambda':
      return [expr.body];
    case 'gradient':
    case 'partial':
      return [expr.fn];
    case 'reduce':
      return [expr.range, expr.body];
  }
}

/** The top-level expression of a statement (a function's body), if it has one. */
export function statementExpression(statement: Statement): Expr | undefined {
  switch (statement.kind) {
    case 'definition':
    case 'destructure':
    case 'expression':
      return statement.value;
    case 'function':
      return statement.body;
    case 'error':
      return undefined;
  }
}
