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
import type { BlockSegment, PreviewModel } from '../../server/src/language/features/preview.js';
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

function contentWidth(): number {
  return Math.max(320, root.clientWidth - 8);
}

function segmentStart(node: HTMLElement): number {
  return Number(node.dataset.startLine ?? 0);
}

/** Every element that knows its document line, in document order, with that line. */
function lineAnchors(): { node: HTMLElement; line: number }[] {
  const anchors: { node: HTMLElement; line: number }[] = [];
  for (const segment of Array.from(root.children) as HTMLElement[]) {
    const start = segmentStart(segment);
    anchors.push({ node: segment, line: start });
    for (const node of Array.from(segment.querySelectorAll<HTMLElement>('[data-rel-line]'))) {
      if (node.offsetParent === null) continue;
      anchors.push({ node, line: start + Number(node.dataset.relLine) });
    }
  }
  return anchors;
}

/**
 * The document line at the top of the viewport: the last anchor that starts at or above the top,
 * plus the fraction of the way to the next anchor below it.
 */
function topLine(): number {
  const anchors = lineAnchors();
  if (anchors.length === 0) return 0;
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
  const anchors = lineAnchors();
  let best: { node: HTMLElement; line: number } | undefined;
  for (const anchor of anchors) {
    if (anchor.line <= line && (!best || anchor.line >= best.line)) best = anchor;
  }
  if (!best) {
    window.scrollTo(0, 0);
    return;
  }
  const rect = best.node.getBoundingClientRect();
  const next = anchors.find((a) => a.line > best!.line);
  const fraction = next ? Math.min(1, (line - best.line) / (next.line - best.line)) : 0;
  ignoreScrollUntil = Date.now() + 250;
  window.scrollTo(0, window.scrollY + rect.top + fraction * rect.height);
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
  if (!model.complete) parts.push('evaluation stopped early');
  if (locked) parts.push('locked');
  status.textContent = parts.join(' · ');
  status.hidden = parts.length === 0;
}

/** Draws a model, reusing the elements of unchanged segments and keeping the reading position. */
export function applyModel(model: PreviewModel): void {
  // The first model after a reload goes back to where the reader was.
  const line = currentModel ? topLine() : (restored?.line ?? -1);
  const reusable = new Map<string, HTMLElement[]>();
  for (const node of Array.from(root.children) as HTMLElement[]) {
    const key = node.dataset.key;
    if (!key) continue;
    const list = reusable.get(key);
    if (list) list.push(node);
    else reusable.set(key, [node]);
  }
  const width = contentWidth();
  const nodes = model.segments.map((segment) => {
    const node = reusable.get(segment.key)?.shift() ?? renderSegment(segment, md, width);
    node.dataset.startLine = String(segment.startLine);
    node.dataset.endLine = String(segment.endLine);
    return node;
  });
  root.replaceChildren(...nodes);
  currentModel = model;
  document.title = model.title;
  showStatus(model);
  if (line >= 0) scrollToLine(line);
  saveState();
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
let lastWidth = contentWidth();
window.addEventListener('resize', () => {
  clearTimeout(resizeTimer);
  resizeTimer = setTimeout(() => {
    const width = contentWidth();
    if (!currentModel || Math.abs(width - lastWidth) < 40) return;
    lastWidth = width;
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
