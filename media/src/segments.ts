/**
 * Builds the DOM of one segment of the model: a prose segment (Markdown) or a Mathnote block
 * (typeset statements with their results, inline problems, plots, and a source toggle).
 *
 * Text from the note reaches the page only through `textContent`, markdown-it with HTML disabled,
 * or KaTeX with `trust: false` (tex.ts), never through string concatenation into HTML.
 */
import type { PlotSpec } from '../../server/src/language/eval/value.js';
import type {
  BlockSegment,
  PreviewProblem,
  PreviewSegment,
  PreviewStatement,
  ProseSegment,
} from '../../server/src/language/features/preview.js';
import type MarkdownIt from 'markdown-it';
import { citationEnv } from './markdown.js';
import { drawPlot } from './plot.js';
import { renderTex } from './tex.js';

let renderCounter = 0;

function element<K extends keyof HTMLElementTagNameMap>(tag: K, className?: string, text?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function relLine(node: HTMLElement, line: number, segmentStart: number): void {
  node.dataset.relLine = String(Math.max(0, line - segmentStart));
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

/** A plot, or a note saying why it could not be drawn: one bad plot never blanks the page. */
function safePlot(spec: PlotSpec, width: number): HTMLElement {
  try {
    return drawPlot(spec, width);
  } catch (error) {
    const figure = element('figure', 'mn-plot mn-plot-failed');
    figure.append(element('div', 'mn-problem mn-error', `This plot could not be drawn: ${String(error)}`));
    return figure;
  }
}

function problemNode(problem: PreviewProblem): HTMLElement {
  const node = element('div', `mn-problem mn-${problem.severity}`);
  node.append(element('span', 'mn-problem-code', problem.code), element('span', 'mn-problem-message', problem.message));
  return node;
}

/**
 * Plots waiting to be drawn, each with the spec it will draw. A plot takes tens of milliseconds to
 * lay out, so blocks draw a placeholder figure of about the plot's height and the page draws the
 * plot when it comes near the viewport or in the background (preview.ts).
 */
export const pendingPlots = new Map<HTMLElement, PlotSpec>();

/** The height Observable Plot gives a chart `width` wide (its 5:3 frame), plus title and legend. */
function estimatedPlotHeight(spec: PlotSpec, width: number): number {
  const plotWidth = Math.max(320, Math.min(width, 720));
  const legend = spec.marks.length > 1 ? 24 : 0;
  return Math.round(plotWidth * 0.6) + (spec.title ? 30 : 0) + legend;
}

function plotPlaceholder(spec: PlotSpec, width: number): HTMLElement {
  const figure = element('figure', 'mn-plot mn-plot-pending');
  figure.style.minHeight = `${estimatedPlotHeight(spec, width)}px`;
  pendingPlots.set(figure, spec);
  return figure;
}

/** Draws a pending plot in place of its placeholder (keeping its line and title); returns the figure. */
export function drawPendingPlot(placeholder: HTMLElement, width: number): HTMLElement {
  const spec = pendingPlots.get(placeholder);
  if (!spec) return placeholder;
  pendingPlots.delete(placeholder);
  const figure = safePlot(spec, width);
  figure.dataset.relLine = placeholder.dataset.relLine;
  figure.title = placeholder.title;
  placeholder.replaceWith(figure);
  return figure;
}

function statementNodes(statement: PreviewStatement, segmentStart: number, width: number): HTMLElement[] {
  const nodes: HTMLElement[] = [];
  if (statement.plot) {
    const figure = plotPlaceholder(statement.plot, width);
    relLine(figure, statement.line, segmentStart);
    figure.title = statement.source;
    nodes.push(figure);
  } else {
    const row = element('div', 'mn-stmt');
    relLine(row, statement.line, segmentStart);
    row.title = statement.result ? `${statement.source}\n⇒ ${statement.result.text}` : statement.source;
    if (statement.problems.some((p) => p.severity === 'error')) row.classList.add('mn-has-error');
    const lhs = element('div', 'mn-lhs');
    const rhs = element('div', 'mn-rhs');
    if (statement.broken) {
      rhs.append(element('code', 'mn-broken', statement.source));
    } else {
      // Display style (full-size fractions and sums) on one line per statement, as in a textbook.
      const latex = rowLatex(statement);
      renderTex(lhs, `\\displaystyle ${latex.lhs}`, false);
      if (latex.rhs !== '') renderTex(rhs, `\\displaystyle {}${latex.rhs}`, false);
    }
    row.append(lhs, rhs);
    nodes.push(row);
  }
  for (const problem of statement.problems) {
    const node = problemNode(problem);
    relLine(node, problem.line, segmentStart);
    nodes.push(node);
  }
  return nodes;
}

function renderBlock(segment: BlockSegment, width: number): HTMLElement {
  const section = element('section', 'mn-block');
  const head = element('div', 'mn-block-head');
  const toggle = element('button', 'mn-toggle', 'source');
  toggle.type = 'button';
  toggle.setAttribute('aria-expanded', 'false');
  head.append(toggle);
  const statements = element('div', 'mn-statements');
  for (const statement of segment.statements) statements.append(...statementNodes(statement, segment.startLine, width));
  for (const problem of segment.problems) {
    const node = problemNode(problem);
    relLine(node, problem.line, segment.startLine);
    statements.append(node);
  }
  const source = element('pre', 'mn-source');
  source.hidden = true;
  const code = element('code', undefined, segment.source);
  source.append(code);
  relLine(source, segment.contentLine, segment.startLine);
  toggle.addEventListener('click', () => {
    source.hidden = !source.hidden;
    toggle.setAttribute('aria-expanded', String(!source.hidden));
    toggle.classList.toggle('mn-active', !source.hidden);
  });
  section.append(head, statements, source);
  return section;
}

function renderProse(segment: ProseSegment, md: MarkdownIt): HTMLElement {
  const div = element('div', 'mn-prose');
  // markdown-it runs with `html: false`, so the only markup in its output is its own and KaTeX's.
  div.innerHTML = md.render(segment.markdown, citationEnv(segment.citations));
  return div;
}

/** A fresh element for a segment, marked with its key and a render number (tests read it). */
export function renderSegment(segment: PreviewSegment, md: MarkdownIt, width: number): HTMLElement {
  let node: HTMLElement;
  try {
    node = segment.kind === 'prose' ? renderProse(segment, md) : renderBlock(segment, width);
  } catch (error) {
    // A bug in drawing one segment shows up there, and the rest of the note is still drawn.
    node = element('div', 'mn-problem mn-error', `This part of the note could not be drawn: ${String(error)}`);
  }
  node.classList.add('mn-segment');
  node.dataset.key = segment.key;
  node.dataset.render = String(++renderCounter);
  return node;
}

/** Draws the plots of a block again (after a resize), keeping everything else. */
export function redrawPlots(node: HTMLElement, segment: BlockSegment, width: number): void {
  const figures = node.querySelectorAll<HTMLElement>('figure.mn-plot');
  const plotted = segment.statements.filter((statement) => statement.plot);
  figures.forEach((figure, index) => {
    const statement = plotted[index];
    if (!statement?.plot) return;
    // A plot not drawn yet is drawn at the new width when its turn comes.
    if (pendingPlots.has(figure)) return;
    const fresh = safePlot(statement.plot, width);
    fresh.dataset.relLine = figure.dataset.relLine;
    fresh.title = figure.title;
    figure.replaceWith(fresh);
  });
}
