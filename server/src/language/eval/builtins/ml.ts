/**
 * Machine-learning helpers (LANGUAGE.md §8), numerically stable:
 * - `sigmoid` never evaluates e^z for a large positive z (no overflow, no 1 − 1 cancellation);
 * - `softmax` and `logsumexp` subtract the maximum first, so softmax([1000, 1001]) is finite;
 * - on a vector they work on the whole vector (same orientation back); on a matrix with more than
 *   one row and column they work column by column (each column is one example's scores), like
 *   the reductions of the statistics table.
 */
import type { Builtin } from '../builtin.js';
import { mapColumns, matrixValue, numberValue, reduceColumns, toInteger, toMatrix, toVector, valueError } from './stdlibValues.js';

/** The logistic function 1 / (1 + e^(−z)), evaluated without overflow for any z. */
export function sigmoid(z: number): number {
  if (z >= 0) return 1 / (1 + Math.exp(-z));
  const e = Math.exp(z);
  return e / (1 + e);
}

function relu(x: number): number {
  return x > 0 ? x : x === x ? 0 : NaN;
}

/** log(1 + e^x) without overflow: max(x, 0) + log1p(e^(−|x|)). */
function softplus(x: number): number {
  return Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
}

/** log ∑ e^(x_i), shifting by the maximum so no exponential overflows. */
export function logSumExp(values: ArrayLike<number>): number {
  let max = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const x = values[i]!;
    if (x !== x) return NaN;
    if (x > max) max = x;
  }
  if (max === -Infinity || max === Infinity) return max;
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += Math.exp(values[i]! - max);
  return max + Math.log(sum);
}

/** The maximum of the entries (NaN if any is NaN). */
function maximum(values: ArrayLike<number>): number {
  let max = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const x = values[i]!;
    if (x !== x) return NaN;
    if (x > max) max = x;
  }
  return max;
}

/** e^(x_i − m) / ∑ e^(x_j − m) with m the maximum: no overflow, and no rounding of a large log-sum. */
function softmaxOf(values: Float64Array): Float64Array {
  const max = maximum(values);
  const out = values.map((x) => Math.exp(x - max));
  let sum = 0;
  for (let i = 0; i < out.length; i++) sum += out[i]!;
  for (let i = 0; i < out.length; i++) out[i] = out[i]! / sum;
  return out;
}

/** (x_i − m) − log ∑ e^(x_j − m). */
function logSoftmaxOf(values: Float64Array): Float64Array {
  const max = maximum(values);
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += Math.exp(values[i]! - max);
  const logSum = Math.log(sum);
  return values.map((x) => x - max - logSum);
}

/** An element-wise function of one number over a Float64Array: a plain loop (the fast path). */
function elementwiseActivation(name: string, f: (x: number) => number, derivative: (x: number) => number, doc: Builtin['doc']): Builtin {
  return {
    name,
    minArgs: 1,
    maxArgs: 1,
    scalar: f,
    derivative,
    doc,
    call(args) {
      const arg = args[0]!;
      if (arg.kind === 'number') return numberValue(f(arg.value));
      const m = toMatrix(arg, name, 1);
      const input = m.data;
      const out = new Float64Array(input.length);
      for (let i = 0; i < input.length; i++) out[i] = f(input[i]!);
      return matrixValue(m.rows, m.cols, out);
    },
  };
}

export const mlBuiltins: Builtin[] = [
  elementwiseActivation(
    'sigmoid',
    sigmoid,
    (z) => {
      const s = sigmoid(z);
      return s * (1 - s);
    },
    {
      signature: 'sigmoid(z)',
      summary: 'The logistic function, element-wise.',
      formula: '\\sigma(z) = \\frac{1}{1 + e^{-z}}',
      example: 'sigmoid(0)   # 0.5',
      conventions: 'Stable for large |z| (sigmoid(−800) is 0, not NaN); its derivative is σ(z)(1 − σ(z)).',
    },
  ),
  elementwiseActivation('relu', relu, (x) => (x > 0 ? 1 : 0), {
    signature: 'relu(x)',
    summary: 'Rectified linear unit max(x, 0), element-wise.',
    formula: '\\operatorname{ReLU}(x) = \\max(x, 0)',
    example: 'relu([-3, 2])   # [0, 2]',
    conventions: 'The derivative at 0 is taken as 0.',
  }),
  elementwiseActivation('softplus', softplus, sigmoid, {
    signature: 'softplus(x)',
    summary: 'Smooth ReLU log(1 + eˣ), element-wise.',
    formula: '\\log(1 + e^{x})',
    example: 'softplus(0)   # 0.693147',
    conventions: 'Stable for large |x|; its derivative is sigmoid(x).',
  }),
  {
    name: 'softmax',
    minArgs: 1,
    maxArgs: 1,
    doc: {
      signature: 'softmax(z)',
      summary: 'Turns scores into probabilities that sum to 1.',
      formula: '\\operatorname{softmax}(z)_i = \\frac{e^{z_i}}{\\sum_j e^{z_j}}',
      example: 'softmax([1; 2; 3])   # [0.0900306; 0.244728; 0.665241]',
      conventions: 'Subtracts the maximum first (softmax([1000, 1001]) is finite). A vector keeps its orientation (a column gives a column); a matrix is treated column by column: each column sums to 1.',
    },
    call(args) {
      return mapColumns(toMatrix(args[0]!, 'softmax', 1), softmaxOf);
    },
  },
  {
    name: 'logsoftmax',
    minArgs: 1,
    maxArgs: 1,
    doc: {
      signature: 'logsoftmax(z)',
      summary: 'The logarithm of softmax, computed without underflow.',
      formula: 'z_i - \\log \\sum_j e^{z_j}',
      example: 'logsoftmax([0, 0])   # [-0.693147, -0.693147]',
      conventions: 'Like softmax: a vector keeps its orientation; a matrix works column by column.',
    },
    call(args) {
      return mapColumns(toMatrix(args[0]!, 'logsoftmax', 1), logSoftmaxOf);
    },
  },
  {
    name: 'logsumexp',
    minArgs: 1,
    maxArgs: 1,
    doc: {
      signature: 'logsumexp(z)',
      summary: 'log ∑ e^(z_i) of a vector, or of each column of a matrix.',
      formula: '\\log \\sum_i e^{z_i} = m + \\log \\sum_i e^{z_i - m},\\ m = \\max_i z_i',
      example: 'logsumexp([1000, 1000])   # 1000.69',
      conventions: 'Shifts by the maximum, so it never overflows. A vector gives a scalar; a matrix gives a 1×d row (column-wise).',
    },
    call(args) {
      return reduceColumns(toMatrix(args[0]!, 'logsumexp', 1), logSumExp);
    },
  },
  {
    name: 'onehot',
    minArgs: 1,
    maxArgs: 2,
    doc: {
      signature: 'onehot(labels), onehot(labels, K)',
      summary: 'One-hot encoding: row i has a 1 in column labels[i] and 0 elsewhere.',
      formula: 'Y_{ik} = [\\,y_i = k\\,]',
      example: 'onehot([1; 3; 2])   # [1, 0, 0; 0, 0, 1; 0, 1, 0]',
      conventions: 'Labels are 1-based classes 1…K (like indexing); K defaults to the largest label. An n-vector of labels gives an n×K matrix, one row per example.',
    },
    call(args, _named, ctx) {
      const labels = toVector(args[0]!, 'onehot', 1, 'a vector of class labels 1…K');
      let k = 0;
      for (const y of labels.data) {
        if (!Number.isInteger(y) || y < 1) throw valueError('onehot', 1, 'class labels that are whole numbers ≥ 1', y);
        if (y > k) k = y;
      }
      if (args.length > 1) {
        const given = toInteger(args[1]!, 'onehot', 2, 1, 'a number of classes');
        if (given < k) throw valueError('onehot', 2, `at least ${k} classes (the largest label)`, given);
        k = given;
      }
      const n = labels.data.length;
      ctx.checkSize(n * k);
      const out = new Float64Array(n * k);
      for (let i = 0; i < n; i++) out[i * k + labels.data[i]! - 1] = 1;
      return matrixValue(n, k, out);
    },
  },
];

