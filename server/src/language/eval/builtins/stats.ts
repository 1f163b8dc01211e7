/**
 * Statistics (LANGUAGE.md §8). Conventions, fixed here and stated in every doc:
 * - On a vector (1×n or n×1) a reduction returns a scalar; on a matrix with more than one row and
 *   column, `sum prod mean median mode var std min max quantile` work down the columns and return
 *   a 1×d row (MATLAB, numpy axis=0): rows are observations, columns are variables.
 * - `var` and `std` divide by n (population, like numpy); pass "sample" for n − 1.
 * - `cov` and `corr` divide by n − 1 (sample, like numpy); `cov(D)` of an n×d data matrix is d×d.
 * - NaN propagates, as in numpy (a NaN anywhere in a column makes its reduction NaN).
 */
import type { Builtin } from '../builtin.js';
import type { MatrixValue, Value } from '../value.js';
import {
  allScalars,
  argumentError,
  broadcast2,
  isVector,
  mapColumns,
  matrixValue,
  numberValue,
  reduceColumns,
  reductionGroups,
  scalarOrMatrix,
  shapeError,
  toMatrix,
  toText,
  valueError,
} from './stdlibValues.js';

/** Neumaier's compensated sum: accurate to about one rounding even when terms cancel. */
export function accurateSum(values: ArrayLike<number>): number {
  let sum = 0;
  let compensation = 0;
  for (let i = 0; i < values.length; i++) {
    const x = values[i]!;
    const t = sum + x;
    if (Math.abs(sum) >= Math.abs(x)) compensation += sum - t + x;
    else compensation += x - t + sum;
    sum = t;
  }
  // Infinite or NaN terms make the compensation NaN; the plain sum is then the answer.
  const total = sum + compensation;
  return Number.isFinite(sum) ? total : sum;
}

export function mean(values: ArrayLike<number>): number {
  return accurateSum(values) / values.length;
}

/** The sum of squared deviations from the mean, by two passes (stable where x̄² ≫ σ²). */
function squaredDeviations(values: ArrayLike<number>): number {
  const m = mean(values);
  const deviations = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) deviations[i] = (values[i]! - m) ** 2;
  return accurateSum(deviations);
}

/** Variance with divisor n (population) or n − 1 (sample). */
export function variance(values: ArrayLike<number>, sample: boolean): number {
  const n = values.length;
  return squaredDeviations(values) / (sample ? n - 1 : n);
}

function sortedCopy(values: ArrayLike<number>): Float64Array {
  return Float64Array.from(values).sort();
}

function median(values: ArrayLike<number>): number {
  const n = values.length;
  if (n === 0) return NaN;
  for (let i = 0; i < n; i++) if (Number.isNaN(values[i]!)) return NaN;
  const s = sortedCopy(values);
  const mid = n >> 1;
  return n % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** The most frequent value; among equally frequent values, the smallest (like MATLAB and scipy). */
function mode(values: ArrayLike<number>): number {
  const s = sortedCopy(values);
  let best = NaN;
  let bestCount = 0;
  let i = 0;
  while (i < s.length) {
    let j = i;
    while (j < s.length && s[j] === s[i]) j++;
    // NaN never equals itself, so each NaN is its own run of length 1 and loses ties to numbers.
    if (j === i) j = i + 1;
    if (j - i > bestCount) {
      bestCount = j - i;
      best = s[i]!;
    }
    i = j;
  }
  return best;
}

/** The p-quantile by linear interpolation between order statistics (numpy's default, R type 7). */
function quantileSorted(sorted: Float64Array, p: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const h = (n - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, n - 1);
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
}

function extreme(values: ArrayLike<number>, pickMax: boolean): number {
  if (values.length === 0) return NaN;
  let best = values[0]!;
  for (let i = 0; i < values.length; i++) {
    const x = values[i]!;
    if (x !== x) return NaN;
    if (pickMax ? x > best : x < best) best = x;
  }
  return best;
}

/** Reads the optional "sample" / "population" option of var, std and zscore. */
function sampleOption(args: readonly Value[], fn: string, position: number): boolean {
  const option = args[position - 1];
  if (option === undefined) return false;
  const text = toText(option, fn, position, '"sample" or "population"');
  if (text === 'sample') return true;
  if (text === 'population') return false;
  throw valueError(fn, position, '"sample" or "population"', `"${text}"`);
}

function reduction(
  name: string,
  reduce: (values: Float64Array) => number,
  doc: Builtin['doc'],
  aliases?: readonly string[],
): Builtin {
  return {
    name,
    aliases,
    minArgs: 1,
    maxArgs: 1,
    doc,
    call(args) {
      return reduceColumns(toMatrix(args[0]!, name, 1), reduce);
    },
  };
}

function extremum(name: 'min' | 'max'): Builtin {
  const pickMax = name === 'max';
  return {
    name,
    minArgs: 1,
    maxArgs: 2,
    doc: {
      signature: `${name}(x), ${name}(a, b)`,
      summary: pickMax
        ? 'Largest entry of a vector, of each column of a matrix, or the element-wise larger of a and b.'
        : 'Smallest entry of a vector, of each column of a matrix, or the element-wise smaller of a and b.',
      formula: pickMax ? '\\max_i x_i' : '\\min_i x_i',
      example: pickMax ? 'max([3, 1, 2])   # 3' : 'min([1, 4; 3, 2])   # [1, 2]',
      conventions:
        'One argument: a vector gives a scalar; a matrix gives a 1×d row of column ' +
        (pickMax ? 'maxima' : 'minima') +
        ' (MATLAB, numpy axis=0). Two arguments: element-wise with broadcasting (numpy ' +
        (pickMax ? 'maximum' : 'minimum') +
        '). NaN propagates, like numpy.',
    },
    call(args) {
      if (args.length === 2) {
        const a = toMatrix(args[0]!, name, 1);
        const b = toMatrix(args[1]!, name, 2);
        const pick = pickMax
          ? (x: number, y: number) => (x !== x || y !== y ? NaN : x >= y ? x : y)
          : (x: number, y: number) => (x !== x || y !== y ? NaN : x <= y ? x : y);
        return scalarOrMatrix(broadcast2(name, a, b, pick), allScalars(args));
      }
      return reduceColumns(toMatrix(args[0]!, name, 1), (v) => extreme(v, pickMax));
    },
  };
}

function cumulative(name: string, combine: (acc: number, x: number) => number, start: number, doc: Builtin['doc']): Builtin {
  return {
    name,
    minArgs: 1,
    maxArgs: 1,
    doc,
    call(args) {
      const m = toMatrix(args[0]!, name, 1);
      const result = mapColumns(m, (values) => {
        const out = new Float64Array(values.length);
        let acc = start;
        for (let i = 0; i < values.length; i++) out[i] = acc = combine(acc, values[i]!);
        return out;
      });
      return scalarOrMatrix(result, args[0]!.kind === 'number');
    },
  };
}

/** Columns of a data matrix (rows are observations) as separate arrays, centred on their means. */
function centredColumns(m: MatrixValue): Float64Array[] {
  const { groups } = isVector(m) ? { groups: [Float64Array.from(m.data)] } : reductionGroups(m);
  return groups.map((column) => {
    const mu = mean(column);
    return column.map((x) => x - mu);
  });
}

/** Sample covariance (divisor n − 1) of centred columns a and b. */
function centredCovariance(a: Float64Array, b: Float64Array): number {
  const products = new Float64Array(a.length);
  for (let i = 0; i < a.length; i++) products[i] = a[i]! * b[i]!;
  return accurateSum(products) / (a.length - 1);
}

/** The d×d matrix of f(column i, column j), or a scalar for a single column. */
function pairwise(columns: Float64Array[], f: (a: Float64Array, b: Float64Array) => number): Value {
  const d = columns.length;
  if (d === 1) return numberValue(f(columns[0]!, columns[0]!));
  const out = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    for (let j = i; j < d; j++) {
      const value = f(columns[i]!, columns[j]!);
      out[i * d + j] = value;
      out[j * d + i] = value;
    }
  }
  return matrixValue(d, d, out);
}

function correlation(a: Float64Array, b: Float64Array): number {
  if (a === b) {
    // The diagonal is 1 exactly (NaN for a constant column, whose variance is 0).
    const v = centredCovariance(a, a);
    return v > 0 ? 1 : NaN;
  }
  return centredCovariance(a, b) / Math.sqrt(centredCovariance(a, a) * centredCovariance(b, b));
}

/** cov and corr: one data matrix (d×d result), one vector (scalar), or two vectors (scalar). */
function covarianceLike(name: string, f: (a: Float64Array, b: Float64Array) => number, doc: Builtin['doc']): Builtin {
  return {
    name,
    minArgs: 1,
    maxArgs: 2,
    doc,
    call(args) {
      const first = toMatrix(args[0]!, name, 1);
      if (args.length === 1) return pairwise(centredColumns(first), f);
      if (!isVector(first)) throw argumentError(name, 1, 'a vector (with two arguments)', first);
      const second = toMatrix(args[1]!, name, 2);
      if (!isVector(second)) throw argumentError(name, 2, 'a vector (with two arguments)', second);
      if (first.data.length !== second.data.length) {
        throw shapeError(name, 'the two vectors must have the same number of observations', first, second);
      }
      const [a, b] = centredColumns(matrixValue(first.data.length, 2, interleave(first.data, second.data)));
      return numberValue(f(a!, b!));
    },
  };
}

function interleave(a: Float64Array, b: Float64Array): Float64Array {
  const out = new Float64Array(a.length * 2);
  for (let i = 0; i < a.length; i++) {
    out[2 * i] = a[i]!;
    out[2 * i + 1] = b[i]!;
  }
  return out;
}

export const statsBuiltins: Builtin[] = [
  reduction('sum', accurateSum, {
    signature: 'sum(x)',
    summary: 'Sum of a vector, or of each column of a matrix.',
    formula: '\\sum_{i=1}^{n} x_i',
    example: 'sum([1, 2; 3, 4])   # [4, 6]',
    conventions: 'A vector gives a scalar; a matrix gives a 1×d row of column sums (MATLAB, numpy axis=0). sum(k = a:b, expr) is the ∑ operator. Compensated summation.',
  }),
  reduction(
    'prod',
    (values) => {
      let p = 1;
      for (let i = 0; i < values.length; i++) p *= values[i]!;
      return p;
    },
    {
      signature: 'prod(x)',
      summary: 'Product of a vector, or of each column of a matrix.',
      formula: '\\prod_{i=1}^{n} x_i',
      example: 'prod([1, 2, 3, 4])   # 24',
      conventions: 'A vector gives a scalar; a matrix gives a 1×d row of column products.',
    },
  ),
  cumulative('cumsum', (acc, x) => acc + x, 0, {
    signature: 'cumsum(x)',
    summary: 'Running sums of a vector, or down each column of a matrix.',
    formula: 'y_k = \\sum_{i=1}^{k} x_i',
    example: 'cumsum([1, 2, 3])   # [1, 3, 6]',
    conventions: 'Same shape as x; on a matrix it runs down the columns (numpy axis=0).',
  }),
  cumulative('cumprod', (acc, x) => acc * x, 1, {
    signature: 'cumprod(x)',
    summary: 'Running products of a vector, or down each column of a matrix.',
    formula: 'y_k = \\prod_{i=1}^{k} x_i',
    example: 'cumprod([1, 2, 3])   # [1, 2, 6]',
    conventions: 'Same shape as x; on a matrix it runs down the columns (numpy axis=0).',
  }),
  reduction('mean', mean, {
    signature: 'mean(x)',
    summary: 'Arithmetic mean of a vector, or of each column of a matrix.',
    formula: '\\bar{x} = \\frac{1}{n} \\sum_{i=1}^{n} x_i',
    example: 'mean([1, 2; 3, 4])   # [2, 3]',
    conventions: 'A vector gives a scalar; a matrix gives a 1×d row of column means, so X − mean(X) centres the data by broadcasting.',
  }),
  reduction('median', median, {
    signature: 'median(x)',
    summary: 'Median of a vector, or of each column of a matrix.',
    formula: '\\operatorname{median}(x)',
    example: 'median([3, 1, 4, 2])   # 2.5',
    conventions: 'An even count averages the two middle values; a matrix gives a 1×d row of column medians.',
  }),
  reduction('mode', mode, {
    signature: 'mode(x)',
    summary: 'Most frequent value of a vector, or of each column of a matrix.',
    formula: '\\arg\\max_v \\#\\{i : x_i = v\\}',
    example: 'mode([1, 2, 2, 3, 3])   # 2',
    conventions: 'Ties go to the smallest value (MATLAB, scipy); a matrix gives a 1×d row.',
  }),
  {
    name: 'var',
    minArgs: 1,
    maxArgs: 2,
    doc: {
      signature: 'var(x), var(x, "sample")',
      summary: 'Variance of a vector, or of each column of a matrix.',
      formula: '\\sigma^2 = \\frac{1}{n} \\sum_{i=1}^{n} (x_i - \\bar{x})^2',
      example: 'var([1, 2, 3, 4])   # 1.25',
      conventions: 'Divides by n (population), like numpy; var(x, "sample") divides by n − 1. A matrix gives a 1×d row of column variances.',
    },
    call(args) {
      const sample = sampleOption(args, 'var', 2);
      return reduceColumns(toMatrix(args[0]!, 'var', 1), (v) => variance(v, sample));
    },
  },
  {
    name: 'std',
    minArgs: 1,
    maxArgs: 2,
    doc: {
      signature: 'std(x), std(x, "sample")',
      summary: 'Standard deviation of a vector, or of each column of a matrix.',
      formula: '\\sigma = \\sqrt{\\frac{1}{n} \\sum_{i=1}^{n} (x_i - \\bar{x})^2}',
      example: 'std([1, 2, 3, 4])   # 1.11803',
      conventions: 'Divides by n (population), like numpy; std(x, "sample") divides by n − 1. A matrix gives a 1×d row.',
    },
    call(args) {
      const sample = sampleOption(args, 'std', 2);
      return reduceColumns(toMatrix(args[0]!, 'std', 1), (v) => Math.sqrt(variance(v, sample)));
    },
  },
  covarianceLike('cov', centredCovariance, {
    signature: 'cov(D), cov(x, y)',
    summary: 'Sample covariance matrix of the columns of a data matrix, or covariance of two vectors.',
    formula: '\\Sigma = \\frac{1}{n-1} (D - \\bar{D})^\\top (D - \\bar{D})',
    example: 'cov([1; 2; 3], [2; 4; 7])   # 2.5',
    conventions: 'Divides by n − 1 (sample), like numpy. Rows of D are observations and columns are variables: an n×d matrix gives a d×d matrix. cov(x) of a vector is its sample variance; cov(x, y) of two vectors is one number (numpy would give the 2×2 matrix).',
  }),
  covarianceLike('corr', correlation, {
    signature: 'corr(D), corr(x, y)',
    summary: 'Pearson correlation matrix of the columns of a data matrix, or correlation of two vectors.',
    formula: '\\rho_{xy} = \\frac{\\operatorname{cov}(x, y)}{\\sigma_x \\sigma_y}',
    example: 'corr([1; 2; 3], [2; 4; 7])   # 0.993399',
    conventions: 'Rows of D are observations and columns are variables (numpy corrcoef with rowvar=False); corr(x, y) of two vectors is one number. The n − 1 divisors cancel.',
  }),
  {
    name: 'quantile',
    minArgs: 2,
    maxArgs: 2,
    doc: {
      signature: 'quantile(x, p)',
      summary: 'The p-quantile(s) of a vector, or of each column of a matrix.',
      formula: 'Q(p) = x_{(\\lfloor h \\rfloor)} + (h - \\lfloor h \\rfloor)(x_{(\\lfloor h \\rfloor + 1)} - x_{(\\lfloor h \\rfloor)}),\\ h = (n-1)p',
      example: 'quantile([1, 2, 3, 4], 0.5)   # 2.5',
      conventions: 'Linear interpolation between order statistics (numpy default, R type 7); p in [0, 1]. A vector and a scalar p give a number; several p give a vector shaped like p; a matrix gives one row per p and one column per column.',
    },
    call(args) {
      const x = toMatrix(args[0]!, 'quantile', 1);
      const p = toMatrix(args[1]!, 'quantile', 2, 'a probability or a vector of them');
      if (!isVector(p)) throw argumentError('quantile', 2, 'a probability or a vector of them', p);
      for (const q of p.data) {
        if (!(q >= 0 && q <= 1)) throw valueError('quantile', 2, 'probabilities in [0, 1]', q);
      }
      const { groups, isVector: vector } = reductionGroups(x);
      const sorted = groups.map((g) => (g.some(Number.isNaN) ? null : sortedCopy(g)));
      const at = (k: number, q: number) => (sorted[k] ? quantileSorted(sorted[k]!, q) : NaN);
      const k = p.data.length;
      if (vector) {
        if (p.rows === 1 && p.cols === 1 && args[1]!.kind !== 'matrix') return numberValue(at(0, p.data[0]!));
        return matrixValue(p.rows, p.cols, p.data.map((q) => at(0, q)));
      }
      const d = groups.length;
      const out = new Float64Array(k * d);
      for (let i = 0; i < k; i++) for (let j = 0; j < d; j++) out[i * d + j] = at(j, p.data[i]!);
      return matrixValue(k, d, out);
    },
  },
  {
    name: 'zscore',
    aliases: ['normalize'],
    minArgs: 1,
    maxArgs: 2,
    doc: {
      signature: 'zscore(x), normalize(x), zscore(x, "sample")',
      summary: 'Standardizes a vector, or each column of a matrix, to mean 0 and standard deviation 1.',
      formula: 'z_i = \\frac{x_i - \\bar{x}}{\\sigma}',
      example: 'zscore([1, 2, 3])   # [-1.22474, 0, 1.22474]',
      conventions: 'Uses the population σ (divides by n), like var, std and scikit-learn’s StandardScaler; "sample" divides by n − 1 (MATLAB’s zscore). Same shape as x; a matrix is standardized column by column. normalize is the same function (MATLAB’s default).',
    },
    call(args) {
      const sample = sampleOption(args, 'zscore', 2);
      const m = toMatrix(args[0]!, 'zscore', 1);
      return mapColumns(m, (values) => {
        const mu = mean(values);
        const sigma = Math.sqrt(variance(values, sample));
        return values.map((x) => (x - mu) / sigma);
      });
    },
  },
  {
    name: 'minmax',
    minArgs: 1,
    maxArgs: 1,
    doc: {
      signature: 'minmax(x)',
      summary: 'Rescales a vector, or each column of a matrix, linearly onto [0, 1].',
      formula: 'x\'_i = \\frac{x_i - \\min x}{\\max x - \\min x}',
      example: 'minmax([2, 4, 6])   # [0, 0.5, 1]',
      conventions: 'Min-max normalization, column by column on a matrix; a constant column becomes 0 (scikit-learn’s MinMaxScaler).',
    },
    call(args) {
      const m = toMatrix(args[0]!, 'minmax', 1);
      return mapColumns(m, (values) => {
        const lo = extreme(values, false);
        const hi = extreme(values, true);
        const range = hi - lo;
        return values.map((x) => (range === 0 ? 0 : (x - lo) / range));
      });
    },
  },
  extremum('min'),
  extremum('max'),
];
