/**
 * Symbolic derivatives (`f'`, `∂f/∂x`, the scalar case of `∇f`).
 *
 * A user function's body is translated from our AST into mathjs expression nodes built directly
 * (never by parsing text): parameters become symbols `v0, v1, …`, earlier user functions are
 * inlined with their arguments substituted, numeric bindings become constants. mathjs's
 * `derivative` (which also simplifies) differentiates the tree, and the result is evaluated by our
 * own small walker below (never `node.evaluate()` or `compile()`), element by element, so `σ'`
 * applies to a vector like `σ` does.
 *
 * Anything the translation does not cover (matrices, indexing, most built-ins) raises
 * `SymbolicUnsupported`; the caller then falls back to automatic or numeric differentiation.
 */
import {
  ConstantNodeDependencies,
  create,
  derivativeDependencies,
  FunctionNodeDependencies,
  OperatorNodeDependencies,
  ParenthesisNodeDependencies,
  SymbolNodeDependencies,
  type MathNode,
} from 'mathjs';
import type { Expr } from '../syntax/ast.js';
import { complex, elementwise, isNumeric, mapReal, negate, num, type OperatorContext } from './operators.js';
import type { FunctionValue, Value } from './value.js';

const math = create({
  derivativeDependencies,
  OperatorNodeDependencies,
  SymbolNodeDependencies,
  ConstantNodeDependencies,
  FunctionNodeDependencies,
  ParenthesisNodeDependencies,
});

/** Thrown when an expression is outside what the symbolic translation covers. */
export class SymbolicUnsupported extends Error {}

/** What the translation needs to know about a name inside a body. */
export type SymbolicName =
  | { readonly kind: 'substitute'; readonly node: MathNode }
  | { readonly kind: 'value'; readonly value: Value }
  | { readonly kind: 'constant'; readonly name: string };

/** The evaluator's side of the translation: how names resolve and how function bodies are reached. */
export interface SymbolicHost {
  /** How a name use in a body reads, given the current substitutions (param binding id → node). */
  lookup(expr: Expr, substitutions: ReadonlyMap<number, MathNode>, closure: unknown): SymbolicName | undefined;
  /** The binding ids of a user function's parameters, in order. */
  parameterIds(fn: FunctionValue): readonly number[] | undefined;
}

/** Scalar functions our walker evaluates, with mathjs's name for each. */
const SCALAR_FUNCTIONS: Readonly<Record<string, (x: number) => number>> = {
  sin: Math.sin,
  cos: Math.cos,
  tan: Math.tan,
  asin: Math.asin,
  acos: Math.acos,
  atan: Math.atan,
  sinh: Math.sinh,
  cosh: Math.cosh,
  tanh: Math.tanh,
  exp: Math.exp,
  log: Math.log,
  sqrt: Math.sqrt,
  abs: Math.abs,
  sign: Math.sign,
  sec: (x) => 1 / Math.cos(x),
  csc: (x) => 1 / Math.sin(x),
  cot: (x) => 1 / Math.tan(x),
  sech: (x) => 1 / Math.cosh(x),
  csch: (x) => 1 / Math.sinh(x),
  coth: (x) => 1 / Math.tanh(x),
  log10: Math.log10,
  log2: Math.log2,
};

/** Our built-in names that translate to a mathjs function. */
const BUILTIN_TO_MATHJS: Readonly<Record<string, string>> = {
  sin: 'sin', cos: 'cos', tan: 'tan', asin: 'asin', acos: 'acos', atan: 'atan',
  sinh: 'sinh', cosh: 'cosh', tanh: 'tanh', exp: 'exp', ln: 'log', log: 'log',
  sqrt: 'sqrt', log10: 'log10', log2: 'log2',
};

const op = (symbol: string, fn: string, args: MathNode[]): MathNode => new math.OperatorNode(symbol as never, fn as never, args);

/** Translates an expression of our AST into a mathjs node, or throws SymbolicUnsupported. */
export function toMathNode(expr: Expr, host: SymbolicHost, substitutions: ReadonlyMap<number, MathNode>, closure: unknown, depth = 0): MathNode {
  if (depth > 64) throw new SymbolicUnsupported('too deep');
  const go = (e: Expr): MathNode => toMathNode(e, host, substitutions, closure, depth + 1);
  switch (expr.kind) {
    case 'number':
      return new math.ConstantNode(expr.value);
    case 'paren':
      return new math.ParenthesisNode(go(expr.inner));
    case 'name':
      return nameNode(expr, host, substitutions, closure);
    case 'prefix':
      if (expr.op === '-') return op('-', 'unaryMinus', [go(expr.operand)]);
      if (expr.op === '+') return go(expr.operand);
      return new math.FunctionNode('sqrt', [go(expr.operand)]);
    case 'power': {
      const asName = host.lookup(expr, substitutions, closure);
      if (asName) return nameNode(expr, host, substitutions, closure);
      return op('^', 'pow', [go(expr.base), go(expr.exponent)]);
    }
    case 'binary': {
      const l = go(expr.left);
      const r = go(expr.right);
      switch (expr.op) {
        case '+':
          return op('+', 'add', [l, r]);
        case '-':
          return op('-', 'subtract', [l, r]);
        case '*':
        case 'implicit':
        case '·':
        case '.*':
        case '⊙':
        case '×':
          return op('*', 'multiply', [l, r]);
        case '/':
        case './':
          return op('/', 'divide', [l, r]);
        case '^':
        case '.^':
          return op('^', 'pow', [l, r]);
        default:
          throw new SymbolicUnsupported(expr.op);
      }
    }
    case 'call':
      return callNode(expr.callee, expr.args, expr.named.length, host, substitutions, closure, depth);
    case 'abs':
      return new math.FunctionNode('abs', [go(expr.operand)]);
    default:
      throw new SymbolicUnsupported(expr.kind);
  }
}

function nameNode(expr: Expr, host: SymbolicHost, substitutions: ReadonlyMap<number, MathNode>, closure: unknown): MathNode {
  const found = host.lookup(expr, substitutions, closure);
  if (!found) throw new SymbolicUnsupported('name');
  if (found.kind === 'substitute') return found.node;
  if (found.kind === 'constant') {
    if (found.name === 'pi' || found.name === 'π') return new math.SymbolNode('pi');
    if (found.name === 'e') return new math.SymbolNode('e');
    if (found.name === 'Inf' || found.name === '∞') return new math.ConstantNode(Infinity);
    throw new SymbolicUnsupported(found.name);
  }
  if (found.value.kind === 'number') return new math.ConstantNode(found.value.value);
  throw new SymbolicUnsupported('non-scalar value');
}

function callNode(
  callee: Expr,
  args: readonly Expr[],
  namedCount: number,
  host: SymbolicHost,
  substitutions: ReadonlyMap<number, MathNode>,
  closure: unknown,
  depth: number,
): MathNode {
  if (namedCount > 0) throw new SymbolicUnsupported('named arguments');
  const argNodes = args.map((a) => toMathNode(a, host, substitutions, closure, depth + 1));
  if (callee.kind !== 'name') throw new SymbolicUnsupported('callee');
  const found = host.lookup(callee, substitutions, closure);
  if (!found) throw new SymbolicUnsupported('callee');
  if (found.kind === 'value') {
    const fn = found.value;
    if (fn.kind === 'number' && argNodes.length === 1) return op('*', 'multiply', [new math.ConstantNode(fn.value), argNodes[0]!]);
    if (fn.kind !== 'function') throw new SymbolicUnsupported('callee');
    return inlineFunction(fn, argNodes, host, depth);
  }
  if (found.kind === 'substitute') {
    if (argNodes.length === 1) return op('*', 'multiply', [found.node, argNodes[0]!]);
    throw new SymbolicUnsupported('callee');
  }
  throw new SymbolicUnsupported('callee');
}

/** A call of a function value with argument nodes: user functions inline, built-ins map to mathjs. */
export function inlineFunction(fn: FunctionValue, argNodes: readonly MathNode[], host: SymbolicHost, depth = 0): MathNode {
  if (fn.type === 'builtin') {
    const name = fn.name;
    if (argNodes.length === 1 && BUILTIN_TO_MATHJS[name]) return new math.FunctionNode(BUILTIN_TO_MATHJS[name], [...argNodes]);
    if (argNodes.length === 1 && (name === 'sigmoid')) {
      return op('/', 'divide', [new math.ConstantNode(1), op('+', 'add', [new math.ConstantNode(1), new math.FunctionNode('exp', [op('-', 'unaryMinus', [argNodes[0]!])])])]);
    }
    throw new SymbolicUnsupported(name);
  }
  if (fn.type !== 'user') throw new SymbolicUnsupported('derived');
  if (fn.params.length !== argNodes.length) throw new SymbolicUnsupported('arity');
  const ids = host.parameterIds(fn);
  if (!ids) throw new SymbolicUnsupported('parameters');
  const inner = new Map<number, MathNode>();
  ids.forEach((id, i) => inner.set(id, argNodes[i]!));
  return toMathNode(fn.body, host, inner, fn.closure, depth + 1);
}

/**
 * The derivative of a node by symbol `variable`, tidied by our own cheap rules: mathjs's full
 * `simplify` costs ~100 ms per call, too slow for a note evaluated on every keystroke.
 */
export function differentiate(node: MathNode, variable: string): MathNode {
  return tidy(math.derivative(node, variable, { simplify: false }));
}

let warmedUp = false;

/**
 * Builds mathjs's derivative machinery on first use and returns the milliseconds that took (0
 * afterwards). mathjs instantiates its typed functions lazily, which costs several hundred
 * milliseconds once per process; the evaluator adds that to its time budget, because it is a cost
 * of starting up rather than of the note.
 */
export function warmUp(): number {
  if (warmedUp) return 0;
  warmedUp = true;
  const start = Date.now();
  const x = new math.SymbolNode('v0');
  differentiate(op('/', 'divide', [new math.ConstantNode(1), op('+', 'add', [new math.ConstantNode(1), op('^', 'pow', [new math.SymbolNode('e'), op('-', 'unaryMinus', [x])])])]), 'v0');
  differentiate(new math.FunctionNode('tanh', [x]), 'v0');
  return Date.now() - start;
}

type Node = MathNode & { type: string };

function isConstant(n: MathNode): number | undefined {
  if (n.type === 'ConstantNode') {
    const v = (n as unknown as { value: unknown }).value;
    return typeof v === 'number' ? v : undefined;
  }
  if (n.type === 'ParenthesisNode') return isConstant((n as unknown as { content: MathNode }).content);
  return undefined;
}

function isSymbol(n: MathNode, name: string): boolean {
  return n.type === 'SymbolNode' && (n as unknown as { name: string }).name === name;
}

function constant(v: number): MathNode {
  return v < 0 ? op('-', 'unaryMinus', [new math.ConstantNode(-v)]) : new math.ConstantNode(v);
}

/** Flattens a product (with unary minus) into a numeric coefficient and the remaining factors. */
function factorsOf(n: MathNode, into: { coefficient: number; factors: MathNode[] }): void {
  const c = isConstant(n);
  if (c !== undefined) {
    into.coefficient *= c;
    return;
  }
  if (n.type === 'OperatorNode') {
    const o = n as unknown as { fn: string; args: MathNode[] };
    if (o.fn === 'multiply') {
      for (const a of o.args) factorsOf(a, into);
      return;
    }
    if (o.fn === 'unaryMinus') {
      into.coefficient = -into.coefficient;
      factorsOf(o.args[0]!, into);
      return;
    }
  }
  into.factors.push(n);
}

function product(coefficient: number, factors: MathNode[]): MathNode {
  if (coefficient === 0) return new math.ConstantNode(0);
  if (factors.length === 0) return constant(coefficient);
  const body = factors.reduce((a, b) => op('*', 'multiply', [a, b]));
  if (coefficient === 1) return body;
  if (coefficient === -1) return op('-', 'unaryMinus', [body]);
  return coefficient < 0
    ? op('-', 'unaryMinus', [op('*', 'multiply', [new math.ConstantNode(-coefficient), body])])
    : op('*', 'multiply', [new math.ConstantNode(coefficient), body]);
}

/** Constant folding and the identities 0·x, 1·x, x + 0, x¹, x⁰, log(e) and −(−x). */
export function tidy(node: MathNode): MathNode {
  const n = node as Node;
  if (n.type === 'ParenthesisNode') return tidy((n as unknown as { content: MathNode }).content);
  if (n.type === 'FunctionNode') {
    const f = n as unknown as { fn: { name: string }; args: MathNode[] };
    const args = f.args.map(tidy);
    if (f.fn.name === 'log' && args.length === 1 && isSymbol(args[0]!, 'e')) return new math.ConstantNode(1);
    return new math.FunctionNode(f.fn.name, args);
  }
  if (n.type !== 'OperatorNode') return n;
  const o = n as unknown as { op: string; fn: string; args: MathNode[] };
  const args = o.args.map(tidy);
  const [a, b] = args;
  const ca = a ? isConstant(a) : undefined;
  const cb = b ? isConstant(b) : undefined;
  switch (o.fn) {
    case 'unaryPlus':
      return a!;
    case 'unaryMinus': {
      if (ca !== undefined) return constant(-ca);
      if (a!.type === 'OperatorNode' && (a as unknown as { fn: string }).fn === 'unaryMinus') return (a as unknown as { args: MathNode[] }).args[0]!;
      const into = { coefficient: 1, factors: [] as MathNode[] };
      factorsOf(a!, into);
      return product(-into.coefficient, into.factors);
    }
    case 'add':
      if (ca !== undefined && cb !== undefined) return constant(ca + cb);
      if (ca === 0) return b!;
      if (cb === 0) return a!;
      if (cb !== undefined && cb < 0) return op('-', 'subtract', [a!, new math.ConstantNode(-cb)]);
      // a + (−b) reads as a − b.
      if (b!.type === 'OperatorNode' && (b as unknown as { fn: string }).fn === 'unaryMinus') {
        return op('-', 'subtract', [a!, (b as unknown as { args: MathNode[] }).args[0]!]);
      }
      return op('+', 'add', [a!, b!]);
    case 'subtract':
      if (ca !== undefined && cb !== undefined) return constant(ca - cb);
      if (cb === 0) return a!;
      if (ca === 0) return tidy(op('-', 'unaryMinus', [b!]));
      return op('-', 'subtract', [a!, b!]);
    case 'multiply': {
      const into = { coefficient: 1, factors: [] as MathNode[] };
      for (const arg of args) factorsOf(arg, into);
      return product(into.coefficient, into.factors);
    }
    case 'divide': {
      if (ca !== undefined && cb !== undefined && cb !== 0) return constant(ca / cb);
      if (cb === 1) return a!;
      if (ca === 0) return new math.ConstantNode(0);
      const top = { coefficient: 1, factors: [] as MathNode[] };
      factorsOf(a!, top);
      if (cb !== undefined && cb !== 0) return product(top.coefficient / cb, top.factors);
      const negative = top.coefficient < 0;
      const numerator = product(Math.abs(top.coefficient), top.factors);
      const quotient = op('/', 'divide', [numerator, b!]);
      return negative ? op('-', 'unaryMinus', [quotient]) : quotient;
    }
    case 'pow':
      if (ca !== undefined && cb !== undefined) return constant(Math.pow(ca, cb));
      if (cb === 1) return a!;
      if (cb === 0) return new math.ConstantNode(1);
      return op('^', 'pow', [a!, b!]);
    default:
      return op(o.op, o.fn, args);
  }
}

/** Symbol names of the parameters, in order (`v0`, `v1`, …). */
export function parameterSymbol(index: number): MathNode {
  return new math.SymbolNode(`v${index}`);
}

/** LaTeX of a node, the parameters written with their names' LaTeX. */
export function nodeToLatex(node: MathNode, parameterLatex: readonly string[]): string {
  const tex = node.toTex({
    handler: (n: MathNode) => {
      if (n.type === 'SymbolNode') {
        const name = (n as unknown as { name: string }).name;
        const m = /^v(\d+)$/.exec(name);
        // A leading space keeps a preceding command apart (`\\cdot x`, not `\\cdotx`).
        if (m) return ` ${parameterLatex[Number(m[1])] ?? name}`;
      }
      return undefined;
    },
  } as never);
  return tex.replace(/\s+/g, ' ').replace(/\{ /g, '{').replace(/\( /g, '(').trim();
}

/** Plain text of a node, the parameters written with their names. */
export function nodeToText(node: MathNode, parameterNames: readonly string[]): string {
  return node.toString().replace(/\bv(\d+)\b/g, (_, d: string) => parameterNames[Number(d)] ?? `v${d}`);
}

/**
 * Evaluates a mathjs node with the parameters bound to values, element-wise, with our operators:
 * this is the only way derivative trees are evaluated (never mathjs's own evaluate).
 */
export function evaluateNode(node: MathNode, args: readonly Value[], ctx: OperatorContext): Value {
  const walk = (n: MathNode): Value => {
    switch (n.type) {
      case 'ConstantNode': {
        const v = (n as unknown as { value: unknown }).value;
        if (typeof v !== 'number') throw new SymbolicUnsupported('constant');
        return num(v);
      }
      case 'SymbolNode': {
        const name = (n as unknown as { name: string }).name;
        const m = /^v(\d+)$/.exec(name);
        if (m) {
          const arg = args[Number(m[1])];
          if (!arg) throw new SymbolicUnsupported('argument');
          return arg;
        }
        if (name === 'e') return num(Math.E);
        if (name === 'pi') return num(Math.PI);
        if (name === 'i') return complex(0, 1);
        throw new SymbolicUnsupported(name);
      }
      case 'ParenthesisNode':
        return walk((n as unknown as { content: MathNode }).content);
      case 'OperatorNode': {
        const o = n as unknown as { fn: string; args: MathNode[] };
        const vals = o.args.map(walk);
        switch (o.fn) {
          case 'add':
            return vals.reduce((a, b) => elementwise('+', a, b, ctx));
          case 'subtract':
            return elementwise('-', vals[0]!, vals[1]!, ctx);
          case 'multiply':
            return vals.reduce((a, b) => elementwise('.*', a, b, ctx));
          case 'divide':
            return elementwise('./', vals[0]!, vals[1]!, ctx);
          case 'pow': {
            const base = vals[0]!;
            const exponent = vals[1]!;
            // e^x through exp keeps the last bits right (Math.pow(Math.E, x) is not exp(x)).
            if (base.kind === 'number' && base.value === Math.E && isNumeric(exponent)) return mapReal(exponent, Math.exp);
            return elementwise('.^', base, exponent, ctx);
          }
          case 'unaryMinus':
            return negate(vals[0]!);
          case 'unaryPlus':
            return vals[0]!;
          default:
            throw new SymbolicUnsupported(o.fn);
        }
      }
      case 'FunctionNode': {
        const f = n as unknown as { fn: { name: string }; args: MathNode[] };
        const impl = SCALAR_FUNCTIONS[f.fn.name];
        if (!impl || f.args.length !== 1) throw new SymbolicUnsupported(f.fn.name);
        const arg = walk(f.args[0]!);
        if (!isNumeric(arg) || arg.kind === 'complex') throw new SymbolicUnsupported('complex');
        return mapReal(arg, impl);
      }
      default:
        throw new SymbolicUnsupported(n.type);
    }
  };
  return walk(node);
}
