/**
 * The evaluator: walks our own AST (never mathjs's parser or evaluate) statement by statement,
 * binding each definition's value to its binding id.
 *
 * Bindings are immutable and every use resolves to exactly one of them, so the environment is a
 * map from binding id to value; a function call adds a scope for its parameters on top of the scope
 * the function closed over. Errors never escape: a failing statement gets a problem and no value,
 * later uses of its names say so once, and unexpected exceptions become `eval.internal` problems.
 */
import type { MathNode } from 'mathjs';
import type { Evaluation, EvaluationOptions, StatementResult } from '../analysis.js';
import type { Problem, ProblemArg } from '../problem.js';
import type { Binding, Resolution } from '../resolve/types.js';
import type {
  CallExpr,
  Expr,
  IndexExpr,
  MatrixExpr,
  NameDecl,
  RangeExpr,
  ReduceExpr,
  Span,
  Statement,
} from '../syntax/ast.js';
import {
  asValue,
  dualBuiltin,
  dualConcat,
  dualElementwise,
  dualMap,
  dualMultiply,
  dualNegate,
  dualNorm2,
  dualSelect,
  DualUnsupported,
  dualOf,
  dualTranspose,
  gradientFromOutput,
  isDual,
  numericGradient,
  primal,
  seedInputs,
} from './autodiff.js';
import { BuiltinProblem, type Builtin, type CallContext } from './builtin.js';
import { builtinRegistry } from './builtins/index.js';
import { constantValues } from './constants.js';
import { inverse, leftDivide, matrixPower, rightDivide } from './kernels.js';
import {
  approxEqual,
  bool,
  complex,
  complexPow,
  describeKind,
  elementwise,
  EvalError,
  frobenius,
  isNumeric,
  isScalar,
  mapReal,
  matmul,
  matrix,
  negate,
  normalize,
  num,
  realScalar,
  shapeArg,
  toMatrix,
  transpose,
  type BinaryElementOp,
  type OperatorContext,
} from './operators.js';
import {
  differentiate,
  evaluateNode,
  inlineFunction,
  nodeToLatex,
  nodeToText,
  parameterSymbol,
  SymbolicUnsupported,
  warmUp,
  type SymbolicHost,
  type SymbolicName,
} from './symbolic.js';
import type { DerivedFunctionValue, FunctionValue, MatrixValue, UserFunctionValue, Value } from './value.js';
import { nameToLatex } from '../print/names.js';

/** Directions of one forward-mode pass; more inputs take several passes (see seedInputs). */
const GRADIENT_CHUNK = 32;

/** Defaults of EvaluationOptions (analysis.ts documents each). */
export const defaultEvaluationOptions: EvaluationOptions = {
  precision: 6,
  maxElements: 1e7,
  timeBudgetMs: 2000,
  maxRecursionDepth: 200,
};

/** A derivative found symbolically: its tree (evaluated by our walker), LaTeX and text. */
interface SymbolicDerivative {
  readonly node: MathNode;
  readonly latex: string;
  readonly text: string;
}

/** A lexical scope: parameter and index values on top of the scope a function closed over. */
interface Scope {
  readonly values: Map<number, Value>;
  readonly parent?: Scope;
}

/** The statement fails without a new problem (its cause was already reported). */
class SilentFailure extends Error {}

/** Evaluation of the whole document stops (time budget spent or cancelled). */
class StopEvaluation extends Error {
  constructor(readonly reason: 'time' | 'cancelled') {
    super(reason);
  }
}

/** An EvalError with the span of the innermost expression it came from. */
const errorSpans = new WeakMap<EvalError, Span>();

const ELEMENTWISE_OPS: Readonly<Partial<Record<string, BinaryElementOp>>> = {
  '+': '+',
  '-': '-',
  '.*': '.*',
  '⊙': '.*',
  './': './',
  '.^': '.^',
  '==': '==',
  '!=': '!=',
  '<': '<',
  '<=': '<=',
  '>': '>',
  '>=': '>=',
};

/** Evaluates every statement of a note in order. Never throws. */
export function evaluateProgram(
  statements: readonly Statement[],
  resolution: Resolution,
  text: string,
  options: Partial<EvaluationOptions> = {},
): Evaluation {
  const evaluator = new Evaluator(resolution, text, { ...defaultEvaluationOptions, ...options });
  return evaluator.run(statements);
}

class Evaluator {
  private readonly globals: Scope = { values: new Map() };
  private readonly problems: Problem[] = [];
  private readonly failed = new Set<number>();
  private readonly reportedFailures = new Set<number>();
  private readonly bindingByDecl = new Map<NameDecl, Binding>();
  private readonly registry = builtinRegistry();
  private readonly constants = constantValues();
  private readonly warningKeys = new Set<string>();
  private statementSpan: Span = { start: 0, end: 0 };
  private depth = 0;
  private deadline = Infinity;
  private ticks = 0;
  private quiet = false;
  private randomState = 0x9e3779b9;
  private readonly startTime = Date.now();

  constructor(
    private readonly resolution: Resolution,
    private readonly text: string,
    private readonly options: EvaluationOptions,
  ) {
    for (const binding of resolution.bindings) if (binding.decl) this.bindingByDecl.set(binding.decl, binding);
  }

  run(statements: readonly Statement[]): Evaluation {
    const results = new Map<Statement, StatementResult>();
    this.deadline = this.startTime + this.options.timeBudgetMs;
    this.running = true;
    let complete = true;
    let inGrace = false;
    for (const statement of statements) {
      const names = namesOf(statement);
      if (!complete) {
        results.set(statement, { statement, names });
        this.markFailed(statement);
        continue;
      }
      this.statementSpan = statement.span;
      this.warningKeys.clear();
      try {
        // checkTime looks at the clock only every 64 steps; a few statements that each call one
        // heavy built-in (twenty `ones(3000, 3000)`) take that few steps, so each statement starts
        // with a look at the clock and at cancellation.
        this.checkTimeNow();
        const value = this.evaluateStatement(statement);
        results.set(statement, value === undefined ? { statement, names } : { statement, value, names });
      } catch (error) {
        results.set(statement, { statement, names });
        this.markFailed(statement);
        if (error instanceof StopEvaluation) {
          if (error.reason === 'time' && !inGrace) {
            // DESIGN.md: the offending line gets the limit problem and the rest of the note still
            // evaluates. The rest shares a grace period of half the budget, so a note of many slow
            // lines still ends in bounded time (at most 1.5 × the budget).
            this.report('limit', 'error', 'eval.time-budget', statement.span, { budgetMs: this.options.timeBudgetMs });
            inGrace = true;
            this.deadline = Date.now() + Math.max(50, this.options.timeBudgetMs / 2);
            continue;
          }
          complete = false;
          if (error.reason === 'time') {
            this.report('limit', 'error', 'eval.time-budget-rest', statement.span, { budgetMs: this.options.timeBudgetMs });
          }
        } else {
          this.reportError(error, statement.span);
        }
      }
    }
    this.running = false;
    const elapsedMs = Date.now() - this.startTime;
    return {
      results,
      problems: this.problems,
      complete,
      elapsedMs,
      valueOfSubexpression: (expr, statement) => this.valueOfSubexpression(expr, statement),
    };
  }

  // ---- statements -------------------------------------------------------------------------------

  private evaluateStatement(statement: Statement): Value | undefined {
    switch (statement.kind) {
      case 'error':
        throw new SilentFailure();
      case 'expression':
        return this.publicValue(this.evalExpr(statement.value, this.globals));
      case 'definition': {
        const value = this.publicValue(this.evalExpr(statement.value, this.globals));
        this.bind(statement.target, value);
        return value;
      }
      case 'function': {
        const value: UserFunctionValue = {
          kind: 'function',
          type: 'user',
          name: statement.target.name,
          params: statement.params,
          body: statement.body,
          closure: this.globals,
        };
        this.bind(statement.target, value);
        return value;
      }
      case 'destructure': {
        const value = this.publicValue(this.evalExpr(statement.value, this.globals));
        if (value.kind !== 'tuple') {
          throw new EvalError('type', 'eval.not-a-tuple', { targets: statement.targets.length, found: describeKind(value) });
        }
        if (statement.targets.length > value.items.length) {
          throw new EvalError('arity', 'arity.destructure', {
            names: statement.targets.length,
            value: this.source(statement.value.span),
            values: value.items.length,
          });
        }
        statement.targets.forEach((target, i) => this.bind(target, value.items[i]!));
        return value;
      }
    }
  }

  private bind(decl: NameDecl, value: Value): void {
    const binding = this.bindingByDecl.get(decl);
    if (binding) this.globals.values.set(binding.id, value);
  }

  private markFailed(statement: Statement): void {
    for (const binding of this.resolution.definitions.get(statement) ?? []) this.failed.add(binding.id);
  }

  /** A value leaving the evaluator: duals never escape, 1×1 results of operators are scalars. */
  private publicValue(v: Value): Value {
    return isDual(v) ? primal(v) : v;
  }

  // ---- problems ---------------------------------------------------------------------------------

  private report(code: Problem['code'], severity: Problem['severity'], kind: string, span: Span, args: Record<string, ProblemArg | undefined>): void {
    if (this.quiet) return;
    this.problems.push({ code, severity, kind, span, args });
  }

  private reportError(error: unknown, fallback: Span): void {
    if (error instanceof SilentFailure) return;
    if (error instanceof EvalError) {
      const span = this.anchor(errorSpans.get(error) ?? fallback);
      // A use of a failed name is a consequence, not a new mistake: a warning, like the resolver's.
      const severity = error.kind === 'eval.failed-dependency' ? 'warning' : 'error';
      this.report(error.code, severity, error.kind, span, error.args);
      return;
    }
    if (error instanceof BuiltinProblem) {
      this.report(error.code, 'error', error.kind, fallback, error.args);
      return;
    }
    if (error instanceof RangeError && /call stack/i.test(error.message)) {
      this.report('limit', 'error', 'eval.too-deep', fallback, {});
      return;
    }
    const message = error instanceof Error ? error.message : String(error);
    this.report('type', 'error', 'eval.internal', fallback, { message });
  }

  /** A span inside a function body defined elsewhere is moved to the statement being evaluated. */
  private anchor(span: Span): Span {
    const s = this.statementSpan;
    return span.start >= s.start && span.end <= s.end ? span : s;
  }

  private warn(code: 'singular' | 'domain', kind: string, span: Span, args: Record<string, ProblemArg | undefined>): void {
    const anchored = this.anchor(span);
    const key = `${kind}@${anchored.start}:${anchored.end}`;
    if (this.warningKeys.has(key)) return;
    this.warningKeys.add(key);
    this.report(code, 'warning', kind, anchored, args);
  }

  private operatorContext(span: Span): OperatorContext {
    return {
      warn: (code, kind, args) => this.warn(code, kind, span, args),
      checkSize: (rows, cols) => this.checkSize(rows, cols, span),
    };
  }

  private checkSize(rows: number, cols: number | null, span: Span, elements = rows * (cols ?? 1)): void {
    if (elements > this.options.maxElements) {
      throw new EvalError('limit', 'eval.too-large', {
        expression: this.source(span),
        rows,
        cols,
        elements,
        limit: this.options.maxElements,
      });
    }
  }

  /** Throws StopEvaluation when the budget is spent or a newer edit cancelled this run. */
  private checkTime(): void {
    if ((++this.ticks & 63) !== 0) return;
    this.checkTimeNow();
  }

  /** checkTime without its step counter. */
  private checkTimeNow(): void {
    if (Date.now() > this.deadline) throw new StopEvaluation('time');
    if (this.options.isCancelled?.()) throw new StopEvaluation('cancelled');
  }

  private source(span: Span): string {
    return this.text.slice(span.start, span.end);
  }

  // ---- expressions ------------------------------------------------------------------------------

  private evalExpr(expr: Expr, scope: Scope): Value {
    try {
      return this.evalNode(expr, scope);
    } catch (error) {
      if (error instanceof EvalError && !errorSpans.has(error)) errorSpans.set(error, expr.span);
      if (error instanceof BuiltinProblem) {
        const converted = new EvalError(error.code, error.kind, error.args);
        errorSpans.set(converted, expr.span);
        throw converted;
      }
      throw error;
    }
  }

  private evalNode(expr: Expr, scope: Scope): Value {
    switch (expr.kind) {
      case 'number':
        return num(expr.value);
      case 'string':
        return { kind: 'string', value: expr.value };
      case 'name':
        return this.lookup(expr, scope);
      case 'paren':
        return this.evalExpr(expr.inner, scope);
      case 'matrix':
        return this.evalMatrix(expr, scope);
      case 'prefix': {
        const operand = this.evalExpr(expr.operand, scope);
        const ctx = this.operatorContext(expr.span);
        if (expr.op === '-') return isDual(operand) ? dualNegate(operand) : negate(this.numeric(operand, expr.operand));
        if (expr.op === '+') return isDual(operand) ? operand : this.numeric(operand, expr.operand);
        return this.sqrt(operand, ctx);
      }
      case 'binary':
        return this.evalBinaryChain(expr, scope);
      case 'power': {
        if (this.resolution.uses.has(expr)) return this.lookup(expr, scope);
        const base = this.evalExpr(expr.base, scope);
        const exponent = this.evalExpr(expr.exponent, scope);
        if (base.kind === 'number' && exponent.kind === 'number') return this.scalarBinary(expr.op, base.value, exponent.value, expr.span)!;
        const texts = { left: this.source(expr.base.span), right: this.source(expr.exponent.span) };
        if (expr.op === '.^') return this.elementwise('.^', base, exponent, expr.span, texts);
        return this.power(base, exponent, expr.span, texts);
      }
      case 'postfix':
        return this.evalPostfix(expr.op, expr.operand, scope, expr.span);
      case 'call':
        return this.evalCall(expr, scope);
      case 'index':
        return this.evalIndex(expr, scope);
      case 'range':
        return this.evalRange(expr, scope);
      case 'colon':
        throw new EvalError('type', 'eval.colon-outside-index', {});
      case 'end': {
        const size = this.endSizes[this.endSizes.length - 1];
        if (size === undefined) throw new EvalError('type', 'eval.end-outside-index', {});
        return num(size);
      }
      case 'lambda':
        return { kind: 'function', type: 'user', params: expr.params, body: expr.body, closure: scope };
      case 'abs':
        return this.abs(this.evalExpr(expr.operand, scope), expr.operand);
      case 'norm':
        return this.norm(this.evalExpr(expr.operand, scope), expr.p, expr.operand, expr.span);
      case 'gradient':
        return this.gradientOf(this.evalExpr(expr.fn, scope), expr.fn.name);
      case 'partial': {
        const fn = this.evalExpr(expr.fn, scope);
        // The resolver already reports a variable that is not a parameter of a function statement.
        const statementFunction = this.resolution.uses.get(expr.fn)?.kind === 'function';
        if (statementFunction && fn.kind === 'function' && fn.type === 'user' && !fn.params.some((p) => p.name === expr.variable.name)) {
          throw new SilentFailure();
        }
        return this.partialOf(fn, expr.fn.name, expr.variable.name);
      }
      case 'reduce':
        return this.evalReduce(expr, scope);
      case 'error':
        throw new SilentFailure();
    }
    // Only a tree from a newer parser than this evaluator reaches here; it becomes eval.internal.
    throw new Error(`unknown expression kind '${(expr as { kind: string }).kind}'`);
  }

  private numeric(v: Value, expr: Expr): Value {
    if (isNumeric(v) || isDual(v)) return v;
    throw new EvalError('type', 'eval.not-numeric', { role: 'operand', operand: this.source(expr.span), found: describeKind(v) });
  }

  private lookup(expr: Expr, scope: Scope): Value {
    const binding = this.resolution.uses.get(expr as never);
    if (!binding) throw new SilentFailure();
    if (binding.kind === 'constant') {
      const value = this.constants.get(binding.name);
      if (!value) throw new SilentFailure();
      return value;
    }
    if (binding.kind === 'builtin') {
      if (!this.registry.has(binding.name)) {
        const constant = this.constants.get(binding.name);
        if (constant) return constant;
        throw new EvalError('undefined', 'eval.unknown-builtin', { name: binding.name });
      }
      return { kind: 'function', type: 'builtin', name: binding.name };
    }
    for (let s: Scope | undefined = scope; s; s = s.parent) {
      const value = s.values.get(binding.id);
      if (value !== undefined) return value;
    }
    if (this.resolution.failed?.has(binding)) throw new SilentFailure();
    if (this.failed.has(binding.id)) {
      if (this.reportedFailures.has(binding.id) || this.quiet) throw new SilentFailure();
      this.reportedFailures.add(binding.id);
      throw new EvalError('undefined', 'eval.failed-dependency', { name: binding.name });
    }
    throw new SilentFailure();
  }

  // ---- operators --------------------------------------------------------------------------------

  private elementwise(op: BinaryElementOp, a: Value, b: Value, span: Span, texts?: { left?: string; right?: string }): Value {
    const ctx = this.operatorContext(span);
    if (isDual(a) || isDual(b)) {
      if (op === '+' || op === '-' || op === '.*' || op === './' || op === '.^') return dualElementwise(op, a, b, ctx);
      return elementwise(op, primal(a), primal(b), ctx, texts);
    }
    if ((op === '==' || op === '!=') && (a.kind === 'string' || b.kind === 'string')) {
      const same = a.kind === b.kind && (a as { value: string }).value === (b as { value: string }).value;
      return bool(op === '==' ? same : !same);
    }
    if (!isNumeric(a)) throw new EvalError('type', 'eval.not-numeric', { role: 'left operand', operand: texts?.left, found: describeKind(a) });
    if (!isNumeric(b)) throw new EvalError('type', 'eval.not-numeric', { role: 'right operand', operand: texts?.right, found: describeKind(b) });
    return elementwise(op, a, b, ctx, texts);
  }

  /**
   * A chain of left-associative operators (`1 + 2 + … + 200000`) is walked along its left spine
   * with a loop, not recursion, so a long line cannot overflow the stack.
   */
  private evalBinaryChain(expr: Extract<Expr, { kind: 'binary' }>, scope: Scope): Value {
    const spine: Extract<Expr, { kind: 'binary' }>[] = [];
    let leftmost: Expr = expr;
    while (leftmost.kind === 'binary') {
      spine.push(leftmost);
      leftmost = leftmost.left;
    }
    let acc = this.evalExpr(leftmost, scope);
    for (let i = spine.length - 1; i >= 0; i--) {
      const node = spine[i]!;
      if (i !== 0) this.tick();
      try {
        const b = this.evalExpr(node.right, scope);
        acc = this.evalBinary(node.op, acc, b, node.left, node.right, node.span);
      } catch (error) {
        if (error instanceof EvalError && !errorSpans.has(error)) errorSpans.set(error, node.span);
        throw error;
      }
    }
    return acc;
  }

  /** Counts work for the time budget without a call (long chains of operators). */
  private tick(): void {
    this.checkTime();
  }

  private evalBinary(op: string, a: Value, b: Value, left: Expr, right: Expr, span: Span): Value {
    if (a.kind === 'number' && b.kind === 'number') {
      const fast = this.scalarBinary(op, a.value, b.value, span);
      if (fast !== undefined) return fast;
    }
    // The operands' source texts only matter for messages, so they are sliced when first read.
    const text = this.text;
    const texts = {
      get left(): string {
        return text.slice(left.span.start, left.span.end);
      },
      get right(): string {
        return text.slice(right.span.start, right.span.end);
      },
    };
    return this.binary(op, a, b, span, texts);
  }

  /**
   * Two plain numbers: the common case inside functions called many times (plots, map, iterate),
   * computed without building 1×1 matrices. Undefined for operators that need the general path.
   */
  private scalarBinary(op: string, x: number, y: number, span: Span): Value | undefined {
    switch (op) {
      case '+':
        return num(x + y);
      case '-':
        return num(x - y);
      case '*':
      case 'implicit':
      case '·':
      case '.*':
      case '⊙':
      case '×':
        return num(x * y);
      case '/':
      case './':
        if (x === 0 && y === 0) this.warn('domain', 'eval.zero-over-zero', span, {});
        return num(x / y);
      case '\\':
        if (x === 0 && y === 0) this.warn('domain', 'eval.zero-over-zero', span, {});
        return num(y / x);
      case '^':
      case '.^': {
        if (x === Math.E) return num(Math.exp(y));
        const r = Math.pow(x, y);
        if (Number.isNaN(r) && !Number.isNaN(x) && !Number.isNaN(y)) this.warn('domain', 'eval.negative-power', span, { base: x, exponent: y });
        return num(r);
      }
      case '==':
        return bool(x === y);
      case '!=':
        return bool(x !== y);
      case '<':
        return bool(x < y);
      case '<=':
        return bool(x <= y);
      case '>':
        return bool(x > y);
      case '>=':
        return bool(x >= y);
      default:
        return undefined;
    }
  }

  private binary(op: string, a: Value, b: Value, span: Span, texts: { left?: string; right?: string }): Value {
    const elementOp = ELEMENTWISE_OPS[op];
    if (elementOp) return this.elementwise(elementOp, a, b, span, texts);
    const ctx = this.operatorContext(span);
    switch (op) {
      case '≈':
        return bool(approxEqual(primal(a), primal(b)));
      case '*':
      case 'implicit':
        return this.multiply(a, b, span, texts);
      case '·': {
        const A = dualOf(a)?.value ?? (isNumeric(a) ? toMatrix(a) : undefined);
        const B = dualOf(b)?.value ?? (isNumeric(b) ? toMatrix(b) : undefined);
        if (A && B && isVectorShape(A) && isVectorShape(B) && !(isScalar(A) || isScalar(B)) && A.data.length === B.data.length) {
          const row = (v: Value): Value => this.reshapeRow(v);
          const column = (v: Value): Value => transpose(this.reshapeRow(v));
          if (isDual(a) || isDual(b)) {
            const ra = isDual(a) ? dualSelect(a, (m) => matrix(1, m.data.length, m.data)) : row(a);
            const cb = isDual(b) ? dualSelect(b, (m) => matrix(m.data.length, 1, m.data)) : column(b);
            return dualMultiply(ra, cb, ctx, false);
          }
          return normalize(matmul(toMatrix(row(a)), toMatrix(column(b)), ctx));
        }
        return this.multiply(a, b, span, texts);
      }
      case '×': {
        const A = isNumeric(a) ? toMatrix(a) : undefined;
        const B = isNumeric(b) ? toMatrix(b) : undefined;
        if (A && B && A.data.length === 3 && B.data.length === 3 && isVectorShape(A) && isVectorShape(B) && !A.imag && !B.imag) {
          const [a1, a2, a3] = A.data;
          const [b1, b2, b3] = B.data;
          const out = Float64Array.of(a2! * b3! - a3! * b2!, a3! * b1! - a1! * b3!, a1! * b2! - a2! * b1!);
          return matrix(A.rows, A.cols, out);
        }
        return this.multiply(a, b, span, texts);
      }
      case '/': {
        // A scalar divided by a matrix is element-wise (numpy): `1 / (1 + e^-z)` on a vector z.
        if (isScalar(primal(b)) || isScalar(primal(a))) return this.elementwise('./', a, b, span, texts);
        if (isDual(a) || isDual(b)) throw new DualUnsupported('/');
        const A = this.asMatrix(a, texts.left);
        const B = this.asMatrix(b, texts.right);
        return normalize(rightDivide(A, B, ctx, texts));
      }
      case '\\': {
        if (isDual(a) || isDual(b)) throw new DualUnsupported('\\');
        if (isScalar(a)) return this.elementwise('./', b, a, span, { left: texts.right, right: texts.left });
        const A = this.asMatrix(a, texts.left);
        const B = this.asMatrix(b, texts.right);
        return normalize(leftDivide(A, B, ctx, texts));
      }
      case '^':
        return this.power(a, b, span, texts);
      default:
        throw new EvalError('type', 'eval.unknown-operator', { op });
    }
  }

  private reshapeRow(v: Value): Value {
    const m = toMatrix(v);
    return matrix(1, m.data.length, m.data, m.imag);
  }

  private asMatrix(v: Value, text?: string): MatrixValue {
    if (!isNumeric(v)) throw new EvalError('type', 'eval.not-numeric', { role: 'operand', operand: text, found: describeKind(v) });
    return toMatrix(v);
  }

  private multiply(a: Value, b: Value, span: Span, texts: { left?: string; right?: string }): Value {
    if (isDual(a) || isDual(b)) {
      const scalarSide = isScalar(primal(a)) || isScalar(primal(b));
      return dualMultiply(a, b, this.operatorContext(span), scalarSide);
    }
    if (!isNumeric(a)) throw new EvalError('type', 'eval.not-numeric', { role: 'left operand', operand: texts.left, found: describeKind(a) });
    if (!isNumeric(b)) throw new EvalError('type', 'eval.not-numeric', { role: 'right operand', operand: texts.right, found: describeKind(b) });
    if (isScalar(a) || isScalar(b)) return elementwise('.*', a, b, this.operatorContext(span), texts);
    return normalize(matmul(toMatrix(a), toMatrix(b), this.operatorContext(span), texts));
  }

  private power(a: Value, b: Value, span: Span, texts: { left?: string; right?: string }): Value {
    const ctx = this.operatorContext(span);
    if (isDual(a) || isDual(b)) {
      const base = primal(a);
      if (isScalar(base) || isScalar(primal(b)) && !isSquareMatrix(base)) return dualElementwise('.^', a, b, ctx);
      const k = realScalar(primal(b), 'exponent');
      if (!Number.isInteger(k) || k < 0 || isDual(b)) throw new DualUnsupported('matrix power');
      let result: Value = asValue({ kind: 'dual', value: identity(toMatrix(base).rows), tangents: dualOf(a)!.tangents.map((t) => matrix(t.rows, t.cols, new Float64Array(t.data.length))) });
      for (let i = 0; i < k; i++) result = dualMultiply(result, a, ctx, false);
      return result;
    }
    if (!isNumeric(a)) throw new EvalError('type', 'eval.not-numeric', { role: 'base', operand: texts.left, found: describeKind(a) });
    if (!isNumeric(b)) throw new EvalError('type', 'eval.not-numeric', { role: 'exponent', operand: texts.right, found: describeKind(b) });
    // A number to a matrix power is element-wise (`e^-z` on a vector z): there is no other reading.
    if (!isScalar(b) && isScalar(a)) return this.elementwise('.^', a, b, span, texts);
    if (!isScalar(b)) throw new EvalError('type', 'eval.power-exponent', { base: texts.left, exponent: texts.right, shape: shapeArg(b) });
    if (isScalar(a)) {
      const base = normalize(a);
      const exponent = normalize(b);
      if (base.kind === 'complex' || exponent.kind === 'complex') {
        const [x, xi] = base.kind === 'complex' ? [base.re, base.im] : [realScalar(base, 'base'), 0];
        const [y, yi] = exponent.kind === 'complex' ? [exponent.re, exponent.im] : [realScalar(exponent, 'exponent'), 0];
        return normalize(complex(...complexPow(x, xi, y, yi)));
      }
      const x = realScalar(base, 'base');
      const y = realScalar(exponent, 'exponent');
      // e^x through exp: Math.pow(Math.E, x) differs from exp(x) in the last bits.
      if (x === Math.E) return num(Math.exp(y));
      const r = Math.pow(x, y);
      if (Number.isNaN(r) && !Number.isNaN(x) && !Number.isNaN(y)) ctx.warn('domain', 'eval.negative-power', { base: x, exponent: y });
      return num(r);
    }
    const A = toMatrix(a);
    const k = realScalar(b, 'exponent');
    if (A.rows !== A.cols) {
      throw new EvalError('type', 'type.not-square', { what: 'the matrix power ^', operand: texts.left, shape: [A.rows, A.cols], hint: '.^' });
    }
    if (!Number.isInteger(k)) throw new EvalError('type', 'eval.matrix-power-integer', { operand: texts.left, exponent: k });
    return matrixPower(A, k, ctx, texts.left);
  }

  private sqrt(v: Value, ctx: OperatorContext): Value {
    if (isDual(v)) return dualMap(v, Math.sqrt, (x) => 0.5 / Math.sqrt(x), ctx);
    if (v.kind === 'complex') {
      const r = Math.hypot(v.re, v.im);
      const re = Math.sqrt((r + v.re) / 2);
      const im = Math.sign(v.im || 1) * Math.sqrt((r - v.re) / 2);
      return normalize(complex(re, im));
    }
    if (!isNumeric(v)) throw new EvalError('type', 'eval.not-numeric', { role: 'operand', found: describeKind(v) });
    let negative = false;
    const out = mapReal(v, (x) => {
      if (x < 0) negative = true;
      return Math.sqrt(x);
    });
    if (negative) ctx.warn('domain', 'eval.sqrt-negative', {});
    return out;
  }

  private evalPostfix(op: string, operandExpr: Expr, scope: Scope, span: Span): Value {
    const operand = this.evalExpr(operandExpr, scope);
    const text = this.source(operandExpr.span);
    const ctx = this.operatorContext(span);
    switch (op) {
      case "'":
        if (operand.kind === 'function') return this.derivativeOf(operand, text);
        return isDual(operand) ? dualTranspose(operand) : transpose(this.numeric(operand, operandExpr));
      case 'ᵀ':
        if (operand.kind === 'function') throw new EvalError('type', 'eval.transpose-function', { operand: text });
        return isDual(operand) ? dualTranspose(operand) : transpose(this.numeric(operand, operandExpr));
      case '⁻¹': {
        if (isDual(operand)) {
          if (isScalar(primal(operand))) return dualElementwise('./', num(1), operand, ctx);
          throw new DualUnsupported('inverse');
        }
        const v = this.numeric(operand, operandExpr);
        if (isScalar(v)) return elementwise('./', num(1), v, ctx);
        return inverse(toMatrix(v), ctx, text);
      }
      case '!': {
        if (isDual(operand)) throw new DualUnsupported('!');
        const v = this.numeric(operand, operandExpr);
        let negative = false;
        const out = mapReal(v, (x) => {
          if (x < 0 && Number.isInteger(x)) {
            negative = true;
            return NaN;
          }
          return factorial(x);
        });
        if (negative) ctx.warn('domain', 'eval.factorial-negative', {});
        return out;
      }
      default:
        throw new EvalError('type', 'eval.unknown-operator', { op });
    }
  }

  private abs(v: Value, operandExpr: Expr): Value {
    const d = dualOf(v);
    if (d) {
      if (isScalar(d.value)) return dualMap(v, Math.abs, Math.sign, this.operatorContext(operandExpr.span));
      if (isVectorShape(d.value)) return dualNorm2(v, this.operatorContext(operandExpr.span));
    }
    const value = this.numeric(v, operandExpr);
    if (value.kind === 'complex') return num(Math.hypot(value.re, value.im));
    const m = toMatrix(value);
    if (m.rows * m.cols === 1) return num(m.imag ? Math.hypot(m.data[0]!, m.imag[0]!) : Math.abs(m.data[0]!));
    if (isVectorShape(m)) return num(frobenius(m));
    throw new EvalError('type', 'type.abs-of-matrix', { operand: this.source(operandExpr.span), shape: [m.rows, m.cols] });
  }

  private norm(v: Value, p: 1 | 2 | 'inf' | 'fro', operandExpr: Expr, span: Span): Value {
    const d = dualOf(v);
    if (d) {
      if ((p === 2 || p === 'fro') && isVectorShape(d.value)) return dualNorm2(v, this.operatorContext(span));
      throw new DualUnsupported('norm');
    }
    const m = toMatrix(this.numeric(v, operandExpr));
    const abs = (k: number): number => (m.imag ? Math.hypot(m.data[k]!, m.imag[k]!) : Math.abs(m.data[k]!));
    const vector = isVectorShape(m);
    if (p === 'fro' || (p === 2 && vector)) return num(frobenius(m));
    if ((p === 1 && vector) || (p === 'inf' && !vector)) {
      // The 1-norm of a vector and the ∞-norm of a matrix both sum along rows (a row vector is one row).
      if (vector && p === 1) {
        let s = 0;
        for (let k = 0; k < m.data.length; k++) s += abs(k);
        return num(s);
      }
      let best = 0;
      for (let i = 0; i < m.rows; i++) {
        let s = 0;
        for (let j = 0; j < m.cols; j++) s += abs(i * m.cols + j);
        best = Math.max(best, s);
      }
      return num(best);
    }
    if (p === 'inf') {
      let best = 0;
      for (let k = 0; k < m.data.length; k++) best = Math.max(best, abs(k));
      return num(best);
    }
    if (p === 1) {
      let best = 0;
      for (let j = 0; j < m.cols; j++) {
        let s = 0;
        for (let i = 0; i < m.rows; i++) s += abs(i * m.cols + j);
        best = Math.max(best, s);
      }
      return num(best);
    }
    // The spectral norm of a matrix is its largest singular value: the `norm` built-in computes it.
    const builtin = this.registry.get('norm');
    if (!builtin) throw new EvalError('undefined', 'eval.unknown-builtin', { name: 'norm' });
    return this.callBuiltin(builtin, [m], {}, span);
  }

  // ---- matrices, ranges, indexing ---------------------------------------------------------------

  private evalMatrix(expr: MatrixExpr, scope: Scope): Value {
    const rows = expr.rows.map((row) => row.map((e) => this.evalExpr(e, scope)));
    const ctx = this.operatorContext(expr.span);
    const numbers = numberGrid(rows);
    if (numbers) {
      // The common case (a literal of plain numbers, possibly pasted data of 10⁵ entries) is filled
      // directly instead of concatenating one 1×1 block per entry.
      ctx.checkSize(rows.length, rows[0]!.length);
      return matrix(rows.length, rows[0]!.length, numbers);
    }
    const concat = (blocks: readonly (readonly MatrixValue[])[]): MatrixValue => this.concatenate(blocks, expr, ctx);
    if (rows.some((row) => row.some(isDual))) return dualConcat(rows, concat);
    const blocks = rows.map((row, i) =>
      row.map((v, j) => {
        if (!isNumeric(v)) {
          throw new EvalError('type', 'eval.matrix-element', { element: this.source(expr.rows[i]![j]!.span), found: describeKind(v) });
        }
        return toMatrix(v);
      }),
    );
    return concat(blocks);
  }

  private concatenate(blocks: readonly (readonly MatrixValue[])[], expr: MatrixExpr, ctx: OperatorContext): MatrixValue {
    const rowBlocks: MatrixValue[] = [];
    const rowTexts: string[] = [];
    const rowShapes: [number, number][] = [];
    blocks.forEach((row, i) => {
      const exprs = expr.rows[i] ?? [];
      const kept = row.map((m, j) => ({ m, e: exprs[j] })).filter(({ m }) => m.rows * m.cols > 0);
      const parts = kept.map(({ m }) => m);
      if (parts.length === 0) return;
      const height = parts[0]!.rows;
      for (const { m, e } of kept) {
        if (m.rows !== height) {
          throw new EvalError('shape', 'shape.concat-rows', {
            left: kept[0]!.e ? this.source(kept[0]!.e.span) : undefined,
            right: e ? this.source(e.span) : undefined,
            leftShape: [height, parts[0]!.cols],
            rightShape: [m.rows, m.cols],
          });
        }
      }
      const width = parts.reduce((s, m) => s + m.cols, 0);
      ctx.checkSize(height, width);
      const data = new Float64Array(height * width);
      const complexRow = parts.some((m) => m.imag);
      const imag = complexRow ? new Float64Array(height * width) : undefined;
      let offset = 0;
      for (const part of parts) {
        for (let r = 0; r < height; r++) {
          for (let c = 0; c < part.cols; c++) {
            data[r * width + offset + c] = part.data[r * part.cols + c]!;
            if (imag && part.imag) imag[r * width + offset + c] = part.imag[r * part.cols + c]!;
          }
        }
        offset += part.cols;
      }
      rowBlocks.push(matrix(height, width, data, imag));
      rowShapes.push([height, width]);
      rowTexts.push(exprs.length > 0 ? this.text.slice(exprs[0]!.span.start, exprs[exprs.length - 1]!.span.end) : '');
    });
    if (rowBlocks.length === 0) return matrix(0, 0, new Float64Array(0));
    const width = rowBlocks[0]!.cols;
    rowBlocks.forEach((block, i) => {
      if (block.cols !== width) {
        throw new EvalError('shape', 'shape.concat-cols', {
          left: rowTexts[0],
          right: rowTexts[i],
          leftShape: rowShapes[0],
          rightShape: rowShapes[i],
        });
      }
    });
    if (rowBlocks.length === 1) return rowBlocks[0]!;
    const height = rowBlocks.reduce((s, m) => s + m.rows, 0);
    ctx.checkSize(height, width);
    const data = new Float64Array(height * width);
    const complexAll = rowBlocks.some((m) => m.imag);
    const imag = complexAll ? new Float64Array(height * width) : undefined;
    let offset = 0;
    for (const block of rowBlocks) {
      data.set(block.data, offset);
      if (imag && block.imag) imag.set(block.imag, offset);
      offset += block.data.length;
    }
    return matrix(height, width, data, imag);
  }

  private evalRange(expr: RangeExpr, scope: Scope): Value {
    const start = realScalar(primal(this.evalExpr(expr.start, scope)), 'range start');
    const step = expr.step ? realScalar(primal(this.evalExpr(expr.step, scope)), 'range step') : 1;
    const end = realScalar(primal(this.evalExpr(expr.end, scope)), 'range end');
    let count = 0;
    if (step !== 0 && Number.isFinite(start) && Number.isFinite(end) && Number.isFinite(step)) {
      // A small tolerance keeps `0:0.1:1` at 11 elements despite rounding in (1 − 0)/0.1.
      const n = Math.floor((end - start) / step + 1e-10);
      count = n >= 0 ? n + 1 : 0;
    }
    this.checkSize(1, count, expr.span);
    const data = new Float64Array(count);
    for (let k = 0; k < count; k++) data[k] = start + k * step;
    return matrix(1, count, data);
  }

  private readonly endSizes: number[] = [];

  private evalIndex(expr: IndexExpr, scope: Scope): Value {
    const target = this.evalExpr(expr.target, scope);
    const targetText = this.source(expr.target.span);
    const base = dualOf(target)?.value ?? this.asIndexable(target, targetText);
    if (expr.indices.length === 0 || expr.indices.length > 2) {
      throw new EvalError('type', 'eval.index-count', { target: targetText, count: expr.indices.length });
    }
    if (expr.indices.length === 1) {
      const total = base.rows * base.cols;
      const positions = this.indexPositions(expr.indices[0]!, total, scope, targetText, 'element', [base.rows, base.cols]);
      const select = (m: MatrixValue): MatrixValue => {
        const data = Float64Array.from(positions.list, (p) => m.data[p]!);
        const imag = m.imag ? Float64Array.from(positions.list, (p) => m.imag![p]!) : undefined;
        const count = positions.list.length;
        const [rows, cols] = positions.shape ?? (base.rows === 1 ? [1, count] : [count, 1]);
        return matrix(rows, cols, data, imag, m.logical);
      };
      return isDual(target) ? this.normalizeDual(dualSelect(target, select)) : normalize(select(base));
    }
    const rowsIdx = this.indexPositions(expr.indices[0]!, base.rows, scope, targetText, 'row', [base.rows, base.cols]).list;
    const colsIdx = this.indexPositions(expr.indices[1]!, base.cols, scope, targetText, 'column', [base.rows, base.cols]).list;
    const select = (m: MatrixValue): MatrixValue => {
      const data = new Float64Array(rowsIdx.length * colsIdx.length);
      const imag = m.imag ? new Float64Array(data.length) : undefined;
      let k = 0;
      for (const r of rowsIdx) {
        for (const c of colsIdx) {
          data[k] = m.data[r * m.cols + c]!;
          if (imag) imag[k] = m.imag![r * m.cols + c]!;
          k++;
        }
      }
      return matrix(rowsIdx.length, colsIdx.length, data, imag, m.logical);
    };
    return isDual(target) ? this.normalizeDual(dualSelect(target, select)) : normalize(select(base));
  }

  private normalizeDual(v: Value): Value {
    return v;
  }

  private asIndexable(v: Value, text: string): MatrixValue {
    if (!isNumeric(v)) throw new EvalError('type', 'eval.not-indexable', { target: text, found: describeKind(v) });
    return toMatrix(v);
  }

  /** Zero-based positions selected by one index expression, and the result's shape for a matrix index. */
  private indexPositions(
    index: Expr,
    size: number,
    scope: Scope,
    targetText: string,
    dimension: 'element' | 'row' | 'column',
    shape: readonly [number, number],
  ): { list: number[]; shape?: [number, number] } {
    if (index.kind === 'colon') return { list: Array.from({ length: size }, (_, i) => i), shape: dimension === 'element' ? [size, 1] : undefined };
    this.endSizes.push(size);
    let value: Value;
    try {
      value = primal(this.evalExpr(index, scope));
    } finally {
      this.endSizes.pop();
    }
    if (!isNumeric(value)) throw new EvalError('type', 'eval.index-type', { target: targetText, index: this.source(index.span), found: describeKind(value) });
    const m = toMatrix(value);
    const list: number[] = [];
    if (m.logical) {
      if (m.data.length !== size) {
        throw new EvalError('shape', 'eval.index-mask', { target: targetText, maskLength: m.data.length, size });
      }
      m.data.forEach((x, i) => {
        if (x !== 0) list.push(i);
      });
      return { list };
    }
    for (const x of m.data) {
      if (!Number.isInteger(x)) {
        throw new EvalError('type', 'eval.index-not-integer', { target: targetText, index: this.source(index.span), value: x });
      }
      if (x < 1 || x > size) {
        throw new EvalError('type', 'eval.index-out-of-range', {
          target: targetText,
          index: this.source(index.span),
          value: x,
          dimension,
          size,
          shape: [shape[0], shape[1]],
        });
      }
      list.push(x - 1);
    }
    const matrixShaped = dimension === 'element' && m.rows > 1 && m.cols > 1;
    return { list, shape: matrixShaped ? [m.rows, m.cols] : undefined };
  }

  private evalReduce(expr: ReduceExpr, scope: Scope): Value {
    const range = primal(this.evalExpr(expr.range, scope));
    if (!isNumeric(range)) throw new EvalError('type', 'eval.reduce-range', { found: describeKind(range) });
    const m = toMatrix(range);
    const binding = this.bindingByDecl.get(expr.variable);
    let acc: Value = num(expr.op === 'sum' ? 0 : 1);
    for (let k = 0; k < m.data.length; k++) {
      this.checkTime();
      const inner: Scope = { values: new Map(), parent: scope };
      if (binding) inner.values.set(binding.id, num(m.data[k]!));
      const term = this.evalExpr(expr.body, inner);
      acc = expr.op === 'sum' ? this.elementwise('+', acc, term, expr.span) : this.multiply(acc, term, expr.span, {});
    }
    return acc;
  }

  // ---- calls ------------------------------------------------------------------------------------

  private evalCall(expr: CallExpr, scope: Scope): Value {
    const callee = this.evalExpr(expr.callee, scope);
    if (callee.kind !== 'function') {
      if (expr.args.length === 1 && expr.named.length === 0) {
        const arg = this.evalExpr(expr.args[0]!, scope);
        return this.multiply(callee, arg, expr.span, { left: this.source(expr.callee.span), right: this.source(expr.args[0]!.span) });
      }
      throw new EvalError('type', 'type.not-callable', { callee: this.source(expr.callee.span), what: 'value', shape: shapeArg(callee), given: expr.args.length });
    }
    // `σ'(z)` with no `z` defined above shows the derivative itself: z is a free symbol there.
    const symbolic = this.resolution.symbolic;
    if (symbolic && expr.args.length > 0 && expr.args.every((a) => a.kind === 'name' && symbolic.has(a))) return callee;
    const args = expr.args.map((a) => this.evalExpr(a, scope));
    const named: Record<string, Value> = {};
    for (const n of expr.named) named[n.name.name] = this.evalExpr(n.value, scope);
    try {
      return this.callFunction(callee, args, named, expr.span, this.source(expr.callee.span));
    } catch (error) {
      if (error instanceof EvalError && callee.type === 'builtin') throw this.enrichBuiltinProblem(error, expr);
      throw error;
    }
  }

  /**
   * Built-ins describe operands by shape only; at the call we know how they were written, so the
   * message can name them like the shape checker's messages do (`det(X)`, `X is 100×3`).
   */
  private enrichBuiltinProblem(error: EvalError, expr: CallExpr): EvalError {
    const args: Record<string, ProblemArg | undefined> = { ...error.args };
    const argText = (i: number): string | undefined => (expr.args[i] ? this.source(expr.args[i]!.span) : undefined);
    let changed = false;
    if (Array.isArray(args.left) && args.leftShape === undefined) {
      Object.assign(args, { leftShape: args.left, rightShape: args.right, left: argText(0), right: argText(1), what: args.fn ?? args.what });
      if (args.op === undefined) args.op = args.fn;
      changed = true;
    }
    if (error.kind === 'type.not-square' && args.operand === undefined) {
      Object.assign(args, { what: args.what ?? args.fn ?? this.source(expr.callee.span), operand: argText(0) });
      changed = true;
    }
    if (!changed) return error;
    const enriched = new EvalError(error.code, error.kind, args);
    const at = errorSpans.get(error);
    if (at) errorSpans.set(enriched, at);
    return enriched;
  }

  /** Calls any function value; errors from its body are anchored at this call. */
  private callFunction(fn: FunctionValue, args: readonly Value[], named: Readonly<Record<string, Value>>, span: Span, calleeText?: string): Value {
    this.checkTime();
    try {
      switch (fn.type) {
        case 'builtin': {
          const builtin = this.registry.get(fn.name);
          if (!builtin) throw new EvalError('undefined', 'eval.unknown-builtin', { name: fn.name });
          return this.callBuiltin(builtin, args, named, span);
        }
        case 'user':
          return this.callUser(fn, args, named, span, calleeText);
        case 'derived':
          if (Object.keys(named).length > 0) throw new EvalError('arity', 'eval.named-argument', { name: fn.name, argument: Object.keys(named)[0] });
          if (args.length !== fn.arity) {
            throw new EvalError('arity', 'arity.count', { name: fn.name, min: fn.arity, max: fn.arity, given: args.length });
          }
          if (args.some(isDual)) throw new DualUnsupported('derived');
          return fn.call(args);
      }
    } catch (error) {
      if (error instanceof EvalError) {
        const at = errorSpans.get(error);
        if (at === undefined) {
          // Raised by the call itself (arity, a built-in's own check): it belongs to this call.
          errorSpans.set(error, span);
          throw error;
        }
        const inStatement = at.start >= this.statementSpan.start && at.end <= this.statementSpan.end;
        if (!inStatement) {
          // The problem lies in a body defined elsewhere: point at this call and say whose body it was.
          const name = fn.type === 'user' ? fn.name ?? calleeText ?? 'the lambda' : fn.name;
          const args = { ...error.args, inFunction: error.args.inFunction ?? name, calledFunction: name };
          const moved = new EvalError(error.code, error.kind, args);
          errorSpans.set(moved, span);
          throw moved;
        }
      }
      if (error instanceof BuiltinProblem) {
        const converted = new EvalError(error.code, error.kind, error.args);
        errorSpans.set(converted, span);
        throw converted;
      }
      throw error;
    }
  }

  private callBuiltin(builtin: Builtin, args: readonly Value[], named: Readonly<Record<string, Value>>, span: Span): Value {
    if (args.length < builtin.minArgs || args.length > builtin.maxArgs) {
      throw new EvalError('arity', 'arity.count', {
        name: builtin.name,
        min: builtin.minArgs,
        max: Number.isFinite(builtin.maxArgs) ? builtin.maxArgs : null,
        given: args.length,
      });
    }
    for (const key of Object.keys(named)) {
      if (!builtin.namedArgs?.includes(key)) throw new EvalError('arity', 'eval.named-argument', { name: builtin.name, argument: key });
    }
    if (args.some(isDual)) return dualBuiltin(builtin, args, this.operatorContext(span));
    const ctx: CallContext = {
      callFunction: (fn, fnArgs) => {
        if (fn.kind !== 'function') throw new EvalError('type', 'eval.not-callable', { callee: builtin.name, found: describeKind(fn) });
        return this.publicValue(this.callFunction(fn, fnArgs, {}, span));
      },
      warn: (problem) => this.warn(problem.code === 'singular' ? 'singular' : 'domain', problem.kind, span, { ...problem.args }),
      random: () => this.random(),
      checkSize: (elements) => this.checkSize(elements, null, span, elements),
      checkTime: () => this.checkTime(),
      span,
      reseed: (seed: number) => {
        this.randomState = seed >>> 0;
      },
    };
    return builtin.call(args, named, ctx);
  }

  /** mulberry32: small, fast, and the same sequence for the same note. */
  private random(): number {
    let t = (this.randomState = (this.randomState + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  private callUser(fn: UserFunctionValue, args: readonly Value[], named: Readonly<Record<string, Value>>, span: Span, calleeText?: string): Value {
    const name = fn.name ?? calleeText ?? 'lambda';
    if (Object.keys(named).length > 0) throw new EvalError('arity', 'eval.named-argument', { name, argument: Object.keys(named)[0] });
    if (args.length !== fn.params.length) {
      throw new EvalError('arity', 'arity.count', { name, min: fn.params.length, max: fn.params.length, given: args.length });
    }
    if (this.depth >= this.options.maxRecursionDepth) {
      throw new EvalError('limit', 'eval.recursion-depth', { name, limit: this.options.maxRecursionDepth });
    }
    const scope: Scope = { values: new Map(), parent: fn.closure as Scope };
    fn.params.forEach((param, i) => {
      const binding = this.bindingByDecl.get(param);
      if (binding) scope.values.set(binding.id, args[i]!);
    });
    this.depth++;
    try {
      return this.evalExpr(fn.body, scope);
    } finally {
      this.depth--;
    }
  }

  // ---- calculus ---------------------------------------------------------------------------------

  private readonly symbolicHost: SymbolicHost = {
    lookup: (expr, substitutions, closure): SymbolicName | undefined => {
      const binding = this.resolution.uses.get(expr as never);
      if (!binding) return undefined;
      const substitute = substitutions.get(binding.id);
      if (substitute) return { kind: 'substitute', node: substitute };
      if (binding.kind === 'constant') return { kind: 'constant', name: binding.name };
      if (binding.kind === 'builtin') return { kind: 'value', value: { kind: 'function', type: 'builtin', name: binding.name } };
      for (let s: Scope | undefined = closure as Scope; s; s = s.parent) {
        const value = s.values.get(binding.id);
        if (value !== undefined) return { kind: 'value', value };
      }
      return undefined;
    },
    parameterIds: (fn) => {
      if (fn.type !== 'user') return undefined;
      const ids: number[] = [];
      for (const p of fn.params) {
        const binding = this.bindingByDecl.get(p);
        if (!binding) return undefined;
        ids.push(binding.id);
      }
      return ids;
    },
  };

  private functionArity(fn: FunctionValue): number | undefined {
    if (fn.type === 'user') return fn.params.length;
    if (fn.type === 'derived') return fn.arity;
    const builtin = this.registry.get(fn.name);
    return builtin && builtin.minArgs <= 1 && builtin.maxArgs >= 1 ? 1 : undefined;
  }

  private parameterNames(fn: FunctionValue, count: number): string[] {
    if (fn.type === 'user') return fn.params.map((p) => p.name);
    return Array.from({ length: count }, (_, i) => (count === 1 ? 'x' : `x${i + 1}`));
  }

  /** Symbolic derivatives already taken, per function value (`∇J(θ)` inside `iterate` asks often). */
  private readonly symbolicCache = new WeakMap<FunctionValue, Map<string, SymbolicDerivative | null>>();

  /** A symbolic derivative of `fn` by parameter `index`, or undefined when symbolic work does not apply. */
  private symbolicDerivative(fn: FunctionValue, arity: number, index: number): SymbolicDerivative | undefined {
    // Built-in function values are made afresh at each use, so they are cached by name.
    const owner: FunctionValue = fn.type === 'builtin' ? this.builtinValue(fn.name) : fn;
    let cache = this.symbolicCache.get(owner);
    if (!cache) this.symbolicCache.set(owner, (cache = new Map()));
    const key = `${arity}:${index}`;
    if (cache.has(key)) return cache.get(key) ?? undefined;
    const result = this.takeSymbolicDerivative(fn, arity, index);
    cache.set(key, result ?? null);
    return result;
  }

  private readonly builtinValues = new Map<string, FunctionValue>();

  private builtinValue(name: string): FunctionValue {
    let value = this.builtinValues.get(name);
    if (!value) this.builtinValues.set(name, (value = { kind: 'function', type: 'builtin', name }));
    return value;
  }

  private takeSymbolicDerivative(fn: FunctionValue, arity: number, index: number): SymbolicDerivative | undefined {
    try {
      const args = Array.from({ length: arity }, (_, i) => parameterSymbol(i));
      const body = inlineFunction(fn, args, this.symbolicHost);
      this.deadline += warmUp();
      const derivative = differentiate(body, `v${index}`);
      const names = this.parameterNames(fn, arity);
      return { node: derivative, latex: nodeToLatex(derivative, names.map(nameToLatex)), text: nodeToText(derivative, names) };
    } catch (error) {
      if (error instanceof SymbolicUnsupported) return undefined;
      // mathjs throws plain errors for functions it cannot differentiate; those are "not symbolic" too.
      if (error instanceof Error && !(error instanceof EvalError) && !(error instanceof StopEvaluation)) return undefined;
      throw error;
    }
  }

  private derivedValue(
    name: string,
    arity: number,
    method: DerivedFunctionValue['method'],
    call: (args: readonly Value[]) => Value,
    formula?: { latex: string; text: string },
  ): DerivedFunctionValue {
    // Called after the evaluation ended (a preview sampling σ' for a plot, say), a derived function
    // gets a budget of its own and reports nothing, instead of finding the note's budget spent.
    const guarded = (args: readonly Value[]): Value => (this.running ? call(args) : this.outside(() => call(args)));
    const value: { -readonly [K in keyof DerivedFunctionValue]: DerivedFunctionValue[K] } = { kind: 'function', type: 'derived', name, arity, method, call: guarded };
    if (formula) {
      value.formula = formula.latex;
      value.formulaText = formula.text;
    }
    return value;
  }

  /** Evaluates a derivative tree, falling back to numeric values where the walker cannot go. */
  private evaluateDerivative(node: MathNode, args: readonly Value[], span: Span): Value {
    return evaluateNode(node, args, this.operatorContext(span));
  }

  /** `f'`: the derivative of a one-parameter function. */
  private derivativeOf(fn: FunctionValue, text: string): Value {
    const arity = this.functionArity(fn);
    const name = `${text}'`;
    if (arity !== 1) throw new EvalError('type', 'eval.derivative-arity', { name: text, arity: arity ?? null });
    const span = this.statementSpan;
    const symbolic = this.symbolicDerivative(fn, 1, 0);
    if (symbolic) {
      return this.derivedValue(name, 1, 'symbolic', (args) => this.withFallback(
        () => this.evaluateDerivative(symbolic.node, args, span),
        () => this.numericDerivative(fn, args, 0, span),
      ), symbolic);
    }
    if (fn.type === 'builtin') {
      const builtin = this.registry.get(fn.name);
      if (builtin?.derivative) {
        const d = builtin.derivative;
        return this.derivedValue(name, 1, 'autodiff', (args) => mapReal(this.numericArg(args[0]!), d));
      }
    }
    const method = fn.type === 'user' ? 'autodiff' : 'numeric';
    // f' of a function of one number applies element by element, like f itself does.
    const derived = this.derivedValue(name, 1, method, (args) => {
      const points = toMatrix(this.numericArg(args[0]!));
      const slopes = Float64Array.from(points.data, (x) => this.gradientValues(fn, [num(x)], span, derived)[0]!);
      return normalize(matrix(points.rows, points.cols, slopes));
    });
    return derived;
  }

  private numericArg(v: Value): Value {
    if (!isNumeric(v)) throw new EvalError('type', 'eval.not-numeric', { role: 'argument', found: describeKind(v) });
    return v;
  }

  private withFallback(primary: () => Value, fallback: () => Value): Value {
    try {
      return primary();
    } catch (error) {
      if (error instanceof SymbolicUnsupported) return fallback();
      throw error;
    }
  }

  private numericDerivative(fn: FunctionValue, args: readonly Value[], index: number, span: Span): Value {
    const inputs = args.map((a) => toMatrix(this.numericArg(a)));
    const grads = numericGradient((xs) => realScalar(this.callFunction(fn, xs.map(normalize), {}, span), 'function value'), inputs);
    let offset = 0;
    for (let i = 0; i < index; i++) offset += inputs[i]!.data.length;
    return num(grads[offset]!);
  }

  /** `∂f/∂x`: the partial derivative by one named parameter. */
  private partialOf(fn: Value, fnName: string, variable: string): Value {
    if (fn.kind !== 'function' || fn.type !== 'user') throw new EvalError('type', 'eval.partial-not-function', { name: fnName });
    const index = fn.params.findIndex((p) => p.name === variable);
    if (index < 0) {
      throw new EvalError('type', 'eval.partial-unknown-variable', { name: fnName, variable, params: fn.params.map((p) => p.name).join(', ') });
    }
    const arity = fn.params.length;
    const name = `∂${fnName}/∂${variable}`;
    const span = this.statementSpan;
    const symbolic = this.symbolicDerivative(fn, arity, index);
    if (symbolic) {
      return this.derivedValue(name, arity, 'symbolic', (args) => this.withFallback(
        () => this.evaluateDerivative(symbolic.node, args, span),
        () => this.numericDerivative(fn, args, index, span),
      ), symbolic);
    }
    const derived = this.derivedValue(name, arity, 'autodiff', (args) => {
      const grads = this.gradientValues(fn, args, span, derived);
      let offset = 0;
      for (let i = 0; i < index; i++) offset += toMatrix(args[i]!).data.length;
      const m = toMatrix(args[index]!);
      return normalize(matrix(m.rows, m.cols, grads.slice(offset, offset + m.data.length)));
    });
    return derived;
  }

  /** `∇f`: a function returning the gradient (shaped like a single vector parameter, else a column). */
  private gradientOf(fn: Value, fnName: string): Value {
    if (fn.kind !== 'function') throw new EvalError('type', 'eval.gradient-not-function', { name: fnName, found: describeKind(fn) });
    const arity = this.functionArity(fn);
    if (arity === undefined) throw new EvalError('type', 'eval.gradient-not-function', { name: fnName, found: describeKind(fn) });
    const name = `∇${fnName}`;
    const span = this.statementSpan;
    const partials: { node: MathNode; latex: string; text: string }[] = [];
    for (let i = 0; i < arity; i++) {
      const d = this.symbolicDerivative(fn, arity, i);
      if (!d) break;
      partials.push(d);
    }
    const autodiff = (derived: { method: DerivedFunctionValue['method'] }) => (args: readonly Value[]): Value => {
      const grads = this.gradientValues(fn, args, span, derived);
      if (args.length === 1) {
        const m = toMatrix(args[0]!);
        return normalize(matrix(m.rows, m.cols, grads));
      }
      return matrix(grads.length, 1, grads);
    };
    if (partials.length === arity && arity > 0) {
      const latex = `\\begin{bmatrix}${partials.map((p) => p.latex).join(' \\\\ ')}\\end{bmatrix}`;
      const text = `[${partials.map((p) => p.text).join('; ')}]`;
      const holder = { method: 'symbolic' as DerivedFunctionValue['method'] };
      return this.derivedValue(name, arity, 'symbolic', (args) => {
        // Symbolic partials hold for scalar arguments; vectors go through automatic differentiation.
        if (!args.every((a) => isScalar(a))) return autodiff(holder)(args);
        try {
          const values = partials.map((p) => realScalar(this.evaluateDerivative(p.node, args, span), 'partial derivative'));
          // The gradient of a function of one number is a number.
          return normalize(matrix(values.length, 1, Float64Array.from(values)));
        } catch (error) {
          if (error instanceof SymbolicUnsupported) return autodiff(holder)(args);
          throw error;
        }
      }, { latex, text });
    }
    const derived = this.derivedValue(name, arity, 'autodiff', (args) => autodiff(derived)(args));
    return derived;
  }

  /**
   * All partial derivatives of a scalar function at `args`, by forward-mode automatic
   * differentiation; where an operation has no dual rule, by central differences (and the
   * function's `method` becomes 'numeric' so that hovers say so).
   */
  private gradientValues(fn: FunctionValue, args: readonly Value[], span: Span, derived: { method: DerivedFunctionValue['method'] }): Float64Array {
    const inputs = args.map((a) => {
      const m = toMatrix(this.numericArg(a));
      if (m.imag) throw new EvalError('type', 'eval.complex-unsupported', { operation: 'gradient' });
      return m;
    });
    if (derived.method !== 'numeric') {
      try {
        const total = inputs.reduce((sum, m) => sum + m.data.length, 0);
        const gradient = new Float64Array(total);
        for (let first = 0; first < total; first += GRADIENT_CHUNK) {
          const { duals, count } = seedInputs(inputs, first, Math.min(GRADIENT_CHUNK, total - first));
          gradient.set(gradientFromOutput(this.callFunction(fn, duals, {}, span), count), first);
        }
        return gradient;
      } catch (error) {
        if (!(error instanceof DualUnsupported) && !(error instanceof EvalError && error.kind === 'eval.not-numeric')) throw error;
        (derived as { method: DerivedFunctionValue['method'] }).method = 'numeric';
      }
    }
    return numericGradient((xs) => realScalar(primal(this.callFunction(fn, xs.map(normalize), {}, span)), 'function value'), inputs);
  }

  // ---- hovers -----------------------------------------------------------------------------------

  private running = false;

  /** Runs work requested after the evaluation ended, with its own budget and without problems. */
  private outside<T>(work: () => T): T {
    const savedDeadline = this.deadline;
    this.quiet = true;
    this.running = true;
    this.deadline = Date.now() + this.options.timeBudgetMs;
    try {
      return work();
    } catch (error) {
      if (error instanceof StopEvaluation) throw new Error(`stopped: ${error.reason}`);
      throw error;
    } finally {
      this.quiet = false;
      this.running = false;
      this.deadline = savedDeadline;
    }
  }

  private valueOfSubexpression(expr: Expr, statement: Statement): Value | undefined {
    const savedSpan = this.statementSpan;
    const savedDeadline = this.deadline;
    this.quiet = true;
    this.statementSpan = statement.span;
    this.deadline = Date.now() + Math.min(this.options.timeBudgetMs, 250);
    try {
      return this.publicValue(this.evalExpr(expr, this.globals));
    } catch {
      return undefined;
    } finally {
      this.quiet = false;
      this.statementSpan = savedSpan;
      this.deadline = savedDeadline;
    }
  }
}

function namesOf(statement: Statement): readonly string[] {
  switch (statement.kind) {
    case 'definition':
    case 'function':
      return [statement.target.name];
    case 'destructure':
      return statement.targets.map((t) => t.name);
    default:
      return [];
  }
}

function isVectorShape(m: MatrixValue): boolean {
  return m.rows === 1 || m.cols === 1;
}

function isSquareMatrix(v: Value): boolean {
  return v.kind === 'matrix' && v.rows === v.cols && v.rows > 1;
}

function identity(n: number): MatrixValue {
  const data = new Float64Array(n * n);
  for (let i = 0; i < n; i++) data[i * n + i] = 1;
  return matrix(n, n, data);
}

const FACTORIALS: number[] = [1];
for (let k = 1; k <= 170; k++) FACTORIALS.push(FACTORIALS[k - 1]! * k);

/** n! exactly for integers up to 170 (beyond is Inf), Γ(x + 1) otherwise (Lanczos). */
function factorial(x: number): number {
  if (Number.isInteger(x) && x >= 0) return x <= 170 ? FACTORIALS[x]! : Infinity;
  return gamma(x + 1);
}

const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];

function gamma(x: number): number {
  if (x < 0.5) return Math.PI / (Math.sin(Math.PI * x) * gamma(1 - x));
  const z = x - 1;
  let a = LANCZOS[0]!;
  const t = z + 7.5;
  for (let i = 1; i < 9; i++) a += LANCZOS[i]! / (z + i);
  return Math.sqrt(2 * Math.PI) * Math.pow(t, z + 0.5) * Math.exp(-t) * a;
}

/**
 * The entries of a matrix literal as one row-major array when every element is a plain number and
 * the rows have equal length; undefined otherwise (blocks, complex or dual entries, ragged rows go
 * through concatenation, which also explains shape mistakes).
 */
function numberGrid(rows: readonly (readonly Value[])[]): Float64Array | undefined {
  const height = rows.length;
  const width = rows[0]?.length ?? 0;
  if (height === 0 || width === 0) return undefined;
  const data = new Float64Array(height * width);
  for (let i = 0; i < height; i++) {
    const row = rows[i]!;
    if (row.length !== width) return undefined;
    for (let j = 0; j < width; j++) {
      const value = row[j]!;
      if (value.kind !== 'number') return undefined;
      data[i * width + j] = value.value;
    }
  }
  return data;
}
