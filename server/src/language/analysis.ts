/**
 * The two results every feature reads: the static analysis of a note (fast, every keystroke) and
 * its evaluation (slower, off the LSP thread, cancellable).
 */
import type { Problem } from './problem.js';
import type { Binding, Resolution } from './resolve/types.js';
import type { BlockAst, Expr, Span, Statement } from './syntax/ast.js';
import type { StaticType } from './shapes/types.js';
import type { Value } from './eval/value.js';

/** Converts between UTF-16 offsets and LSP positions (0-based line, UTF-16 character). */
export interface PositionMapper {
  positionAt(offset: number): { line: number; character: number };
  offsetAt(position: { line: number; character: number }): number;
}

/** A fenced ```mathnote block as found in the Markdown, or the whole text of a `.mathnote` file. */
export interface FencedBlock {
  /** The opening fence line (absent for a `.mathnote` file). */
  readonly openFence?: Span;
  /** The closing fence line (absent when the fence runs to the end of the document). */
  readonly closeFence?: Span;
  /** Offset of the first character of the first content line. */
  readonly contentStart: number;
  /** Offset just past the last content character (before the closing fence's line break). */
  readonly contentEnd: number;
  /** The info string's first word (`mathnote`). */
  readonly language: string;
}

export interface AnalysisOptions {
  /** Info strings that mark a Mathnote block (default `['mathnote']`). */
  readonly fenceNames: readonly string[];
  /** True for a `.mathnote` file: the whole text is one block. */
  readonly wholeFile: boolean;
}

export interface EvaluationOptions {
  /** Significant digits of printed numbers (default 6). */
  readonly precision: number;
  /** Largest number of elements one matrix may hold (default 10⁷). */
  readonly maxElements: number;
  /** Time budget for evaluating one document, in milliseconds (default 2000). */
  readonly timeBudgetMs: number;
  /** Deepest recursion of user functions (default 200). */
  readonly maxRecursionDepth: number;
  /** Asked now and then; evaluation stops early when it returns true (a newer edit arrived). */
  readonly isCancelled?: () => boolean;
}

/** What the static shape checker knows of a note binding without running the note. */
export interface KnownBinding {
  readonly type: StaticType;
  /** The number, when it is known without running (`n = 3`), for sizes such as `zeros(n, 1)`. */
  readonly value?: number;
}

/** What the static shape checker learned: the type of every expression and statement it visited. */
export interface TypeInfo {
  typeOf(node: Expr | Statement): StaticType | undefined;
  /** What a value or function binding of the note is known to be (absent for other bindings). */
  knownOf?(binding: Binding): KnownBinding | undefined;
}

export interface BlockInfo {
  readonly fence: FencedBlock;
  readonly ast: BlockAst;
}

export interface Analysis {
  readonly text: string;
  readonly positions: PositionMapper;
  readonly blocks: readonly BlockInfo[];
  /** Every statement of every block, in document order: the note's one program. */
  readonly statements: readonly Statement[];
  readonly resolution: Resolution;
  readonly types: TypeInfo;
  /** Syntax, undefined-name, shape, type, arity and shadow problems, in document order. */
  readonly problems: readonly Problem[];
}

export interface StatementResult {
  readonly statement: Statement;
  /** The statement's value; absent when it failed (its problem says why) or was not reached. */
  readonly value?: Value;
  /** The names it defines (`['U', 'S', 'V']`), empty for a bare expression. */
  readonly names: readonly string[];
}

export interface Evaluation {
  readonly results: ReadonlyMap<Statement, StatementResult>;
  /** Runtime problems: singular, domain, limit, and shape/type errors only found while running. */
  readonly problems: readonly Problem[];
  /** Whether evaluation stopped early (cancelled or out of time) before the last statement. */
  readonly complete: boolean;
  readonly elapsedMs: number;
  /**
   * Evaluates any sub-expression of a statement in that statement's scope (for hovers on part of
   * a line). Returns undefined when it cannot be evaluated there (inside a function body, say).
   */
  valueOfSubexpression(expr: Expr, statement: Statement): Value | undefined;
}
