/**
 * The record of a built-in function: what the evaluator calls and what hovers and completion show.
 * Static shape rules live with the checker (`shapes/signatures.ts`), keyed by the same names. Tables of built-ins live in
 * `eval/builtins/*.ts`; `eval/builtins/index.ts` merges them into one registry.
 */
import type { Span } from '../syntax/ast.js';
import type { Value } from './value.js';

/** Raised by a built-in to report a problem on its call; the evaluator turns it into a Problem. */
export class BuiltinProblem extends Error {
  constructor(
    readonly code: 'shape' | 'arity' | 'type' | 'singular' | 'domain' | 'limit',
    readonly kind: string,
    readonly args: Readonly<Record<string, string | number | boolean | null | readonly (string | number | null)[] | undefined>>,
    /** Warnings (singular, domain) still produce a value; errors do not. */
    readonly severity: 'error' | 'warning' = 'error',
  ) {
    super(kind);
  }
}

/** What a built-in can ask of the evaluator while it runs. */
export interface CallContext {
  /** Calls a function value (user, lambda, builtin, derived) with arguments. */
  callFunction(fn: Value, args: readonly Value[]): Value;
  /** Records a warning on the call (the value is still returned), e.g. a singular matrix. */
  warn(problem: BuiltinProblem): void;
  /** The note's seeded random source: same note, same numbers. */
  random(): number;
  /**
   * Restarts the note's random source from `seed`, so the numbers after `seed(n)` depend only on n.
   * Optional so that contexts without randomness need not implement it; `seed(n)` reports a type
   * problem when it is missing.
   */
  reseed?(seed: number): void;
  /** Throws a limit problem when a result of this many elements would exceed the size limit. */
  checkSize(elements: number): void;
  /** Throws when the evaluation budget of the document is spent (long loops call it now and then). */
  checkTime(): void;
  /** The span of the call, for problems that point inside it. */
  readonly span: Span;
}

export interface BuiltinDoc {
  /** `svd(A) → U, Σ, V` */
  readonly signature: string;
  /** One line: what it computes. */
  readonly summary: string;
  /** Its formula in LaTeX (KaTeX-compatible). */
  readonly formula?: string;
  /** A line of Mathnote that uses it, e.g. `var([1, 2, 3, 4])   # 1.25`. */
  readonly example: string;
  /** Conventions a user must know, e.g. "divides by n (population), like numpy; pass \"sample\" for n−1". */
  readonly conventions?: string;
}

export interface Builtin {
  readonly name: string;
  /** Other spellings of the same function (`trace` for `tr`, `I` for `eye`). */
  readonly aliases?: readonly string[];
  /** Minimum and maximum number of positional arguments (max Infinity for variadic). */
  readonly minArgs: number;
  readonly maxArgs: number;
  /** Named arguments it accepts (`title`, `xlabel`, …). */
  readonly namedArgs?: readonly string[];
  /** Evaluates a call. Positional arguments are already evaluated. */
  readonly call: (args: readonly Value[], named: Readonly<Record<string, Value>>, ctx: CallContext) => Value;
  /** For element-wise functions of one number: the derivative, for automatic differentiation. */
  readonly derivative?: (x: number) => number;
  /** For element-wise functions of one number: the scalar function itself (fast paths, autodiff). */
  readonly scalar?: (x: number) => number;
  readonly doc: BuiltinDoc;
}
