/**
 * Runtime values as text (inlay hints, hovers, the command line), as LaTeX (the preview) and as
 * JSON (the command line's `eval --json` contract of DESIGN.md).
 *
 * Numbers show `precision` significant digits (6 by default), integers exactly, `-0` as `0`.
 * Large matrices are elided in the middle and say their shape.
 */
import type { MatrixValue, PlotSpec, Value } from '../eval/value.js';
import { exprToLatex } from './latex.js';
import { nameToLatex } from './names.js';
import { summarizePlot } from '../eval/builtins/plots.js';

/** Rows and columns shown before a matrix is elided in the middle. */
const MAX_ROWS = 10;
const MAX_COLS = 8;
/** When eliding, how many leading and trailing rows/columns stay. */
const HEAD_ROWS = 6;
const TAIL_ROWS = 2;
const HEAD_COLS = 5;
const TAIL_COLS = 2;

/** One number as text: integers exactly, others with `precision` significant digits. */
export function formatNumber(x: number, precision = 6): string {
  if (Number.isNaN(x)) return 'NaN';
  if (x === Infinity) return 'Inf';
  if (x === -Infinity) return '-Inf';
  if (x === 0) return '0';
  if (Number.isInteger(x) && Math.abs(x) < 1e15) return String(x);
  const abs = Math.abs(x);
  if (abs >= 1e-4 && abs < 10 ** precision) {
    const fixed = x.toPrecision(precision);
    return stripZeros(fixed.includes('e') ? Number(fixed).toString() : fixed);
  }
  const [mantissa, exponent] = x.toExponential(precision - 1).split('e');
  return `${stripZeros(mantissa!)}e${Number(exponent)}`;
}

function stripZeros(s: string): string {
  if (!s.includes('.')) return s;
  const trimmed = s.replace(/0+$/, '').replace(/\.$/, '');
  return trimmed === '-0' ? '0' : trimmed;
}

/** A complex number as `1 + 2i`, `-3i`, `2 - i`. */
export function formatComplex(re: number, im: number, precision = 6): string {
  if (im === 0 || Object.is(im, -0)) return formatNumber(re, precision);
  const imagPart = (v: number): string => {
    const t = formatNumber(v, precision);
    return t === '1' ? 'i' : `${t}i`;
  };
  if (re === 0) return im < 0 ? `-${imagPart(-im)}` : imagPart(im);
  return `${formatNumber(re, precision)} ${im < 0 ? '-' : '+'} ${imagPart(Math.abs(im))}`;
}

function entryText(m: MatrixValue, k: number, precision: number): string {
  if (m.logical) return m.data[k] !== 0 ? 'true' : 'false';
  if (m.imag) return formatComplex(m.data[k]!, m.imag[k]!, precision);
  return formatNumber(m.data[k]!, precision);
}

/** Which row and column indices to show (null marks the elision). */
function visibleIndices(count: number, max: number, head: number, tail: number): (number | null)[] {
  if (count <= max) return Array.from({ length: count }, (_, i) => i);
  return [...Array.from({ length: head }, (_, i) => i), null, ...Array.from({ length: tail }, (_, i) => count - tail + i)];
}

function matrixText(m: MatrixValue, precision: number): string {
  if (m.rows === 0 || m.cols === 0) return `[] (${m.rows}×${m.cols})`;
  const rows = visibleIndices(m.rows, MAX_ROWS, HEAD_ROWS, TAIL_ROWS);
  const cols = visibleIndices(m.cols, MAX_COLS, HEAD_COLS, TAIL_COLS);
  const cells = rows.map((i) => cols.map((j) => (i === null ? (j === null ? '⋱' : '⋮') : j === null ? '…' : entryText(m, i * m.cols + j, precision))));
  const widths = cols.map((_, c) => Math.max(...cells.map((row) => row[c]!.length)));
  const lines = cells.map((row) => row.map((cell, c) => cell.padStart(widths[c]!)).join('  '));
  const grid = lines.map((line, i) => `${i === 0 ? '[' : ' '}${line}${i === lines.length - 1 ? ']' : ''}`).join('\n');
  const elided = m.rows > MAX_ROWS || m.cols > MAX_COLS;
  return elided ? `${m.rows}×${m.cols} matrix, ${m.rows > MAX_ROWS ? 'first and last rows' : 'first and last columns'}:\n${grid}` : grid;
}

/** A matrix on one line, `[19, 22; 43, 50]`, elided when long: the inline form of hints. */
export function matrixInline(m: MatrixValue, precision = 6): string {
  if (m.rows === 0 || m.cols === 0) return `[] (${m.rows}×${m.cols})`;
  const rows = visibleIndices(m.rows, MAX_ROWS, HEAD_ROWS, TAIL_ROWS);
  const cols = visibleIndices(m.cols, MAX_COLS, HEAD_COLS, TAIL_COLS);
  const body = rows
    .map((i) => (i === null ? '…' : cols.map((j) => (j === null ? '…' : entryText(m, i * m.cols + j, precision))).join(', ')))
    .join('; ');
  const elided = m.rows > MAX_ROWS || m.cols > MAX_COLS;
  return elided ? `[${body}] (${m.rows}×${m.cols})` : `[${body}]`;
}

/**
 * A value as text. `source` (the document text) lets a user function print its body as written
 * (`f(x) = x^2`); without it the body is elided.
 */
export function valueToText(v: Value, precision = 6, source?: string): string {
  switch (v.kind) {
    case 'number':
      return formatNumber(v.value, precision);
    case 'complex':
      return formatComplex(v.re, v.im, precision);
    case 'bool':
      return v.value ? 'true' : 'false';
    case 'string':
      return JSON.stringify(v.value);
    case 'matrix':
      return matrixText(v, precision);
    case 'function':
      return functionText(v, source);
    case 'tuple':
      return v.items.map((item) => valueToInlineText(item, precision, source)).join(', ');
    case 'plot':
      return summarizePlot(v.spec);
  }
}

/** A value on one line (matrices as `[1, 2; 3, 4]`), for inlay hints and tuples. */
export function valueToInlineText(v: Value, precision = 6, source?: string): string {
  if (v.kind === 'matrix') return matrixInline(v, precision);
  if (v.kind === 'tuple') return `(${v.items.map((item) => valueToInlineText(item, precision, source)).join(', ')})`;
  return valueToText(v, precision, source).replace(/\s*\n\s*/g, ' ');
}

function functionText(v: Extract<Value, { kind: 'function' }>, source?: string): string {
  switch (v.type) {
    case 'builtin':
      return `${v.name} (built-in)`;
    case 'derived': {
      const how = v.method === 'symbolic' ? '' : v.method === 'autodiff' ? ' (automatic differentiation)' : ' (numeric differences)';
      return v.formulaText ? `${v.name} = ${v.formulaText}${how}` : `${v.name}${how || ' (derivative)'}`;
    }
    case 'user': {
      const params = v.params.map((p) => p.name).join(', ');
      const body = source ? source.slice(v.body.span.start, v.body.span.end) : '…';
      return v.name ? `${v.name}(${params}) = ${body}` : `${v.params.length === 1 ? params : `(${params})`} -> ${body}`;
    }
  }
}

// ---- LaTeX -------------------------------------------------------------------------------------

/** One number as LaTeX: `1.5`, `-3`, `2.5 \times 10^{-7}`, `\infty`. */
export function numberToLatex(x: number, precision = 6): string {
  if (Number.isNaN(x)) return '\\text{NaN}';
  if (x === Infinity) return '\\infty';
  if (x === -Infinity) return '-\\infty';
  const text = formatNumber(x, precision);
  const m = /^(-?[\d.]+)e(-?\d+)$/.exec(text);
  if (m) return `${m[1]} \\times 10^{${m[2]}}`;
  return text;
}

function complexToLatex(re: number, im: number, precision: number): string {
  return formatComplex(re, im, precision).replace(/(-?[\d.]+)e(-?\d+)/g, '$1 \\times 10^{$2}');
}

function entryLatex(m: MatrixValue, k: number, precision: number): string {
  if (m.logical) return m.data[k] !== 0 ? '\\text{true}' : '\\text{false}';
  if (m.imag) return complexToLatex(m.data[k]!, m.imag[k]!, precision);
  return numberToLatex(m.data[k]!, precision);
}

function matrixLatex(m: MatrixValue, precision: number): string {
  if (m.rows === 0 || m.cols === 0) return '\\begin{bmatrix}\\end{bmatrix}';
  const rows = visibleIndices(m.rows, MAX_ROWS, HEAD_ROWS, TAIL_ROWS);
  const cols = visibleIndices(m.cols, MAX_COLS, HEAD_COLS, TAIL_COLS);
  const body = rows
    .map((i) =>
      cols
        .map((j) => (i === null ? (j === null ? '\\ddots' : '\\vdots') : j === null ? '\\cdots' : entryLatex(m, i * m.cols + j, precision)))
        .join(' & '),
    )
    .join(' \\\\ ');
  const elided = m.rows > MAX_ROWS || m.cols > MAX_COLS;
  const matrixTex = `\\begin{bmatrix}${body}\\end{bmatrix}`;
  return elided ? `${matrixTex}_{${m.rows}\\times ${m.cols}}` : matrixTex;
}

function escapeLatexText(s: string): string {
  return s.replace(/[\\{}$&#^_%~]/g, (c) => (c === '\\' ? '\\textbackslash{}' : c === '^' ? '\\textasciicircum{}' : c === '~' ? '\\textasciitilde{}' : `\\${c}`));
}

/** A value as LaTeX for KaTeX. Functions show their derivative formula when they have one. */
export function valueToLatex(v: Value, precision = 6): string {
  switch (v.kind) {
    case 'number':
      return numberToLatex(v.value, precision);
    case 'complex':
      return complexToLatex(v.re, v.im, precision);
    case 'bool':
      return v.value ? '\\text{true}' : '\\text{false}';
    case 'string':
      return `\\text{“${escapeLatexText(v.value)}”}`;
    case 'matrix':
      return matrixLatex(v, precision);
    case 'function':
      if (v.type === 'derived' && v.formula) return v.formula;
      if (v.type === 'builtin') return `\\operatorname{${escapeLatexText(v.name)}}`;
      if (v.type === 'user') {
        const params = v.params.map((p) => nameToLatex(p.name)).join(', ');
        const body = exprToLatex(v.body);
        return v.name ? `${nameToLatex(v.name)}(${params}) = ${body}` : `${v.params.length === 1 ? params : `(${params})`} \\mapsto ${body}`;
      }
      return `\\text{${escapeLatexText(v.name)}}`;
    case 'tuple':
      return `\\left(${v.items.map((item) => valueToLatex(item, precision)).join(',\\ ')}\\right)`;
    case 'plot':
      return `\\text{${escapeLatexText(summarizePlot(v.spec))}}`;
  }
}

// ---- JSON --------------------------------------------------------------------------------------

/** The JSON form of a value in `mathnote eval --json`. */
export type JsonValue =
  | number
  | boolean
  | string
  | null
  | readonly JsonValue[]
  | { readonly [key: string]: JsonValue | PlotSpec };

/** A number as valid JSON: NaN and infinities become the strings "NaN", "Infinity", "-Infinity". */
function jsonNumber(x: number): number | string {
  if (Number.isNaN(x)) return 'NaN';
  if (x === Infinity) return 'Infinity';
  if (x === -Infinity) return '-Infinity';
  return x === 0 ? 0 : x;
}

/**
 * A value per DESIGN.md's command-line contract: number, boolean, string, a row-major array of
 * rows for a matrix (complex entries `{"re", "im"}`), `{"re", "im"}`, `{"tuple": [...]}`,
 * `{"function": "<latex>"}` or `{"plot": spec}`.
 */
export function valueToJson(v: Value): JsonValue {
  switch (v.kind) {
    case 'number':
      return jsonNumber(v.value);
    case 'complex':
      return { re: jsonNumber(v.re), im: jsonNumber(v.im) };
    case 'bool':
      return v.value;
    case 'string':
      return v.value;
    case 'matrix': {
      const rows: JsonValue[] = [];
      for (let i = 0; i < v.rows; i++) {
        const row: JsonValue[] = [];
        for (let j = 0; j < v.cols; j++) {
          const k = i * v.cols + j;
          if (v.logical) row.push(v.data[k] !== 0);
          else if (v.imag) row.push({ re: jsonNumber(v.data[k]!), im: jsonNumber(v.imag[k]!) });
          else row.push(jsonNumber(v.data[k]!));
        }
        rows.push(row);
      }
      return rows;
    }
    case 'function':
      return { function: valueToLatex(v) };
    case 'tuple':
      return { tuple: v.items.map(valueToJson) };
    case 'plot':
      return { plot: v.spec };
  }
}

/** `[rows, cols]` of a numeric value (a scalar is 1×1), null for functions, strings, tuples, plots. */
export function shapeOf(v: Value): [number, number] | null {
  switch (v.kind) {
    case 'number':
    case 'complex':
    case 'bool':
      return [1, 1];
    case 'matrix':
      return [v.rows, v.cols];
    default:
      return null;
  }
}
