/**
 * Sequences and higher-order functions (LANGUAGE.md §7–8): `linspace range map filter sort argmin
 * argmax last iterate length numel`. Indices are 1-based, like the language's indexing. Functions
 * passed as arguments are called through `CallContext.callFunction`, so user functions, lambdas,
 * built-ins and derivatives all work; `map` passes only the element (never an index, unlike mathjs).
 */
import type { Builtin, CallContext } from '../builtin.js';
import type { FunctionValue, MatrixValue, Value } from '../value.js';
import { elementaryBuiltins } from './elementary.js';
import { mlBuiltins } from './ml.js';
import {
  argumentError,
  asScalar,
  describeValue,
  isVector,
  mapColumns,
  matrixValue,
  numberValue,
  reductionGroups,
  toFunction,
  toInteger,
  toMatrix,
  toNumber,
  toText,
  valueError,
} from './stdlibValues.js';

/**
 * Names of the element-wise built-ins of one number (those with a `scalar` field): `map(x, exp)` is
 * `exp(x)`, applied to the whole matrix in one call. Read from the tables directly rather than from
 * the registry, which imports this module.
 */
const elementwiseNames: ReadonlySet<string> = new Set(
  [...elementaryBuiltins, ...mlBuiltins].filter((b) => b.scalar).flatMap((b) => [b.name, ...(b.aliases ?? [])]),
);

/** Calls `fn` on one number and reads back a number (a boolean counts as 0 or 1). */
function callScalar(ctx: CallContext, fn: FunctionValue, x: number, caller: string): number {
  const result = ctx.callFunction(fn, [numberValue(x)]);
  const y = asScalar(result);
  if (y === undefined) throw argumentError(caller, 2, 'a function that returns one number', `a function returning ${describeValue(result)}`);
  return y;
}

/** A row or a column like `like`, holding `values`. */
function vectorLike(like: MatrixValue, values: ArrayLike<number>): MatrixValue {
  const data = Float64Array.from(values);
  return like.cols === 1 && like.rows !== 1 ? matrixValue(data.length, 1, data) : matrixValue(1, data.length, data);
}

/** The 1-based position of the first extreme value; a NaN wins at its position (numpy). */
function extremeIndex(values: Float64Array, pickMax: boolean): number {
  if (values.length === 0) return NaN;
  let best = 0;
  for (let i = 0; i < values.length; i++) {
    const x = values[i]!;
    if (x !== x) return i + 1;
    if (pickMax ? x > values[best]! : x < values[best]!) best = i;
  }
  return best + 1;
}

function argExtreme(name: 'argmin' | 'argmax'): Builtin {
  const pickMax = name === 'argmax';
  return {
    name,
    minArgs: 1,
    maxArgs: 1,
    doc: {
      signature: `${name}(x)`,
      summary: `1-based position of the ${pickMax ? 'largest' : 'smallest'} entry of a vector, or of each column of a matrix.`,
      formula: pickMax ? '\\arg\\max_i x_i' : '\\arg\\min_i x_i',
      example: pickMax ? 'argmax([3, 9, 2])   # 2' : 'argmin([3, 9, 2])   # 3',
      conventions: 'Positions start at 1, like indexing; the first of equal values wins. A matrix gives a 1×d row of row positions, column by column.',
    },
    call(args) {
      const m = toMatrix(args[0]!, name, 1);
      const { groups, isVector: vector } = reductionGroups(m);
      if (vector) return numberValue(extremeIndex(groups[0]!, pickMax));
      return matrixValue(1, groups.length, Float64Array.from(groups, (g) => extremeIndex(g, pickMax)));
    },
  };
}

export const sequenceBuiltins: Builtin[] = [
  {
    name: 'linspace',
    minArgs: 2,
    maxArgs: 3,
    doc: {
      signature: 'linspace(a, b, n = 100)',
      summary: 'n evenly spaced numbers from a to b, both included, as a 1×n row.',
      formula: 'x_i = a + (i - 1)\\frac{b - a}{n - 1},\\ i = 1, \\dots, n',
      example: 'linspace(0, 1, 5)   # [0, 0.25, 0.5, 0.75, 1]',
      conventions: 'Both ends are included and the last entry is exactly b (numpy, MATLAB). n defaults to 100.',
    },
    call(args, _named, ctx) {
      const a = toNumber(args[0]!, 'linspace', 1);
      const b = toNumber(args[1]!, 'linspace', 2);
      const n = args.length > 2 ? toInteger(args[2]!, 'linspace', 3, 0, 'a number of points') : 100;
      ctx.checkSize(n);
      const out = new Float64Array(n);
      const step = (b - a) / (n - 1);
      for (let i = 0; i < n; i++) out[i] = a + i * step;
      if (n > 1) out[n - 1] = b;
      else if (n === 1) out[0] = b;
      return matrixValue(1, n, out);
    },
  },
  {
    name: 'range',
    minArgs: 2,
    maxArgs: 3,
    doc: {
      signature: 'range(a, b), range(a, b, step)',
      summary: 'The row a, a + step, …, up to b INCLUSIVE, like the range operator a:step:b.',
      formula: '[a,\\ a + s,\\ a + 2s,\\ \\dots] \\le b',
      example: 'range(1, 9, 2)   # [1, 3, 5, 7, 9]',
      conventions: 'MATLAB rules: b is included when it is reached (numpy’s arange excludes it); step defaults to 1; an empty 1×0 row when the step points away from b or is 0.',
    },
    call(args, _named, ctx) {
      const a = toNumber(args[0]!, 'range', 1);
      const b = toNumber(args[1]!, 'range', 2);
      const step = args.length > 2 ? toNumber(args[2]!, 'range', 3) : 1;
      if (!Number.isFinite(a) || !Number.isFinite(b) || !Number.isFinite(step)) {
        throw valueError('range', Number.isFinite(a) ? (Number.isFinite(b) ? 3 : 2) : 1, 'a finite number', `${a}, ${b}, ${step}`);
      }
      const span = (b - a) / step;
      // A relative tolerance lets 0:0.1:1 reach 1 despite rounding, as MATLAB's colon does.
      const count = step === 0 || span < 0 ? 0 : Math.floor(span * (1 + 1e-12) + 1e-10) + 1;
      ctx.checkSize(count);
      const out = new Float64Array(count);
      for (let i = 0; i < count; i++) out[i] = a + i * step;
      return matrixValue(1, count, out);
    },
  },
  {
    name: 'map',
    minArgs: 2,
    maxArgs: 2,
    doc: {
      signature: 'map(x, f)',
      summary: 'Applies a function of one number to every entry of x; the result has the shape of x.',
      formula: '(f(x_{ij}))_{ij}',
      example: 'map([1, 2, 3], t -> t^2 + 1)   # [2, 5, 10]',
      conventions: 'f receives only the entry (never an index, unlike mathjs’s map) and must return one number.',
    },
    call(args, _named, ctx) {
      const fn = toFunction(args[1]!, 'map', 2);
      const scalarInput = args[0]!.kind === 'number' || args[0]!.kind === 'bool';
      const m = toMatrix(args[0]!, 'map', 1);
      // An element-wise built-in applies to the whole matrix at once (one call, one domain warning).
      if (fn.type === 'builtin' && elementwiseNames.has(fn.name) && !scalarInput) {
        return ctx.callFunction(fn, [m]);
      }
      const out = new Float64Array(m.data.length);
      for (let i = 0; i < out.length; i++) {
        out[i] = callScalar(ctx, fn, m.data[i]!, 'map');
        if ((i & 1023) === 1023) ctx.checkTime();
      }
      return scalarInput ? numberValue(out[0]!) : matrixValue(m.rows, m.cols, out);
    },
  },
  {
    name: 'filter',
    minArgs: 2,
    maxArgs: 2,
    doc: {
      signature: 'filter(x, p)',
      summary: 'The entries of the vector x for which the predicate p is true, in order.',
      example: 'filter(1:10, k -> mod(k, 3) == 0)   # [3, 6, 9]',
      conventions: 'A column gives a column, a row a row; p may return a boolean or a number (nonzero is true).',
    },
    call(args, _named, ctx) {
      const v = toMatrix(args[0]!, 'filter', 1, 'a vector');
      if (!isVector(v)) throw argumentError('filter', 1, 'a vector', v);
      const pred = toFunction(args[1]!, 'filter', 2);
      const kept: number[] = [];
      for (let i = 0; i < v.data.length; i++) {
        const x = v.data[i]!;
        if (callScalar(ctx, pred, x, 'filter') !== 0) kept.push(x);
        if ((i & 1023) === 1023) ctx.checkTime();
      }
      return vectorLike(v, kept);
    },
  },
  {
    name: 'sort',
    minArgs: 1,
    maxArgs: 2,
    doc: {
      signature: 'sort(x), sort(x, "descend")',
      summary: 'Sorts a vector, or each column of a matrix, ascending (or descending).',
      example: 'sort([3, 1, 2])   # [1, 2, 3]',
      conventions: 'A vector keeps its orientation; a matrix is sorted column by column (MATLAB, numpy axis=0). NaN goes last.',
    },
    call(args) {
      let descending = false;
      if (args.length > 1) {
        const order = toText(args[1]!, 'sort', 2, '"ascend" or "descend"');
        if (order !== 'ascend' && order !== 'descend') throw valueError('sort', 2, '"ascend" or "descend"', `"${order}"`);
        descending = order === 'descend';
      }
      const m = toMatrix(args[0]!, 'sort', 1);
      const sorted = mapColumns(m, (values) => {
        // A typed array's default sort is numeric with NaN last (numpy's order), and fast.
        const copy = Float64Array.from(values).sort();
        if (descending) {
          // Reverse the numbers but keep NaN last.
          const numbers = copy.filter((x) => x === x).reverse();
          const out = new Float64Array(copy.length).fill(NaN);
          out.set(numbers);
          return out;
        }
        return copy;
      });
      return args[0]!.kind === 'number' ? numberValue(sorted.data[0]!) : sorted;
    },
  },
  argExtreme('argmin'),
  argExtreme('argmax'),
  {
    name: 'last',
    minArgs: 1,
    maxArgs: 1,
    doc: {
      signature: 'last(M)',
      summary: 'The last column of a matrix (the final iterate of iterate), or the last entry of a vector.',
      example: 'last(iterate(x -> x / 2, 8, 3))   # 1',
      conventions: 'A matrix with more than one row gives its last column (rows×1); a row or column vector gives its last entry.',
    },
    call(args) {
      const m = toMatrix(args[0]!, 'last', 1);
      if (m.data.length === 0) throw argumentError('last', 1, 'a non-empty matrix', m);
      if (isVector(m)) return numberValue(m.data[m.data.length - 1]!);
      const out = new Float64Array(m.rows);
      for (let i = 0; i < m.rows; i++) out[i] = m.data[i * m.cols + m.cols - 1]!;
      return matrixValue(m.rows, 1, out);
    },
  },
  {
    name: 'iterate',
    minArgs: 3,
    maxArgs: 3,
    doc: {
      signature: 'iterate(step, x₀, n)',
      summary: 'Applies step n times from x₀ and returns x₀, x₁, …, xₙ as the n + 1 columns of a matrix.',
      formula: 'x_{k+1} = \\operatorname{step}(x_k),\\quad [x_0\\ x_1\\ \\cdots\\ x_n]',
      example: 'iterate(x -> x / 2, 8, 3)   # [8, 4, 2, 1]',
      conventions: 'x₀ comes first; each iterate must have as many entries as x₀ and becomes one column (a k-vector gives a k×(n+1) matrix, a scalar a 1×(n+1) row). last(path) is xₙ; path(path) plots it.',
    },
    call(args, _named, ctx) {
      const step = toFunction(args[0]!, 'iterate', 1);
      const start = args[1]!;
      const x0 = toMatrix(start, 'iterate', 2, 'a number or a vector');
      if (!isVector(x0)) throw argumentError('iterate', 2, 'a number or a vector', x0);
      const n = toInteger(args[2]!, 'iterate', 3, 0, 'a number of steps');
      const k = x0.data.length;
      const columns = n + 1;
      ctx.checkSize(k * columns);
      const out = new Float64Array(k * columns);
      const store = (values: Float64Array, column: number) => {
        for (let i = 0; i < k; i++) out[i * columns + column] = values[i]!;
      };
      store(x0.data, 0);
      let current: Value = start;
      for (let j = 1; j <= n; j++) {
        ctx.checkTime();
        current = ctx.callFunction(step, [current]);
        const next = current.kind === 'matrix' || current.kind === 'number' || current.kind === 'bool' ? toMatrix(current, 'iterate', 1) : undefined;
        if (!next || next.data.length !== k || !isVector(next)) {
          throw argumentError('iterate', 1, `a step that returns ${k === 1 ? 'a number' : `a vector of ${k} entries`}`, `a step returning ${describeValue(current)}`);
        }
        store(next.data, j);
      }
      return matrixValue(k, columns, out);
    },
  },
  {
    name: 'length',
    minArgs: 1,
    maxArgs: 1,
    doc: {
      signature: 'length(x)',
      summary: 'The number of entries of a vector; the larger dimension of a matrix.',
      example: 'length([1; 2; 3])   # 3',
      conventions: 'max(rows, cols), like MATLAB; numel counts every entry.',
    },
    call(args) {
      const m = toMatrix(args[0]!, 'length', 1);
      return numberValue(m.rows === 0 || m.cols === 0 ? 0 : Math.max(m.rows, m.cols));
    },
  },
  {
    name: 'numel',
    minArgs: 1,
    maxArgs: 1,
    doc: {
      signature: 'numel(x)',
      summary: 'The number of entries of a matrix, rows × cols.',
      example: 'numel(ones(2, 3))   # 6',
    },
    call(args) {
      const m = toMatrix(args[0]!, 'numel', 1);
      return numberValue(m.rows * m.cols);
    },
  },
];
