/**
 * Statement results as the editor features show them: one line for inlay hints, Markdown for hovers,
 * text and LaTeX for copying. Values themselves hold closures and typed arrays and cannot leave the
 * evaluation worker, so `summarizeEvaluation` turns an evaluation into plain, serializable
 * `ResultSummary` records that the language server keeps per document.
 */
import type { Analysis, Evaluation } from '../analysis.js';
import type { MatrixValue, Value } from '../eval/value.js';
import { summarizePlot } from '../eval/builtins/plots.js';
import { formatComplex, formatNumber, shapeOf, valueToInlineText, valueToLatex, valueToText } from '../print/value.js';
import { formatDim, type StaticType } from '../shapes/types.js';

/** The result of one statement, printed every way a feature needs it. */
export interface ResultSummary {
  /** Position of the statement in `analysis.statements`. */
  readonly statementIndex: number;
  /** The statement's source text, so a summary can be matched to a later version of the note. */
  readonly source: string;
  /** The names the statement defines (empty for a bare expression). */
  readonly names: readonly string[];
  /** The value as `mathnote eval` prints it. */
  readonly text: string;
  /** The value on one line (`[19, 22; 43, 50]`), for inlay hints. */
  readonly inline: string;
  /** The value as LaTeX. */
  readonly latex: string;
  /** The value as Markdown (a table for a matrix), for hovers. */
  readonly markdown: string;
  /** `[rows, cols]` for numbers and matrices, null otherwise. */
  readonly shape: readonly [number, number] | null;
  /** True when the value is a function (its definition needs no inlay hint). */
  readonly isFunction: boolean;
  /** For a destructuring statement, each target's part of the tuple. */
  readonly parts?: readonly NamedResult[];
}

/** One named part of a multi-valued result (`λ` of `λ, Q = eig(S)`). */
export interface NamedResult {
  readonly name: string;
  readonly text: string;
  readonly inline: string;
  readonly latex: string;
  readonly markdown: string;
  readonly shape: readonly [number, number] | null;
}

/** Largest matrix shown whole in a hover table; larger ones keep their corners. */
const TABLE_MAX_ROWS = 12;
const TABLE_MAX_COLS = 8;

function matrixEntry(matrix: MatrixValue, row: number, col: number, precision: number): string {
  const index = row * matrix.cols + col;
  const re = matrix.data[index]!;
  if (matrix.logical) return re !== 0 ? 'true' : 'false';
  return formatComplex(re, matrix.imag?.[index] ?? 0, precision);
}

/** Shortens a one-line text to at most `maxLength` characters with a trailing `…`. */
export function shorten(text: string, maxLength: number): string {
  const oneLine = text.replace(/\s*\n\s*/g, ' ');
  if (oneLine.length <= maxLength) return oneLine;
  return `${oneLine.slice(0, Math.max(1, maxLength - 1))}…`;
}

function indicesToShow(count: number, max: number): (number | null)[] {
  if (count <= max) return Array.from({ length: count }, (_, index) => index);
  const head = Math.ceil((max - 1) / 2);
  const tail = max - 1 - head;
  return [
    ...Array.from({ length: head }, (_, index) => index),
    null,
    ...Array.from({ length: tail }, (_, index) => count - tail + index),
  ];
}

function escapeCell(text: string): string {
  return text.replace(/\|/g, '\\|');
}

/** A matrix as a Markdown table with 1-based row and column numbers, elided in the middle when large. */
export function matrixToMarkdownTable(matrix: MatrixValue, precision: number): string {
  const rows = indicesToShow(matrix.rows, TABLE_MAX_ROWS);
  const cols = indicesToShow(matrix.cols, TABLE_MAX_COLS);
  const header = `|   | ${cols.map((col) => (col === null ? '⋯' : String(col + 1))).join(' | ')} |`;
  const rule = `|---|${cols.map(() => '---:').join('|')}|`;
  const body = rows.map((row) => {
    if (row === null) return `| ⋮ | ${cols.map(() => '⋮').join(' | ')} |`;
    const cells = cols.map((col) => (col === null ? '⋯' : escapeCell(matrixEntry(matrix, row, col, precision))));
    return `| **${row + 1}** | ${cells.join(' | ')} |`;
  });
  return [header, rule, ...body].join('\n');
}

/** How a shape reads: `2×3 matrix`, `3×1 vector`, `scalar`. */
export function describeShape(rows: number, cols: number): string {
  if (rows === 1 && cols === 1) return 'scalar';
  if (rows === 1 || cols === 1) return `${rows}×${cols} vector`;
  return `${rows}×${cols} matrix`;
}

/** How a static type reads in hovers and completion details. */
export function describeStaticType(type: StaticType | undefined): string | undefined {
  if (!type) return undefined;
  switch (type.kind) {
    case 'matrix': {
      if (type.rows === 1 && type.cols === 1) return type.logical ? 'boolean' : 'scalar';
      const shape = `${formatDim(type.rows)}×${formatDim(type.cols)}`;
      if (type.rows === 1 || type.cols === 1) return `${shape} vector`;
      return `${shape} matrix`;
    }
    case 'bool':
      return 'boolean';
    case 'string':
      return 'string';
    case 'function':
      return type.arity === null ? 'function' : `function of ${type.arity} parameter${type.arity === 1 ? '' : 's'}`;
    case 'tuple':
      return `tuple of ${type.items.length}: ${type.items.map((item) => describeStaticType(item) ?? '?').join(', ')}`;
    case 'plot':
      return 'plot';
    case 'unknown':
      return undefined;
  }
}

/** The value as Markdown for a hover: a table for a matrix, a code span otherwise. */
export function valueToMarkdown(value: Value, precision: number, source?: string): string {
  switch (value.kind) {
    case 'matrix':
      if (value.rows * value.cols === 1) return `\`${valueToInlineText(value, precision)}\``;
      return `${describeShape(value.rows, value.cols)}${value.rows > TABLE_MAX_ROWS || value.cols > TABLE_MAX_COLS ? ' (elided)' : ''}\n\n${matrixToMarkdownTable(value, precision)}`;
    case 'tuple':
      return value.items.map((item, index) => `**${index + 1}.** ${valueToMarkdown(item, precision, source)}`).join('\n\n');
    case 'function':
      if (value.type === 'derived') {
        const how = { symbolic: 'symbolic differentiation', autodiff: 'automatic differentiation (forward mode)', numeric: 'numeric differentiation' }[value.method];
        const formula = value.formula ? `\n\n$$${value.formula}$$\n\n\`\`\`latex\n${value.formula}\n\`\`\`` : '';
        return `derivative \`${value.name}\`, computed by ${how}${formula}`;
      }
      return `\`\`\`\n${valueToText(value, precision, source)}\n\`\`\``;
    case 'plot':
      // The standard library's one-line summary names each mark and its data (plots.ts).
      return summarizePlot(value.spec);
    case 'number':
      // A numeric approximation (integral) carries its estimated absolute error.
      if (value.errorEstimate !== undefined) {
        return `\`${valueToInlineText(value, precision, source)}\` ± ${formatNumber(value.errorEstimate, 2)} (estimated error)`;
      }
      return `\`${valueToInlineText(value, precision, source)}\``;
    default:
      return `\`${valueToInlineText(value, precision, source)}\``;
  }
}

function shapeTuple(value: Value): readonly [number, number] | null {
  const shape = shapeOf(value);
  return shape ? [shape[0], shape[1]] : null;
}

function namedResult(name: string, value: Value, precision: number, source: string): NamedResult {
  return {
    name,
    text: valueToText(value, precision, source),
    inline: valueToInlineText(value, precision, source),
    latex: valueToLatex(value, precision),
    markdown: valueToMarkdown(value, precision, source),
    shape: shapeTuple(value),
  };
}

/** The serializable summary of every statement that produced a value. */
export function summarizeEvaluation(analysis: Analysis, evaluation: Evaluation, precision: number): ResultSummary[] {
  const summaries: ResultSummary[] = [];
  analysis.statements.forEach((statement, statementIndex) => {
    const result = evaluation.results.get(statement);
    const value = result?.value;
    if (!result || !value) return;
    const parts =
      statement.kind === 'destructure' && value.kind === 'tuple'
        ? statement.targets.map((target, index) => (value.items[index] ? namedResult(target.name, value.items[index]!, precision, analysis.text) : undefined)).filter((part): part is NamedResult => part !== undefined)
        : undefined;
    summaries.push({
      statementIndex,
      source: analysis.text.slice(statement.span.start, statement.span.end),
      names: result.names,
      text: valueToText(value, precision, analysis.text),
      inline: parts ? parts.map((part) => `${part.name} = ${part.inline}`).join(', ') : valueToInlineText(value, precision, analysis.text),
      latex: valueToLatex(value, precision),
      markdown: valueToMarkdown(value, precision, analysis.text),
      shape: shapeTuple(value),
      isFunction: value.kind === 'function',
      parts,
    });
  });
  return summaries;
}

/**
 * Looks up the summary of a statement of the current analysis among summaries computed for an
 * earlier (or the same) version of the note: a summary applies when the statement at its index has
 * the same source text, or else when a statement with the same source sits nearby (a line was
 * inserted or removed above it). Values of statements whose inputs changed above them are then
 * briefly stale, until the running evaluation replaces them.
 */
export function resultLookup(analysis: Analysis, summaries: readonly ResultSummary[]): (statementIndex: number) => ResultSummary | undefined {
  const byIndex = new Map(summaries.map((summary) => [summary.statementIndex, summary]));
  const bySource = new Map<string, ResultSummary[]>();
  for (const summary of summaries) {
    const list = bySource.get(summary.source);
    if (list) list.push(summary);
    else bySource.set(summary.source, [summary]);
  }
  return (statementIndex) => {
    const statement = analysis.statements[statementIndex];
    if (!statement) return undefined;
    const source = analysis.text.slice(statement.span.start, statement.span.end);
    const summary = byIndex.get(statementIndex);
    if (summary && summary.source === source) return summary;
    let nearest: ResultSummary | undefined;
    for (const candidate of bySource.get(source) ?? []) {
      if (!nearest || Math.abs(candidate.statementIndex - statementIndex) < Math.abs(nearest.statementIndex - statementIndex)) nearest = candidate;
    }
    return nearest;
  };
}
