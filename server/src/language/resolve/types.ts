/**
 * Bindings: every use of a name in a note resolves to exactly one definition (or to a built-in or
 * constant, or to nothing, which is an `undefined` problem). Bindings are immutable, so this map is
 * exact: go-to-definition, rename and incremental re-evaluation all read it.
 */
import type { Expr, NameDecl, NameExpr, PowerExpr, Statement } from '../syntax/ast.js';

export type BindingKind =
  /** `x = …` or one target of `U, S, V = …`. */
  | 'value'
  /** `f(x) = …`. */
  | 'function'
  /** A parameter of a user function or lambda. */
  | 'parameter'
  /** The index of `∑(k = …)`. */
  | 'index'
  /** A predefined constant: pi, π, e, Inf, ∞, NaN, im. */
  | 'constant'
  /** A built-in function. */
  | 'builtin';

export interface Binding {
  /** Unique within one analysis, in definition order. */
  readonly id: number;
  readonly name: string;
  readonly kind: BindingKind;
  /** Where it is introduced; absent for constants and built-ins. */
  readonly decl?: NameDecl;
  /** The statement that defines it (for value/function bindings and their parameters). */
  readonly statement?: Statement;
  /** For a destructuring target, its position among the targets. */
  readonly tupleIndex?: number;
  /** For parameters and indices: the lambda, function statement or reduce expression owning it. */
  readonly owner?: Statement | Expr;
}

/** A use of a name: a NameExpr, or a PowerExpr read as the name in its `superscriptName` (`σ²`). */
export type NameUse = NameExpr | PowerExpr;

export interface Resolution {
  /** All bindings introduced by the note, in order (constants and built-ins are not listed). */
  readonly bindings: readonly Binding[];
  /** Every resolved use. A PowerExpr appears here only when it is read as a name (`σ²`). */
  readonly uses: ReadonlyMap<NameUse, Binding>;
  /** Uses of each binding, in document order (for references and rename). */
  readonly references: ReadonlyMap<Binding, readonly NameUse[]>;
  /** The bindings a statement introduces (empty for bare expressions). */
  readonly definitions: ReadonlyMap<Statement, readonly Binding[]>;
  /** The bindings a statement's value reads directly, for incremental re-evaluation. */
  readonly dependencies: ReadonlyMap<Statement, readonly Binding[]>;
  /**
   * Bindings whose definition failed statically (a parser hole, an undefined or failed input).
   * The resolver already reported the first later use of each (`resolve.failed-definition`), so
   * the evaluator should not report them again.
   */
  readonly failed?: ReadonlySet<Binding>;
  /**
   * Undefined names used as the symbolic variable of a derivative shown as a formula: in the bare
   * expression `σ'(z)` with no `z` above, `z` is a free symbol, not an error.
   */
  readonly symbolic?: ReadonlySet<NameExpr>;
  /** Binding for a built-in or constant name (shared across the note). */
  builtin(name: string): Binding | undefined;
}
