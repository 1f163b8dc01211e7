/**
 * Statements and expressions as KaTeX-compatible LaTeX (LANGUAGE.md §11):
 * `β̂ = (XᵀX)⁻¹Xᵀy` → `\hat{\beta} = \left(X^{\top} X\right)^{-1} X^{\top} y`.
 *
 * The user's parentheses are kept (as `\left( … \right)`) except where LaTeX layout makes them
 * redundant: around the numerator and denominator of `\frac`, inside `\sqrt{}`, and around an
 * exponent. Every piece of user text goes through `nameToLatex` or `escapeText`, so a string
 * such as `"\href{…}"` prints literally and cannot inject KaTeX commands.
 */
import type { BinaryOperator, Expr, Statement } from '../syntax/ast.js';
import { escapeText, nameToLatex } from './names.js';

/** Functions KaTeX typesets with their own operator command. */
const operatorCommands: Record<string, string> = {
  sin: '\\sin', cos: '\\cos', tan: '\\tan', sec: '\\sec', csc: '\\csc', cot: '\\cot', sinh: '\\sinh', cosh: '\\cosh',
  tanh: '\\tanh', coth: '\\coth', asin: '\\arcsin', acos: '\\arccos', atan: '\\arctan', exp: '\\exp', log: '\\log', ln: '\\ln',
  lg: '\\lg', det: '\\det', min: '\\min', max: '\\max', gcd: '\\gcd', dim: '\\dim', ker: '\\ker', arg: '\\arg',
};

const binaryCommands: Partial<Record<BinaryOperator, string>> = {
  '==': '=', '!=': '\\neq', '<': '<', '<=': '\\leq', '>': '>', '>=': '\\geq', '≈': '\\approx',
  '+': '+', '-': '-', '*': '\\cdot', '·': '\\cdot', '\\': '\\backslash', '.*': '\\odot', '⊙': '\\odot',
  './': '\\oslash', '×': '\\times',
};

/** The printed LaTeX and what a following superscript or subscript must know about it. */
interface Tex {
  readonly tex: string;
  /** Ends in a superscript (`x^{2}`), so another superscript needs braces around it. */
  readonly sup: boolean;
  /** Ends in a subscript (`x_{1}`), so another subscript needs braces around it. */
  readonly sub: boolean;
}

const plain = (tex: string): Tex => ({ tex, sup: false, sub: false });

/** Removes one pair of the user's parentheses where the layout already groups (`\frac{…}{…}`). */
function unparen(expr: Expr): Expr {
  return expr.kind === 'paren' ? expr.inner : expr;
}

function withSuperscript(base: Tex, superscript: string): Tex {
  const body = base.sup ? `{${base.tex}}` : base.tex;
  return { tex: `${body}^{${superscript}}`, sup: true, sub: false };
}

function withSubscript(base: Tex, subscript: string): Tex {
  const body = base.sub || base.sup ? `{${base.tex}}` : base.tex;
  return { tex: `${body}_{${subscript}}`, sup: false, sub: true };
}

function nameTex(name: string): Tex {
  const tex = nameToLatex(name);
  return { tex, sup: tex.includes('^{'), sub: tex.includes('_{') && !tex.includes('^{') };
}

function numberTex(raw: string): string {
  const match = /^([0-9.]+)[eE]([+-]?)0*(\d+)$/.exec(raw);
  if (!match) return raw;
  const exponent = `${match[2] === '-' ? '-' : ''}${match[3]}`;
  return `${match[1]} \\times 10^{${exponent}}`;
}

/** How a callee is typeset: `\sin`, `\operatorname{softmax}`, or the expression itself. */
function calleeTex(callee: Expr): string {
  if (callee.kind === 'name') {
    const command = operatorCommands[callee.name];
    if (command) return command;
    // Multi-letter ASCII function names are upright operators (softmax, normcdf, step).
    if (/^[A-Za-z][A-Za-z0-9]+$/.test(callee.name)) return `\\operatorname{${callee.name}}`;
  }
  return print(callee).tex;
}

function print(expr: Expr): Tex {
  switch (expr.kind) {
    case 'number':
      return plain(numberTex(expr.raw));
    case 'string':
      return plain(`\\text{${escapeText(expr.value)}}`);
    case 'name':
      return nameTex(expr.name);
    case 'matrix': {
      const rows = expr.rows.map((row) => row.map((element) => print(element).tex).join(' & ')).join(' \\\\ ');
      return plain(`\\begin{bmatrix} ${rows} \\end{bmatrix}`);
    }
    case 'paren':
      return plain(`\\left(${print(expr.inner).tex}\\right)`);
    case 'prefix':
      if (expr.op === '√') return plain(`\\sqrt{${print(unparen(expr.operand)).tex}}`);
      return plain(`${expr.op}${print(expr.operand).tex}`);
    case 'binary':
      return printBinary(expr.op, expr.left, expr.right);
    case 'power': {
      const exponent = print(unparen(expr.exponent)).tex;
      const base = print(expr.base);
      if (expr.op === '.^') return withSuperscript(base, `\\circ ${exponent}`);
      return withSuperscript(base, exponent);
    }
    case 'postfix': {
      const operand = print(expr.operand);
      switch (expr.op) {
        case 'ᵀ':
          return withSuperscript(operand, '\\top');
        case '⁻¹':
          return withSuperscript(operand, '-1');
        case "'":
          return { tex: `${operand.sup ? `{${operand.tex}}` : operand.tex}'`, sup: true, sub: false };
        case '!':
          return plain(`${operand.tex}!`);
      }
      break;
    }
    case 'call': {
      if (expr.callee.kind === 'name' && expr.named.length === 0 && expr.args.length === 1) {
        const only = print(unparen(expr.args[0]!)).tex;
        if (expr.callee.name === 'sqrt') return plain(`\\sqrt{${only}}`);
        if (expr.callee.name === 'abs') return plain(`\\left|${only}\\right|`);
        if (expr.callee.name === 'norm') return plain(`\\left\\lVert ${only} \\right\\rVert`);
      }
      const args = [
        ...expr.args.map((arg) => print(arg).tex),
        ...expr.named.map((named) => `\\text{${escapeText(named.name.name)}} = ${print(named.value).tex}`),
      ];
      return plain(`${calleeTex(expr.callee)}\\left(${args.join(', ')}\\right)`);
    }
    case 'index':
      return withSubscript(print(expr.target), expr.indices.map((index) => print(index).tex).join(','));
    case 'range': {
      const parts = expr.step ? [expr.start, expr.step, expr.end] : [expr.start, expr.end];
      return plain(parts.map((part) => print(part).tex).join(' : '));
    }
    case 'colon':
      return plain(':');
    case 'end':
      return plain('\\mathrm{end}');
    case 'lambda': {
      const params = expr.params.map((param) => nameToLatex(param.name));
      const head = params.length === 1 ? params[0]! : `\\left(${params.join(', ')}\\right)`;
      return plain(`${head} \\mapsto ${print(expr.body).tex}`);
    }
    case 'abs':
      return plain(`\\left|${print(expr.operand).tex}\\right|`);
    case 'norm': {
      const tex = `\\left\\lVert ${print(expr.operand).tex} \\right\\rVert`;
      if (!expr.explicitP) return plain(tex);
      const p = expr.p === 'inf' ? '\\infty' : expr.p === 'fro' ? 'F' : String(expr.p);
      return { tex: `${tex}_{${p}}`, sup: false, sub: true };
    }
    case 'gradient':
      return plain(`\\nabla ${nameToLatex(expr.fn.name)}`);
    case 'partial':
      return plain(`\\frac{\\partial ${nameToLatex(expr.fn.name)}}{\\partial ${nameToLatex(expr.variable.name)}}`);
    case 'reduce': {
      const command = expr.op === 'sum' ? '\\sum' : '\\prod';
      const variable = nameToLatex(expr.variable.name);
      const range = expr.range;
      const limits =
        range.kind === 'range' && !range.step
          ? `_{${variable}=${print(range.start).tex}}^{${print(range.end).tex}}`
          : `_{${variable} \\in ${print(range).tex}}`;
      return plain(`${command}${limits} ${print(expr.body).tex}`);
    }
    case 'error':
      return plain('\\square');
  }
  return plain('');
}

function printBinary(op: BinaryOperator, left: Expr, right: Expr): Tex {
  if (op === '/') return plain(`\\frac{${print(unparen(left)).tex}}{${print(unparen(right)).tex}}`);
  const l = print(left).tex;
  const r = print(right).tex;
  if (op === 'implicit') {
    // Juxtaposed digits would read as one number (`2 3` → 23), so they get a visible dot.
    return plain(/^[0-9.]/.test(r) ? `${l} \\cdot ${r}` : `${l} ${r}`);
  }
  if (op === '^' || op === '.^') return withSuperscript(print(left), r);
  return plain(`${l} ${binaryCommands[op] ?? op} ${r}`);
}

/** KaTeX-compatible LaTeX of an expression. */
export function exprToLatex(expr: Expr): string {
  return print(expr).tex;
}

/** KaTeX-compatible LaTeX of a statement (`\hat{\beta} = …`); an ErrorStatement gives ''. */
export function statementToLatex(statement: Statement): string {
  switch (statement.kind) {
    case 'definition':
      return `${nameToLatex(statement.target.name)} = ${exprToLatex(statement.value)}`;
    case 'function': {
      const params = statement.params.map((param) => nameToLatex(param.name)).join(', ');
      const head = calleeTex({ kind: 'name', name: statement.target.name, span: statement.target.span });
      return `${head}\\left(${params}\\right) = ${exprToLatex(statement.body)}`;
    }
    case 'destructure':
      return `${statement.targets.map((target) => nameToLatex(target.name)).join(', ')} = ${exprToLatex(statement.value)}`;
    case 'expression':
      return exprToLatex(statement.value);
    case 'error':
      return '';
  }
}
