/**
 * The Mathnote abstract syntax tree.
 *
 * Every node carries a span in *document* coordinates: UTF-16 code-unit offsets into the whole
 * Markdown (or `.mathnote`) text, end exclusive. Line/column positions are derived from offsets by
 * a line index only at the edges (LSP, CLI), so every pass works with plain numbers.
 *
 * The tree is syntax only: whether `a(b)` is a call or a product, whether `f'` is a derivative or a
 * transpose, and whether `σ²` names a binding or squares `σ` are decided by later passes, which is
 * why such nodes keep enough information for either reading.
 */

/** A half-open range of UTF-16 offsets into the document text. */
export interface Span {
  readonly start: number;
  readonly end: number;
}

/** A name as written where it is introduced: a definition's target, a parameter, a sum's index. */
export interface NameDecl {
  readonly name: string;
  readonly span: Span;
}

export type BinaryOperator =
  // comparison level
  | '==' | '!=' | '<' | '<=' | '>' | '>=' | '≈'
  // additive level
  | '+' | '-'
  // multiplicative level; 'implicit' is juxtaposition (`2x`, `XᵀX`, `P_ham (1 - P_spam)`)
  | '*' | 'implicit' | '·' | '/' | '\\' | '.*' | '⊙' | './' | '×'
  // power level ('^' also covers superscript exponents, see PowerExpr)
  | '^' | '.^';

export type PrefixOperator = '-' | '+' | '√';

/** Postfix operators; `'` is kept apart from `ᵀ` because on a function it means the derivative. */
export type PostfixOperator = "'" | 'ᵀ' | '⁻¹' | '!';

export type Expr =
  | NumberExpr
  | StringExpr
  | NameExpr
  | MatrixExpr
  | ParenExpr
  | PrefixExpr
  | BinaryExpr
  | PowerExpr
  | PostfixExpr
  | CallExpr
  | IndexExpr
  | RangeExpr
  | ColonExpr
  | EndExpr
  | LambdaExpr
  | AbsExpr
  | NormExpr
  | GradientExpr
  | PartialExpr
  | ReduceExpr
  | ErrorExpr;

export interface NumberExpr {
  readonly kind: 'number';
  readonly span: Span;
  readonly value: number;
  /** The literal as written (`1e-3`, `0.5`), for printing. */
  readonly raw: string;
}

export interface StringExpr {
  readonly kind: 'string';
  readonly span: Span;
  readonly value: string;
}

/** A use of a name (`x`, `θ₀`, `β̂`, `π`, `∞` is a NameExpr with name `∞`). */
export interface NameExpr {
  readonly kind: 'name';
  readonly span: Span;
  readonly name: string;
}

/** `[a, b; c, d]`; every element may itself be a matrix (block concatenation). */
export interface MatrixExpr {
  readonly kind: 'matrix';
  readonly span: Span;
  readonly rows: readonly (readonly Expr[])[];
}

/** Parentheses are kept so that printing (LaTeX, source) reproduces the user's grouping. */
export interface ParenExpr {
  readonly kind: 'paren';
  readonly span: Span;
  readonly inner: Expr;
}

export interface PrefixExpr {
  readonly kind: 'prefix';
  readonly span: Span;
  readonly op: PrefixOperator;
  readonly operand: Expr;
}

export interface BinaryExpr {
  readonly kind: 'binary';
  readonly span: Span;
  readonly op: BinaryOperator;
  readonly left: Expr;
  readonly right: Expr;
}

/**
 * `a ^ b`, `a .^ b`, and superscripts `x²`, `x⁻²`. When the base is a plain name and the exponent
 * was written as superscript digits (`σ²`, `R²`), `superscriptName` holds the combined name: the
 * resolver reads the node as that name when a binding of it is in scope, and as a power otherwise.
 */
export interface PowerExpr {
  readonly kind: 'power';
  readonly span: Span;
  readonly op: '^' | '.^';
  readonly base: Expr;
  readonly exponent: Expr;
  readonly superscript: boolean;
  readonly superscriptName?: string;
}

export interface PostfixExpr {
  readonly kind: 'postfix';
  readonly span: Span;
  readonly op: PostfixOperator;
  readonly operand: Expr;
}

/** A named argument `title = "…"` in a call. */
export interface NamedArgument {
  readonly name: NameDecl;
  readonly value: Expr;
  readonly span: Span;
}

/** `f(x, y)` or `a (b)`: a call when the callee is a function, a product when it is a value. */
export interface CallExpr {
  readonly kind: 'call';
  readonly span: Span;
  readonly callee: Expr;
  readonly args: readonly Expr[];
  readonly named: readonly NamedArgument[];
  /** True when whitespace separated the callee from `(` (`P_ham (1 - P_spam)`). */
  readonly spaced: boolean;
}

/** `A[i, j]`, `x[end]`, `A[:, 1]`, `A[1:2, :]` (1-based). */
export interface IndexExpr {
  readonly kind: 'index';
  readonly span: Span;
  readonly target: Expr;
  readonly indices: readonly Expr[];
}

/** `a:b` or `a:step:b`. */
export interface RangeExpr {
  readonly kind: 'range';
  readonly span: Span;
  readonly start: Expr;
  readonly step?: Expr;
  readonly end: Expr;
}

/** A bare `:` inside an index: the whole dimension. */
export interface ColonExpr {
  readonly kind: 'colon';
  readonly span: Span;
}

/** `end` inside an index: the last position of that dimension. */
export interface EndExpr {
  readonly kind: 'end';
  readonly span: Span;
}

/** `x -> x^2`, `(x, y) -> x + y`. */
export interface LambdaExpr {
  readonly kind: 'lambda';
  readonly span: Span;
  readonly params: readonly NameDecl[];
  readonly body: Expr;
}

/** `|x|`. */
export interface AbsExpr {
  readonly kind: 'abs';
  readonly span: Span;
  readonly operand: Expr;
}

/** `‖x‖`, `||x||`, `‖x‖₁`, `‖x‖∞`, `‖x‖₂` (p defaults to 2). */
export interface NormExpr {
  readonly kind: 'norm';
  readonly span: Span;
  readonly operand: Expr;
  readonly p: 1 | 2 | 'inf' | 'fro';
  /** Whether the subscript was written (`‖w‖₂`), for faithful printing. */
  readonly explicitP: boolean;
}

/** `∇f`: the gradient of the function named `fn`; `∇J(θ)` is a CallExpr whose callee is this. */
export interface GradientExpr {
  readonly kind: 'gradient';
  readonly span: Span;
  readonly fn: NameExpr;
}

/** `∂f/∂x₁`: the partial derivative of the function `fn` by its parameter `variable`. */
export interface PartialExpr {
  readonly kind: 'partial';
  readonly span: Span;
  readonly fn: NameExpr;
  readonly variable: NameDecl;
}

/**
 * `∑(k = a:b) body`, `∏(k = a:b) body`, `Σ(k = a:b) body`, and the call form `sum(k = a:b, body)`.
 * The body is one multiplicative term.
 */
export interface ReduceExpr {
  readonly kind: 'reduce';
  readonly span: Span;
  readonly op: 'sum' | 'product';
  /** How it was written, for printing: '∑', '∏', 'Σ', or 'call' for `sum(k = …, body)`. */
  readonly notation: '∑' | '∏' | 'Σ' | 'call';
  readonly variable: NameDecl;
  readonly range: Expr;
  readonly body: Expr;
}

/** A hole where the parser could not build an expression; a syntax problem covers it. */
export interface ErrorExpr {
  readonly kind: 'error';
  readonly span: Span;
}

export type Statement =
  | DefinitionStatement
  | FunctionStatement
  | DestructureStatement
  | ExpressionStatement
  | ErrorStatement;

/** `x = …`, `σ² = …` (name `σ²`). */
export interface DefinitionStatement {
  readonly kind: 'definition';
  readonly span: Span;
  readonly target: NameDecl;
  readonly value: Expr;
}

/** `f(x, y) = …`. */
export interface FunctionStatement {
  readonly kind: 'function';
  readonly span: Span;
  readonly target: NameDecl;
  readonly params: readonly NameDecl[];
  readonly body: Expr;
}

/** `U, S, V = svd(A)`. */
export interface DestructureStatement {
  readonly kind: 'destructure';
  readonly span: Span;
  readonly targets: readonly NameDecl[];
  readonly value: Expr;
}

/** A bare expression whose value is shown. */
export interface ExpressionStatement {
  readonly kind: 'expression';
  readonly span: Span;
  readonly value: Expr;
}

/** A statement that did not parse; its syntax problem says why. Later statements are unaffected. */
export interface ErrorStatement {
  readonly kind: 'error';
  readonly span: Span;
}

/** One fenced block (or a whole `.mathnote` file) after parsing. */
export interface BlockAst {
  /** Offset of the block's first content character in the document. */
  readonly contentStart: number;
  /** Offset just past the block's last content character. */
  readonly contentEnd: number;
  readonly statements: readonly Statement[];
}
