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
  BinaryOperator, Expr, NameDecl, NameExpr, NamedArgument, PostfixOperator, ReduceExpr, Span,
} from './ast.js';
import {
  AddOp, allTokenTypes, Approx, Arrow, Backslash, Bang, CenterDot, Colon, Comma, CompareOp, DotCaret, DotSlash,
  DotStar, DoubleBar, EqEq, Equals, Greater, GreaterEq, Inverse, LBracket, Less, LessEq, LParen, MulOp, Name,
  Nabla, NotEq, NumberLiteral, Odot, Partial, Pipe, PostfixOp, PowOp, Prime, ProductSign, RBracket, RowBreak,
  RParen, Semicolon, Slash, Sqrt, Star, StringLiteral, SubscriptDigit, SumSign, Superscript, superscriptValue,
  Times, Transpose, Minus, endOf, type MathToken,
} from './lexer.js';
import { childExpressions } from './walk.js';

/**
 * How deeply the parser may recurse, in nested parentheses (or brackets, lambdas, sums). One such
 * level runs through about ten grammar rules, each a few JavaScript frames, and the default stack
 * of Node overflows near 125 levels, so the limit stays well below that. Prefix operators and
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
  return depths.get(expr) ?? 1;
}

/** Records a new node's depth, and stops the statement when the tree grows too deep. */
function measured<T extends Expr>(expr: T): T {
  let deepest = 0;
  for (const child of childExpressions(expr)) deepest = Math.max(deepest, depthOf(child));
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
const juxtapositionStarts: TokenType[] = [NumberLiteral, Name, LParen, LBracket, Pipe, DoubleBar, Sqrt, Nabla, Partial, SumSign, ProductSign];

/** Expressions that can never be called, so `2(a+b)` is a product of `2` and a parenthesis. */
const uncallable = new Set<Expr['kind']>(['number', 'string', 'matrix']);

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
  // garbage collection a large part of parsing. Choices whose alternatives assign to a rule's
  // locals (`postfix`, `multiplicative`, `matrix`) must stay fresh.
  private expressionChoices?: OrMethodOpts<Expr>;
  private unaryChoices?: IOrAlt<Expr>[];
  private unsignedUnaryChoices?: IOrAlt<Expr>[];
  private argumentChoices?: OrMethodOpts<{ named?: NamedArgument; positional?: Expr }>;
  private indexArgumentChoices?: OrMethodOpts<Expr>;
  private primaryChoices?: OrMethodOpts<Expr>;

  constructor() {
    super(allTokenTypes, { maxLookahead: 4, recoveryEnabled: false, errorMessageProvider: errorMessages });
    this.performSelfAnalysis();
  }

  /** Prepares the parser for the tokens of one statement. */
  prepare(tokens: MathToken[]): void {
    this.input = tokens;
    depths.clear();
    this.contexts = ['top'];
    this.openers = [];
    this.indexDepth = 0;
    this.nesting = 0;
    this.issues = [];
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
    if (!juxtapositionStarts.some((type) => tokenMatcher(next, type))) return false;
    const context = this.innermost();
    if (context === 'matrix' && next.spaceBefore) return false;
    if (tokenMatcher(next, Pipe) && (context === 'abs' || context === 'barnorm')) return false;
    if (tokenMatcher(next, DoubleBar) && context === 'norm') return false;
    return true;
  }

  private postfixContinues(base: Expr): boolean {
    const next = this.next();
    if (tokenMatcher(next, PostfixOp) || tokenMatcher(next, Superscript)) return true;
    if (tokenMatcher(next, LParen)) {
      return !uncallable.has(base.kind) && !(next.spaceBefore && this.innermost() === 'matrix');
    }
    if (tokenMatcher(next, LBracket)) return !next.spaceBefore && base.kind !== 'number' && base.kind !== 'string';
    return false;
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
    this.ACTION(() => {
      this.nesting += NEST_EXPRESSION;
      this.deeper(this.next());
    });
    // Most expressions are not lambdas: then the comparison is parsed directly, because an OR
    // with gates makes chevrotain evaluate every gate and allocate on each call. The OR still
    // runs while the grammar is recorded (the grammar is unchanged) and whenever a `(` comes
    // first: there its four-token lookahead rejects `(a, b` without `->` at the `(`, and
    // errors must stay where they were.
    const result = !this.RECORDING_PHASE && !this.mayStartLambda() ? this.SUBRULE(this.comparison) : this.OR(this.expressionChoices ??= {
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
        { ALT: () => this.SUBRULE(this.comparison) },
      ],
    });
    this.ACTION(() => this.nesting -= NEST_EXPRESSION);
    return result;
  });

  private comparison = this.RULE('comparison', (): Expr => {
    let left = this.SUBRULE(this.range);
    this.MANY(() => {
      const op = this.CONSUME(CompareOp);
      const right = this.SUBRULE2(this.range);
      this.ACTION(() => {
        left = measured({ kind: 'binary', span: join(left, right), op: binaryOperatorOf.get(op.tokenType)!, left, right });
      });
    });
    return left;
  });

  private range = this.RULE('range', (): Expr => {
    const start = this.SUBRULE(this.additive);
    let second: Expr | undefined;
    let third: Expr | undefined;
    this.OPTION(() => {
      this.CONSUME(Colon);
      second = this.SUBRULE2(this.additive);
      this.OPTION2(() => {
        this.CONSUME2(Colon);
        third = this.SUBRULE3(this.additive);
      });
    });
    return this.ACTION((): Expr => {
      if (!second) return start;
      if (!third) return measured({ kind: 'range', span: join(start, second), start, end: second });
      return measured({ kind: 'range', span: join(start, third), start, step: second, end: third });
    });
  });

  private additive = this.RULE('additive', (): Expr => {
    let left = this.SUBRULE(this.multiplicative);
    this.MANY({
      GATE: () => this.additiveContinues(),
      DEF: () => {
        const op = this.CONSUME(AddOp);
        const right = this.SUBRULE2(this.multiplicative);
        this.ACTION(() => {
          left = measured({ kind: 'binary', span: join(left, right), op: op.tokenType === Minus ? '-' : '+', left, right });
        });
      },
    });
    return left;
  });

  /** `*`, `/`, … and juxtaposition, all left-associative at one level. */
  private multiplicative = this.RULE('multiplicative', (): Expr => {
    let left = this.SUBRULE(this.unary);
    this.MANY({
      GATE: () => this.multiplicativeContinues(),
      DEF: () => {
        this.OR([
          {
            ALT: () => {
              const op = this.CONSUME(MulOp);
              const right = this.SUBRULE2(this.unary);
              this.ACTION(() => {
                left = measured({ kind: 'binary', span: join(left, right), op: binaryOperatorOf.get(op.tokenType)!, left, right });
              });
            },
          },
          {
            ALT: () => {
              const right = this.SUBRULE(this.unsignedUnary);
              this.ACTION(() => {
                left = measured({ kind: 'binary', span: join(left, right), op: 'implicit', left, right });
              });
            },
          },
        ]);
      },
    });
    return left;
  });

  /** Prefix `-` and `+`, then an unsigned factor. */
  private unary = this.RULE('unary', (): Expr =>
    this.OR(this.unaryChoices ??= [
      {
        ALT: () => {
          const op = this.CONSUME(AddOp);
          this.ACTION(() => {
            this.nesting += NEST_PREFIX;
            this.deeper(op);
          });
          const operand = this.SUBRULE(this.unary);
          return this.ACTION((): Expr => {
            this.nesting -= NEST_PREFIX;
            return measured({ kind: 'prefix', span: span(op.startOffset, operand.span.end), op: op.tokenType === Minus ? '-' : '+', operand });
          });
        },
      },
      { ALT: () => this.SUBRULE(this.unsignedUnary) },
    ]),
  );

  /** `√x` or a power: what may follow another factor without an operator. */
  private unsignedUnary = this.RULE('unsignedUnary', (): Expr =>
    this.OR(this.unsignedUnaryChoices ??= [
      {
        ALT: () => {
          const op = this.CONSUME(Sqrt);
          this.ACTION(() => {
            this.nesting += NEST_PREFIX;
            this.deeper(op);
          });
          const operand = this.SUBRULE(this.unary);
          return this.ACTION((): Expr => {
            this.nesting -= NEST_PREFIX;
            return measured({ kind: 'prefix', span: span(op.startOffset, operand.span.end), op: '√', operand });
          });
        },
      },
      { ALT: () => this.SUBRULE(this.power) },
    ]),
  );

  /** `a ^ b`, right-associative; the exponent may carry a sign (`e^-z`). */
  private power = this.RULE('power', (): Expr => {
    let base = this.SUBRULE(this.postfix);
    this.OPTION(() => {
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
    return base;
  });

  /** A primary followed by `'`, `ᵀ`, `⁻¹`, `!`, superscript powers, calls and indexing. */
  private postfix = this.RULE('postfix', (): Expr => {
    let base = this.SUBRULE(this.primary);
    this.MANY({
      GATE: () => this.postfixContinues(base),
      DEF: () => {
        this.OR([
          {
            ALT: () => {
              const op = this.CONSUME(PostfixOp);
              this.ACTION(() => {
                base = measured({ kind: 'postfix', span: span(base.span.start, endOf(op)), op: postfixOperatorOf.get(op.tokenType)!, operand: base });
              });
            },
          },
          {
            ALT: () => {
              const sup = this.CONSUME(Superscript);
              this.ACTION(() => {
                const value = superscriptValue(sup.image);
                const exponent: Expr = { kind: 'number', span: tokenSpan(sup), value, raw: String(value) };
                const named = base.kind === 'name' && value >= 0 && !sup.image.startsWith('⁺');
                base = measured({
                  kind: 'power', span: span(base.span.start, endOf(sup)), op: '^', base, exponent, superscript: true,
                  ...(named && base.kind === 'name' ? { superscriptName: base.name + sup.image } : {}),
                });
              });
            },
          },
          {
            ALT: () => {
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
              this.ACTION(() => {
                base = measured(callOrReduce(base, args, named, (open as MathToken).spaceBefore, span(base.span.start, endOf(close))));
              });
            },
          },
          {
            ALT: () => {
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
              this.ACTION(() => {
                this.indexDepth--;
                base = measured({ kind: 'index', span: span(base.span.start, endOf(close)), target: base, indices });
              });
            },
          },
        ]);
      },
    });
    return base;
  });

  /** A call argument: `name = value` (named) or an expression. */
  private argument = this.RULE('argument', (): { named?: NamedArgument; positional?: Expr } =>
    this.OR(this.argumentChoices ??= {
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
    this.OR(this.indexArgumentChoices ??= {
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
    this.OR(this.primaryChoices ??= {
      IGNORE_AMBIGUITIES: true,
      DEF: [
        {
          ALT: () => {
            const number = this.CONSUME(NumberLiteral);
            return this.ACTION((): Expr => ({ kind: 'number', span: tokenSpan(number), value: Number(number.image), raw: number.image }));
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
          GATE: () =>
            this.next().image === 'Σ' && tokenMatcher(this.next(2), LParen) && tokenMatcher(this.next(3), Name) && tokenMatcher(this.next(4), Equals),
          ALT: () => {
            const sigma = this.CONSUME2(Name);
            return this.SUBRULE(this.reduceTail, { ARGS: [sigma, 'Σ'] });
          },
        },
        {
          GATE: () => this.indexDepth > 0 && this.next().image === 'end',
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
    const body = this.SUBRULE(this.multiplicative);
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
      this.OR([
        { ALT: () => { this.CONSUME(Semicolon); this.ACTION(() => rows.push([])); } },
        { ALT: () => { this.CONSUME(RowBreak); this.ACTION(() => rows.push([])); } },
        {
          ALT: () => {
            const comma = this.CONSUME(Comma);
            const element = this.SUBRULE(this.expression);
            this.ACTION(() => {
              const row = rows[rows.length - 1]!;
              if (row.length === 0) this.issues.push({ kind: 'syntax.empty-element', span: tokenSpan(comma), args: {} });
              row.push(element);
            });
          },
        },
        {
          ALT: () => {
            const element = this.SUBRULE2(this.expression);
            this.ACTION(() => rows[rows.length - 1]!.push(element));
          },
        },
      ]);
    });
    const close = this.CONSUME(RBracket);
    this.leave();
    return this.ACTION((): Expr => measured({ kind: 'matrix', span: span(open.startOffset, endOf(close)), rows: rows.filter((row) => row.length > 0) }));
  });

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
