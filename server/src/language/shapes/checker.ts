/**
 * The static shape checker: infers the type (rows×cols, or function, tuple, plot…) of every
 * expression without computing values, and reports operands that cannot combine.
 *
 * It reports only what is certain: two sizes conflict only when both are known numbers, so an
 * unknown size never raises a false alarm. User functions are checked twice over: once at their
 * definition with unknown parameters (problems that do not depend on the arguments show there),
 * and again at each call with the argument types of that call (memoized per call signature, with
 * a depth limit), so that `h(x) = A x` then `h([1; 2])` reports the mismatch at the call.
 */
import type { KnownBinding, TypeInfo } from '../analysis.js';
import type { Problem, ProblemArg, ProblemCode, RelatedSpan, WithProblems } from '../problem.js';
import type { Binding, Resolution } from '../resolve/types.js';
import type {
  BinaryExpr,
  CallExpr,
  Expr,
  IndexExpr,
  LambdaExpr,
  MatrixExpr,
  NameDecl,
  PowerExpr,
  Span,
  Statement,
} from '../syntax/ast.js';
import {
  addDims,
  asMatrix,
  broadcastDim,
  conflicts,
  isKnown,
  isKnownNonSquare,
  isNonScalar,
  isProperMatrix,
  isScalarType,
  isVectorType,
  shapeArg,
  transposeType,
  typeKey,
  unify,
  vectorLength,
  type MatrixType,
} from './algebra.js';
import { shapeSignatures, type SignatureCall } from './signatures.js';
import type { Dim, StaticType } from './types.js';
import { SCALAR, UNKNOWN, matrixType } from './types.js';

/** How deep calls of user functions are followed while checking one call site. */
const MAX_CALL_DEPTH = 8;
/** Operand texts longer than this are shortened with an ellipsis in messages. */
const MAX_OPERAND_LENGTH = 24;

/** What is known about a binding: its type and, for numbers known without running, the value. */
type Known = KnownBinding;

/** A user function or lambda whose body can be re-checked with the argument types of a call. */
interface FunctionDefinition {
  readonly id: number;
  readonly name?: string;
  readonly params: readonly NameDecl[];
  readonly paramBindings: readonly (Binding | undefined)[];
  readonly body: Expr;
  readonly decl?: Span;
}

interface MemoEntry {
  readonly type: StaticType;
  readonly problems: readonly Problem[];
}

/**
 * Checks the shapes of a note's statements (all blocks, in document order).
 *
 * @param statements every statement of the note, in document order
 * @param resolution what the resolver made of them
 * @param text the document text: operands are named in messages by their source text
 */
export function checkShapes(
  statements: readonly Statement[],
  resolution: Resolution,
  text?: string,
  options: ShapeCheckOptions = {},
): WithProblems<TypeInfo> {
  const checker = new ShapeChecker(resolution, text, undefined, options.recordEveryExpression === true);
  for (const statement of statements) checker.checkStatement(statement);
  const recorded = checker.recorded;
  const retyped = new ExpressionTypes(statements, (statement) => checker.expressionTypes(statement));
  return {
    value: {
      typeOf: (node) => recorded.get(node) ?? retyped.typeOf(node as Expr),
      knownOf: (binding) => checker.knownOf(binding),
    },
    problems: [...checker.problems].sort((a, b) => a.span.start - b.span.start),
  };
}

export interface ShapeCheckOptions {
  /**
   * Record the type of every expression during the pass, as the checker did before expression
   * types became lazy. Only tests set it: they compare it with the lazy answers.
   */
  readonly recordEveryExpression?: boolean;
}

/** How many statements' expression types `ExpressionTypes` keeps. */
const RETYPED_STATEMENTS = 64;

/**
 * Types of expressions, worked out when first asked. The pass records only each statement's type:
 * a map from every expression of a 10,000-line note to its type held about 40,000 entries that
 * lived as long as the analysis, and copying them through the young generation was a large part of
 * an analysis's garbage-collection time, while hovers and code actions ask for a handful. The
 * expressions of one statement are typed again on demand by the same checker, which by then knows
 * every binding of the note, so they get the types the pass gave them.
 */
class ExpressionTypes {
  private readonly cache = new Map<Statement, ReadonlyMap<Expr, StaticType>>();

  constructor(
    private readonly statements: readonly Statement[],
    private readonly typesOf: (statement: Statement) => ReadonlyMap<Expr, StaticType>,
  ) {}

  typeOf(expr: Expr): StaticType | undefined {
    const statement = this.statementContaining(expr);
    if (!statement) return undefined;
    let types = this.cache.get(statement);
    if (!types) {
      if (this.cache.size >= RETYPED_STATEMENTS) this.cache.clear();
      types = this.typesOf(statement);
      this.cache.set(statement, types);
    }
    return types.get(expr);
  }

  /** The statement whose span holds the expression's (statements are in document order). */
  private statementContaining(expr: Expr): Statement | undefined {
    const statements = this.statements;
    let low = 0;
    let high = statements.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (statements[middle]!.span.start <= expr.span.start) low = middle;
      else high = middle - 1;
    }
    const statement = statements[low];
    return statement && statement.span.start <= expr.span.start && expr.span.end <= statement.span.end ? statement : undefined;
  }
}

/**
 * Checks some statements again, in a note that was checked before: what bindings defined above them
 * are known to be comes from `prior` (the earlier check's `knownOf`), so only these statements are
 * visited. The caller must make sure nothing else could differ from the earlier check: the
 * statements define no functions or lambdas and call no user functions (whose bodies the checker
 * would re-check per call, sharing memo entries and reports with the rest of the note).
 *
 * @returns the statements' problems (in the order `checkShapes` reports them) and what their
 *   bindings are now known to be
 */
export function recheckStatements(
  statements: readonly Statement[],
  resolution: Resolution,
  text: string,
  prior: (binding: Binding) => KnownBinding | undefined,
): WithProblems<(binding: Binding) => KnownBinding | undefined> {
  const checker = new ShapeChecker(resolution, text, prior);
  for (const statement of statements) checker.checkStatement(statement);
  return {
    value: (binding) => checker.knownOf(binding),
    problems: [...checker.problems].sort((a, b) => a.span.start - b.span.start),
  };
}

class ShapeChecker {
  /**
   * Types of the statements in the generic pass (what hovers show); expressions are typed again on
   * demand (`expressionTypes`), unless `recordEveryExpression` keeps them here too.
   */
  readonly recorded = new Map<Expr | Statement, StaticType>();
  readonly problems: Problem[] = [];

  private readonly globals = new Map<Binding, Known>();
  /** Parameter, index and lambda bindings of the bodies being checked, innermost last. */
  private readonly frames: Map<Binding, Known>[] = [];
  private readonly definitions = new WeakMap<object, FunctionDefinition>();
  private readonly tags = new WeakMap<object, 'derivative' | 'gradient' | 'partial'>();
  private readonly parametersByOwner = new Map<object, Binding[]>();
  private readonly memo = new Map<string, MemoEntry>();
  private readonly inProgress = new Set<string>();
  private readonly reportedKeys = new Set<string>();
  private readonly endSizes: Dim[] = [];
  /** Lambdas bound by a definition (`f = t -> …`) are named after it in messages. */
  private readonly lambdaNames = new WeakMap<LambdaExpr, string>();
  /** Where problems go: the note's list at depth 0, a scratch list inside a call's re-check. */
  private sink: Problem[] = this.problems;
  /**
   * Types of the expressions being checked: the current statement's in the generic pass, a call's
   * own map inside a call-site re-check. Folding sizes (`rows(x)`) reads them after a subtree was
   * checked.
   */
  private current = new Map<Expr, StaticType>();
  /** Whether `check` records every expression's type in `current` (else only what folding reads). */
  private recordExpressions: boolean;
  private depth = 0;
  private nextDefinitionId = 0;

  constructor(
    private readonly resolution: Resolution,
    private readonly text: string | undefined,
    /** What an earlier check knew of bindings this one did not define (see recheckStatements). */
    private readonly prior?: (binding: Binding) => Known | undefined,
    private readonly recordEveryExpression = false,
  ) {
    this.recordExpressions = recordEveryExpression;
    for (const binding of resolution.bindings) {
      if ((binding.kind === 'parameter' || binding.kind === 'index') && binding.owner) {
        const list = this.parametersByOwner.get(binding.owner);
        if (list) list.push(binding);
        else this.parametersByOwner.set(binding.owner, [binding]);
      }
    }
  }

  checkStatement(statement: Statement): void {
    // Each statement's expression types live only while it is checked (see ExpressionTypes).
    if (this.recordEveryExpression) this.current = this.recorded as Map<Expr, StaticType>;
    else if (this.current.size > 0) this.current = new Map();
    const introduced = this.resolution.definitions.get(statement) ?? [];
    const failed = this.resolution.failed;
    switch (statement.kind) {
      case 'definition': {
        let value: Expr = statement.value;
        while (value.kind === 'paren') value = value.inner;
        if (value.kind === 'lambda') this.lambdaNames.set(value, statement.target.name);
        const type = this.check(statement.value);
        const known = this.fold(statement.value);
        this.recorded.set(statement, type);
        for (const binding of introduced) {
          this.globals.set(binding, failed?.has(binding) ? { type: UNKNOWN } : { type, ...(known !== undefined ? { value: known } : {}) });
        }
        return;
      }
      case 'destructure': {
        const type = this.check(statement.value);
        this.recorded.set(statement, type);
        const items = this.destructure(type, statement.targets.length, statement.value);
        introduced.forEach((binding, index) => {
          this.globals.set(binding, { type: failed?.has(binding) ? UNKNOWN : (items[binding.tupleIndex ?? index] ?? UNKNOWN) });
        });
        return;
      }
      case 'function': {
        const type: StaticType = { kind: 'function', arity: statement.params.length, name: statement.target.name };
        this.definitions.set(type, {
          id: this.nextDefinitionId++,
          name: statement.target.name,
          params: statement.params,
          paramBindings: this.parameterBindings(statement, statement.params),
          body: statement.body,
          decl: statement.target.span,
        });
        for (const binding of introduced) this.globals.set(binding, { type });
        this.recorded.set(statement, type);
        this.withUnknownParameters(statement, statement.params, () => this.check(statement.body));
        return;
      }
      case 'expression':
        this.recorded.set(statement, this.check(statement.value));
        return;
      case 'error':
        return;
    }
  }

  /**
   * The types of a checked statement's expressions, worked out again. Run after the pass, when
   * every binding of the note is known: the expressions read the same bindings as in the pass, so
   * they get the same types. Problems found on the way were reported by the pass and are dropped.
   */
  expressionTypes(statement: Statement): ReadonlyMap<Expr, StaticType> {
    const types = new Map<Expr, StaticType>();
    const savedSink = this.sink;
    const savedCurrent = this.current;
    const savedRecording = this.recordExpressions;
    this.sink = [];
    this.current = types;
    this.recordExpressions = true;
    try {
      switch (statement.kind) {
        case 'definition':
        case 'destructure':
        case 'expression':
          this.check(statement.value);
          break;
        case 'function':
          this.withUnknownParameters(statement, statement.params, () => this.check(statement.body));
          break;
        case 'error':
          break;
      }
    } finally {
      this.sink = savedSink;
      this.current = savedCurrent;
      this.recordExpressions = savedRecording;
    }
    return types;
  }

  /** What the top-level checking found a note binding to be (undefined for other bindings). */
  knownOf(binding: Binding): Known | undefined {
    return this.globals.get(binding);
  }

  /** The values a destructuring assigns, with a problem when there are fewer than names. */
  private destructure(type: StaticType, names: number, value: Expr): readonly StaticType[] {
    if (type.kind === 'tuple') {
      if (type.items.length < names) {
        this.report('arity', 'arity.destructure', value.span, { names, values: type.items.length, value: this.textOf(value) }, []);
      }
      return type.items;
    }
    if (type.kind === 'unknown') return [];
    if (names > 1) {
      this.report('arity', 'arity.destructure', value.span, { names, values: 1, value: this.textOf(value) }, []);
    }
    return [type];
  }

  private parameterBindings(owner: object, params: readonly NameDecl[]): (Binding | undefined)[] {
    const bindings = this.parametersByOwner.get(owner) ?? [];
    return params.map((param) => bindings.find((binding) => binding.decl === param));
  }

  private withUnknownParameters<T>(owner: object, params: readonly NameDecl[], body: () => T): T {
    const frame = new Map<Binding, Known>();
    for (const binding of this.parameterBindings(owner, params)) if (binding) frame.set(binding, { type: UNKNOWN });
    this.frames.push(frame);
    try {
      return body();
    } finally {
      this.frames.pop();
    }
  }

  private lookup(binding: Binding): Known {
    for (let index = this.frames.length - 1; index >= 0; index--) {
      const known = this.frames[index]!.get(binding);
      if (known) return known;
    }
    const global = this.globals.get(binding) ?? this.prior?.(binding);
    if (global) return global;
    switch (binding.kind) {
      case 'constant':
        return {
          type: SCALAR,
          ...(binding.name === 'pi' || binding.name === 'π' ? { value: Math.PI } : binding.name === 'e' ? { value: Math.E } : {}),
        };
      case 'builtin':
        return { type: { kind: 'function', arity: null, name: binding.name } };
      case 'index':
        return { type: SCALAR };
      default:
        return { type: UNKNOWN };
    }
  }

  // ---------------------------------------------------------------- expressions

  private check(expr: Expr): StaticType {
    const type = this.infer(expr);
    if (this.recordExpressions) this.current.set(expr, type);
    return type;
  }

  private infer(expr: Expr): StaticType {
    switch (expr.kind) {
      case 'number':
        return SCALAR;
      case 'string':
        return { kind: 'string' };
      case 'name': {
        const binding = this.resolution.uses.get(expr);
        return binding ? this.lookup(binding).type : UNKNOWN;
      }
      case 'matrix':
        return this.matrixLiteral(expr);
      case 'paren':
        return this.check(expr.inner);
      case 'prefix': {
        const operand = this.check(expr.operand);
        const matrix = asMatrix(operand);
        return matrix && operand.kind !== 'unknown' ? matrixType(matrix.rows, matrix.cols) : UNKNOWN;
      }
      case 'binary':
        return this.binary(expr);
      case 'power':
        return this.power(expr);
      case 'postfix':
        return this.postfix(expr);
      case 'call':
        return this.call(expr);
      case 'index':
        return this.index(expr);
      case 'range':
        return this.range(expr);
      case 'colon':
        return UNKNOWN;
      case 'end':
        return SCALAR;
      case 'lambda':
        return this.lambda(expr);
      case 'abs': {
        const operand = this.check(expr.operand);
        const matrix = asMatrix(operand);
        if (matrix && isProperMatrix(matrix)) {
          this.report('type', 'type.abs-of-matrix', expr.span, { operand: this.textOf(expr.operand), shape: shapeArg(matrix) }, [expr.operand]);
          return UNKNOWN;
        }
        return SCALAR;
      }
      case 'norm':
        this.check(expr.operand);
        return SCALAR;
      case 'gradient':
      case 'partial': {
        const fn = this.check(expr.fn);
        const type: StaticType = { kind: 'function', arity: fn.kind === 'function' ? fn.arity : null, name: expr.fn.name };
        this.tags.set(type, expr.kind);
        return type;
      }
      case 'reduce': {
        this.check(expr.range);
        const frame = new Map<Binding, Known>();
        for (const binding of this.parametersByOwner.get(expr) ?? []) frame.set(binding, { type: SCALAR });
        this.frames.push(frame);
        try {
          const body = this.check(expr.body);
          const matrix = asMatrix(body);
          return matrix && body.kind !== 'unknown' ? matrixType(matrix.rows, matrix.cols) : UNKNOWN;
        } finally {
          this.frames.pop();
        }
      }
      case 'error':
        return UNKNOWN;
    }
  }

  private lambda(expr: LambdaExpr): StaticType {
    const name = this.lambdaNames.get(expr);
    const type: StaticType = { kind: 'function', arity: expr.params.length, ...(name ? { name } : {}) };
    this.definitions.set(type, {
      id: this.nextDefinitionId++,
      ...(name ? { name } : {}),
      params: expr.params,
      paramBindings: this.parameterBindings(expr, expr.params),
      body: expr.body,
    });
    this.withUnknownParameters(expr, expr.params, () => this.check(expr.body));
    return type;
  }

  private matrixLiteral(expr: MatrixExpr): StaticType {
    if (expr.rows.length === 0 || expr.rows.every((row) => row.length === 0)) return matrixType(0, 0);
    let stacked: MatrixType | undefined;
    let stackedFrom: Expr | undefined;
    let stackedTo: Expr | undefined;
    let stackedRows = 0;
    let failed = false;
    for (const row of expr.rows) {
      let joined: MatrixType | undefined;
      let rowFailed = false;
      for (let index = 0; index < row.length; index++) {
        const element = row[index]!;
        const type = this.check(element);
        const matrix = asMatrix(type);
        if (!matrix || rowFailed) {
          rowFailed = true;
          continue;
        }
        if (isKnown(matrix.rows) && isKnown(matrix.cols) && matrix.rows * matrix.cols === 0) continue;
        if (!joined) {
          joined = type.kind === 'unknown' ? { kind: 'matrix', rows: null, cols: null } : matrix;
          continue;
        }
        if (conflicts(joined.rows, matrix.rows)) {
          this.report('shape', 'shape.concat-rows', element.span, {
            matrix: this.textOf(expr),
            left: this.blockText(row, 0, index - 1),
            right: this.textOf(element),
            leftShape: shapeArg(joined),
            rightShape: shapeArg(matrix),
          }, row.slice(0, index + 1));
          rowFailed = true;
          continue;
        }
        joined = { kind: 'matrix', rows: unify(joined.rows, matrix.rows), cols: addDims(joined.cols, matrix.cols) };
      }
      if (rowFailed) {
        failed = true;
        continue;
      }
      if (!joined || failed) continue;
      if (!stacked) {
        stacked = joined;
        stackedFrom = row[0];
        stackedTo = row[row.length - 1];
        stackedRows = 1;
        continue;
      }
      if (conflicts(stacked.cols, joined.cols)) {
        this.report('shape', 'shape.concat-cols', this.spanBetween(row[0]!, row[row.length - 1]!), {
          matrix: this.textOf(expr),
          left: stackedRows === 1 && stackedFrom === stackedTo ? this.textOf(stackedFrom!) : this.rowsText(expr, stackedRows),
          right: this.blockText(row, 0, row.length - 1),
          leftShape: shapeArg(stacked),
          rightShape: shapeArg(joined),
        }, []);
        failed = true;
        continue;
      }
      stacked = { kind: 'matrix', rows: addDims(stacked.rows, joined.rows), cols: unify(stacked.cols, joined.cols) };
      stackedTo = row[row.length - 1];
      stackedRows++;
    }
    if (failed) return UNKNOWN;
    return stacked ? matrixType(stacked.rows, stacked.cols) : matrixType(0, 0);
  }

  private binary(expr: BinaryExpr): StaticType {
    const left = this.check(expr.left);
    const right = this.check(expr.right);
    if (expr.op === '≈') return { kind: 'bool' };
    if (!this.arithmeticOperand(expr.left, left) || !this.arithmeticOperand(expr.right, right)) return UNKNOWN;
    switch (expr.op) {
      case '==':
      case '!=':
      case '<':
      case '<=':
      case '>':
      case '>=': {
        if (isScalarType(left) && isScalarType(right)) return { kind: 'bool' };
        const result = this.broadcast(expr, left, right);
        return result.kind === 'matrix' ? { ...result, logical: true } : result;
      }
      case '+':
      case '-':
      case '.*':
      case '⊙':
      case './':
      case '.^':
        return this.broadcast(expr, left, right);
      case '*':
      case 'implicit':
        return this.product(expr, expr.left, expr.right, left, right);
      case '·':
        return this.dot(expr, left, right);
      case '×':
        return this.cross(expr, left, right);
      case '/':
        return this.divide(expr, left, right);
      case '\\':
        return this.solve(expr, left, right);
      case '^':
        return this.matrixPower(expr, expr.left, left, right);
    }
  }

  /**
   * Functions, tuples, strings and plots are not numbers: `σ + 1` means `σ(x) + 1`, and `svd(A) * 2`
   * needs its values unpacked first. Reports and returns false for such an operand.
   */
  private arithmeticOperand(operand: Expr, type: StaticType): boolean {
    if (type.kind !== 'function' && type.kind !== 'tuple' && type.kind !== 'string' && type.kind !== 'plot') return true;
    this.report('type', 'type.not-a-matrix', operand.span, {
      operand: this.textOf(operand),
      what: type.kind,
      values: type.kind === 'tuple' ? type.items.length : null,
    }, [operand]);
    return false;
  }

  /** numpy broadcasting: each dimension equal or 1. */
  private broadcast(expr: BinaryExpr, left: StaticType, right: StaticType): StaticType {
    const a = asMatrix(left);
    const b = asMatrix(right);
    if (!a || !b) return UNKNOWN;
    const rows = broadcastDim(a.rows, b.rows);
    const cols = broadcastDim(a.cols, b.cols);
    if (rows.conflict || cols.conflict) {
      this.reportOperands('shape.broadcast', expr.span, { op: expr.op }, expr.left, expr.right, a, b);
      return UNKNOWN;
    }
    if (left.kind === 'unknown' && right.kind === 'unknown') return UNKNOWN;
    return matrixType(rows.dim, cols.dim);
  }

  /** The matrix product `*` / juxtaposition (scalar × anything scales). */
  private product(expr: Expr & { span: Span }, leftExpr: Expr, rightExpr: Expr, left: StaticType, right: StaticType, op = '*'): StaticType {
    const a = asMatrix(left);
    const b = asMatrix(right);
    if (!a || !b) return UNKNOWN;
    if (isScalarType(left)) return right.kind === 'unknown' ? UNKNOWN : matrixType(b.rows, b.cols);
    if (isScalarType(right)) return left.kind === 'unknown' ? UNKNOWN : matrixType(a.rows, a.cols);
    if (isNonScalar(a) && isNonScalar(b) && conflicts(a.cols, b.rows)) {
      this.reportOperands('shape.matmul-inner', expr.span, { op }, leftExpr, rightExpr, a, b);
      return UNKNOWN;
    }
    if (left.kind === 'unknown' && right.kind === 'unknown') return UNKNOWN;
    return matrixType(isNonScalar(a) ? a.rows : null, isNonScalar(b) ? b.cols : null);
  }

  /** `·`: the dot product of two vectors of equal length, otherwise the same as `*`. */
  private dot(expr: BinaryExpr, left: StaticType, right: StaticType): StaticType {
    const a = asMatrix(left);
    const b = asMatrix(right);
    if (!a || !b) return UNKNOWN;
    if (isScalarType(left) || isScalarType(right)) return this.product(expr, expr.left, expr.right, left, right, '·');
    if (isVectorType(a) && isVectorType(b) && isNonScalar(a) && isNonScalar(b)) {
      const la = vectorLength(a);
      const lb = vectorLength(b);
      if (conflicts(la, lb)) {
        this.reportOperands('shape.dot-length', expr.span, { what: '·' }, expr.left, expr.right, a, b);
        return UNKNOWN;
      }
      if (isKnown(la) && la === lb) return SCALAR;
      return matrixType(null, null);
    }
    // When one side is certainly not a vector, `·` is the plain product; otherwise both might still
    // be vectors of one length (a dot product), so the result is not known.
    if (isProperMatrix(a) || isProperMatrix(b)) return this.product(expr, expr.left, expr.right, left, right, '·');
    return matrixType(null, null);
  }

  /** `×`: the cross product of two 3-vectors; with a scalar, the ordinary product. */
  private cross(expr: BinaryExpr, left: StaticType, right: StaticType): StaticType {
    const a = asMatrix(left);
    const b = asMatrix(right);
    if (!a || !b) return UNKNOWN;
    if (isScalarType(left) || isScalarType(right)) return this.product(expr, expr.left, expr.right, left, right, '×');
    const la = isVectorType(a) ? vectorLength(a) : null;
    const lb = isVectorType(b) ? vectorLength(b) : null;
    const notThree = (matrix: MatrixType, length: Dim): boolean =>
      isNonScalar(matrix) && (isProperMatrix(matrix) || conflicts(length, 3));
    if (notThree(a, la) || notThree(b, lb)) {
      this.reportOperands('shape.cross-length', expr.span, { op: '×' }, expr.left, expr.right, a, b);
      return UNKNOWN;
    }
    if (la === 3 && lb === 3) return matrixType(a.rows, a.cols);
    return matrixType(null, null);
  }

  /** `/`: by a scalar, or `A / B` = `A B⁻¹` (the column counts must match). */
  private divide(expr: BinaryExpr, left: StaticType, right: StaticType): StaticType {
    const a = asMatrix(left);
    const b = asMatrix(right);
    if (!a || !b) return UNKNOWN;
    if (isScalarType(right)) return left.kind === 'unknown' ? UNKNOWN : matrixType(a.rows, a.cols);
    if (isScalarType(left) || !isNonScalar(a) || !isNonScalar(b)) return matrixType(null, null);
    if (conflicts(a.cols, b.cols)) {
      this.reportOperands('shape.divide-cols', expr.span, { op: '/' }, expr.left, expr.right, a, b);
      return UNKNOWN;
    }
    return matrixType(a.rows, b.rows);
  }

  /** `A \ b`: solve (least squares when tall); the row counts must match. */
  private solve(expr: BinaryExpr, left: StaticType, right: StaticType): StaticType {
    const a = asMatrix(left);
    const b = asMatrix(right);
    if (!a || !b) return UNKNOWN;
    if (isScalarType(left)) return right.kind === 'unknown' ? UNKNOWN : matrixType(b.rows, b.cols);
    if (!isNonScalar(a)) return matrixType(null, null);
    if (conflicts(a.rows, b.rows)) {
      this.reportOperands('shape.solve-rows', expr.span, { op: '\\' }, expr.left, expr.right, a, b);
      return UNKNOWN;
    }
    return matrixType(a.cols, b.cols);
  }

  private power(expr: PowerExpr): StaticType {
    const named = this.resolution.uses.get(expr);
    if (named) return this.lookup(named).type;
    const base = this.check(expr.base);
    const exponent = this.check(expr.exponent);
    if (expr.op === '.^') {
      const a = asMatrix(base);
      const b = asMatrix(exponent);
      if (!a || !b) return UNKNOWN;
      const rows = broadcastDim(a.rows, b.rows);
      const cols = broadcastDim(a.cols, b.cols);
      if (rows.conflict || cols.conflict) {
        this.reportOperands('shape.broadcast', expr.span, { op: '.^' }, expr.base, expr.exponent, a, b);
        return UNKNOWN;
      }
      return base.kind === 'unknown' && exponent.kind === 'unknown' ? UNKNOWN : matrixType(rows.dim, cols.dim);
    }
    return this.matrixPower(expr, expr.base, base, exponent);
  }

  /** `A^k`: the ordinary power of a scalar, the matrix power of a square matrix. */
  private matrixPower(expr: Expr, baseExpr: Expr, base: StaticType, exponent: StaticType): StaticType {
    const a = asMatrix(base);
    if (!a) return UNKNOWN;
    if (!isScalarType(exponent)) return isScalarType(base) ? matrixType(null, null) : UNKNOWN;
    if (isScalarType(base)) return SCALAR;
    const power = exponentExpr(expr);
    const value = power ? this.fold(power) : undefined;
    if (value !== undefined && !Number.isInteger(value) && isNonScalar(a)) {
      this.report('type', 'type.power-exponent', expr.span, {
        what: this.textOf(expr),
        operand: this.textOf(baseExpr),
        shape: shapeArg(a),
        exponent: value,
      }, [baseExpr]);
      return UNKNOWN;
    }
    if (isKnownNonSquare(a)) {
      this.report('type', 'type.not-square', expr.span, {
        what: this.textOf(expr),
        operand: this.textOf(baseExpr),
        shape: shapeArg(a),
      }, [baseExpr]);
      return UNKNOWN;
    }
    if (base.kind === 'unknown') return UNKNOWN;
    const n = unify(a.rows, a.cols);
    return matrixType(n, n);
  }

  private postfix(expr: Expr & { kind: 'postfix' }): StaticType {
    const operand = this.check(expr.operand);
    if (operand.kind === 'function') {
      if (expr.op !== "'") return UNKNOWN;
      if (operand.arity !== null && operand.arity !== 1) {
        this.report('type', 'type.derivative-arity', expr.span, {
          name: operand.name ?? this.textOf(expr.operand),
          arity: operand.arity,
        }, [expr.operand]);
        return UNKNOWN;
      }
      const type: StaticType = { kind: 'function', arity: 1, ...(operand.name ? { name: `${operand.name}'` } : {}) };
      this.tags.set(type, 'derivative');
      return type;
    }
    const matrix = asMatrix(operand);
    if (!matrix || operand.kind === 'unknown') return UNKNOWN;
    switch (expr.op) {
      case "'":
      case 'ᵀ':
        return transposeType(operand);
      case '!':
        return matrixType(matrix.rows, matrix.cols);
      case '⁻¹': {
        if (isKnownNonSquare(matrix)) {
          this.report('type', 'type.not-square', expr.span, {
            what: this.textOf(expr),
            operand: this.textOf(expr.operand),
            shape: shapeArg(matrix),
          }, [expr.operand]);
          return UNKNOWN;
        }
        const n = unify(matrix.rows, matrix.cols);
        return matrixType(n, n);
      }
    }
  }

  private range(expr: Expr & { kind: 'range' }): StaticType {
    this.check(expr.start);
    if (expr.step) this.check(expr.step);
    this.check(expr.end);
    const start = this.fold(expr.start);
    const step = expr.step ? this.fold(expr.step) : 1;
    const end = this.fold(expr.end);
    if (start === undefined || step === undefined || end === undefined || step === 0 || !Number.isFinite(start + step + end)) {
      return matrixType(1, null);
    }
    const count = Math.floor((end - start) / step + 1e-10) + 1;
    return matrixType(1, Math.max(0, count));
  }

  private index(expr: IndexExpr): StaticType {
    const target = this.check(expr.target);
    const matrix = asMatrix(target);
    const sizes: Dim[] = matrix
      ? expr.indices.length === 1
        ? [isKnown(matrix.rows) && isKnown(matrix.cols) ? matrix.rows * matrix.cols : null]
        : [matrix.rows, matrix.cols]
      : [];
    const counts = expr.indices.map((index, position) => {
      this.endSizes.push(sizes[position] ?? null);
      try {
        return this.indexCount(index, sizes[position] ?? null);
      } finally {
        this.endSizes.pop();
      }
    });
    if (!matrix || target.kind === 'unknown') return UNKNOWN;
    if (expr.indices.length === 1) {
      const count = counts[0]!;
      if (count === 1) return SCALAR;
      if (matrix.rows === 1) return matrixType(1, count);
      if (matrix.cols === 1 || expr.indices[0]!.kind === 'colon') return matrixType(count, 1);
      return matrixType(null, null);
    }
    if (expr.indices.length === 2) return matrixType(counts[0]!, counts[1]!);
    return UNKNOWN;
  }

  /** How many positions one index selects. */
  private indexCount(index: Expr, size: Dim): Dim {
    if (index.kind === 'colon') {
      this.current.set(index, UNKNOWN);
      return size;
    }
    const type = this.check(index);
    const matrix = asMatrix(type);
    if (type.kind === 'bool' || isScalarType(type)) return 1;
    if (matrix && type.kind === 'matrix' && !type.logical && isVectorType(matrix)) return vectorLength(matrix);
    return null;
  }

  // ---------------------------------------------------------------- calls

  private call(expr: CallExpr): StaticType {
    const calleeBinding = expr.callee.kind === 'name' ? this.resolution.uses.get(expr.callee) : undefined;
    const callee = this.check(expr.callee);
    const args = expr.args.map((argument) => this.check(argument));
    for (const argument of expr.named) this.check(argument.value);
    // Folding a size (`rows(x)`, `length(v)`) reads the type of a call's only argument.
    if (args.length === 1) this.current.set(expr.args[0]!, args[0]!);

    if (calleeBinding?.kind === 'builtin') return this.builtinCall(expr, calleeBinding.name, args);

    if (callee.kind === 'function') {
      const tag = this.tags.get(callee);
      const expected = tag === 'derivative' ? 1 : callee.arity;
      if (tag && expected !== null && expected !== args.length) {
        this.report('arity', 'arity.count', expr.span, {
          name: this.textOf(expr.callee),
          min: expected,
          max: expected,
          given: args.length,
        }, [expr.callee]);
        return UNKNOWN;
      }
      if (tag === 'gradient') {
        if (args.length > 1) return matrixType(args.length, 1);
        const only = args[0] ? asMatrix(args[0]) : undefined;
        if (args[0] && isScalarType(args[0])) return SCALAR;
        if (only && isVectorType(only) && isNonScalar(only)) return matrixType(vectorLength(only), 1);
        return matrixType(null, 1);
      }
      if (tag === 'derivative' || tag === 'partial') {
        return args.length > 0 && args.every((argument) => isScalarType(argument)) ? SCALAR : UNKNOWN;
      }
      const definition = this.definitions.get(callee);
      if (!definition) {
        // A built-in passed around as a value (`apply(f, x) = f(x)` called with `sin`).
        return callee.name !== undefined && shapeSignatures.has(callee.name) ? this.builtinCall(expr, callee.name, args) : UNKNOWN;
      }
      if (definition.params.length !== args.length) {
        this.report('arity', 'arity.count', expr.span, {
          name: definition.name ?? this.textOf(expr.callee),
          min: definition.params.length,
          max: definition.params.length,
          given: args.length,
        }, [expr.callee]);
        return UNKNOWN;
      }
      return this.userCall(expr, definition, expr.args.map((argument, index) => this.known(argument, args[index]!)));
    }

    if (callee.kind === 'matrix' || callee.kind === 'bool') {
      if (expr.args.length === 1 && expr.named.length === 0) {
        return this.product(expr, expr.callee, expr.args[0]!, callee, args[0]!);
      }
      this.report('type', 'type.not-callable', expr.span, {
        callee: this.textOf(expr.callee),
        what: 'value',
        shape: shapeArg(asMatrix(callee)!),
        given: expr.args.length,
      }, [expr.callee]);
      return UNKNOWN;
    }
    if (callee.kind === 'string' || callee.kind === 'plot' || callee.kind === 'tuple') {
      this.report('type', 'type.not-callable', expr.span, {
        callee: this.textOf(expr.callee),
        what: callee.kind,
        given: expr.args.length,
      }, [expr.callee]);
      return UNKNOWN;
    }
    return UNKNOWN;
  }

  private known(expr: Expr, type: StaticType): Known {
    const value = this.fold(expr);
    return value === undefined ? { type } : { type, value };
  }

  private builtinCall(expr: CallExpr, name: string, args: readonly StaticType[]): StaticType {
    const signature = shapeSignatures.get(name);
    if (!signature) return UNKNOWN;
    if (args.length < signature.minArgs || args.length > signature.maxArgs) {
      this.report('arity', 'arity.count', expr.span, {
        name,
        min: signature.minArgs,
        max: Number.isFinite(signature.maxArgs) ? signature.maxArgs : null,
        given: args.length,
      }, []);
      return UNKNOWN;
    }
    const call: SignatureCall = {
      name,
      args,
      values: expr.args.map((argument) => this.fold(argument)),
      dim: (index) => {
        const argument = expr.args[index];
        if (!argument) return null;
        const value = this.fold(argument);
        if (value !== undefined) return Number.isInteger(value) && value >= 0 ? value : null;
        const source = this.sourceOf(argument);
        return source !== undefined && source.length <= 12 ? { symbol: source } : null;
      },
      text: (index) => (expr.args[index] ? this.textOf(expr.args[index]!) : ''),
      report: (code, kind, problemArgs) => this.report(code, kind, expr.span, problemArgs, expr.args),
      apply: (index, argumentTypes) => {
        const fn = args[index];
        const definition = fn && fn.kind === 'function' ? this.definitions.get(fn) : undefined;
        if (!definition) return UNKNOWN;
        if (definition.params.length !== argumentTypes.length) {
          this.report('arity', 'arity.callback', expr.span, {
            name,
            fn: this.textOf(expr.args[index]!),
            given: argumentTypes.length,
            takes: definition.params.length,
          }, [expr.args[index]!]);
          return UNKNOWN;
        }
        return this.userCall(expr, definition, argumentTypes.map((type) => ({ type })));
      },
    };
    return signature.result(call);
  }

  /** Re-checks a user function's body with the argument types of one call. */
  private userCall(expr: CallExpr, definition: FunctionDefinition, args: readonly Known[]): StaticType {
    const key = `${definition.id}(${args.map((arg) => this.knownKey(arg)).join(',')})`;
    let entry = this.memo.get(key);
    if (!entry) {
      if (this.inProgress.has(key) || this.depth >= MAX_CALL_DEPTH) return UNKNOWN;
      this.inProgress.add(key);
      const frame = new Map<Binding, Known>();
      definition.paramBindings.forEach((binding, index) => {
        if (binding) frame.set(binding, args[index] ?? { type: UNKNOWN });
      });
      const savedSink = this.sink;
      const savedCurrent = this.current;
      const savedFrames = this.frames.splice(0, this.frames.length);
      const scratch: Problem[] = [];
      this.sink = scratch;
      this.current = new Map();
      this.frames.push(frame);
      this.depth++;
      let type: StaticType;
      try {
        type = this.check(definition.body);
      } finally {
        this.depth--;
        this.frames.length = 0;
        this.frames.push(...savedFrames);
        this.sink = savedSink;
        this.current = savedCurrent;
        this.inProgress.delete(key);
      }
      entry = { type, problems: scratch };
      this.memo.set(key, entry);
    }
    const fresh = entry.problems.find((problem) => !this.reportedKeys.has(problemKey(problem)));
    if (fresh) {
      const inner = typeof fresh.args.inFunction === 'string' ? fresh.args.inFunction : (definition.name ?? 'the function');
      const related: RelatedSpan[] = [
        { span: fresh.span, kind: 'operation', name: `the body of ${inner}` },
        ...(definition.decl ? [{ span: definition.decl, kind: 'definition-of', name: definition.name }] : []),
        ...(fresh.related ?? []).filter((item) => item.kind !== 'operation'),
      ];
      this.emit({
        code: fresh.code,
        severity: fresh.severity,
        kind: fresh.kind,
        span: expr.span,
        args: { ...fresh.args, inFunction: inner, calledFunction: definition.name ?? this.textOf(expr.callee) },
        related,
      });
      return UNKNOWN;
    }
    return entry.type;
  }

  private knownKey(known: Known): string {
    const definition = known.type.kind === 'function' ? this.definitions.get(known.type) : undefined;
    const tag = this.tags.get(known.type);
    return `${typeKey(known.type)}${definition ? `#${definition.id}` : ''}${tag ?? ''}${known.value !== undefined ? `=${known.value}` : ''}`;
  }

  // ---------------------------------------------------------------- known numbers

  /** The value of an expression when it is a number known without running the note. */
  private fold(expr: Expr): number | undefined {
    switch (expr.kind) {
      case 'number':
        return expr.value;
      case 'paren':
        return this.fold(expr.inner);
      case 'name': {
        const binding = this.resolution.uses.get(expr);
        return binding ? this.lookup(binding).value : undefined;
      }
      case 'end': {
        const size = this.endSizes[this.endSizes.length - 1];
        return typeof size === 'number' ? size : undefined;
      }
      case 'prefix': {
        const operand = this.fold(expr.operand);
        if (operand === undefined) return undefined;
        return expr.op === '-' ? -operand : expr.op === '+' ? operand : Math.sqrt(operand);
      }
      case 'binary': {
        const left = this.fold(expr.left);
        const right = left === undefined ? undefined : this.fold(expr.right);
        if (left === undefined || right === undefined) return undefined;
        switch (expr.op) {
          case '+':
            return left + right;
          case '-':
            return left - right;
          case '*':
          case 'implicit':
          case '·':
          case '.*':
          case '⊙':
            return left * right;
          case '/':
          case './':
            return left / right;
          case '^':
          case '.^':
            return left ** right;
          default:
            return undefined;
        }
      }
      case 'power': {
        if (this.resolution.uses.get(expr)) {
          return this.lookup(this.resolution.uses.get(expr)!).value;
        }
        const base = this.fold(expr.base);
        const exponent = base === undefined ? undefined : this.fold(expr.exponent);
        return base === undefined || exponent === undefined ? undefined : base ** exponent;
      }
      case 'call': {
        const binding = expr.callee.kind === 'name' ? this.resolution.uses.get(expr.callee) : undefined;
        if (binding?.kind !== 'builtin' || expr.args.length !== 1) return undefined;
        const type = this.current.get(expr.args[0]!);
        const matrix = type && type.kind === 'matrix' ? type : undefined;
        if (!matrix) return undefined;
        switch (binding.name) {
          case 'rows':
            return isKnown(matrix.rows) ? matrix.rows : undefined;
          case 'cols':
            return isKnown(matrix.cols) ? matrix.cols : undefined;
          case 'length':
            return isKnown(matrix.rows) && isKnown(matrix.cols) ? Math.max(matrix.rows, matrix.cols) : undefined;
          case 'numel':
            return isKnown(matrix.rows) && isKnown(matrix.cols) ? matrix.rows * matrix.cols : undefined;
          default:
            return undefined;
        }
      }
      default:
        return undefined;
    }
  }

  // ---------------------------------------------------------------- problems

  /**
   * Reports a shape problem between two operands: their source texts and shapes, with the
   * operands' definitions as related information (every binary-operator rule explains itself so).
   */
  private reportOperands(
    kind: string,
    span: Span,
    operator: Record<string, string>,
    leftExpr: Expr,
    rightExpr: Expr,
    a: MatrixType,
    b: MatrixType,
  ): void {
    this.report('shape', kind, span, {
      ...operator,
      left: this.textOf(leftExpr),
      right: this.textOf(rightExpr),
      leftShape: shapeArg(a),
      rightShape: shapeArg(b),
    }, [leftExpr, rightExpr]);
  }

  private report(
    code: ProblemCode,
    kind: string,
    span: Span,
    args: Record<string, ProblemArg | undefined>,
    operands: readonly Expr[],
  ): void {
    const related: RelatedSpan[] = [];
    for (const operand of operands) {
      const binding = this.headBinding(operand);
      if (binding?.decl && !related.some((item) => item.name === binding.name)) {
        related.push({ span: binding.decl.span, kind: 'definition-of', name: binding.name });
      }
    }
    this.emit({ code, severity: 'error', kind, span, args, related });
  }

  private emit(problem: Problem): void {
    const key = problemKey(problem);
    if (this.depth === 0) {
      if (this.reportedKeys.has(key)) return;
      this.reportedKeys.add(key);
    } else if (this.sink.some((existing) => problemKey(existing) === key)) {
      return;
    }
    this.sink.push(problem);
  }

  /** The user binding an operand is built on (`A` for `A`, `Aᵀ`, `A[1, :]`, `(A)`, `σ²`). */
  private headBinding(expr: Expr): Binding | undefined {
    let current: Expr = expr;
    for (;;) {
      if (current.kind === 'paren') current = current.inner;
      else if (current.kind === 'postfix') current = current.operand;
      else if (current.kind === 'index') current = current.target;
      else break;
    }
    if (current.kind === 'name' || current.kind === 'power') {
      const binding = this.resolution.uses.get(current);
      if (binding && binding.kind !== 'builtin' && binding.kind !== 'constant') return binding;
    }
    return undefined;
  }

  private sourceOf(expr: Expr): string | undefined {
    if (this.text !== undefined) return this.text.slice(expr.span.start, expr.span.end).replace(/\s+/g, ' ').trim();
    if (expr.kind === 'name') return expr.name;
    if (expr.kind === 'number') return expr.raw;
    return undefined;
  }

  /** An operand as the user wrote it, shortened with an ellipsis when long. */
  private textOf(expr: Expr): string {
    return shorten(this.sourceOf(expr) ?? 'this operand');
  }

  /** Elements `from..to` of one matrix row, bracketed when there are several (`[1, 2]`). */
  private blockText(row: readonly Expr[], from: number, to: number): string {
    if (from === to) return this.textOf(row[from]!);
    return shorten(`[${row.slice(from, to + 1).map((element) => this.sourceOf(element) ?? '…').join(', ')}]`);
  }

  /** The first `count` rows of a matrix literal, as a bracketed literal (`[1, 2; 3, 4]`). */
  private rowsText(expr: MatrixExpr, count: number): string {
    const rows = expr.rows.slice(0, count).map((row) => row.map((element) => this.sourceOf(element) ?? '…').join(', '));
    return shorten(`[${rows.join('; ')}]`);
  }

  private spanBetween(first: Expr, last: Expr): Span {
    return { start: first.span.start, end: last.span.end };
  }
}

/** The exponent of a power node (`A^2`, `A²`, or a binary `^`). */
function exponentExpr(expr: Expr): Expr | undefined {
  if (expr.kind === 'power') return expr.exponent;
  if (expr.kind === 'binary') return expr.right;
  return undefined;
}

function shorten(source: string): string {
  const characters = [...source];
  if (characters.length <= MAX_OPERAND_LENGTH) return source;
  return `${characters.slice(0, MAX_OPERAND_LENGTH - 1).join('')}…`;
}

function problemKey(problem: Problem): string {
  return `${problem.kind}@${problem.span.start}:${problem.span.end}:${JSON.stringify(problem.args)}`;
}
