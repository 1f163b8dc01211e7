/**
 * A compact s-expression form of the AST for test expectations: `(+ 1 (* 2 x))`, `(call f x)`.
 * Spans are left out; tests that care about spans assert them separately.
 */
import type { Expr, Statement } from '../../../server/src/language/syntax/ast.js';

/** The s-expression of an expression. */
export function sexpr(expr: Expr): string {
  switch (expr.kind) {
    case 'number':
      return expr.raw;
    case 'string':
      return JSON.stringify(expr.value);
    case 'name':
      return expr.name;
    case 'matrix':
      return `[${expr.rows.map((row) => row.map(sexpr).join(' ')).join('; ')}]`;
    case 'paren':
      return `(paren ${sexpr(expr.inner)})`;
    case 'prefix':
      return `(${expr.op} ${sexpr(expr.operand)})`;
    case 'binary':
      return `(${expr.op === 'implicit' ? '⋅' : expr.op} ${sexpr(expr.left)} ${sexpr(expr.right)})`;
    case 'power':
      return `(${expr.superscript ? 'sup' : expr.op} ${sexpr(expr.base)} ${sexpr(expr.exponent)}${expr.superscriptName ? ` :name ${expr.superscriptName}` : ''})`;
    case 'postfix':
      return `(post${expr.op} ${sexpr(expr.operand)})`;
    case 'call': {
      const args = [...expr.args.map(sexpr), ...expr.named.map((n) => `:${n.name.name} ${sexpr(n.value)}`)];
      return `(${expr.spaced ? 'call_' : 'call'} ${sexpr(expr.callee)}${args.map((a) => ' ' + a).join('')})`;
    }
    case 'index':
      return `(index ${sexpr(expr.target)} ${expr.indices.map(sexpr).join(' ')})`;
    case 'range':
      return expr.step ? `(range ${sexpr(expr.start)} ${sexpr(expr.step)} ${sexpr(expr.end)})` : `(range ${sexpr(expr.start)} ${sexpr(expr.end)})`;
    case 'colon':
      return ':';
    case 'end':
      return 'end';
    case 'lambda':
      return `(-> (${expr.params.map((p) => p.name).join(' ')}) ${sexpr(expr.body)})`;
    case 'abs':
      return `(abs ${sexpr(expr.operand)})`;
    case 'norm':
      return `(norm${expr.explicitP ? `_${expr.p}` : ''} ${sexpr(expr.operand)})`;
    case 'gradient':
      return `(∇ ${expr.fn.name})`;
    case 'partial':
      return `(∂ ${expr.fn.name} ${expr.variable.name})`;
    case 'reduce':
      return `(${expr.op} ${expr.notation} ${expr.variable.name} ${sexpr(expr.range)} ${sexpr(expr.body)})`;
    case 'error':
      return '(error)';
  }
}

/** The s-expression of a statement. */
export function sexprStatement(statement: Statement): string {
  switch (statement.kind) {
    case 'definition':
      return `(= ${statement.target.name} ${sexpr(statement.value)})`;
    case 'function':
      return `(def ${statement.target.name} (${statement.params.map((p) => p.name).join(' ')}) ${sexpr(statement.body)})`;
    case 'destructure':
      return `(= (${statement.targets.map((t) => t.name).join(' ')}) ${sexpr(statement.value)})`;
    case 'expression':
      return sexpr(statement.value);
    case 'error':
      return '(error)';
  }
}
