/**
 * The chevrotain grammar of one Mathnote statement. One instance is built once (grammar analysis
 * is the expensive part) and reused for every statement of every document.
 *
 * The parser works on the tokens of one statement at a time; the statement splitter
 * (`parser.ts`) decides where statements begin and end. Layout-sensitive decisions are made by
 * gates that look at `MathToken.spaceBefore` and at a stack of bracket contexts:
 *  - inside matrix brackets, a space ends an element before juxtaposition, before a spaced call
 *    parenthesis, and before a sign that touches its operand (`[1 -2]`), as in MATLAB;
 *  - inside `|…|` juxtaposition may not start with `|` (that `|` closes the absolute value).
 */
import { EmbeddedActionsParser, tokenMatcher, type IOrAlt, type IParserErrorMessageProvider, type IToken, type OrMethodOpts, type TokenType } from 'chevrotain';
import type {
  BinaryOperator, Expr, NameDecl, NameExpr, NamedArgument, PostfixOperator, PrefixExpr, ReduceExpr, Span,
} from './ast.js';
import {
  AddOp, allTokenTypes, Approx, Arrow, Backslash, Bang, CenterDot, Colon, Comma, CompareOp, DotCaret, DotSlash,
  DotStar, DoubleBar, EqEq, Equals, Greater, GreaterEq, Inverse, LBracket, Less, LessEq, LParen, MulOp, Name,
  Nabla, NotEq, NumberLiteral, Odot, Partial, Pipe, Plus, PostfixOp, PowOp, Prime, ProductSign, RBracket, RowBreak,
  RParen, Semicolon, Slash, Sqrt, Star, StringLiteral, SubscriptDigit, SumSign, Superscript, superscriptValue,
  Times, Transpose, Minus, endOf, type MathToken,
} from './lexer.js';
import { childExpressions } from './walk.js';

/**
 * How deeply the parser may recurse, in nested parentheses (or brackets, lambdas, sums). One such
 * level ran through about ten grammar rules when the limit was set (the default stack of Node
 * overflowed near 125 levels); it takes fewer since comparisons, ranges, sums and products share
 * one loop, but the limit is part of the language's behaviour and stays. Prefix operators and
 * exponents recurse through fewer rules and cost less of the budget.
 */
export const MAX_NESTING = 64;
const NEST_EXPRESSION = 10;
const NEST_PREFIX = 2;
const NEST_EXPONENT = 3;
const NESTING_BUDGET = MAX_NESTING * NEST_EXPRESSION;

/**
 * How deep a syntax tree may be. Long operator chains (`1 + 1 + … + 1`) are loops for the parser
 * but left spines for every later pass, which walk trees recursively; past this depth a statement
 * is a `syntax.too-deep` problem instead of a risk of stack overflow anywhere downstream.
 */
export const MAX_TREE_DEPTH = 500;

/**
 * The depth of every node built for the current statement. A plain Map emptied per statement:
 * a WeakMap holding one entry per node made garbage collection (ephemeron tables) the largest
 * cost of parsing.
 */
const depths = new Map<Expr, number>();

function depthOf(expr: Expr): number {
  // Names and numbers, most nodes, are never recorded: they are leaves.
  return expr.kind === 'name' || expr.kind === 'number' ? 1 : depths.get(expr) ?? 1;
}

/** Records a new node's depth, and stops the statement when the tree grows too deep. */
function measured<T extends Expr>(expr: T): T {
  const node: Expr = expr;
  let deepest = 0;
  // The common nodes without the array that childExpressions makes.
  if (node.kind === 'binary') deepest = Math.max(depthOf(node.left), depthOf(node.right));
  else if (node.kind === 'power') deepest = Math.max(depthOf(node.base), depthOf(node.exponent));
  else if (node.kind === 'prefix' || node.kind === 'postfix') deepest = depthOf(node.operand);
  else if (node.kind === 'matrix') {
    for (const row of node.rows) for (const element of row) deepest = Math.max(deepest, depthOf(element));
  } else if (node.kind === 'call') {
    deepest = depthOf(node.callee);
    for (const argument of node.args) deepest = Math.max(deepest, depthOf(argument));
    for (const argument of node.named) deepest = Math.max(deepest, depthOf(argument.value));
  } else for (const child of childExpressions(node)) deepest = Math.max(deepest, depthOf(child));
  if (deepest + 1 > MAX_TREE_DEPTH) throw new TooDeepError(expr.span, MAX_TREE_DEPTH);
  depths.set(expr, deepest + 1);
  return expr;
}

/** Thrown when an expression nests deeper than the limits; the driver reports `syntax.too-deep`. */
export class TooDeepError extends Error {
  constructor(readonly at: Span, readonly limit: number = MAX_NESTING) {
    super('expression nests too deeply');
  }
}

/** The left and right sides of a statement before they are classified (definition, function…). */
export interface RawStatement {
  readonly targets: Expr[];
  readonly equals?: IToken;
  readonly value?: Expr;
}

/** A problem found while the grammar still matched (an empty matrix element, say). */
export interface GrammarIssue {
  readonly kind: string;
  readonly span: Span;
  readonly args: Record<string, string>;
}

/** What kind of bracket the parser is inside; layout rules depend on the innermost one. */
type Context = 'top' | 'paren' | 'matrix' | 'index' | 'abs' | 'barnorm' | 'norm';

/**
 * Chevrotain builds error messages; we only need the facts, so the messages are small JSON
 * records that the driver turns into problems.
 */
const errorMessages: IParserErrorMessageProvider = {
  buildMismatchTokenMessage: ({ expected }) => JSON.stringify({ expected: expected.LABEL ?? expected.name, expectedType: expected.name }),
  buildNotAllInputParsedMessage: () => JSON.stringify({ expected: 'the end of the statement' }),
  buildNoViableAltMessage: ({ ruleName }) => JSON.stringify({ expected: ruleName === 'argument' || ruleName === 'primary' || ruleName === 'expression' ? 'an expression' : 'an expression' }),
  buildEarlyExitMessage: () => JSON.stringify({ expected: 'an expression' }),
};

const span = (start: number, end: number): Span => ({ start, end });
const tokenSpan = (token: IToken): Span => ({ start: token.startOffset, end: endOf(token) });
const join = (left: { span: Span }, right: { span: Span }): Span => ({ start: left.span.start, end: right.span.end });

const binaryOperatorOf = new Map<TokenType, BinaryOperator>([
  [EqEq, '=='], [NotEq, '!='], [Less, '<'], [LessEq, '<='], [Greater, '>'], [GreaterEq, '>='], [Approx, '≈'],
  [Star, '*'], [CenterDot, '·'], [Slash, '/'], [Backslash, '\\'], [DotStar, '.*'], [Odot, '⊙'], [DotSlash, './'],
  [Times, '×'], [Minus, '-'],
]);
const postfixOperatorOf = new Map<TokenType, PostfixOperator>([[Prime, "'"], [Transpose, 'ᵀ'], [Inverse, '⁻¹'], [Bang, '!']]);

/** Token types that may begin a juxtaposed factor (`2x`, `α ∇J(θ)`, `M⁻¹ [14; 5]`). */
const juxtapositionStarts = new Set<number>(
  [NumberLiteral, Name, LParen, LBracket, Pipe, DoubleBar, Sqrt, Nabla, Partial, SumSign, ProductSign].map((type) => type.tokenTypeIdx!),
);

/** The token types that may begin an expression (a colon may not: it begins no index argument then). */
const expressionStarts = new Set<number>(
  [Plus, Minus, Sqrt, NumberLiteral, StringLiteral, Name, LParen, LBracket, Pipe, DoubleBar, Nabla, Partial, SumSign, ProductSign].map((type) => type.tokenTypeIdx!),
);

/** Expressions that can never be called, so `2(a+b)` is a product of `2` and a parenthesis. */
const uncallable = new Set<Expr['kind']>(['number', 'string', 'matrix']);

/** The precedence levels of `chain`, lowest first; `None` means the chain has ended. */
const enum Level {
  None,
  Comparison,
  Range,
  Additive,
  Multiplicative,
}

/**
 * What one `chain` has read but not yet built into nodes, level by level: the product being
 * multiplied, the sum before it, the finished parts of a range and the comparison before that.
 */
class Chain {
  /** The level at which the chain continues, set by the loop's gate before each step. */
  next = Level.None;
  readonly rangeParts: Expr[] = [];
  private term: Expr;
  private sum: Expr | undefined;
  private sumOperator: BinaryOperator = '+';
  private compared: Expr | undefined;
  private comparisonOperator: BinaryOperator = '==';

  constructor(first: Expr) {
    this.term = first;
  }

  /**
   * Builds the nodes of every level above `level`, because the next operator continues the chain
   * at `level` (or ends it, `Level.None`: then the whole expression is returned).
   */
  close(level: Level): Expr | undefined {
    if (level === Level.Multiplicative) return undefined;
    const sum = this.sum ? measured<Expr>({ kind: 'binary', span: join(this.sum, this.term), op: this.sumOperator, left: this.sum, right: this.term }) : this.term;
    if (level === Level.Additive) {
      this.sum = sum;
      return undefined;
    }
    this.sum = undefined;
    if (level === Level.Range) {
      this.rangeParts.push(sum);
      return undefined;
    }
    let value = sum;
    const parts = this.rangeParts;
    if (parts.length === 1) value = measured({ kind: 'range', span: join(parts[0]!, sum), start: parts[0]!, end: sum });
    else if (parts.length === 2) value = measured({ kind: 'range', span: join(parts[0]!, sum), start: parts[0]!, step: parts[1]!, end: sum });
    if (parts.length > 0) parts.length = 0;
    if (this.compared) value = measured({ kind: 'binary', span: join(this.compared, value), op: this.comparisonOperator, left: this.compared, right: value });
    if (level === Level.Comparison) {
      this.compared = value;
      return undefined;
    }
    return value;
  }

  /** Adds the operand read after `operator` (undefined: juxtaposition) at the level `next`. */
  extend(operator: IToken | undefined, right: Expr): void {
    if (this.next === Level.Multiplicative) {
      const op = operator ? binaryOperatorOf.get(operator.tokenType)! : 'implicit';
      this.term = measured({ kind: 'binary', span: join(this.term, right), op, left: this.term, right });
      return;
    }
    if (this.next === Level.Additive) this.sumOperator = operator!.tokenType === Minus ? '-' : '+';
    else if (this.next === Level.Comparison) this.comparisonOperator = binaryOperatorOf.get(operator!.tokenType)!;
    this.term = right;
  }
}

/** The Mathnote statement grammar (embedded actions: it builds the AST directly). */
export class MathnoteGrammar extends EmbeddedActionsParser {
  private contexts: Context[] = ['top'];
  /** The open brackets at the current point, innermost last, for "expected ')' to close '('". */
  openers: MathToken[] = [];
  private indexDepth = 0;
  private nesting = 0;
  /** Problems noticed in grammatical input (reported like syntax errors by the driver). */
  issues: GrammarIssue[] = [];
  // The alternatives of the choices that capture no local variable, built once (on the recording
  // pass) instead of on every call: a fresh array of closures per `primary` made allocation and
  // garbage collection a large part of parsing. The choices of `chain`, `power` and `matrix` take
  // their state from fields (`chainOperator`, `postfixBase`, `elementComma`) instead of locals, so
  // they are built once too.
  private expressionChoices?: OrMethodOpts<Expr>;
  private unaryChoices?: IOrAlt<Expr>[];
  private unsignedUnaryChoices?: IOrAlt<Expr>[];
  private argumentChoices?: OrMethodOpts<{ named?: NamedArgument; positional?: Expr }>;
  private indexArgumentChoices?: OrMethodOpts<Expr>;
  private primaryChoices?: OrMethodOpts<Expr>;
  private chainChoices?: IOrAlt<Expr>[];
  private postfixChoices?: IOrAlt<Expr>[];
  private matrixChoices?: IOrAlt<Expr | undefined>[];
  /** The comma before the element that `matrix`'s choice returned, if one came before it. */
  private elementComma: IToken | undefined;
  /**
   * The operand of the postfix operator, call or index that `power`'s choice reads next. Each
   * alternative takes it before parsing anything (which may set it again), so the alternatives
   * capture no local variable and are built once.
   */
  private postfixBase!: Expr;
  /** The operator read before the operand that `chain`'s choice returned (undefined: juxtaposition). */
  private chainOperator: IToken | undefined;

  /**
   * `validate` runs chevrotain's grammar validations (ambiguities, left recursion, unreachable
   * alternatives). They take about half of the grammar's construction time, which the language
   * server pays before its first diagnostics, and they can only fail when the grammar itself is
   * edited: the parser tests build a validated instance instead of every running server.
   */
  constructor(options: { readonly validate?: boolean } = {}) {
    super(allTokenTypes, { maxLookahead: 4, recoveryEnabled: false, errorMessageProvider: errorMessages, skipValidations: !options.validate });
    this.performSelfAnalysis();
  }

  /** Prepares the parser for the tokens of one statement. */
  prepare(tokens: MathToken[]): void {
    this.input = tokens;
    // The arrays are emptied rather than replaced: the driver reads them only before the next
    // statement. Clearing an empty Map would still allocate a new table.
    if (depths.size > 0) depths.clear();
    if (this.contexts.length > 1) this.contexts.length = 1;
    if (this.openers.length > 0) this.openers.length = 0;
    this.indexDepth = 0;
    this.nesting = 0;
    if (this.issues.length > 0) this.issues.length = 0;
  }

  // ---- layout helpers used by gates -------------------------------------------------------

  private next(offset = 1): MathToken {
    return this.LA(offset) as MathToken;
  }

  private innermost(): Context {
    return this.contexts[this.contexts.length - 1]!;
  }

  private enter(context: Context, opener: IToken): void {
    this.contexts.push(context);
    this.openers.push(opener as MathToken);
  }

  private leave(): void {
    this.contexts.pop();
    this.openers.pop();
  }

  /** Stops a statement that nests too deeply, before the call stack could overflow. */
  private deeper(at: Span | IToken): void {
    if (this.nesting > NESTING_BUDGET) throw new TooDeepError('startOffset' in at ? tokenSpan(at) : at);
  }

  /** Whether the choice of `expression` is needed: `x -> …`, or a `(` that may open parameters. */
  private mayStartLambda(): boolean {
    const next = this.next();
    return (tokenMatcher(next, Name) && tokenMatcher(this.next(2), Arrow)) || tokenMatcher(next, LParen);
  }

  private additiveContinues(): boolean {
    const next = this.next();
    if (!tokenMatcher(next, AddOp)) return false;
    // `[1 -2]`: a sign after a space that touches its operand starts a new matrix element.
    return !(this.innermost() === 'matrix' && next.spaceBefore && !this.next(2).spaceBefore);
  }

  private multiplicativeContinues(): boolean {
    const next = this.next();
    if (tokenMatcher(next, MulOp)) return true;
    if (!juxtapositionStarts.has(next.tokenTypeIdx)) return false;
    const context = this.innermost();
    if (context === 'matrix' && next.spaceBefore) return false;
    if (tokenMatcher(next, Pipe) && (context === 'abs' || context === 'barnorm')) return false;
    if (tokenMatcher(next, DoubleBar) && context === 'norm') return false;
    return true;
  }

  private postfixContinues(base: Expr): boolean {
    return this.postfixContinuesWith(base.kind, this.next());
  }

  /** Whether `next` continues the postfix operators, calls and indexing of a `kind` primary. */
  private postfixContinuesWith(kind: Expr['kind'], next: MathToken): boolean {
    if (tokenMatcher(next, PostfixOp) || tokenMatcher(next, Superscript)) return true;
    if (tokenMatcher(next, LParen)) {
      return !uncallable.has(kind) && !(next.spaceBefore && this.innermost() === 'matrix');
    }
    if (tokenMatcher(next, LBracket)) return !next.spaceBefore && kind !== 'number' && kind !== 'string';
    return false;
  }

  /** Whether the next token may begin an expression. */
  private startsExpression(): boolean {
    return expressionStarts.has(this.next().tokenTypeIdx);
  }

  /** `Σ(k = …`: the `Σ` starts a sum rather than naming a matrix. */
  private sigmaSumAhead(): boolean {
    return this.next().image === 'Σ' && tokenMatcher(this.next(2), LParen) && tokenMatcher(this.next(3), Name) && tokenMatcher(this.next(4), Equals);
  }

  /** `end` inside an index is the last index, not a name. */
  private endAhead(): boolean {
    return this.indexDepth > 0 && this.next().image === 'end';
  }

  /**
   * A number, or a name that neither starts `Σ(k = …)` nor is `end` in an index: what `primary`'s
   * choice would pick for them, read without that choice (its gates make chevrotain allocate on
   * every call). Undefined for every other token; never used while the grammar is recorded.
   */
  private simplePrimary(): Expr | undefined {
    const token = this.next();
    if (tokenMatcher(token, NumberLiteral)) return numberExpr(this.CONSUME(NumberLiteral));
    if (tokenMatcher(token, Name) && !this.sigmaSumAhead() && !this.endAhead()) return nameExpr(this.CONSUME(Name));
    return undefined;
  }

  /** A parenthesis or a matrix: the only alternatives of `primary` that begin with `(` and `[`. */
  private bracketedPrimary(): Expr | undefined {
    const token = this.next();
    if (tokenMatcher(token, LParen)) return this.SUBRULE(this.parenthesized);
    if (tokenMatcher(token, LBracket)) return this.SUBRULE(this.matrix);
    return undefined;
  }

  /**
   * The most common operand, a number or name that no postfix operator, call, index or power
   * follows, read directly instead of through `unsignedUnary`, `power`, `postfix` and `primary`:
   * those rules would consume the same one token and build the same node.
   */
  private leaf(): Expr | undefined {
    const token = this.next();
    const kind = tokenMatcher(token, NumberLiteral) ? 'number' : tokenMatcher(token, Name) ? 'name' : undefined;
    if (!kind) return undefined;
    const after = this.next(2);
    if (tokenMatcher(after, PowOp) || this.postfixContinuesWith(kind, after)) return undefined;
    return this.simplePrimary();
  }

  private normSubscriptAhead(): boolean {
    const next = this.next();
    if (next.spaceBefore) return false;
    if (tokenMatcher(next, SubscriptDigit)) return next.image === '₁' || next.image === '₂';
    return tokenMatcher(next, Name) && ['∞', '_1', '_2', '_F', '_∞'].includes(next.image);
  }

  // ---- statements ---------------------------------------------------------------------------

  /** `lhs (, lhs)* (= expr)?`; the driver classifies the left sides. */
  statement = this.RULE('statement', (): RawStatement => {
    const targets: Expr[] = [];
    let equals: IToken | undefined;
    let value: Expr | undefined;
    targets.push(this.SUBRULE(this.expression));
    this.MANY(() => {
      this.CONSUME(Comma);
      targets.push(this.SUBRULE2(this.expression));
    });
    this.OPTION(() => {
      equals = this.CONSUME(Equals);
      value = this.SUBRULE3(this.expression);
    });
    return { targets, equals, value };
  });

  /** A lambda, or a comparison. */
  expression = this.RULE('expression', (): Expr => {
    // Plain statements instead of ACTION closures: this rule runs for every element and argument.
    if (!this.RECORDING_PHASE) {
      this.nesting += NEST_EXPRESSION;
      this.deeper(this.next());
    }
    // Most expressions are not lambdas: then the comparison is parsed directly, because an OR
    // with gates makes chevrotain evaluate every gate and allocate on each call. The OR still
    // runs while the grammar is recorded (the grammar is unchanged) and whenever a `(` comes
    // first: there its four-token lookahead rejects `(a, b` without `->` at the `(`, and
    // errors must stay where they were.
    const result = !this.RECORDING_PHASE && !this.mayStartLambda() ? this.chain(Level.Comparison) : this.OR(this.expressionChoices ??= {
      IGNORE_AMBIGUITIES: true,
      DEF: [
        {
          GATE: () => tokenMatcher(this.next(), Name) && tokenMatcher(this.next(2), Arrow),
          ALT: () => {
            const param = this.CONSUME(Name);
            this.CONSUME(Arrow);
            const body = this.SUBRULE(this.expression);
            return this.ACTION((): Expr => measured({ kind: 'lambda', span: span(param.startOffset, body.span.end), params: [declOf(param)], body }));
          },
        },
        {
          GATE: () => tokenMatcher(this.next(), LParen) && this.next().arrowAfterClose === true,
          ALT: () => {
            const open = this.CONSUME(LParen);
            const params: IToken[] = [];
            this.OPTION(() => {
              params.push(this.CONSUME2(Name));
              this.MANY(() => {
                this.CONSUME(Comma);
                params.push(this.CONSUME3(Name));
              });
            });
            this.CONSUME(RParen);
            this.CONSUME2(Arrow);
            const body = this.SUBRULE2(this.expression);
            return this.ACTION((): Expr => measured({ kind: 'lambda', span: span(open.startOffset, body.span.end), params: params.map(declOf), body }));
          },
        },
        { ALT: () => this.chain(Level.Comparison) },
      ],
    });
    if (!this.RECORDING_PHASE) this.nesting -= NEST_EXPRESSION;
    return result;
  });

  /**
   * Comparisons, ranges, sums and products (with juxtaposition) in one loop, by precedence
   * climbing, instead of one rule per level: every rule invocation costs chevrotain a frame, a
   * rule-stack entry and its lookahead checks, and most operands are a single name or number.
   * `lowest` is the lowest level the chain may continue at: the whole expression (comparison) or
   * one multiplicative term (the body of `∑`). It is not a rule of its own but part of the rules
   * `expression` and `term`, which saves one more rule invocation per expression; its DSL calls
   * are numbered (`MANY2`, `OR2`) apart from those of `expression`'s lambdas.
   *
   * The language and the order in which nodes are built are those of one rule per level:
   * comparisons, sums and products associate to the left, a range has at most three parts, and
   * each node is built as soon as the next token shows that its level has ended, so that a tree
   * that grows too deep is stopped at the same node.
   */
  private chain(lowest: Level): Expr {
    // Operands that are a single number or name (`leaf`) are read without entering `unary`.
    const first = this.leafOperand() ?? this.SUBRULE(this.unary);
    // A single operand (most matrix elements and arguments) needs neither the loop nor its state.
    if (!this.RECORDING_PHASE && this.continuation(lowest, 0) === Level.None) return first;
    const chain = new Chain(first);
    this.MANY2({
      GATE: () => (chain.next = this.continuation(lowest, chain.rangeParts.length)) !== Level.None,
      DEF: () => {
        if (!this.RECORDING_PHASE) chain.close(chain.next);
        const right = this.OR2(this.chainChoices ??= [
          { ALT: () => this.operatorOperand(this.CONSUME(CompareOp), this.leafOperand() ?? this.SUBRULE2(this.unary)) },
          { ALT: () => this.operatorOperand(this.CONSUME(Colon), this.leafOperand() ?? this.SUBRULE3(this.unary)) },
          { ALT: () => this.operatorOperand(this.CONSUME(AddOp), this.leafOperand() ?? this.SUBRULE4(this.unary)) },
          { ALT: () => this.operatorOperand(this.CONSUME(MulOp), this.leafOperand() ?? this.SUBRULE5(this.unary)) },
          // Juxtaposition: the next factor follows without an operator and without a sign.
          { ALT: () => this.operatorOperand(undefined, this.leafOperand() ?? this.SUBRULE(this.unsignedUnary)) },
        ]);
        if (!this.RECORDING_PHASE) chain.extend(this.chainOperator, right);
      },
    });
    return this.ACTION(() => chain.close(Level.None))!;
  }

  /** One multiplicative term (the body of `∑`): a chain that continues only with products. */
  private term = this.RULE('term', (): Expr => this.chain(Level.Multiplicative));

  /**
   * `leaf` where `unary` or `unsignedUnary` would be entered (both begin with it), saving the
   * rule's frame; never while the grammar is recorded, which must see the rules.
   */
  private leafOperand(): Expr | undefined {
    return this.RECORDING_PHASE ? undefined : this.leaf();
  }

  /**
   * Notes the operator before an operand of `chain` (the operand is parsed first, so a chain
   * inside it has finished with the field) and returns the operand. The alternatives of the
   * chain's choice capture no local variable, so they are built once.
   */
  private operatorOperand(operator: IToken | undefined, operand: Expr): Expr {
    this.chainOperator = operator;
    return operand;
  }

  /** The level at which the chain continues with the next token, or `Level.None`. */
  private continuation(lowest: Level, rangeParts: number): Level {
    if (this.multiplicativeContinues()) return Level.Multiplicative;
    if (lowest === Level.Multiplicative) return Level.None;
    if (this.additiveContinues()) return Level.Additive;
    const next = this.next();
    if (tokenMatcher(next, Colon)) return rangeParts < 2 ? Level.Range : Level.None;
    if (tokenMatcher(next, CompareOp)) return Level.Comparison;
    return Level.None;
  }

  /**
   * Prefix `-` and `+`, `√`, then a power. Numbers and names that nothing follows are read
   * directly (`leaf`); `√` is an alternative here as well as in `unsignedUnary`, so that an
   * operand takes one rule less.
   */
  private unary = this.RULE('unary', (): Expr =>
    (!this.RECORDING_PHASE && this.leaf()) || this.OR(this.unaryChoices ??= [
      {
        ALT: () => {
          const op = this.prefixOperator(this.CONSUME(AddOp));
          return this.prefixExpr(op, op.tokenType === Minus ? '-' : '+', this.SUBRULE(this.unary));
        },
      },
      { ALT: () => this.prefixExpr(this.prefixOperator(this.CONSUME(Sqrt)), '√', this.SUBRULE2(this.unary)) },
      { ALT: () => this.SUBRULE(this.power) },
    ]),
  );

  /** `√x` or a power: what may follow another factor without an operator. */
  private unsignedUnary = this.RULE('unsignedUnary', (): Expr =>
    (!this.RECORDING_PHASE && this.leaf()) || this.OR(this.unsignedUnaryChoices ??= [
      { ALT: () => this.prefixExpr(this.prefixOperator(this.CONSUME(Sqrt)), '√', this.SUBRULE(this.unary)) },
      { ALT: () => this.SUBRULE(this.power) },
    ]),
  );

  /** Counts a prefix operator's level of nesting before its operand is parsed. */
  private prefixOperator(op: IToken): IToken {
    if (!this.RECORDING_PHASE) {
      this.nesting += NEST_PREFIX;
      this.deeper(op);
    }
    return op;
  }

  /** The node of a prefix operator, once its operand is parsed. */
  private prefixExpr(op: IToken, symbol: PrefixExpr['op'], operand: Expr): Expr {
    if (this.RECORDING_PHASE) return operand;
    this.nesting -= NEST_PREFIX;
    return measured({ kind: 'prefix', span: span(op.startOffset, operand.span.end), op: symbol, operand });
  }

  /**
   * A primary followed by `'`, `ᵀ`, `⁻¹`, `!`, superscript powers, calls and indexing, then
   * `^ exponent` (right-associative: the exponent is a unary, which may carry a sign, `e^-z`).
   */
  private power = this.RULE('power', (): Expr => {
    let base = this.SUBRULE(this.primary);
    // The loop and the option are entered only when they will match: each allocates closures.
    if (this.RECORDING_PHASE || this.postfixContinues(base)) {
      this.MANY({
        GATE: () => this.postfixContinues(base),
        DEF: () => {
          this.postfixBase = base;
          base = this.OR(this.postfixChoices ??= [
            {
              ALT: () => {
                const operand = this.postfixBase;
                const op = this.CONSUME(PostfixOp);
                return this.ACTION((): Expr => measured({ kind: 'postfix', span: span(operand.span.start, endOf(op)), op: postfixOperatorOf.get(op.tokenType)!, operand }));
              },
            },
            {
              ALT: () => {
                const operand = this.postfixBase;
                const sup = this.CONSUME(Superscript);
                return this.ACTION((): Expr => {
                  const value = superscriptValue(sup.image);
                  const exponent: Expr = { kind: 'number', span: tokenSpan(sup), value, raw: String(value) };
                  const named = operand.kind === 'name' && value >= 0 && !sup.image.startsWith('⁺');
                  return measured({
                    kind: 'power', span: span(operand.span.start, endOf(sup)), op: '^', base: operand, exponent, superscript: true,
                    ...(named && operand.kind === 'name' ? { superscriptName: operand.name + sup.image } : {}),
                  });
                });
              },
            },
            {
              ALT: () => {
                const callee = this.postfixBase;
                const open = this.CONSUME(LParen);
                this.enter('paren', open);
                const args: Expr[] = [];
                const named: NamedArgument[] = [];
                this.OPTION(() => {
                  const first = this.SUBRULE(this.argument);
                  this.ACTION(() => (first.named ? named.push(first.named) : args.push(first.positional!)));
                  this.MANY2(() => {
                    this.CONSUME(Comma);
                    const more = this.SUBRULE2(this.argument);
                    this.ACTION(() => (more.named ? named.push(more.named) : args.push(more.positional!)));
                  });
                });
                const close = this.CONSUME(RParen);
                this.leave();
                return this.ACTION(() => measured(callOrReduce(callee, args, named, (open as MathToken).spaceBefore, span(callee.span.start, endOf(close)))));
              },
            },
            {
              ALT: () => {
                const target = this.postfixBase;
                const open = this.CONSUME(LBracket);
                this.enter('index', open);
                this.ACTION(() => this.indexDepth++);
                const indices: Expr[] = [];
                indices.push(this.SUBRULE(this.indexArgument));
                this.MANY3(() => {
                  this.CONSUME2(Comma);
                  indices.push(this.SUBRULE2(this.indexArgument));
                });
                const close = this.CONSUME(RBracket);
                this.leave();
                return this.ACTION((): Expr => {
                  this.indexDepth--;
                  return measured({ kind: 'index', span: span(target.span.start, endOf(close)), target, indices });
                });
              },
            },
          ]);
        },
      });
    }
    if (this.RECORDING_PHASE || tokenMatcher(this.next(), PowOp)) {
      this.OPTION2(() => {
        const op = this.CONSUME(PowOp);
        this.ACTION(() => {
          this.nesting += NEST_EXPONENT;
          this.deeper(op);
        });
        const exponent = this.SUBRULE(this.unary);
        this.ACTION(() => {
          this.nesting -= NEST_EXPONENT;
          base = measured({ kind: 'power', span: join(base, exponent), op: op.tokenType === DotCaret ? '.^' : '^', base, exponent, superscript: false });
        });
      });
    }
    return base;
  });

  /** A call argument: `name = value` (named) or an expression. */
  private argument = this.RULE('argument', (): { named?: NamedArgument; positional?: Expr } =>
    // Without the gated choice (it allocates on every call) when the argument is certainly positional.
    !this.RECORDING_PHASE && this.startsExpression() && !(tokenMatcher(this.next(), Name) && tokenMatcher(this.next(2), Equals))
      ? { positional: this.SUBRULE2(this.expression) }
      : this.OR(this.argumentChoices ??= {
        IGNORE_AMBIGUITIES: true,
        DEF: [
          {
            GATE: () => tokenMatcher(this.next(), Name) && tokenMatcher(this.next(2), Equals),
            ALT: () => {
              const name = this.CONSUME(Name);
              this.CONSUME(Equals);
              const value = this.SUBRULE(this.expression);
              return this.ACTION(() => ({ named: { name: declOf(name), value, span: span(name.startOffset, value.span.end) } }));
            },
          },
          { ALT: () => ({ positional: this.SUBRULE2(this.expression) }) },
        ],
      }),
  );

  /** An index: a bare `:` (the whole dimension) or an expression that may use `end`. */
  private indexArgument = this.RULE('indexArgument', (): Expr =>
    !this.RECORDING_PHASE && this.startsExpression()
      ? this.SUBRULE(this.expression)
      : this.OR(this.indexArgumentChoices ??= {
        IGNORE_AMBIGUITIES: true,
        DEF: [
          {
            GATE: () => tokenMatcher(this.next(), Colon) && (tokenMatcher(this.next(2), Comma) || tokenMatcher(this.next(2), RBracket)),
            ALT: () => {
              const colon = this.CONSUME(Colon);
              return this.ACTION((): Expr => ({ kind: 'colon', span: tokenSpan(colon) }));
            },
          },
          { ALT: () => this.SUBRULE(this.expression) },
        ],
      }),
  );

  private primary = this.RULE('primary', (): Expr =>
    (!this.RECORDING_PHASE && (this.simplePrimary() ?? this.bracketedPrimary())) || this.OR(this.primaryChoices ??= {
      IGNORE_AMBIGUITIES: true,
      DEF: [
        {
          ALT: () => {
            const number = this.CONSUME(NumberLiteral);
            return this.ACTION((): Expr => numberExpr(number));
          },
        },
        {
          ALT: () => {
            const string = this.CONSUME(StringLiteral);
            return this.ACTION((): Expr => ({ kind: 'string', span: tokenSpan(string), value: unescapeString(string.image) }));
          },
        },
        {
          // `Σ(k = 1:n) body` is a sum; any other `Σ` is an ordinary name (a covariance matrix).
          GATE: () => this.sigmaSumAhead(),
          ALT: () => {
            const sigma = this.CONSUME2(Name);
            return this.SUBRULE(this.reduceTail, { ARGS: [sigma, 'Σ'] });
          },
        },
        {
          GATE: () => this.endAhead(),
          ALT: () => {
            const end = this.CONSUME3(Name);
            return this.ACTION((): Expr => ({ kind: 'end', span: tokenSpan(end) }));
          },
        },
        {
          ALT: () => {
            const name = this.CONSUME(Name);
            return this.ACTION((): Expr => nameExpr(name));
          },
        },
        { ALT: () => this.SUBRULE(this.parenthesized) },
        { ALT: () => this.SUBRULE(this.matrix) },
        {
          GATE: () => tokenMatcher(this.next(2), Pipe) && !this.next(2).spaceBefore,
          ALT: () => this.SUBRULE(this.barNorm),
        },
        { ALT: () => this.SUBRULE(this.abs) },
        { ALT: () => this.SUBRULE(this.norm) },
        {
          ALT: () => {
            const nabla = this.CONSUME(Nabla);
            const fn = this.CONSUME4(Name);
            return this.ACTION((): Expr => ({ kind: 'gradient', span: span(nabla.startOffset, endOf(fn)), fn: nameExpr(fn) }));
          },
        },
        {
          ALT: () => {
            const first = this.CONSUME(Partial);
            const fn = this.CONSUME5(Name);
            this.CONSUME(Slash);
            this.CONSUME2(Partial);
            const variable = this.CONSUME6(Name);
            return this.ACTION((): Expr => ({ kind: 'partial', span: span(first.startOffset, endOf(variable)), fn: nameExpr(fn), variable: declOf(variable) }));
          },
        },
        {
          ALT: () => {
            const sum = this.CONSUME(SumSign);
            return this.SUBRULE2(this.reduceTail, { ARGS: [sum, '∑'] });
          },
        },
        {
          ALT: () => {
            const product = this.CONSUME(ProductSign);
            return this.SUBRULE3(this.reduceTail, { ARGS: [product, '∏'] });
          },
        },
      ],
    }),
  );

  /** `(k = a:b) body` after `∑`, `∏` or `Σ`; the body is one multiplicative term. */
  private reduceTail = this.RULE('reduceTail', (sign: IToken, notation: '∑' | '∏' | 'Σ'): Expr => {
    const open = this.CONSUME(LParen);
    this.enter('paren', open);
    const variable = this.CONSUME(Name);
    this.CONSUME(Equals);
    const range = this.SUBRULE(this.expression);
    this.CONSUME(RParen);
    this.leave();
    this.ACTION(() => {
      this.nesting += NEST_EXPRESSION;
      this.deeper(sign);
    });
    const body = this.SUBRULE(this.term);
    return this.ACTION((): Expr => {
      this.nesting -= NEST_EXPRESSION;
      return measured({
        kind: 'reduce', span: span(sign.startOffset, body.span.end), op: notation === '∏' ? 'product' : 'sum', notation,
        variable: declOf(variable), range, body,
      });
    });
  });

  private parenthesized = this.RULE('parenthesized', (): Expr => {
    const open = this.CONSUME(LParen);
    this.enter('paren', open);
    const inner = this.SUBRULE(this.expression);
    const close = this.CONSUME(RParen);
    this.leave();
    return this.ACTION((): Expr => measured({ kind: 'paren', span: span(open.startOffset, endOf(close)), inner }));
  });

  /** `[1, 2; 3, 4]`, `[1 2; 3 4]`, rows also separated by line breaks, `[]`. */
  private matrix = this.RULE('matrix', (): Expr => {
    const open = this.CONSUME(LBracket);
    this.enter('matrix', open);
    const rows: Expr[][] = [[]];
    this.MANY(() => {
      // An element, or undefined for a row separator.
      const element = this.OR(this.matrixChoices ??= [
        { ALT: () => this.CONSUME(Semicolon) && undefined },
        { ALT: () => this.CONSUME(RowBreak) && undefined },
        { ALT: () => this.matrixElement(this.CONSUME(Comma), this.SUBRULE(this.expression)) },
        { ALT: () => this.matrixElement(undefined, this.SUBRULE2(this.expression)) },
      ]);
      if (this.RECORDING_PHASE) return;
      const row = rows[rows.length - 1]!;
      if (!element) rows.push([]);
      else {
        if (this.elementComma && row.length === 0) this.issues.push({ kind: 'syntax.empty-element', span: tokenSpan(this.elementComma), args: {} });
        row.push(element);
      }
    });
    const close = this.CONSUME(RBracket);
    this.leave();
    return this.ACTION((): Expr => measured({ kind: 'matrix', span: span(open.startOffset, endOf(close)), rows: rows.filter((row) => row.length > 0) }));
  });

  /** Notes the comma before a matrix element (parsed first) and returns the element. */
  private matrixElement(comma: IToken | undefined, element: Expr): Expr {
    this.elementComma = comma;
    return element;
  }

  private abs = this.RULE('abs', (): Expr => {
    const open = this.CONSUME(Pipe);
    this.enter('abs', open);
    const operand = this.SUBRULE(this.expression);
    const close = this.CONSUME2(Pipe);
    this.leave();
    return this.ACTION((): Expr => measured({ kind: 'abs', span: span(open.startOffset, endOf(close)), operand }));
  });

  /** `||x||`, the ASCII spelling of `‖x‖`. */
  private barNorm = this.RULE('barNorm', (): Expr => {
    const open = this.CONSUME(Pipe);
    this.CONSUME2(Pipe);
    this.enter('barnorm', open);
    const operand = this.SUBRULE(this.expression);
    this.CONSUME3(Pipe);
    const close = this.CONSUME4(Pipe);
    this.leave();
    const p = this.SUBRULE(this.normSubscript);
    return this.ACTION((): Expr => measured(normExpr(open, close, operand, p)));
  });

  private norm = this.RULE('norm', (): Expr => {
    const open = this.CONSUME(DoubleBar);
    this.enter('norm', open);
    const operand = this.SUBRULE(this.expression);
    const close = this.CONSUME2(DoubleBar);
    this.leave();
    const p = this.SUBRULE(this.normSubscript);
    return this.ACTION((): Expr => measured(normExpr(open, close, operand, p)));
  });

  /** An optional `₁`, `₂`, `∞`, `_F` written right after a norm's closing bars. */
  private normSubscript = this.RULE('normSubscript', (): IToken | undefined => {
    let subscript: IToken | undefined;
    this.OPTION({
      GATE: () => this.normSubscriptAhead(),
      DEF: () => {
        subscript = this.OR([{ ALT: () => this.CONSUME(SubscriptDigit) }, { ALT: () => this.CONSUME(Name) }]);
      },
    });
    return subscript;
  });

  /** One expression and nothing after it (cited results `` `= expr` ``). */
  wholeExpression = this.RULE('wholeExpression', (): Expr => this.SUBRULE(this.expression));
}

function declOf(token: IToken): NameDecl {
  return { name: token.image, span: tokenSpan(token) };
}

function numberExpr(token: IToken): Expr {
  return { kind: 'number', span: tokenSpan(token), value: Number(token.image), raw: token.image };
}

function nameExpr(token: IToken): NameExpr {
  return { kind: 'name', span: tokenSpan(token), name: token.image };
}

function normExpr(open: IToken, close: IToken, operand: Expr, subscript: IToken | undefined): Expr {
  const end = endOf(subscript ?? close);
  const image = subscript?.image.replace(/^_/, '');
  const p = image === '1' || image === '₁' ? 1 : image === '∞' ? 'inf' : image === 'F' ? 'fro' : 2;
  return { kind: 'norm', span: span(open.startOffset, end), operand, p, explicitP: subscript !== undefined };
}

/** `sum(k = 1:n, body)` and `prod(k = 1:n, body)` are the call spellings of `∑` and `∏`. */
function callOrReduce(callee: Expr, args: Expr[], named: NamedArgument[], spaced: boolean, whole: Span): Expr {
  if (callee.kind === 'name' && (callee.name === 'sum' || callee.name === 'prod') && named.length === 1 && args.length === 1 && named[0]!.span.start < args[0]!.span.start) {
    const index = named[0]!;
    const reduce: ReduceExpr = {
      kind: 'reduce', span: whole, op: callee.name === 'sum' ? 'sum' : 'product', notation: 'call',
      variable: index.name, range: index.value, body: args[0]!,
    };
    return reduce;
  }
  return { kind: 'call', span: whole, callee, args, named, spaced };
}

function unescapeString(image: string): string {
  const body = image.slice(1, -1);
  return body.replace(/\\(.)/g, (_, char: string) => (char === 'n' ? '\n' : char === 't' ? '\t' : char));
}
