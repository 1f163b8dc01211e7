/**
 * The preview page: draws render models sent by the extension (or embedded by `mathnote render`).
 *
 * - Incremental: segments are keyed by a hash of their content; a new model reuses the element of
 *   every segment whose key is unchanged and draws only the others, keeping the reading position.
 * - Scroll sync both ways by document line (`data-start-line` on segments, `data-rel-line` inside).
 * - Clicking a formula, a statement or a plot asks the extension to reveal its line.
 * - Every message received is validated (messages.ts); unknown shapes are ignored.
 */
import '../preview.css';
import type { BlockSegment, PreviewModel, PreviewSegment } from '../../server/src/language/features/preview.js';
import { restoreEmbeddedModel } from './embedded.js';
import { createMarkdown } from './markdown.js';
import { estimatedHeight, statusText } from './markup.js';
import { parseHostMessage, parsePageState, type PageMessage, type PageState } from './messages.js';
import { loadPlot, plotLoaded } from './plot.js';
import { adoptSegment, drawPendingPlot, pendingPlots, redrawPlots, renderSegment, toggleSource } from './segments.js';

interface VsCodeApi {
  postMessage(message: PageMessage): void;
  getState(): unknown;
  setState(state: PageState): void;
}

declare global {
  interface Window {
    acquireVsCodeApi?: () => VsCodeApi;
  }
}

const vscode: VsCodeApi | undefined = typeof window.acquireVsCodeApi === 'function' ? window.acquireVsCodeApi() : undefined;
const md = createMarkdown();
const root = document.getElementById('mathnote-root') ?? document.body.appendChild(document.createElement('main'));
const status = document.getElementById('mathnote-status');

const restored = parsePageState(vscode?.getState());
let currentModel: PreviewModel | undefined;
let locked = restored?.locked ?? false;
/** Until this time, scroll events come from our own scrolling and are not reported back. */
let ignoreScrollUntil = 0;
let lastReportedLine = -1;

function post(message: PageMessage): void {
  vscode?.postMessage(message);
}

/** The room for plots, measured once per model and on resize (reading it forces a layout). */
let width = 0;

function measureWidth(): number {
  return Math.max(320, root.clientWidth - 8);
}

function segmentStart(node: HTMLElement): number {
  return Number(node.dataset.startLine ?? 0);
}

function segmentNodes(): HTMLElement[] {
  return Array.from(root.children) as HTMLElement[];
}

// Lazy drawing. A long note has thousands of formulas; drawing them all before the first paint
// would take seconds. Only the segments that fill the first screen are drawn before the page
// paints; the others start as placeholders of about their height (so the scroll bar, scroll sync
// and the reading position are right from the start) and are drawn when they come near the
// viewport (an IntersectionObserver) or, in document order, in short slices between frames. Plots are
// placeholders too (segments.ts) and are drawn the same way. When nothing is left to draw, the
// root gets `data-rendered="true"` and the window a `mathnote-rendered` event (tests wait on them).

/** Placeholders and the segment each stands for. */
const pending = new Map<HTMLElement, PreviewSegment>();
const observer =
  typeof IntersectionObserver === 'function'
    ? new IntersectionObserver(
        (entries) => {
          const near = entries.filter((entry) => entry.isIntersecting).map((entry) => entry.target as HTMLElement);
          if (near.length > 0) keepingPosition(() => near.forEach((node) => drawNearby(node)));
        },
        { rootMargin: '1500px 0px' },
      )
    : undefined;
/**
 * Placeholders not yet watched by the observer. Watching thousands of elements costs tens of
 * milliseconds, so it is done after the first paint, by the first background slice.
 */
let unobserved: HTMLElement[] = [];

function observePlaceholders(): void {
  if (observer) for (const node of unobserved) if (pending.has(node)) observer.observe(node);
  unobserved = [];
}
/** Where the background drawing goes on: an index into the root's children. */
let drainCursor = 0;
let drainScheduled = false;
/** Milliseconds of drawing per background slice: long enough to make progress, short enough to keep scrolling smooth. */
const sliceMs = 40;

function placeholder(segment: PreviewSegment): HTMLElement {
  const node = document.createElement('div');
  node.className = 'mn-segment mn-pending';
  node.dataset.key = segment.key;
  node.style.minHeight = `${estimatedHeight(segment)}px`;
  pending.set(node, segment);
  unobserved.push(node);
  return node;
}

/**
 * Draws a segment. Its plots are drawn with it once the plot library is loaded (so an edit redraws
 * a block and its plot in one go); before that, they wait near the viewport like placeholders.
 */
function drawSegment(segment: PreviewSegment): HTMLElement {
  return watchPlots(renderSegment(segment, md, width));
}

/** Draws a segment's plots at once if the plot library is there, or watches them until they come near. */
function watchPlots(node: HTMLElement): HTMLElement {
  for (const figure of Array.from(node.querySelectorAll<HTMLElement>('figure.mn-plot-pending'))) {
    if (plotLoaded()) drawPendingPlot(figure, width);
    else observer?.observe(figure);
  }
  return node;
}

/** Draws a placeholder's segment in its place; returns the drawn element. */
function materialize(node: HTMLElement): HTMLElement {
  const segment = pending.get(node);
  if (!segment) return node;
  pending.delete(node);
  observer?.unobserve(node);
  const drawn = drawSegment(segment);
  // Layout skips it while it is off screen (preview.css). Not so for the first screen: Chromium
  // decides what such an element shows only after a first frame, which would delay the first paint.
  drawn.classList.add('mn-deferred');
  drawn.style.containIntrinsicSize = `auto ${estimatedHeight(segment)}px`;
  drawn.dataset.startLine = node.dataset.startLine;
  drawn.dataset.endLine = node.dataset.endLine;
  node.replaceWith(drawn);
  return drawn;
}

/**
 * Draws a plot placeholder, or a segment placeholder. Plots wait for the plot library, which is
 * loaded on first need (never before the first paint); they are drawn when it is there.
 */
function drawNearby(node: HTMLElement): void {
  if (!pendingPlots.has(node)) {
    materialize(node);
  } else if (!node.isConnected) {
    observer?.unobserve(node);
    pendingPlots.delete(node);
  } else if (plotLoaded()) {
    observer?.unobserve(node);
    drawPendingPlot(node, width);
  } else {
    void loadPlot().then(() => keepingPosition(() => drawNearby(node)));
  }
}

/** The first element at or below the top of the viewport and its offset, to restore after drawing. */
function viewportAnchor(): { node: HTMLElement; top: number } | undefined {
  const segments = segmentNodes();
  if (segments.length === 0 || window.scrollY === 0) return undefined;
  const index = segmentAtTop(segments);
  const node = segments[index]!;
  return { node, top: node.getBoundingClientRect().top };
}

/**
 * Draws (placeholders become segments, plots replace their placeholders), then scrolls so that
 * what the reader looked at stays where it was. Segments replace their placeholders, so the anchor
 * is looked up again by position after drawing.
 */
function keepingPosition(draw: () => void): void {
  const anchor = viewportAnchor();
  const index = anchor ? segmentNodes().indexOf(anchor.node) : -1;
  draw();
  if (!anchor) return;
  const target = (root.children[index] as HTMLElement | undefined) ?? anchor.node;
  const shift = target.getBoundingClientRect().top - anchor.top;
  if (Math.abs(shift) >= 1) {
    ignoreScrollUntil = Date.now() + 100;
    window.scrollBy(0, shift);
  }
}

/**
 * Runs `work` in a task of its own, after what is queued (input, the next frame). A timer rather
 * than an idle callback: a busy or hidden page gets few idle periods, and the slices are short
 * enough not to delay input.
 */
function soon(work: () => void): void {
  setTimeout(work, 0);
}

/**
 * Runs `work` once the page has painted what it has: the task after the next animation frame. A
 * hidden page gets no frames, so a timer runs it anyway after a while.
 */
function afterPaint(work: () => void): void {
  let done = false;
  const run = (): void => {
    if (done) return;
    done = true;
    soon(work);
  };
  if (typeof requestAnimationFrame === 'function') requestAnimationFrame(run);
  setTimeout(run, 250);
}

/**
 * Draws the remaining placeholders (segments, then plots) in document order, a slice at a time;
 * after a new model, the first slice waits until the first screen has painted.
 */
function drainSoon(afterNewModel = false): void {
  if (drainScheduled) return;
  drainScheduled = true;
  (afterNewModel ? afterPaint : soon)(() => {
    drainScheduled = false;
    observePlaceholders();
    const deadline = performance.now() + sliceMs;
    keepingPosition(() => {
      while (performance.now() < deadline) {
        const node = root.children[drainCursor] as HTMLElement | undefined;
        if (!node) break;
        if (pending.has(node)) materialize(node);
        drainCursor++;
      }
      if (root.children[drainCursor] || !plotLoaded()) return;
      for (const figure of Array.from(pendingPlots.keys())) {
        if (performance.now() >= deadline) break;
        drawNearby(figure);
      }
    });
    if (pending.size === 0 && pendingPlots.size === 0) finishDrawing();
    else if (!root.children[drainCursor] && !plotLoaded()) void loadPlot().then(() => drainSoon());
    else drainSoon();
  });
}

/** Marks the page as completely drawn and tells whoever waits for it. */
function finishDrawing(): void {
  if (root.dataset.rendered === 'true') return;
  root.dataset.rendered = 'true';
  reportRendered();
  window.dispatchEvent(new Event('mathnote-rendered'));
}

/**
 * Tells the extension what the page shows once everything is drawn: end-to-end tests in a real
 * VS Code cannot look inside the webview, so they read these counts from the extension.
 */
function reportRendered(): void {
  const count = (selector: string): number => root.querySelectorAll(selector).length;
  post({
    type: 'rendered',
    statements: count('.mn-stmt, figure.mn-plot'),
    katex: count('.katex'),
    plots: count('figure.mn-plot svg g[aria-label]') > 0 ? count('figure.mn-plot:not(.mn-plot-failed)') : 0,
    dots: count('figure.mn-plot g[aria-label="dot"] circle'),
    lines: count('figure.mn-plot g[aria-label="line"] path'),
  });
}

// Printing needs everything drawn.
window.addEventListener('beforeprint', () => {
  for (const node of Array.from(pending.keys())) materialize(node);
  // Plots can only be drawn once their library is loaded (it is, once any plot came into view).
  if (plotLoaded()) for (const figure of Array.from(pendingPlots.keys())) drawNearby(figure);
});

/** Index of the last segment whose top is at or above the viewport's top (binary search). */
function segmentAtTop(segments: readonly HTMLElement[]): number {
  let low = 0;
  let high = segments.length - 1;
  let found = 0;
  while (low <= high) {
    const middle = (low + high) >> 1;
    if (segments[middle]!.getBoundingClientRect().top <= 1) {
      found = middle;
      low = middle + 1;
    } else {
      high = middle - 1;
    }
  }
  return found;
}

/** Index of the last segment starting at or before `line` (binary search). */
function segmentAtLine(segments: readonly HTMLElement[], line: number): number {
  let low = 0;
  let high = segments.length - 1;
  let found = 0;
  while (low <= high) {
    const middle = (low + high) >> 1;
    if (segmentStart(segments[middle]!) <= line) {
      found = middle;
      low = middle + 1;
    } else {
      high = middle - 1;
    }
  }
  return found;
}

interface Anchor {
  readonly node: HTMLElement;
  readonly line: number;
}

/** A segment's elements that know their line (visible ones), then the next segment's start. */
function anchorsAround(segments: readonly HTMLElement[], index: number): Anchor[] {
  const segment = segments[index]!;
  const start = segmentStart(segment);
  const anchors: Anchor[] = [{ node: segment, line: start }];
  for (const node of Array.from(segment.querySelectorAll<HTMLElement>('[data-rel-line]'))) {
    if (node.closest('[hidden]')) continue;
    anchors.push({ node, line: start + Number(node.dataset.relLine) });
  }
  const next = segments[index + 1];
  if (next) anchors.push({ node: next, line: segmentStart(next) });
  return anchors;
}

/**
 * The document line at the top of the viewport: the last anchor that starts at or above the top,
 * plus the fraction of the way to the next anchor below it.
 */
function topLine(): number {
  const segments = segmentNodes();
  if (segments.length === 0) return 0;
  const anchors = anchorsAround(segments, segmentAtTop(segments));
  let best = anchors[0]!;
  let bestTop = best.node.getBoundingClientRect().top;
  let next: { line: number; top: number } | undefined;
  for (const anchor of anchors) {
    const top = anchor.node.getBoundingClientRect().top;
    if (top <= 1) {
      if (anchor.line >= best.line) {
        best = anchor;
        bestTop = top;
      }
    } else if (anchor.line > best.line && (!next || anchor.line < next.line)) {
      next = { line: anchor.line, top };
    }
  }
  if (bestTop > 1 || !next || next.top <= bestTop) return best.line;
  return best.line + Math.floor(((0 - bestTop) / (next.top - bestTop)) * (next.line - best.line));
}

function scrollToLine(line: number): void {
  let segments = segmentNodes();
  if (segments.length === 0) return;
  let index = segmentAtLine(segments, line);
  // Draw the target and its neighbours first, so the position is exact.
  const near = segments.slice(Math.max(0, index - 1), index + 3);
  if (near.some((node) => pending.has(node) || node.querySelector('figure.mn-plot-pending'))) {
    for (const node of near) {
      const drawn = materialize(node);
      if (plotLoaded()) for (const figure of Array.from(drawn.querySelectorAll<HTMLElement>('figure.mn-plot-pending'))) drawNearby(figure);
    }
    segments = segmentNodes();
    index = segmentAtLine(segments, line);
  }
  const anchors = anchorsAround(segments, index);
  let best = anchors[0]!;
  for (const anchor of anchors) if (anchor.line <= line && anchor.line >= best.line) best = anchor;
  const rect = best.node.getBoundingClientRect();
  const next = anchors.find((anchor) => anchor.line > best.line);
  const nextTop = next ? next.node.getBoundingClientRect().top : rect.bottom;
  const fraction = next ? Math.min(1, (line - best.line) / (next.line - best.line)) : 0;
  ignoreScrollUntil = Date.now() + 250;
  window.scrollTo(0, window.scrollY + rect.top + fraction * (nextTop - rect.top));
}

function saveState(): void {
  if (!vscode) return;
  vscode.setState({ uri: currentModel?.uri, locked, line: Math.max(0, topLine()) });
}

function showStatus(model: PreviewModel): void {
  if (!status) return;
  const text = statusText(model, locked);
  status.textContent = text;
  status.hidden = text === '';
}

/** Draws a model, reusing the elements of unchanged segments and keeping the reading position. */
export function applyModel(model: PreviewModel): void {
  // The first model after a reload goes back to where the reader was.
  const line = currentModel ? topLine() : (restored?.line ?? -1);
  const reusable = new Map<string, HTMLElement[]>();
  for (const node of segmentNodes()) {
    const key = node.dataset.key;
    if (!key) continue;
    const list = reusable.get(key);
    if (list) list.push(node);
    else reusable.set(key, [node]);
  }
  width = measureWidth();
  // Draw at once what the reader will see first: from the reading line, one screen's worth by
  // estimate (segments kept from before fill it too); the rest starts as placeholders, drawn after
  // the first paint.
  const target = Math.max(0, line);
  let budget = window.innerHeight;
  const nodes = model.segments.map((segment) => {
    let node = reusable.get(segment.key)?.shift();
    if (node && pending.has(node)) pending.set(node, segment);
    const visible = segment.endLine >= target && budget > 0;
    if (visible) budget -= estimatedHeight(segment);
    if (!node) node = visible ? drawSegment(segment) : placeholder(segment);
    node.dataset.startLine = String(segment.startLine);
    node.dataset.endLine = String(segment.endLine);
    return node;
  });
  // Placeholders not reused are dropped.
  const kept = new Set(nodes);
  for (const node of Array.from(pending.keys())) {
    if (!kept.has(node)) {
      pending.delete(node);
      observer?.unobserve(node);
    }
  }
  root.replaceChildren(...nodes);
  root.dataset.rendered = 'false';
  drainCursor = 0;
  currentModel = model;
  document.title = model.title;
  showStatus(model);
  if (line >= 0) scrollToLine(line);
  saveState();
  drainSoon(true);
}

window.addEventListener('message', (event: MessageEvent) => {
  const message = parseHostMessage(event.data);
  if (!message) return;
  if (message.type === 'model') {
    locked = message.locked;
    applyModel(message.model);
  } else {
    scrollToLine(message.line);
    saveState();
  }
});

window.addEventListener(
  'scroll',
  () => {
    if (Date.now() < ignoreScrollUntil) return;
    const line = topLine();
    if (line !== lastReportedLine) {
      lastReportedLine = line;
      post({ type: 'visibleLine', line });
    }
    saveState();
  },
  { passive: true },
);

root.addEventListener('click', (event) => {
  const target = event.target as Element | null;
  // One listener for every block's source toggle: blocks drawn by `mathnote render` into the page
  // itself come without listeners of their own.
  const toggle = target?.closest<HTMLElement>('.mn-toggle');
  if (toggle) toggleSource(toggle);
  if (!target || target.closest('button, a, .mn-source')) return;
  const lineNode = target.closest<HTMLElement>('.katex, .mn-stmt, figure.mn-plot, .mn-problem, .mn-math-block')?.closest<HTMLElement>('[data-rel-line]');
  const segment = target.closest<HTMLElement>('.mn-segment');
  if (!lineNode || !segment) return;
  post({ type: 'reveal', line: segmentStart(segment) + Number(lineNode.dataset.relLine) });
});

let resizeTimer: ReturnType<typeof setTimeout> | undefined;
window.addEventListener('resize', () => {
  clearTimeout(resizeTimer);
  resizeTimer = setTimeout(() => {
    const measured = measureWidth();
    if (!currentModel || Math.abs(measured - width) < 40) return;
    width = measured;
    const byKey = new Map(currentModel.segments.filter((s): s is BlockSegment => s.kind === 'block').map((s) => [s.key, s]));
    for (const node of Array.from(root.querySelectorAll<HTMLElement>('.mn-block'))) {
      const segment = byKey.get(node.dataset.key ?? '');
      if (segment) redrawPlots(node, segment, width);
    }
  }, 200);
});

/**
 * A page made by `mathnote render` comes with its first screen already drawn (so it paints before
 * the script and the model are even parsed). Those elements are made live and kept: `applyModel`
 * reuses every element whose key is in the model, as it does after an edit.
 */
function adoptServerDrawn(model: PreviewModel): void {
  const byKey = new Map(model.segments.map((segment) => [segment.key, segment]));
  width = measureWidth();
  for (const node of segmentNodes()) {
    const segment = node.dataset.key === undefined ? undefined : byKey.get(node.dataset.key);
    if (segment) watchPlots(adoptSegment(node, segment, width));
    else node.remove();
  }
}

// A page made by `mathnote render` carries its model inline, as JSON (never executed).
const embedded = document.getElementById('mathnote-model');
if (embedded?.textContent) {
  try {
    const message = parseHostMessage({ type: 'model', model: restoreEmbeddedModel(JSON.parse(embedded.textContent)), locked: false });
    if (message?.type === 'model') {
      adoptServerDrawn(message.model);
      applyModel(message.model);
    }
  } catch {
    root.textContent = 'This page holds no readable Mathnote model.';
  }
}

post({ type: 'ready' });
