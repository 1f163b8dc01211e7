/**
 * Builds the DOM of one segment of the model: a prose segment (Markdown) or a Mathnote block
 * (typeset statements with their results, inline problems, plots, and a source toggle).
 *
 * The markup itself comes from markup.ts, which `mathnote render` also uses for the first screen of
 * a page; this module turns it into elements and gives them what only the page has: plot specs for
 * their placeholders, render numbers, the source toggle. Note text reaches the markup only escaped,
 * through markdown-it with HTML disabled, or through KaTeX with `trust: false` (tex.ts).
 */
import type { PlotSpec } from '../../server/src/language/eval/value.js';
import type { BlockSegment, PreviewSegment } from '../../server/src/language/features/preview.js';
import type MarkdownIt from 'markdown-it';
import { estimatedPlotHeight, segmentMarkup } from './markup.js';
import { drawPlot } from './plot.js';

let renderCounter = 0;

function element<K extends keyof HTMLElementTagNameMap>(tag: K, className?: string, text?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
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

/**
 * Plots waiting to be drawn, each with the spec it will draw. A plot takes tens of milliseconds to
 * lay out, so blocks draw a placeholder figure of about the plot's height and the page draws the
 * plot when it comes near the viewport or in the background (preview.ts).
 */
export const pendingPlots = new Map<HTMLElement, PlotSpec>();

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

/**
 * Makes an element drawn from `segmentMarkup` (by this page or, for the first screen of a rendered
 * page, by `mathnote render`) a live part of the page: its plot placeholders wait for their specs
 * at about the height they will take at `width`, and it gets a render number (tests read it).
 */
export function adoptSegment(node: HTMLElement, segment: PreviewSegment, width: number): HTMLElement {
  if (segment.kind === 'block') {
    const plotted = segment.statements.filter((statement) => statement.plot);
    node.querySelectorAll<HTMLElement>('figure.mn-plot-pending').forEach((figure, index) => {
      const spec = plotted[index]?.plot;
      if (!spec) return;
      figure.style.minHeight = `${estimatedPlotHeight(spec, width)}px`;
      pendingPlots.set(figure, spec);
    });
  }
  node.dataset.render = String(++renderCounter);
  return node;
}

/** Parses markup into elements; a template's content is inert, so nothing in it runs or loads. */
const template = document.createElement('template');

/** A fresh element for a segment, marked with its key, lines and a render number. */
export function renderSegment(segment: PreviewSegment, md: MarkdownIt, width: number): HTMLElement {
  let node: HTMLElement;
  try {
    template.innerHTML = segmentMarkup(segment, md, width);
    node = template.content.firstElementChild as HTMLElement;
    template.content.replaceChildren();
  } catch (error) {
    // A bug in drawing one segment shows up there, and the rest of the note is still drawn.
    node = element('div', 'mn-problem mn-error mn-segment', `This part of the note could not be drawn: ${String(error)}`);
    node.dataset.key = segment.key;
  }
  return adoptSegment(node, segment, width);
}

/** Shows or hides the source of the block whose toggle button was clicked. */
export function toggleSource(toggle: HTMLElement): void {
  const source = toggle.closest('.mn-block')?.querySelector<HTMLElement>('.mn-source');
  if (!source) return;
  source.hidden = !source.hidden;
  toggle.setAttribute('aria-expanded', String(!source.hidden));
  toggle.classList.toggle('mn-active', !source.hidden);
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
