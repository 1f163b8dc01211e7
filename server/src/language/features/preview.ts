/**
 * The render model of the preview: what the server sends (`mathnote/preview`) and the webview and
 * `mathnote render` draw. It is plain JSON (no functions, no typed arrays, no class instances), so
 * it crosses the LSP connection, the webview's `postMessage` and an HTML page unchanged.
 *
 * The webview never parses Mathnote: every formula arrives here already as LaTeX, every result as
 * LaTeX and as text, every problem as a sentence.
 */
import type { Analysis, Evaluation } from '../analysis.js';
import type { PlotMark, PlotSpec, Value } from '../eval/value.js';
import { exprToLatex } from '../print/latex.js';
import { nameToLatex } from '../print/names.js';
import { shapeOf, valueToLatex, valueToText } from '../print/value.js';
import type { Problem, ProblemCode, Severity } from '../problem.js';
import type { Expr, Span, Statement } from '../syntax/ast.js';
import type { CitationSummary } from './citations.js';
import { allProblems } from './diagnostics.js';
import { describeProblem } from './messages.js';

/** Bumped when the shape of the model changes incompatibly; the webview ignores other versions. */
export const PREVIEW_MODEL_VERSION = 1;

/** A problem as the preview shows it: already put into words. */
export interface PreviewProblem {
  readonly severity: Severity;
  readonly code: ProblemCode;
  readonly message: string;
  /** 0-based document line where the problem starts. */
  readonly line: number;
}

/** A statement's value, printed both ways. */
export interface PreviewResult {
  /** The value as plain text (`[3.5; 1.4]`), for tooltips, copy and accessibility. */
  readonly text: string;
  /** The value as KaTeX-compatible LaTeX (`\begin{bmatrix}3.5\\1.4\end{bmatrix}`). */
  readonly latex: string;
  /** `rows×cols` for a matrix, absent otherwise. */
  readonly shape?: readonly [number, number];
  /**
   * True when the typeset statement already shows this value (a definition by a literal, say
   * `λ = 0.5`), so repeating it after another `=` would only add noise.
   */
  readonly echo: boolean;
}

/** One statement of a block, typeset. */
export interface PreviewStatement {
  /** 0-based document lines of the statement's first and last line. */
  readonly line: number;
  readonly endLine: number;
  /** The statement exactly as written. */
  readonly source: string;
  /**
   * The statement as LaTeX. For a definition this is split at its `=` so the preview can align the
   * equals signs of a block: `lhs` is the target (`\hat{\beta}`), `latex` the right-hand side.
   * For a bare expression `lhs` is absent and `latex` is the whole expression.
   */
  readonly lhs?: string;
  readonly latex: string;
  /**
   * The relation between `lhs` and `latex` as LaTeX: `=` for definitions (the default when absent);
   * a comparison `a ≈ b` is split the same way (`lhs` = `a`, `relation` = `\approx`, `latex` = `b`)
   * so its relation lines up with the equals signs of the block.
   */
  readonly relation?: string;
  /** Whether the statement is a comparison (`≈`, `<`, …): its boolean result reads as a verdict. */
  readonly comparison: boolean;
  /** The names it defines (empty for a bare expression). */
  readonly names: readonly string[];
  /** Absent when the statement failed, was not reached, or has no value worth showing (a function). */
  readonly result?: PreviewResult;
  /** The plot to draw, when the value is a plot. */
  readonly plot?: PlotSpec;
  /** True for a statement that did not parse: the preview shows its source instead of LaTeX. */
  readonly broken: boolean;
  readonly problems: readonly PreviewProblem[];
}

/** Markdown text between Mathnote blocks. */
export interface ProseSegment {
  readonly kind: 'prose';
  /**
   * A hash of everything the segment shows except its position, so an edit elsewhere (which only
   * moves it) does not make the webview draw it again.
   */
  readonly key: string;
  /** 0-based document lines of the segment's first and last line. */
  readonly startLine: number;
  readonly endLine: number;
  /** The raw Markdown. */
  readonly markdown: string;
  /** Values of the `` `= expr` `` spans of this segment, in order of appearance. */
  readonly citations: readonly PreviewCitation[];
}

/** The value of an inline code span `` `= expr` `` in prose. */
export interface PreviewCitation {
  /** The expression as written between `= ` and the closing backtick, trimmed. */
  readonly expression: string;
  /** 0-based document line of the span. */
  readonly line: number;
  /** The value, absent when the expression failed (then `problem` says why). */
  readonly result?: PreviewResult;
  readonly problem?: string;
}

/** One ```mathnote block (or the whole of a `.mathnote` file). */
export interface BlockSegment {
  readonly kind: 'block';
  readonly key: string;
  readonly startLine: number;
  readonly endLine: number;
  /** The block's content as written (without its fences), for the source toggle. */
  readonly source: string;
  /** 0-based document line of the first content line. */
  readonly contentLine: number;
  readonly statements: readonly PreviewStatement[];
  /** Problems inside the block that belong to no statement (an unclosed bracket's tail, say). */
  readonly problems: readonly PreviewProblem[];
}

export type PreviewSegment = ProseSegment | BlockSegment;

/** Everything the preview draws for one note. */
export interface PreviewModel {
  readonly version: typeof PREVIEW_MODEL_VERSION;
  /** The note's document URI when the server built it, for the webview's title and state. */
  readonly uri?: string;
  /** A title for the page: the note's first heading, or its file name. */
  readonly title: string;
  readonly segments: readonly PreviewSegment[];
  /** False when evaluation stopped early: later results are missing, not wrong. */
  readonly complete: boolean;
  /** True when the model was built before any evaluation (static problems only, no results yet). */
  readonly pending?: boolean;
  /** Counts for the status line of the page. */
  readonly errorCount: number;
  readonly warningCount: number;
}

/** What the model builder needs besides the analysis and evaluation. */
export interface PreviewOptions {
  /** Significant digits of printed results (default 6). */
  readonly precision?: number;
  /** The document's URI, copied into the model. */
  readonly uri?: string;
  /** A title used when the note has no heading (its file name, say). */
  readonly fallbackTitle?: string;
  /**
   * The note's evaluated citations (`evaluateCitations` of features/citations.ts, or their
   * summaries from the evaluation worker); without them every citation shows as plain code.
   */
  readonly citations?: readonly CitationSummary[];
}

/** The comparison operators and their LaTeX relation symbols. */
const COMPARISON_RELATIONS: Readonly<Record<string, string>> = {
  '==': '=',
  '!=': '\\neq',
  '<': '<',
  '<=': '\\le',
  '>': '>',
  '>=': '\\ge',
  '≈': '\\approx',
};

/** A LaTeX printer that never takes the preview down: a printing bug shows the source instead. */
function safeLatex(print: () => string, source: string): string {
  try {
    return print();
  } catch {
    return `\\texttt{${escapeLatexText(source)}}`;
  }
}

/** Escapes text for `\texttt{…}` / `\text{…}` so KaTeX shows it literally. */
function escapeLatexText(text: string): string {
  return text.replace(/[\\{}$&#^_%~]/g, (c) => (c === '\\' ? '\\textbackslash{}' : c === '^' ? '\\textasciicircum{}' : c === '~' ? '\\textasciitilde{}' : `\\${c}`));
}

/** A literal whose printed value would only repeat it (`0.5`, `-2`, `[1, 2; 3, 4]`, `"title"`). */
function isLiteral(expr: Expr): boolean {
  switch (expr.kind) {
    case 'number':
    case 'string':
      return true;
    case 'prefix':
      return (expr.op === '-' || expr.op === '+') && expr.operand.kind === 'number';
    case 'matrix':
      return expr.rows.every((row) => row.every((cell) => cell.kind === 'number' || (cell.kind === 'prefix' && cell.operand.kind === 'number')));
    default:
      return false;
  }
}

function sameLatex(a: string, b: string): boolean {
  return a.replace(/\s+/g, '') === b.replace(/\s+/g, '');
}

/** The statement split for alignment: target (if any) and the expression after its `=`. */
function statementLatex(statement: Statement, source: string): { lhs?: string; relation?: string; latex: string; expr?: Expr } {
  switch (statement.kind) {
    case 'definition':
      return { lhs: safeLatex(() => nameToLatex(statement.target.name), statement.target.name), latex: safeLatex(() => exprToLatex(statement.value), source), expr: statement.value };
    case 'function': {
      const params = statement.params.map((param) => safeLatex(() => nameToLatex(param.name), param.name)).join(', ');
      const name = safeLatex(() => nameToLatex(statement.target.name), statement.target.name);
      return { lhs: `${name}\\left(${params}\\right)`, latex: safeLatex(() => exprToLatex(statement.body), source), expr: statement.body };
    }
    case 'destructure':
      return {
        lhs: statement.targets.map((target) => safeLatex(() => nameToLatex(target.name), target.name)).join(',\\ '),
        latex: safeLatex(() => exprToLatex(statement.value), source),
        expr: statement.value,
      };
    case 'expression': {
      const value = statement.value;
      if (value.kind === 'binary' && COMPARISON_RELATIONS[value.op] !== undefined) {
        return {
          lhs: safeLatex(() => exprToLatex(value.left), source),
          relation: COMPARISON_RELATIONS[value.op],
          latex: safeLatex(() => exprToLatex(value.right), source),
          expr: value,
        };
      }
      return { latex: safeLatex(() => exprToLatex(value), source), expr: value };
    }
    case 'error':
      return { latex: `\\texttt{${escapeLatexText(source)}}` };
  }
}

/** Copies a plot spec into plain arrays and strings (values may hold typed arrays or getters). */
function plainPlotSpec(spec: PlotSpec): PlotSpec {
  const numbers = (values: ArrayLike<number>): number[] => Array.from(values, (v) => Number(v));
  const marks = spec.marks.map((mark): PlotMark => {
    const label = mark.label === undefined ? {} : { label: String(mark.label) };
    switch (mark.type) {
      case 'curve':
        return { type: 'curve', label: String(mark.label ?? ''), x: numbers(mark.x), y: numbers(mark.y) };
      case 'line':
      case 'scatter':
      case 'bar':
      case 'path':
        return { type: mark.type, ...label, x: numbers(mark.x), y: numbers(mark.y) };
      case 'hist':
        return { type: 'hist', ...label, values: numbers(mark.values), bins: Number(mark.bins) };
      case 'contour':
        return { type: 'contour', ...label, x: numbers(mark.x), y: numbers(mark.y), z: Array.from(mark.z, numbers) };
      case 'heatmap':
        return { type: 'heatmap', ...label, z: Array.from(mark.z, numbers) };
      case 'vectors':
        return { type: 'vectors', ...label, x: numbers(mark.x), y: numbers(mark.y), u: numbers(mark.u), v: numbers(mark.v) };
    }
  });
  return {
    marks,
    ...(spec.title === undefined ? {} : { title: String(spec.title) }),
    ...(spec.xlabel === undefined ? {} : { xlabel: String(spec.xlabel) }),
    ...(spec.ylabel === undefined ? {} : { ylabel: String(spec.ylabel) }),
  };
}

function resultOf(value: Value, precision: number, rhsLatex: string, literal: boolean): PreviewResult | undefined {
  if (value.kind === 'plot') return undefined;
  // A user or built-in function's definition already shows it; a derivative shows its formula.
  if (value.kind === 'function' && value.type !== 'derived') return undefined;
  if (value.kind === 'function' && !value.formula) return undefined;
  const latex = safeLatex(() => valueToLatex(value, precision), '?');
  const text = (() => {
    try {
      return valueToText(value, precision);
    } catch {
      return '?';
    }
  })();
  const shape = shapeOf(value);
  return {
    text,
    latex,
    ...(shape && value.kind === 'matrix' ? { shape: [shape[0], shape[1]] as const } : {}),
    echo: literal || sameLatex(latex, rhsLatex),
  };
}

/**
 * A short stable hash (53 bits as hex) of a string: segment keys only need to tell versions of one
 * note apart, not resist an attacker, and the webview compares them for equality only.
 */
export function contentHash(text: string): string {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(16);
}

/** The key of a segment: a hash of its content with lines made relative to its start. */
function segmentKey(segment: Omit<ProseSegment, 'key'> | Omit<BlockSegment, 'key'>): string {
  const start = segment.startLine;
  const relative = JSON.stringify(segment, (name, value: unknown) =>
    (name === 'line' || name === 'endLine' || name === 'startLine' || name === 'contentLine') && typeof value === 'number' ? value - start : value,
  );
  return contentHash(relative);
}

function firstHeading(markdown: string): string | undefined {
  const match = /^ {0,3}#{1,6}[ \t]+(.+?)[ \t#]*$/m.exec(markdown);
  return match?.[1]?.trim();
}

/**
 * Builds the render model of an analysed and evaluated note: its prose between blocks (with the
 * values of its citations) and, for each block, every statement typeset with its result, problems
 * and plot. The result is plain JSON.
 */
export function buildPreviewModel(analysis: Analysis, evaluation: Evaluation | undefined, options: PreviewOptions = {}): PreviewModel {
  const precision = options.precision ?? 6;
  const text = analysis.text;
  const lineOf = (offset: number): number => analysis.positions.positionAt(Math.min(Math.max(0, offset), text.length)).line;
  /** The last line a span covers: a span ending just after a line break ends on the line before. */
  const endLineOf = (span: Span): number => lineOf(span.end > span.start ? span.end - 1 : span.end);

  const problems = allProblems(analysis, evaluation);
  const segments: PreviewSegment[] = [];
  const citations = [...(options.citations ?? [])].sort((a, b) => a.span.start - b.span.start);
  let errorCount = 0;
  let warningCount = 0;
  for (const problem of problems) {
    if (problem.severity === 'error') errorCount++;
    else if (problem.severity === 'warning') warningCount++;
  }
  const toPreviewProblem = (problem: Problem): PreviewProblem => ({
    severity: problem.severity,
    code: problem.code,
    message: (() => {
      try {
        return describeProblem(problem);
      } catch {
        return problem.kind;
      }
    })(),
    line: lineOf(problem.span.start),
  });

  const pushProse = (start: number, end: number): void => {
    const markdown = text.slice(start, end);
    if (markdown.trim() === '') return;
    const startLine = lineOf(start);
    const cited = citations
      .filter((citation) => citation.span.start >= start && citation.span.start < end)
      .map((citation): PreviewCitation => {
        const result: PreviewResult | undefined =
          citation.latex !== undefined && citation.text !== undefined
            ? { text: citation.text, latex: citation.latex, ...(citation.shape ? { shape: [citation.shape[0], citation.shape[1]] as const } : {}), echo: false }
            : undefined;
        return {
          expression: citation.expression,
          line: lineOf(citation.span.start),
          ...(result ? { result } : {}),
          ...(citation.problem !== undefined ? { problem: citation.problem } : {}),
        };
      });
    const segment = { kind: 'prose' as const, startLine, endLine: endLineOf({ start, end }), markdown, citations: cited };
    segments.push({ ...segment, key: segmentKey(segment) });
  };

  let proseStart = 0;
  let problemIndex = 0;
  for (const block of analysis.blocks) {
    const fence = block.fence;
    const blockStart = fence.openFence?.start ?? fence.contentStart;
    const blockEnd = fence.closeFence?.end ?? fence.contentEnd;
    if (blockStart > proseStart) pushProse(proseStart, blockStart);

    // Problems are sorted by position; take those inside this block.
    const inBlock: Problem[] = [];
    while (problemIndex < problems.length && problems[problemIndex]!.span.start < blockStart) problemIndex++;
    while (problemIndex < problems.length && problems[problemIndex]!.span.start <= blockEnd) inBlock.push(problems[problemIndex++]!);
    const claimed = new Set<Problem>();

    const statements = block.ast.statements.map((statement): PreviewStatement => {
      const source = text.slice(statement.span.start, statement.span.end);
      const own = inBlock.filter((problem) => {
        const inside = problem.span.start >= statement.span.start && problem.span.start < Math.max(statement.span.end, statement.span.start + 1);
        if (inside) claimed.add(problem);
        return inside;
      });
      const latex = statementLatex(statement, source);
      const result = evaluation?.results.get(statement);
      const value = result?.value;
      const comparison = latex.relation !== undefined;
      const literal = latex.expr !== undefined && statement.kind === 'definition' && isLiteral(latex.expr);
      const previewResult = value ? resultOf(value, precision, latex.latex, literal) : undefined;
      return {
        line: lineOf(statement.span.start),
        endLine: endLineOf(statement.span),
        source,
        ...(latex.lhs !== undefined ? { lhs: latex.lhs } : {}),
        ...(latex.relation !== undefined ? { relation: latex.relation } : {}),
        latex: latex.latex,
        comparison,
        names: result?.names ?? namesOf(statement),
        ...(previewResult ? { result: previewResult } : {}),
        ...(value?.kind === 'plot' ? { plot: plainPlotSpec(value.spec) } : {}),
        broken: statement.kind === 'error',
        problems: own.map(toPreviewProblem),
      };
    });
    const segment = {
      kind: 'block' as const,
      startLine: lineOf(blockStart),
      endLine: endLineOf({ start: blockStart, end: blockEnd }),
      source: text.slice(fence.contentStart, fence.contentEnd),
      contentLine: lineOf(fence.contentStart),
      statements,
      problems: inBlock.filter((problem) => !claimed.has(problem)).map(toPreviewProblem),
    };
    segments.push({ ...segment, key: segmentKey(segment) });
    // Prose resumes on the line after the closing fence.
    proseStart = text.startsWith('\r\n', blockEnd) ? blockEnd + 2 : text[blockEnd] === '\n' || text[blockEnd] === '\r' ? blockEnd + 1 : blockEnd;
  }
  if (proseStart < text.length) pushProse(proseStart, text.length);

  const heading = segments.map((segment) => (segment.kind === 'prose' ? firstHeading(segment.markdown) : undefined)).find((title) => title);
  return {
    version: PREVIEW_MODEL_VERSION,
    ...(options.uri !== undefined ? { uri: options.uri } : {}),
    title: heading ?? options.fallbackTitle ?? 'Mathnote preview',
    segments,
    complete: evaluation?.complete ?? false,
    ...(evaluation ? {} : { pending: true }),
    errorCount,
    warningCount,
  };
}

function namesOf(statement: Statement): string[] {
  switch (statement.kind) {
    case 'definition':
    case 'function':
      return [statement.target.name];
    case 'destructure':
      return statement.targets.map((target) => target.name);
    default:
      return [];
  }
}
