/**
 * Problems are what every pass reports about a note: data with a span, never sentences.
 *
 * A pass records *what* went wrong (`kind`) and the facts needed to explain it (`args`: operand
 * texts, shapes, names, numbers). Turning a problem into words is one separate step
 * (`features/messages.ts`, `describeProblem`), and turning it into an LSP diagnostic another
 * (`features/diagnostics.ts`). That keeps messages consistent and testable in one place.
 */
import type { Span } from './syntax/ast.js';

/** The codes of LANGUAGE.md §10; they appear as the LSP diagnostic code and in `mathnote check`. */
export type ProblemCode =
  | 'syntax'
  | 'undefined'
  | 'shape'
  | 'arity'
  | 'type'
  | 'singular'
  | 'domain'
  | 'limit'
  | 'shadow';

export type Severity = 'error' | 'warning' | 'information' | 'hint';

/** Facts a message may cite. Shapes are given as `[rows, cols]` with null for an unknown size. */
export type ProblemArg = string | number | boolean | null | readonly (string | number | null)[];

/** A secondary location that helps explain a problem (where an operand was defined, say). */
export interface RelatedSpan {
  readonly span: Span;
  /** A kind of note for the message layer, e.g. 'definition-of' with the name in `name`. */
  readonly kind: string;
  readonly name?: string;
}

export interface Problem {
  readonly code: ProblemCode;
  readonly severity: Severity;
  /**
   * Which message template explains it, namespaced by pass: `syntax.unclosed`,
   * `shape.matmul-inner`, `eval.singular`, … (see features/messages.ts).
   */
  readonly kind: string;
  readonly span: Span;
  readonly args: Readonly<Record<string, ProblemArg | undefined>>;
  readonly related?: readonly RelatedSpan[];
}

/** What parser, resolver and checker return: broken input is normal, so there is always a value. */
export interface WithProblems<T> {
  readonly value: T;
  readonly problems: readonly Problem[];
}
