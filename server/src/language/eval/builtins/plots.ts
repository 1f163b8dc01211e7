/**
 * Plot values (LANGUAGE.md §9). Each mark built-in returns a PlotValue holding one mark with its
 * data already sampled as plain number arrays (NaN and ±Inf kept: replacing them is the preview's
 * job); `plot(...)` overlays marks and curves of functions and takes `title`, `xlabel`, `ylabel`.
 * Sample counts are bounded: a curve has 200 points, a contour a 40×40 grid.
 *
 * `summarizePlot` turns a spec into the one line a hover shows.
 */
import type { Builtin, CallContext } from '../builtin.js';
import type { FunctionValue, MatrixValue, PlotMark, PlotSpec, PlotValue, Value } from '../value.js';
import {
  argumentError,
  asScalar,
  describeValue,
  functionName,
  isVector,
  shapeError,
  toFunction,
  toInteger,
  toMatrix,
  toNumber,
  toText,
  toVector,
  valueError,
} from './stdlibValues.js';

/** Points sampled along a curve. */
export const CURVE_SAMPLES = 200;
/** Grid points per axis of a contour. */
export const CONTOUR_GRID = 40;
/** The most bins a histogram may ask the preview to draw. */
export const MAX_HISTOGRAM_BINS = 1000;
/** The interval of `plot(f)` without limits, as MATLAB's fplot. */
const DEFAULT_INTERVAL: readonly [number, number] = [-5, 5];

function plotValue(spec: PlotSpec): PlotValue {
  return { kind: 'plot', spec };
}

function markValue(mark: PlotMark): PlotValue {
  return plotValue({ marks: [mark] });
}

/** n evenly spaced points from a to b, both included. */
function samplePoints(a: number, b: number, n: number): number[] {
  const step = (b - a) / (n - 1);
  const xs = new Array<number>(n);
  for (let i = 0; i < n; i++) xs[i] = a + i * step;
  xs[n - 1] = b;
  return xs;
}

/** Calls f at numbers and reads back a number; a non-number result is a type problem of `caller`. */
function evaluateAt(ctx: CallContext, f: FunctionValue, xs: readonly number[], caller: string): number {
  const result = ctx.callFunction(
    f,
    xs.map((value) => ({ kind: 'number', value })),
  );
  const y = asScalar(result);
  if (y === undefined) throw argumentError(caller, 1, 'a function that returns one number', `a function returning ${describeValue(result)}`);
  return y;
}

/** A finite interval [a, b] with a < b. */
function interval(args: readonly Value[], fn: string, first: number): [number, number] {
  const a = toNumber(args[first]!, fn, first + 1, 'a finite number (the start)');
  const b = toNumber(args[first + 1]!, fn, first + 2, 'a finite number (the end)');
  if (!Number.isFinite(a)) throw valueError(fn, first + 1, 'a finite number', a);
  if (!Number.isFinite(b) || !(b > a)) throw valueError(fn, first + 2, `a finite number greater than ${a}`, b);
  return [a, b];
}

/** A 1×2 or 2×1 matrix [lo, hi] with lo < hi (a contour's axis range). */
function rangePair(value: Value, fn: string, position: number): [number, number] {
  const m = toMatrix(value, fn, position, 'a range [lo, hi]');
  if (m.data.length !== 2 || !isVector(m)) throw argumentError(fn, position, 'a range [lo, hi]', m);
  const [lo, hi] = [m.data[0]!, m.data[1]!];
  if (!Number.isFinite(lo) || !Number.isFinite(hi) || !(hi > lo)) throw valueError(fn, position, 'a range [lo, hi] with lo < hi', `[${lo}, ${hi}]`);
  return [lo, hi];
}

export function sampleCurve(ctx: CallContext, f: FunctionValue, a: number, b: number, label: string): PlotMark {
  const x = samplePoints(a, b, CURVE_SAMPLES);
  const y = x.map((t) => evaluateAt(ctx, f, [t], 'curve'));
  return { type: 'curve', label, x, y };
}

function labelOption(named: Readonly<Record<string, Value>>, fn: string): string | undefined {
  const label = named.label;
  return label === undefined ? undefined : toText(label, fn, 0, 'a string label');
}

/** x and y of line/scatter/bar: two vectors of equal length, or one vector against 1…n. */
function pairedData(args: readonly Value[], fn: string, ctx: CallContext): { x: number[]; y: number[] } {
  if (args.length === 1) {
    const y = toVector(args[0]!, fn, 1, 'a vector of values');
    ctx.checkSize(y.data.length);
    return { x: Array.from(y.data, (_, i) => i + 1), y: Array.from(y.data) };
  }
  const x = toVector(args[0]!, fn, 1, 'a vector of x values');
  const y = toVector(args[1]!, fn, 2, 'a vector of y values');
  if (x.data.length !== y.data.length) throw shapeError(fn, 'x and y need the same number of entries', x, y);
  ctx.checkSize(x.data.length);
  return { x: Array.from(x.data), y: Array.from(y.data) };
}

/** The points of `vectors`: each row of an n×2 matrix, or one point given as a 2-vector. */
function planarRows(m: MatrixValue, fn: string, position: number): { x: number[]; y: number[] } {
  if (m.cols === 2) {
    const x: number[] = [];
    const y: number[] = [];
    for (let i = 0; i < m.rows; i++) {
      x.push(m.data[i * 2]!);
      y.push(m.data[i * 2 + 1]!);
    }
    return { x, y };
  }
  if (m.rows === 2 && m.cols === 1) return { x: [m.data[0]!], y: [m.data[1]!] };
  throw argumentError(fn, position, 'points as the rows of an n×2 matrix (or one 2-vector)', m);
}

function dataMark(type: 'line' | 'scatter' | 'bar', summary: string, example: string): Builtin {
  return {
    name: type,
    minArgs: 1,
    maxArgs: 2,
    namedArgs: ['label'],
    doc: {
      signature: `${type}(x, y), ${type}(y)`,
      summary,
      example,
      conventions: 'x and y are vectors of the same length (rows or columns); with one vector, x is 1…n. An optional label = "…" names it in the legend.',
    },
    call(args, named, ctx) {
      const { x, y } = pairedData(args, type, ctx);
      const label = labelOption(named, type);
      return markValue(label === undefined ? { type, x, y } : { type, label, x, y });
    },
  };
}

/** Appends the marks of a plot (or of a single mark) given to plot(...). */
function appendMarks(marks: PlotMark[], value: PlotValue): void {
  marks.push(...value.spec.marks);
}

export const plotBuiltins: Builtin[] = [
  {
    name: 'curve',
    minArgs: 3,
    maxArgs: 3,
    namedArgs: ['label'],
    doc: {
      signature: 'curve(f, a, b)',
      summary: 'The graph of a function of one variable on [a, b], sampled at 200 points.',
      formula: '\\{(x, f(x)) : a \\le x \\le b\\}',
      example: 'plot(curve(t -> normpdf(t, 0, 1), -4, 4), title = "N(0, 1)")',
      conventions: 'Points where f is NaN or infinite are kept (the preview leaves a gap). The legend shows the function’s name, or label = "…".',
    },
    call(args, named, ctx) {
      const f = toFunction(args[0]!, 'curve', 1);
      const [a, b] = interval(args, 'curve', 1);
      return markValue(sampleCurve(ctx, f, a, b, labelOption(named, 'curve') ?? functionName(f)));
    },
  },
  dataMark('line', 'A line through the points (x[i], y[i]) in order.', 'line([0, 1, 2], [1, 3, 2])'),
  dataMark('scatter', 'A scatter plot of the points (x[i], y[i]).', 'scatter([1, 2, 3, 4], [2.1, 3.9, 6.2, 7.8])'),
  dataMark('bar', 'A bar chart with bars of height y[i] at x[i].', 'bar(1:6, [0.1, 0.1, 0.3, 0.2, 0.2, 0.1])'),
  {
    name: 'hist',
    minArgs: 1,
    maxArgs: 2,
    namedArgs: ['bins', 'label'],
    doc: {
      signature: 'hist(x, bins = 10)',
      summary: 'A histogram of the entries of x in equal-width bins.',
      example: 'hist(randn(1000, 1), 20)',
      conventions: 'Every entry of a vector or matrix counts; bins (positional or bins = n, at most 1000) is the number of equal-width bins between the smallest and largest value; the preview does the counting.',
    },
    call(args, named, ctx) {
      const m = toMatrix(args[0]!, 'hist', 1, 'a vector of values');
      ctx.checkSize(m.data.length);
      const binsArg = args[1] ?? named.bins;
      const bins = binsArg === undefined ? 10 : toInteger(binsArg, 'hist', 2, 1, 'a number of bins');
      if (bins > MAX_HISTOGRAM_BINS) throw valueError('hist', 2, `at most ${MAX_HISTOGRAM_BINS} bins`, bins);
      const label = labelOption(named, 'hist');
      const values = Array.from(m.data);
      return markValue(label === undefined ? { type: 'hist', values, bins } : { type: 'hist', label, values, bins });
    },
  },
  {
    name: 'contour',
    minArgs: 3,
    maxArgs: 3,
    namedArgs: ['label'],
    doc: {
      signature: 'contour(f, [x0, x1], [y0, y1])',
      summary: 'Contour lines of a function of two variables over a rectangle, from a 40×40 grid of values.',
      formula: '\\{(x, y) : f(x, y) = c\\}',
      example: 'contour((x, y) -> x² + y², [-5, 5], [-5, 5])',
      conventions: 'f takes two numbers (x, y). The grid’s row j is y = y[j] and column i is x = x[i].',
    },
    call(args, named, ctx) {
      const f = toFunction(args[0]!, 'contour', 1);
      const [x0, x1] = rangePair(args[1]!, 'contour', 2);
      const [y0, y1] = rangePair(args[2]!, 'contour', 3);
      const x = samplePoints(x0, x1, CONTOUR_GRID);
      const y = samplePoints(y0, y1, CONTOUR_GRID);
      const z = y.map((yj) => {
        ctx.checkTime();
        return x.map((xi) => evaluateAt(ctx, f, [xi, yj], 'contour'));
      });
      return markValue({ type: 'contour', label: labelOption(named, 'contour') ?? functionName(f), x, y, z });
    },
  },
  {
    name: 'heatmap',
    minArgs: 1,
    maxArgs: 1,
    namedArgs: ['label'],
    doc: {
      signature: 'heatmap(A)',
      summary: 'A matrix drawn as a grid of coloured cells, row 1 at the top.',
      example: 'heatmap([1, 0.8; 0.8, 1])',
      conventions: 'Cell (i, j) is A[i, j].',
    },
    call(args, named) {
      const m = toMatrix(args[0]!, 'heatmap', 1, 'a matrix');
      const z: number[][] = [];
      for (let i = 0; i < m.rows; i++) z.push(Array.from(m.data.subarray(i * m.cols, (i + 1) * m.cols)));
      const label = labelOption(named, 'heatmap');
      return markValue(label === undefined ? { type: 'heatmap', z } : { type: 'heatmap', label, z });
    },
  },
  {
    name: 'vectors',
    minArgs: 2,
    maxArgs: 2,
    namedArgs: ['label'],
    doc: {
      signature: 'vectors(P, V)',
      summary: 'Arrows from the points P by the vectors V (each row one point or vector).',
      example: 'vectors([1.81, 1.91], [0.68, 0.74])   # one arrow, as vectors(μ, w₁ᵀ) in a PCA note',
      conventions: 'P and V are n×2 matrices (rows are points and vectors) or single 2-vectors (row or column); one point with many vectors draws them all from it, and many points with one vector draw it from each.',
    },
    call(args, named) {
      const P = planarRows(toMatrix(args[0]!, 'vectors', 1, 'points (an n×2 matrix)'), 'vectors', 1);
      const V = planarRows(toMatrix(args[1]!, 'vectors', 2, 'vectors (an n×2 matrix)'), 'vectors', 2);
      const n = Math.max(P.x.length, V.x.length);
      if (P.x.length !== V.x.length && P.x.length !== 1 && V.x.length !== 1) {
        throw shapeError('vectors', 'the points and vectors must be as many, or one of them single', toMatrix(args[0]!, 'vectors', 1), toMatrix(args[1]!, 'vectors', 2));
      }
      const pick = (xs: number[], i: number) => (xs.length === 1 ? xs[0]! : xs[i]!);
      const mark: PlotMark = {
        type: 'vectors',
        x: Array.from({ length: n }, (_, i) => pick(P.x, i)),
        y: Array.from({ length: n }, (_, i) => pick(P.y, i)),
        u: Array.from({ length: n }, (_, i) => pick(V.x, i)),
        v: Array.from({ length: n }, (_, i) => pick(V.y, i)),
      };
      const label = labelOption(named, 'vectors');
      return markValue(label === undefined ? mark : { ...mark, label });
    },
  },
  {
    name: 'path',
    minArgs: 1,
    maxArgs: 1,
    namedArgs: ['label'],
    doc: {
      signature: 'path(M)',
      summary: 'A polyline through the columns of M as points, in order, such as the iterates of iterate.',
      example: 'plot(contour((x, y) -> x² + y², [-5, 5], [-5, 5]), path(iterate(θ -> 0.8 θ, [3; 4], 30)))',
      conventions: 'A 2×n matrix: column k is the point (M[1, k], M[2, k]). An n×2 matrix (n ≠ 2) is read by rows. A 1×n row (the iterates of a scalar) is drawn against the step number 0…n−1.',
    },
    call(args, named) {
      const m = toMatrix(args[0]!, 'path', 1, 'a 2×n matrix of points');
      let x: number[];
      let y: number[];
      if (m.rows === 2) {
        x = Array.from(m.data.subarray(0, m.cols));
        y = Array.from(m.data.subarray(m.cols, 2 * m.cols));
      } else if (m.cols === 2) {
        x = [];
        y = [];
        for (let i = 0; i < m.rows; i++) {
          x.push(m.data[2 * i]!);
          y.push(m.data[2 * i + 1]!);
        }
      } else if (m.rows === 1) {
        x = Array.from(m.data, (_, k) => k);
        y = Array.from(m.data);
      } else {
        throw argumentError('path', 1, 'a 2×n matrix of points (columns)', m);
      }
      const label = labelOption(named, 'path');
      return markValue(label === undefined ? { type: 'path', x, y } : { type: 'path', label, x, y });
    },
  },
  {
    name: 'plot',
    minArgs: 1,
    maxArgs: Infinity,
    namedArgs: ['title', 'xlabel', 'ylabel'],
    doc: {
      signature: 'plot(f, a, b), plot(f, g, …, a, b), plot(mark, mark, …, title = "…", xlabel = "…", ylabel = "…")',
      summary: 'A plot: curves of functions on [a, b] and marks drawn together, with a title and axis labels.',
      example: 'plot(scatter([1, 2, 3], [2, 4, 5]), curve(t -> 1.5 t + 0.3, 0, 4), title = "least squares")',
      conventions: 'Functions are followed by their interval a, b (default [−5, 5]) and are labelled by their names; marks and plots overlay in order; two vectors x, y draw a line. Options are named arguments at the end.',
    },
    call(args, named, ctx) {
      const marks: PlotMark[] = [];
      let inheritedTitle: string | undefined;
      let pending: FunctionValue[] = [];
      const flushFunctions = (a: number, b: number) => {
        for (const fn of pending) marks.push(sampleCurve(ctx, fn, a, b, functionName(fn)));
        pending = [];
      };
      let i = 0;
      while (i < args.length) {
        const arg = args[i]!;
        if (arg.kind === 'function') {
          pending.push(arg);
          i++;
        } else if (arg.kind === 'plot') {
          if (pending.length > 0) flushFunctions(...DEFAULT_INTERVAL);
          appendMarks(marks, arg);
          inheritedTitle ??= arg.spec.title;
          i++;
        } else if (pending.length > 0 && asScalar(arg) !== undefined) {
          if (i + 1 >= args.length || asScalar(args[i + 1]!) === undefined) {
            throw argumentError('plot', i + 2, 'the end b of the interval a, b after the functions', args[i + 1] ?? 'nothing');
          }
          const [a, b] = interval(args, 'plot', i);
          flushFunctions(a, b);
          i += 2;
        } else if (arg.kind === 'matrix' && isVector(arg) && args[i + 1]?.kind === 'matrix') {
          const { x, y } = pairedData([arg, args[i + 1]!], 'plot', ctx);
          marks.push({ type: 'line', x, y });
          i += 2;
        } else if (arg.kind === 'matrix' && isVector(arg)) {
          const { x, y } = pairedData([arg], 'plot', ctx);
          marks.push({ type: 'line', x, y });
          i++;
        } else {
          throw argumentError('plot', i + 1, 'a function, a mark (curve, scatter, …) or a plot', arg);
        }
      }
      if (pending.length > 0) flushFunctions(...DEFAULT_INTERVAL);
      const option = (key: 'title' | 'xlabel' | 'ylabel') => {
        const value = named[key];
        return value === undefined ? undefined : toText(value, 'plot', 0, `a string for ${key}`);
      };
      const title = option('title') ?? inheritedTitle;
      const xlabel = option('xlabel');
      const ylabel = option('ylabel');
      return plotValue({
        marks,
        ...(title !== undefined ? { title } : {}),
        ...(xlabel !== undefined ? { xlabel } : {}),
        ...(ylabel !== undefined ? { ylabel } : {}),
      });
    },
  },
];

/** A number in a summary: at most 4 significant digits, no trailing zeros. */
function formatNumber(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  return String(Number(x.toPrecision(4)));
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** One mark in words: `scatter of 5 points`, `curve of fit on [0, 6]`. */
export function summarizeMark(mark: PlotMark): string {
  switch (mark.type) {
    case 'curve':
      return `curve of ${mark.label} on [${formatNumber(mark.x[0]!)}, ${formatNumber(mark.x[mark.x.length - 1]!)}]`;
    case 'line':
      return `line${mark.label ? ` '${mark.label}'` : ''} through ${plural(mark.x.length, 'point')}`;
    case 'scatter':
      return `scatter${mark.label ? ` '${mark.label}'` : ''} of ${plural(mark.x.length, 'point')}`;
    case 'bar':
      return `bar chart${mark.label ? ` '${mark.label}'` : ''} of ${plural(mark.x.length, 'bar')}`;
    case 'hist':
      return `histogram${mark.label ? ` '${mark.label}'` : ''} of ${plural(mark.values.length, 'value')} in ${plural(mark.bins, 'bin')}`;
    case 'contour':
      return `contour of ${mark.label ?? 'f'} on [${formatNumber(mark.x[0]!)}, ${formatNumber(mark.x[mark.x.length - 1]!)}] × [${formatNumber(mark.y[0]!)}, ${formatNumber(mark.y[mark.y.length - 1]!)}]`;
    case 'heatmap':
      return `heatmap${mark.label ? ` '${mark.label}'` : ''} of a ${mark.z.length}×${mark.z[0]?.length ?? 0} matrix`;
    case 'vectors':
      return `${plural(mark.x.length, 'arrow')}${mark.label ? ` '${mark.label}'` : ''}`;
    case 'path':
      return `path${mark.label ? ` '${mark.label}'` : ''} of ${plural(mark.x.length, 'point')}`;
  }
}

/**
 * A plot in one line, for hovers: `plot 'least squares': scatter of 5 points, curve of fit on [0, 6]`.
 * A single mark without a title reads as the mark alone.
 */
export function summarizePlot(spec: PlotSpec): string {
  const parts = spec.marks.map(summarizeMark);
  const axes = spec.xlabel || spec.ylabel ? ` (axes: ${spec.xlabel ?? 'x'}, ${spec.ylabel ?? 'y'})` : '';
  const body = parts.length === 0 ? 'empty' : parts.join(', ');
  if (spec.title !== undefined) return `plot '${spec.title}': ${body}${axes}`;
  if (parts.length === 1 && !axes) return body;
  return `plot: ${body}${axes}`;
}
