/**
 * Hand-built AST nodes for resolver tests that must not depend on the parser: each node gets a
 * fresh, increasing span so that problems can be told apart by position.
 */
import type { Expr, NameDecl, NameExpr, PowerExpr, Span, Statement } from '../../../server/src/language/syntax/ast.js';

let offset = 0;
function span(): Span {
  offset += 10;
  return { start: offset, end: offset + 5 };
}

export const build = {
  name(name: string): NameExpr {
    return { kind: 'name', span: span(), name };
  },
  decl(name: string): NameDecl {
    return { name, span: span() };
  },
  num(value: number): Expr {
    return { kind: 'number', span: span(), value, raw: String(value) };
  },
  add(left: Expr, right: Expr): Expr {
    return { kind: 'binary', span: span(), op: '+', left, right };
  },
  call(callee: Expr, ...args: Expr[]): Expr {
    return { kind: 'call', span: span(), callee, args, named: [], spaced: false };
  },
  lambda(params: string[], body: Expr): Expr {
    return { kind: 'lambda', span: span(), params: params.map((param) => build.decl(param)), body };
  },
  squared(base: string): PowerExpr {
    return {
      kind: 'power', span: span(), op: '^', base: build.name(base), exponent: build.num(2),
      superscript: true, superscriptName: `${base}²`,
    };
  },
  sum(index: string, range: Expr, body: Expr): Expr {
    return { kind: 'reduce', span: span(), op: 'sum', notation: '∑', variable: build.decl(index), range, body };
  },
  partial(fn: string, variable: string): Expr {
    return { kind: 'partial', span: span(), fn: build.name(fn), variable: build.decl(variable) };
  },
  define(name: string, value: Expr): Statement {
    return { kind: 'definition', span: span(), target: build.decl(name), value };
  },
  fn(name: string, params: string[], body: Expr): Statement {
    return { kind: 'function', span: span(), target: build.decl(name), params: params.map((param) => build.decl(param)), body };
  },
  destructure(names: string[], value: Expr): Statement {
    return { kind: 'destructure', span: span(), targets: names.map((name) => build.decl(name)), value };
  },
  expr(value: Expr): Statement {
    return { kind: 'expression', span: span(), value };
  },
  error(): Expr {
    return { kind: 'error', span: span() };
  },
};
