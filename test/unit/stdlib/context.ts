/**
 * A real CallContext for calling the standard library directly in tests: a deterministic random
 * source (mulberry32) that `seed(n)` can restart, warnings collected in a list, and function values
 * called through the built-in registry (built-ins) or their own `call` (derived functions, which
 * tests use for lambdas written in TypeScript).
 */
import { BuiltinProblem, type Builtin, type CallContext } from '../../../server/src/language/eval/builtin.js';
import type { DerivedFunctionValue, MatrixValue, NumberValue, Value } from '../../../server/src/language/eval/value.js';
import { calculusBuiltins } from '../../../server/src/language/eval/builtins/calculus.js';
import { elementaryBuiltins } from '../../../server/src/language/eval/builtins/elementary.js';
import { mlBuiltins } from '../../../server/src/language/eval/builtins/ml.js';
import { plotBuiltins } from '../../../server/src/language/eval/builtins/plots.js';
import { probabilityBuiltins } from '../../../server/src/language/eval/builtins/probability.js';
import { randomBuiltins } from '../../../server/src/language/eval/builtins/random.js';
import { sequenceBuiltins } from '../../../server/src/language/eval/builtins/sequences.js';
import { statsBuiltins } from '../../../server/src/language/eval/builtins/stats.js';

/** Every table this area owns, in the order the docs list them. */
export const stdlibTables: Readonly<Record<string, readonly Builtin[]>> = {
  elementary: elementaryBuiltins,
  statistics: statsBuiltins,
  probability: probabilityBuiltins,
  random: randomBuiltins,
  'machine learning': mlBuiltins,
  sequences: sequenceBuiltins,
  calculus: calculusBuiltins,
  plots: plotBuiltins,
};

const byName = new Map<string, Builtin>();
for (const table of Object.values(stdlibTables)) {
  for (const builtin of table) for (const name of [builtin.name, ...(builtin.aliases ?? [])]) byName.set(name, builtin);
}

/** The built-in named `name` (throws when there is none, so a typo fails the test). */
export function builtin(name: string): Builtin {
  const found = byName.get(name);
  if (!found) throw new Error(`no built-in named ${name}`);
  return found;
}

/** mulberry32: a small, well-mixed 32-bit generator; good enough for deterministic tests. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface TestContext extends CallContext {
  readonly warnings: BuiltinProblem[];
}

/** A fresh context whose random source starts from `seed`. */
export function makeContext(seed = 1): TestContext {
  let next = mulberry32(seed);
  const warnings: BuiltinProblem[] = [];
  const ctx: TestContext = {
    warnings,
    span: { start: 0, end: 0 },
    random: () => next(),
    reseed(n: number) {
      next = mulberry32(n);
    },
    warn(problem) {
      warnings.push(problem);
    },
    checkSize(elements) {
      if (elements > 1e7) throw new BuiltinProblem('limit', 'limit.size', { elements });
    },
    checkTime() {},
    callFunction(fn, args) {
      if (fn.kind !== 'function') throw new Error('not a function');
      if (fn.type === 'derived') return fn.call(args);
      if (fn.type === 'builtin') return builtin(fn.name).call(args, {}, ctx);
      throw new Error('user functions need the evaluator');
    },
  };
  return ctx;
}

/** Calls the built-in `name` with positional and named arguments in a context. */
export function call(name: string, args: readonly Value[], ctx: CallContext = makeContext(), named: Record<string, Value> = {}): Value {
  return builtin(name).call(args, named, ctx);
}

export function num(value: number): NumberValue {
  return { kind: 'number', value };
}

export function str(value: string): Value {
  return { kind: 'string', value };
}

/** A matrix value from rows of numbers. */
export function mat(rows: readonly (readonly number[])[]): MatrixValue {
  const r = rows.length;
  const c = r === 0 ? 0 : rows[0]!.length;
  return { kind: 'matrix', rows: r, cols: c, data: Float64Array.from(rows.flat()) };
}

/** A row vector 1×n. */
export function row(values: readonly number[]): MatrixValue {
  return { kind: 'matrix', rows: 1, cols: values.length, data: Float64Array.from(values) };
}

/** A column vector n×1. */
export function col(values: readonly number[]): MatrixValue {
  return { kind: 'matrix', rows: values.length, cols: 1, data: Float64Array.from(values) };
}

/** A function value computed by TypeScript (a DerivedFunctionValue, the interface's own kind). */
export function fn(name: string, arity: number, f: (...xs: number[]) => number): DerivedFunctionValue {
  return {
    kind: 'function',
    type: 'derived',
    name,
    arity,
    method: 'numeric',
    call: (args) => num(f(...args.map(scalarOf))),
  };
}

/** The number in a scalar value (number or 1×1 matrix); throws otherwise. */
export function scalarOf(value: Value): number {
  if (value.kind === 'number') return value.value;
  if (value.kind === 'matrix' && value.rows === 1 && value.cols === 1) return value.data[0]!;
  throw new Error(`expected a scalar, got ${value.kind}`);
}

/** Rows of a matrix value (a number is [[x]]). */
export function rowsOf(value: Value): number[][] {
  if (value.kind === 'number') return [[value.value]];
  if (value.kind !== 'matrix') throw new Error(`expected a matrix, got ${value.kind}`);
  const out: number[][] = [];
  for (let i = 0; i < value.rows; i++) out.push(Array.from(value.data.subarray(i * value.cols, (i + 1) * value.cols)));
  return out;
}
