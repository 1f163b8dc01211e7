/**
 * The markup of one segment of the render model, as an HTML string: the one description of what a
 * prose segment or a Mathnote block looks like, shared by the page (segments.ts turns it into
 * elements) and by `mathnote render` (server/src/render.ts writes the first screen of a long note
 * into the page itself, so Chromium paints it before the rest of the file is even parsed).
 *
 * This module uses no DOM, so it runs in Node as well as in the page. Text from the note reaches
 * the markup only escaped (`escapeMarkup`), through markdown-it with HTML disabled, or through KaTeX
 * with `trust: false` (tex.ts), which escapes what it prints.
 */
import type { PlotSpec } from '../../server/src/language/eval/value.js';
import type {
  BlockSegment,
  PreviewModel,
  PreviewProblem,
  PreviewSegment,
  PreviewStatement,
  ProseSegment,
} from '../../server/src/language/features/preview.js';
import type MarkdownIt from 'markdown-it';
import { citationEnv } from './markdown.js';
import { escapeHtml, texToHtml } from './tex.js';

/**
 * Escapes text for an HTML text node or a double-quoted attribute value. A carriage return is
 * written as a character reference, because the HTML parser would turn a literal one into a line
 * feed, and the element must hold exactly what the note holds.
 */
export function escapeMarkup(text: string): string {
  return escapeHtml(text).replace(/\r/g, '&#13;');
}

function relLine(line: number, segmentStart: number): string {
  return ` data-rel-line="${Math.max(0, line - segmentStart)}"`;
}

/** The right-hand side of a statement's row: `= value = result`, or `⇒ verdict` for comparisons. */
function rowLatex(statement: PreviewStatement): { lhs: string; rhs: string } {
  const result = statement.result;
  const parts: string[] = [];
  if (statement.lhs !== undefined) parts.push(`${statement.relation ?? '='} ${statement.latex}`);
  if (result && !result.echo) {
    if (statement.comparison && (result.text === 'true' || result.text === 'false')) {
      parts.push(`\\quad\\Rightarrow\\ \\mathrm{${result.text}}`);
    } else {
      parts.push(`= ${result.latex}`);
    }
  }
  return { lhs: statement.lhs ?? statement.latex, rhs: parts.join(' ') };
}

/** A rough height in pixels of a drawn segment, so placeholders and the first screen are about right. */
export function estimatedHeight(segment: PreviewSegment): number {
  if (segment.kind === 'prose') return 24 * (segment.endLine - segment.startLine + 1);
  const plots = segment.statements.filter((statement) => statement.plot).length;
  return 40 + 40 * (segment.statements.length - plots) + 420 * plots + 24 * segment.problems.length;
}

/** The height Observable Plot gives a chart `width` wide (its 5:3 frame), plus title and legend. */
export function estimatedPlotHeight(spec: PlotSpec, width: number): number {
  const plotWidth = Math.max(320, Math.min(width, 720));
  const legend = spec.marks.length > 1 ? 24 : 0;
  return Math.round(plotWidth * 0.6) + (spec.title ? 30 : 0) + legend;
}

function problemMarkup(problem: PreviewProblem, segmentStart: number): string {
  return (
    `<div class="mn-problem mn-${escapeMarkup(problem.severity)}"${relLine(problem.line, segmentStart)}>` +
    `<span class="mn-problem-code">${escapeMarkup(problem.code)}</span>` +
    `<span class="mn-problem-message">${escapeMarkup(problem.message)}</span></div>`
  );
}

/**
 * A statement: a typeset row (left side, then `= …` and the result), or, for a plot, a placeholder
 * figure of about the plot's height that the page replaces with the drawn plot (plots take tens of
 * milliseconds each, so they are drawn near the viewport or in the background); then its problems.
 */
function statementMarkup(statement: PreviewStatement, segmentStart: number, width: number): string {
  let markup: string;
  if (statement.plot) {
    markup =
      `<figure class="mn-plot mn-plot-pending" style="min-height: ${estimatedPlotHeight(statement.plot, width)}px;"` +
      `${relLine(statement.line, segmentStart)} title="${escapeMarkup(statement.source)}"></figure>`;
  } else {
    const title = statement.result ? `${statement.source}\n⇒ ${statement.result.text}` : statement.source;
    const error = statement.problems.some((p) => p.severity === 'error');
    let lhs = '';
    let rhs = '';
    if (statement.broken) {
      rhs = `<code class="mn-broken">${escapeMarkup(statement.source)}</code>`;
    } else {
      // Display style (full-size fractions and sums) on one line per statement, as in a textbook.
      const latex = rowLatex(statement);
      lhs = texToHtml(`\\displaystyle ${latex.lhs}`, false);
      if (latex.rhs !== '') rhs = texToHtml(`\\displaystyle {}${latex.rhs}`, false);
    }
    markup =
      `<div class="mn-stmt${error ? ' mn-has-error' : ''}"${relLine(statement.line, segmentStart)} title="${escapeMarkup(title)}">` +
      `<div class="mn-lhs">${lhs}</div><div class="mn-rhs">${rhs}</div></div>`;
  }
  for (const problem of statement.problems) markup += problemMarkup(problem, segmentStart);
  return markup;
}

/** The attributes every segment carries: its class, key and lines. */
function segmentAttributes(className: string, segment: PreviewSegment): string {
  return ` class="${className} mn-segment" data-key="${escapeMarkup(segment.key)}" data-start-line="${segment.startLine}" data-end-line="${segment.endLine}"`;
}

function blockMarkup(segment: BlockSegment, width: number): string {
  let statements = '';
  for (const statement of segment.statements) statements += statementMarkup(statement, segment.startLine, width);
  for (const problem of segment.problems) statements += problemMarkup(problem, segment.startLine);
  return (
    `<section${segmentAttributes('mn-block', segment)}>` +
    '<div class="mn-block-head"><button class="mn-toggle" type="button" aria-expanded="false">source</button></div>' +
    `<div class="mn-statements">${statements}</div>` +
    `<pre class="mn-source" hidden=""${relLine(segment.contentLine, segment.startLine)}><code>${escapeMarkup(segment.source)}</code></pre>` +
    '</section>'
  );
}

function proseMarkup(segment: ProseSegment, md: MarkdownIt): string {
  // markdown-it runs with `html: false`, so the only markup in its output is its own and KaTeX's.
  return `<div${segmentAttributes('mn-prose', segment)}>${md.render(segment.markdown, citationEnv(segment.citations))}</div>`;
}

/**
 * The markup of one segment: one element with the class `mn-segment`, its key and lines. `width`
 * is the room for plots, which sets the height of their placeholders.
 */
export function segmentMarkup(segment: PreviewSegment, md: MarkdownIt, width: number): string {
  return segment.kind === 'prose' ? proseMarkup(segment, md) : blockMarkup(segment, width);
}

/** The status line of a model: error and warning counts, evaluation state, lock. Empty when there is nothing to say. */
export function statusText(model: PreviewModel, locked: boolean): string {
  const parts: string[] = [];
  if (model.errorCount > 0) parts.push(`${model.errorCount} error${model.errorCount === 1 ? '' : 's'}`);
  if (model.warningCount > 0) parts.push(`${model.warningCount} warning${model.warningCount === 1 ? '' : 's'}`);
  if (model.pending) parts.push('evaluating…');
  else if (!model.complete) parts.push('evaluation stopped early');
  if (locked) parts.push('locked');
  return parts.join(' · ');
}

/** What a page should show before its script runs: the first segments of a model, already drawn. */
export interface FirstScreenOptions {
  /** The estimated height to fill, in pixels (`estimatedHeight`); a tall window's worth by default. */
  readonly height?: number;
  /** The room for plots, in pixels. */
  readonly width?: number;
}

/**
 * The markup of the segments that fill the first screen of a page opened at its top: segments in
 * document order until their estimated height reaches `height`. The page's script later takes
 * these elements over as they are (preview.ts) instead of drawing them again.
 */
export function firstScreenMarkup(model: PreviewModel, md: MarkdownIt, options: FirstScreenOptions = {}): string {
  let budget = options.height ?? 1200;
  const width = options.width ?? 720;
  let markup = '';
  for (const segment of model.segments) {
    if (budget <= 0) break;
    budget -= estimatedHeight(segment);
    markup += segmentMarkup(segment, md, width);
  }
  return markup;
}
