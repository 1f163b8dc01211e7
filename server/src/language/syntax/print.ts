/**
 * Printing the AST back as Mathnote source. For a tree that came from the parser the output
 * re-parses to the same tree (spans aside): parentheses are ParenExpr nodes and are printed as
 * such, and no others are added. For a tree built by hand, a child that binds more loosely than
 * its place requires is wrapped in parentheses, so the output still reads as the same formula.
 *
 * Inside matrix brackets a space separates elements, so elements are printed without spaces at
 * their top level (`[a-b, 2x]`); inside any nested parenthesis, call or index the usual spacing
 * returns.
 */
import type { Expr, Statement } from './ast.js';
import { toSuperscript } from './lexer.js';

/** Binding strength of each form, loosest first. */
const enum Level {
  Lambda = 0,
  Comparison = 1,
  Range = 2,
  Additive = 3,
  Multiplicative = 4,
  Prefix = 5,
  Power = 6,
  Postfix = 7,
  Primary = 8,
}

const comparisonOperators = new Set(['==', '!=', '<', '<=', '>', '>=', '≈']);
const additiveOperators = new Set(['+', '-']);

/** How tightly an expression binds; `left` asks about the left operand position. */
function levelOf(expr: Expr, left: boolean): number {
  switch (expr.kind) {
    case 'lambda':
      return Level.Lambda;
    case 'binary':
      if (comparisonOperators.has(expr.op)) return Level.Comparison;
      if (additiveOperators.has(expr.op)) return Level.Additive;
      return Level.Multiplicative;
    case 'range':
      return Level.Range;
    case 'prefix':
      return Level.Prefix;
    case 'power':
      return Level.Power;
    case 'postfix':
    case 'call':
    case 'index':
      return Level.Postfix;
    case 'reduce':
      // The body of `∑(k = …) body` runs to the end of the product, so on the left of a product
      // it must be parenthesized; elsewhere it is like a prefix operator.
      return left ? Level.Additive : Level.Prefix;
    default:
      return Level.Primary;
  }
}

const superscriptForNorm: Record<string, string> = { '1': '₁', '2': '₂', inf: '∞', fro: '_F' };

/** Whether the printed expression may directly follow another factor (juxtaposition). */
function canBeJuxtaposed(expr: Expr): boolean {
  if (expr.kind === 'prefix') return expr.op === '√';
  if (expr.kind === 'string') return false;
  if (expr.kind === 'number' && expr.value < 0) return false;
  return levelOf(expr, false) >= Level.Power || expr.kind === 'reduce';
}

/**
 * Where an expression is printed: layout rules differ inside matrix brackets (spaces separate
 * elements) and inside `|…|` and `‖…‖` (a factor starting with the same bar would close them).
 */
type Place = 'normal' | 'matrix' | 'abs' | 'norm';

/** Characters that would fuse into one token with the character before them. */
const fusing = /^[\p{L}\p{M}\p{N}_.]/u;

class SourcePrinter {
  print(expr: Expr, place: Place): string {
    const inMatrix = place === 'matrix';
    const space = inMatrix ? '' : ' ';
    const child = (node: Expr, minimum: number, left = false): string =>
      levelOf(node, left) < minimum ? `(${this.print(node, 'normal')})` : this.print(node, place);
    switch (expr.kind) {
      case 'number':
        return expr.raw;
      case 'string':
        return `"${expr.value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n').replace(/\t/g, '\\t')}"`;
      case 'name':
        return expr.name;
      case 'matrix':
        return `[${expr.rows.map((row) => row.map((element) => this.print(element, 'matrix')).join(', ')).join('; ')}]`;
      case 'paren':
        return `(${this.print(expr.inner, 'normal')})`;
      case 'prefix':
        return `${expr.op}${child(expr.operand, Level.Prefix)}`;
      case 'binary': {
        if (comparisonOperators.has(expr.op)) {
          return `${child(expr.left, Level.Comparison, true)}${space}${expr.op}${space}${child(expr.right, Level.Range)}`;
        }
        if (additiveOperators.has(expr.op)) {
          return `${child(expr.left, Level.Additive, true)}${space}${expr.op}${space}${child(expr.right, Level.Multiplicative)}`;
        }
        const left = child(expr.left, Level.Multiplicative, true);
        if (expr.op === 'implicit') {
          let right = canBeJuxtaposed(expr.right) ? this.print(expr.right, place) : `(${this.print(expr.right, 'normal')})`;
          if ((place === 'abs' && right.startsWith('|')) || (place === 'norm' && right.startsWith('‖'))) right = `(${this.print(expr.right, 'normal')})`;
          // Without a space inside brackets, `x` and `2` would fuse into the name `x2`.
          if (inMatrix && fusing.test(left.slice(-1)) && fusing.test(right)) return `(${this.print(expr, 'normal')})`;
          return `${left}${space}${right}`;
        }
        return `${left}${space}${expr.op}${space}${child(expr.right, Level.Prefix)}`;
      }
      case 'power': {
        const base = child(expr.base, Level.Postfix, true);
        if (expr.superscript && expr.exponent.kind === 'number') return `${base}${toSuperscript(expr.exponent.raw)}`;
        return `${base}${expr.op}${child(expr.exponent, Level.Prefix)}`;
      }
      case 'postfix':
        return `${child(expr.operand, Level.Postfix, true)}${expr.op}`;
      case 'call': {
        const args = [
          ...expr.args.map((arg) => this.print(arg, 'normal')),
          ...expr.named.map((named) => `${named.name.name} = ${this.print(named.value, 'normal')}`),
        ];
        return `${child(expr.callee, Level.Postfix, true)}${expr.spaced && !inMatrix ? ' ' : ''}(${args.join(', ')})`;
      }
      case 'index':
        return `${child(expr.target, Level.Postfix, true)}[${expr.indices.map((index) => this.print(index, 'normal')).join(', ')}]`;
      case 'range': {
        const parts = expr.step ? [expr.start, expr.step, expr.end] : [expr.start, expr.end];
        return parts.map((part) => child(part, Level.Additive, true)).join(':');
      }
      case 'colon':
        return ':';
      case 'end':
        return 'end';
      case 'lambda': {
        const params = expr.params.length === 1 ? expr.params[0]!.name : `(${expr.params.map((p) => p.name).join(', ')})`;
        return `${params}${space}->${space}${this.print(expr.body, place)}`;
      }
      case 'abs': {
        // `||a| + 1|` would read as a norm bar; a space keeps the two bars apart.
        const operand = this.print(expr.operand, 'abs');
        return `|${operand.startsWith('|') ? ' ' : ''}${operand}|`;
      }
      case 'norm':
        return `‖${this.print(expr.operand, 'norm')}‖${expr.explicitP ? superscriptForNorm[String(expr.p)] : ''}`;
      case 'gradient':
        return `∇${expr.fn.name}`;
      case 'partial':
        return `∂${expr.fn.name}/∂${expr.variable.name}`;
      case 'reduce': {
        const range = this.print(expr.range, 'normal');
        if (expr.notation === 'call') {
          return `${expr.op === 'sum' ? 'sum' : 'prod'}(${expr.variable.name} = ${range}, ${this.print(expr.body, 'normal')})`;
        }
        return `${expr.notation}(${expr.variable.name} = ${range})${space}${child(expr.body, Level.Multiplicative)}`;
      }
      case 'error':
        return '?';
    }
  }
}

const printer = new SourcePrinter();

/** Mathnote source for an expression (re-parses to the same tree, spans aside). */
export function printExpr(expr: Expr): string {
  return printer.print(expr, 'normal');
}

/** Mathnote source for a statement; an ErrorStatement prints as an empty string. */
export function printStatement(statement: Statement): string {
  switch (statement.kind) {
    case 'definition':
      return `${statement.target.name} = ${printExpr(statement.value)}`;
    case 'function':
      return `${statement.target.name}(${statement.params.map((p) => p.name).join(', ')}) = ${printExpr(statement.body)}`;
    case 'destructure':
      return `${statement.targets.map((t) => t.name).join(', ')} = ${printExpr(statement.value)}`;
    case 'expression':
      return printExpr(statement.value);
    case 'error':
      return '';
  }
}
