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
import { createMarkdown } from './markdown.js';
import { parseHostMessage, parsePageState, type PageMessage, type PageState } from './messages.js';
import { redrawPlots, renderSegment } from './segments.js';

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
// would take seconds. Segments near the reading position are drawn at once; the others start as
// placeholders of about their height, drawn when they come near the viewport (an
// IntersectionObserver) or, in the background, a few at a time between frames.

/** Placeholders and the segment each stands for. */
const pending = new Map<HTMLElement, PreviewSegment>();
const observer =
  typeof IntersectionObserver === 'function'
    ? new IntersectionObserver(
        (entries) => {
          const near = entries.filter((entry) => entry.isIntersecting).map((entry) => entry.target as HTMLElement);
          if (near.length > 0) materializeKeepingPosition(near);
        },
        { rootMargin: '1500px 0px' },
      )
    : undefined;
let drainTimer: ReturnType<typeof setTimeout> | undefined;

/** A rough height in pixels, so the scroll bar and scroll sync are right before drawing. */
function estimatedHeight(segment: PreviewSegment): number {
  if (segment.kind === 'prose') return 24 * (segment.endLine - segment.startLine + 1);
  const plots = segment.statements.filter((statement) => statement.plot).length;
  return 40 + 40 * (segment.statements.length - plots) + 420 * plots + 24 * segment.problems.length;
}

function placeholder(segment: PreviewSegment): HTMLElement {
  const node = document.createElement('div');
  node.className = 'mn-segment mn-pending';
  node.dataset.key = segment.key;
  node.style.minHeight = `${estimatedHeight(segment)}px`;
  pending.set(node, segment);
  observer?.observe(node);
  return node;
}

/** Draws a placeholder's segment in its place; returns the drawn element. */
function materialize(node: HTMLElement): HTMLElement {
  const segment = pending.get(node);
  if (!segment) return node;
  pending.delete(node);
  observer?.unobserve(node);
  const drawn = renderSegment(segment, md, width);
  drawn.dataset.startLine = node.dataset.startLine;
  drawn.dataset.endLine = node.dataset.endLine;
  node.replaceWith(drawn);
  return drawn;
}

/** The first element at or below the top of the viewport and its offset, to restore after drawing. */
function viewportAnchor(): { node: HTMLElement; top: number } | undefined {
  const segments = segmentNodes();
  if (segments.length === 0 || window.scrollY === 0) return undefined;
  const index = segmentAtTop(segments);
  const node = segments[index]!;
  return { node, top: node.getBoundingClientRect().top };
}

/** Draws placeholders, then scrolls so that what the reader looked at stays where it was. */
function materializeKeepingPosition(nodes: readonly HTMLElement[]): void {
  const anchor = viewportAnchor();
  const drawn = nodes.map((node) => materialize(node));
  if (!anchor) return;
  // If the anchor itself was drawn, follow its replacement.
  const index = nodes.indexOf(anchor.node);
  const target = index >= 0 ? drawn[index]! : anchor.node;
  const shift = target.getBoundingClientRect().top - anchor.top;
  if (Math.abs(shift) >= 1) {
    ignoreScrollUntil = Date.now() + 100;
    window.scrollBy(0, shift);
  }
}

/** Draws the remaining placeholders in small batches, leaving the page responsive. */
function drainSoon(): void {
  clearTimeout(drainTimer);
  if (pending.size === 0) {
    reportRendered();
    return;
  }
  drainTimer = setTimeout(() => {
    const deadline = performance.now() + 25;
    const batch: HTMLElement[] = [];
    for (const node of pending.keys()) {
      batch.push(node);
      if (batch.length >= 8) {
        materializeKeepingPosition(batch.splice(0));
        if (performance.now() > deadline) break;
      }
    }
    if (batch.length > 0) materializeKeepingPosition(batch);
    drainSoon();
  }, 16);
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
  const near = segments.slice(Math.max(0, index - 1), index + 3).filter((node) => pending.has(node));
  if (near.length > 0) {
    near.forEach((node) => materialize(node));
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
  const parts: string[] = [];
  if (model.errorCount > 0) parts.push(`${model.errorCount} error${model.errorCount === 1 ? '' : 's'}`);
  if (model.warningCount > 0) parts.push(`${model.warningCount} warning${model.warningCount === 1 ? '' : 's'}`);
  if (model.pending) parts.push('evaluating…');
  else if (!model.complete) parts.push('evaluation stopped early');
  if (locked) parts.push('locked');
  status.textContent = parts.join(' · ');
  status.hidden = parts.length === 0;
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
  // Draw at once what the reader will see: from a little above the reading line, about two
  // screens' worth by estimate; the rest starts as placeholders.
  const target = Math.max(0, line);
  let budget = 2 * window.innerHeight;
  const nodes = model.segments.map((segment) => {
    let node = reusable.get(segment.key)?.shift();
    if (node && pending.has(node)) pending.set(node, segment);
    if (!node) {
      const visible = segment.endLine >= target && budget > 0;
      if (visible) budget -= estimatedHeight(segment);
      node = visible ? renderSegment(segment, md, width) : placeholder(segment);
    }
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
  currentModel = model;
  document.title = model.title;
  showStatus(model);
  if (line >= 0) scrollToLine(line);
  saveState();
  drainSoon();
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

// A page made by `mathnote render` carries its model inline, as JSON (never executed).
const embedded = document.getElementById('mathnote-model');
if (embedded?.textContent) {
  try {
    const message = parseHostMessage({ type: 'model', model: JSON.parse(embedded.textContent), locked: false });
    if (message?.type === 'model') applyModel(message.model);
  } catch {
    root.textContent = 'This page holds no readable Mathnote model.';
  }
}

post({ type: 'ready' });
