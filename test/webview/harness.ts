/**
 * What the browser tests share: a tiny HTTP server on 127.0.0.1 that serves the real preview page
 * (built by the panel's own `buildPreviewHtml`, with the same CSP) and the built assets of
 * `dist/media`, and a headless Debian Chromium driven by playwright-core.
 *
 * A page opened with `openPreview` behaves like the webview: `acquireVsCodeApi` is provided (it
 * records what the page posts), models arrive as `message` events, and every CSP violation and
 * dialog is recorded so tests can assert there were none.
 */
import { after, before } from 'node:test';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { buildPreviewHtml } from '../../client/src/preview/html.js';
import type { PreviewModel } from '../../server/src/language/features/preview.js';

// Tests run as CommonJS through tsx (the package is not `type: module`), so `__dirname` is defined.
export const repoRoot = resolve(__dirname, '..', '..');
export const mediaDir = join(repoRoot, 'dist', 'media');
export const resultsDir = join(repoRoot, 'test-results', 'webview');

const contentTypes: Record<string, string> = {
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
  '.html': 'text/html; charset=utf-8',
  '.map': 'application/json',
};

export interface PreviewServer {
  readonly origin: string;
  /** Pages registered by path (standalone renders), served as HTML. */
  readonly pages: Map<string, string>;
  close(): Promise<void>;
}

export async function startServer(): Promise<PreviewServer> {
  if (!existsSync(join(mediaDir, 'preview.js'))) throw new Error('dist/media/preview.js is missing: run `npm run build` first');
  const pages = new Map<string, string>();
  let origin = '';
  const server: Server = createServer((request, response) => {
    const path = decodeURIComponent(new URL(request.url ?? '/', origin).pathname);
    if (path === '/preview.html') {
      const nonce = randomBytes(16).toString('base64');
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      response.end(
        buildPreviewHtml({
          cspSource: origin,
          nonce,
          scriptUri: `${origin}/media/preview.js`,
          styleUris: [`${origin}/media/katex/katex.min.css`, `${origin}/media/preview.css`],
        }),
      );
      return;
    }
    const page = pages.get(path);
    if (page !== undefined) {
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      response.end(page);
      return;
    }
    if (path.startsWith('/media/')) {
      const file = normalize(join(mediaDir, path.slice('/media/'.length)));
      if (file.startsWith(mediaDir) && existsSync(file)) {
        response.writeHead(200, { 'content-type': contentTypes[extname(file)] ?? 'application/octet-stream' });
        response.end(readFileSync(file));
        return;
      }
    }
    response.writeHead(404);
    response.end();
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    pages,
    close: () => new Promise<void>((done) => server.close(() => done())),
  };
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** What a page observed that a test asserts on. */
export interface PageRecord {
  readonly page: Page;
  readonly dialogs: string[];
  readonly errors: string[];
}

/** Opens a page at `path` with CSP-violation and posted-message recording installed first. */
export async function openPage(browser: Browser, url: string, options: { width?: number; height?: number; vscode?: boolean; colorScheme?: 'light' | 'dark'; javaScript?: boolean } = {}): Promise<PageRecord> {
  const context = await browser.newContext({
    viewport: { width: options.width ?? 900, height: options.height ?? 1000 },
    colorScheme: options.colorScheme ?? 'light',
    deviceScaleFactor: 1,
    // Off shows a page as it is before any script runs (what `mathnote render` drew into it).
    javaScriptEnabled: options.javaScript ?? true,
  });
  const page = await context.newPage();
  const dialogs: string[] = [];
  const errors: string[] = [];
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  page.on('pageerror', (error) => errors.push(String(error)));
  // A string, not a function: tsx compiles functions with esbuild's `__name` helper, which the
  // page does not have; the helper is defined here for the functions tests pass to `evaluate`.
  await page.addInitScript({
    content: `
      globalThis.__name = (target) => target;
      window.__violations = [];
      window.__posted = [];
      // Segments that are in the page before its script runs (drawn by \`mathnote render\`) are
      // marked as the parser inserts them. The observer's records are delivered before a
      // parser-inserted script runs; once the script has drawn a model, the root says
      // data-rendered, and nothing added after that is marked.
      new MutationObserver((records) => {
        const root = document.getElementById('mathnote-root');
        if (!root || root.dataset.rendered !== undefined) return;
        for (const record of records) for (const node of record.addedNodes) {
          if (node.nodeType === 1 && node.parentElement === root) node.mnDrawnAhead = true;
        }
      }).observe(document, { childList: true, subtree: true });
      document.addEventListener('securitypolicyviolation', (event) => {
        window.__violations.push(event.violatedDirective + ' ' + event.blockedURI);
      });
      if (${options.vscode ?? true}) {
        let state;
        window.acquireVsCodeApi = () => ({
          postMessage: (message) => window.__posted.push(message),
          getState: () => state,
          setState: (next) => { state = next; },
        });
      }`,
  });
  await page.goto(url);
  return { page, dialogs, errors };
}

/** Posts a model to the page as the extension does and waits until it is drawn. */
export async function postModel(page: Page, model: PreviewModel, locked = false): Promise<void> {
  await page.evaluate(({ model, locked }) => window.postMessage({ type: 'model', model, locked }, '*'), { model, locked });
  await waitForSegments(page, model.segments.length);
  await page.evaluate(() => document.fonts.ready.then(() => undefined));
}

/** Waits until the page shows `count` segments; a timeout reports what the page showed and threw. */
export async function waitForSegments(page: Page, count: number): Promise<void> {
  const thrown: string[] = [];
  const onError = (error: Error): void => {
    thrown.push(String(error));
  };
  page.on('pageerror', onError);
  try {
    // Segments and plots far from the viewport start as placeholders and are drawn in the
    // background; the page marks its root `data-rendered="true"` once everything is drawn.
    await page.waitForFunction(
      (n) =>
        document.querySelectorAll('#mathnote-root > .mn-segment').length === n &&
        document.getElementById('mathnote-root')?.dataset.rendered === 'true',
      count,
      { timeout: 30_000 },
    );
  } catch (error) {
    const shown = await page.evaluate(() => document.querySelectorAll('#mathnote-root > .mn-segment').length);
    throw new Error(`expected ${count} segments, the page shows ${shown}; page errors: ${thrown.join(' | ') || 'none'} (${String(error).split('\n')[0]})`);
  } finally {
    page.off('pageerror', onError);
  }
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(resultsDir, { recursive: true });
  const file = join(resultsDir, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/** Counts of what a drawn page shows; the preview and `mathnote render` must agree on them. */
export interface PageCounts {
  readonly statements: number;
  readonly katex: number;
  readonly plots: number;
  readonly segments: number;
}

export async function pageCounts(page: Page): Promise<PageCounts> {
  return page.evaluate(() => ({
    statements: document.querySelectorAll('.mn-stmt, figure.mn-plot').length,
    katex: document.querySelectorAll('.katex').length,
    plots: document.querySelectorAll('figure.mn-plot svg[class^="plot"], figure.mn-plot figure svg').length,
    segments: document.querySelectorAll('#mathnote-root > .mn-segment').length,
  }));
}

/**
 * The segments a page shows, as markup to compare: without what only says when or how an element
 * was drawn (its render number, the background-drawing class and size hints) and with each plot
 * reduced to its line and source, since a plot is a placeholder until it is drawn.
 * A string, not a function: tsx would wrap a function with a helper the page does not have.
 */
const normalizedSegmentsScript = `Array.from(document.querySelectorAll('#mathnote-root > .mn-segment')).map((segment) => {
  const copy = segment.cloneNode(true);
  copy.removeAttribute('data-render');
  copy.removeAttribute('style');
  copy.classList.remove('mn-deferred');
  for (const figure of Array.from(copy.querySelectorAll('figure.mn-plot'))) {
    const marker = document.createElement('figure');
    marker.setAttribute('data-rel-line', figure.getAttribute('data-rel-line') || '');
    marker.setAttribute('title', figure.getAttribute('title') || '');
    figure.replaceWith(marker);
  }
  return copy.outerHTML;
})`;

/** The segments a page shows, normalized for comparison (see above). */
export function normalizedSegments(page: Page): Promise<string[]> {
  return page.evaluate(normalizedSegmentsScript) as Promise<string[]>;
}

/** For each segment a page shows, whether it is the element the page came with (drawn ahead by `mathnote render`). */
export function drawnAhead(page: Page): Promise<boolean[]> {
  return page.evaluate(`Array.from(document.querySelectorAll('#mathnote-root > .mn-segment')).map((node) => node.mnDrawnAhead === true)`) as Promise<boolean[]>;
}

/**
 * Starts the preview server and Chromium before a test file's tests and stops them after; the
 * fields are set once the file's `before` hook has run.
 */
export function previewFixture(): { readonly server: PreviewServer; readonly browser: Browser } {
  const fixture = {} as { server: PreviewServer; browser: Browser };
  before(async () => {
    fixture.server = await startServer();
    fixture.browser = await launchBrowser();
  });
  after(async () => {
    await fixture.browser?.close();
    await fixture.server?.close();
  });
  return fixture;
}
