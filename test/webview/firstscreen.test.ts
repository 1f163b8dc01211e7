/**
 * The first screen of a page made by `mathnote render`: drawn into the page itself (before the
 * model and the script, so Chromium paints it while the rest of a long page is still parsed), made
 * of exactly the markup the preview page draws, taken over by the page's script without drawing it
 * again, and as inert as everything else the page shows. (Every example note is checked the same
 * way in examples.test.ts.)
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import type { BlockSegment, PreviewModel, PreviewProblem, PreviewStatement, ProseSegment } from '../../server/src/language/features/preview.js';
import { createMarkdown } from '../../media/src/markdown.js';
import { escapeMarkup, firstScreenMarkup, segmentMarkup } from '../../media/src/markup.js';
import { renderStandaloneHtml } from '../../server/src/render.js';
import { generateBenchNote } from '../../bench/note.js';
import { drawnAhead, mediaDir, normalizedSegments, openPage, postModel, previewFixture, screenshot, waitForSegments } from './harness.js';
import { exampleNotes, modelOf } from './notes.js';

/** The preview server and Chromium, started before this file's tests and stopped after them. */
const fixture = previewFixture();

const violations = (page: Page): Promise<string[]> => page.evaluate('window.__violations') as Promise<string[]>;

/** Opens a standalone page twice: as parsed, with scripts off, and live, once everything is drawn. */
async function openStandalone(name: string, html: string, segmentCount: number): Promise<{ still: Page; live: Page; errors: string[] }> {
  const path = `/first-screen/${encodeURIComponent(name)}.html`;
  fixture.server.pages.set(path, html);
  const still = (await openPage(fixture.browser, `${fixture.server.origin}${path}`, { vscode: false, javaScript: false })).page;
  const live = await openPage(fixture.browser, `${fixture.server.origin}${path}`, { vscode: false });
  await waitForSegments(live.page, segmentCount);
  return { still, live: live.page, errors: live.errors };
}

async function closeAll(...pages: Page[]): Promise<void> {
  for (const page of pages) await page.context().close();
}

describe('the first screen of a `mathnote render` page', () => {
  test('a long note: only the first screen is drawn ahead, the rest by the page; source toggles work on taken-over blocks', async () => {
    const note = generateBenchNote(40);
    const model = modelOf(note.text, 'long.md');
    const html = renderStandaloneHtml(model, { mediaDir });
    const { still, live, errors } = await openStandalone('long', html, model.segments.length);
    const first = await normalizedSegments(still);
    assert.ok(first.length >= 3 && first.length < 20, `a screen's worth drawn ahead (${first.length} of ${model.segments.length})`);
    assert.ok((await still.locator('.mn-stmt .katex').count()) > 0, 'with typeset statements');
    await screenshot(still, 'first-screen-long-note');

    const preview = (await openPage(fixture.browser, `${fixture.server.origin}/preview.html`)).page;
    await postModel(preview, model);
    const previewSegments = await normalizedSegments(preview);
    assert.deepEqual(first, previewSegments.slice(0, first.length), 'the first screen is what the preview draws');
    assert.deepEqual(await normalizedSegments(live), previewSegments, 'in the end the page shows what the preview shows');
    assert.deepEqual(await drawnAhead(live), model.segments.map((_, index) => index < first.length), 'the first screen is the elements the page came with');
    assert.equal(await live.locator('.mn-stmt').count(), model.segments.filter((s) => s.kind === 'block').length * 7);

    // The first block came drawn with the page; its toggle (one listener on the root) still works.
    const block = live.locator('.mn-block').first();
    assert.equal(await block.evaluate((node) => (node as unknown as { mnDrawnAhead?: boolean }).mnDrawnAhead), true);
    assert.equal(await block.locator('.mn-source').isVisible(), false);
    await block.locator('.mn-toggle').click();
    assert.equal(await block.locator('.mn-source').isVisible(), true);
    assert.equal(await block.locator('.mn-toggle').getAttribute('aria-expanded'), 'true');
    assert.match((await block.locator('.mn-source').textContent()) ?? '', /^A0 = \[1, 2; 3, 4\]/);
    await block.locator('.mn-toggle').click();
    assert.equal(await block.locator('.mn-source').isVisible(), false);
    assert.deepEqual(errors, []);
    await closeAll(still, live, preview);
  });

  test('with nothing drawn ahead (firstScreenHeight 0) the page draws everything itself', async () => {
    const note = exampleNotes().find((n) => n.name === 'regression.md')!;
    const model = modelOf(note.text, note.name);
    const html = renderStandaloneHtml(model, { mediaDir, firstScreenHeight: 0 });
    assert.match(html, /<main id="mathnote-root"><\/main>/);
    const { still, live, errors } = await openStandalone('nothing-ahead', html, model.segments.length);
    assert.equal((await normalizedSegments(still)).length, 0);
    const preview = (await openPage(fixture.browser, `${fixture.server.origin}/preview.html`)).page;
    await postModel(preview, model);
    assert.deepEqual(await normalizedSegments(live), await normalizedSegments(preview));
    assert.deepEqual(errors, []);
    await closeAll(still, live, preview);
  });

  test('hostile note text drawn ahead stays inert, with and without the script', async () => {
    const statement = (line: number, extra: Partial<PreviewStatement>): PreviewStatement => ({
      line,
      endLine: line,
      source: 'x',
      latex: 'x',
      comparison: false,
      names: [],
      broken: false,
      problems: [],
      ...extra,
    });
    const prose: ProseSegment = {
      kind: 'prose',
      key: 'p"><img src=x onerror=alert(1)>',
      startLine: 0,
      endLine: 2,
      markdown: 'An image <img src=x onerror="alert(2)"> and <script>alert(3)</script> $\\href{javascript:alert(4)}{x}$',
      citations: [],
    };
    const block: BlockSegment = {
      kind: 'block',
      key: 'b',
      startLine: 3,
      endLine: 7,
      contentLine: 4,
      source: '</code></pre><script>alert(5)</script>\r\nnext',
      statements: [
        statement(4, { source: '"><img src=x onerror=alert(6)>', lhs: '\\htmlData{x=1}{w}', result: { text: '"><b>7</b>', latex: '7', echo: false } }),
        statement(5, { source: '<script>alert(8)</script>', broken: true, problems: [{ severity: 'error', code: '<i>c</i>' as PreviewProblem['code'], message: '<img src=x onerror=alert(9)>', line: 5 }] }),
        statement(6, { source: 'plot("<img>")', plot: { title: '<img src=x onerror=alert(10)>', marks: [{ type: 'line', label: '<i>l</i>', x: [1, 2], y: [3, 4] }] } }),
      ],
      problems: [],
    };
    const model: PreviewModel = { version: 1, title: '<script>alert(11)</script>', segments: [prose, block], complete: true, errorCount: 1, warningCount: 0 };
    const html = renderStandaloneHtml(model, { mediaDir, firstScreenHeight: 10_000 });
    const { still, live, errors } = await openStandalone('hostile', html, 2);
    for (const page of [still, live]) {
      const found = await page.evaluate(`({
        scripts: document.querySelectorAll('script').length,
        images: document.querySelectorAll('img').length,
        handlers: Array.from(document.querySelectorAll('*')).filter((el) => Array.from(el.attributes).some((a) => a.name.startsWith('on'))).length,
        data: document.querySelectorAll('[data-x]').length,
        bold: document.querySelectorAll('#mathnote-root b, #mathnote-root i').length,
        key: document.querySelector('.mn-prose').dataset.key,
        source: document.querySelector('.mn-source code').textContent,
        broken: document.querySelector('code.mn-broken').textContent,
        problem: document.querySelector('.mn-problem').textContent,
        title: document.querySelector('.mn-stmt').title,
      })`);
      assert.deepEqual(found, {
        scripts: 2, // the inert model and the page's own script
        images: 0,
        handlers: 0,
        data: 0,
        bold: 0,
        key: prose.key,
        source: block.source,
        broken: '<script>alert(8)</script>',
        problem: '<i>c</i><img src=x onerror=alert(9)>',
        title: '"><img src=x onerror=alert(6)>\n⇒ "><b>7</b>',
      });
    }
    assert.equal(await still.locator('#mathnote-status').textContent(), '1 error');
    assert.deepEqual(await violations(live), []);
    assert.deepEqual(errors, []);
    await closeAll(still, live);
  });
});

describe('segment markup', () => {
  test('escapes the characters that matter in HTML, and carriage returns', () => {
    assert.equal(escapeMarkup(`<a href="x" title='y'>&</a>\r\n`), '&#60;a href=&#34;x&#34; title=&#39;y&#39;&#62;&#38;&#60;/a&#62;&#13;\n');
  });

  test('the first screen is the segments that fill the given height, in order', () => {
    const md = createMarkdown();
    const prose = (index: number): ProseSegment => ({ kind: 'prose', key: `p${index}`, startLine: index * 10, endLine: index * 10 + 9, markdown: `Paragraph ${index}`, citations: [] });
    const model: PreviewModel = { version: 1, title: 't', segments: Array.from({ length: 10 }, (_, i) => prose(i)), complete: true, errorCount: 0, warningCount: 0 };
    // Each prose segment of ten lines is estimated at 240 px: 500 px take three segments.
    const expected = model.segments.slice(0, 3).map((segment) => segmentMarkup(segment, md, 720)).join('');
    assert.equal(firstScreenMarkup(model, md, { height: 500 }), expected);
    assert.equal(firstScreenMarkup(model, md, { height: 0 }), '');
    assert.match(expected, /^<div class="mn-prose mn-segment" data-key="p0" data-start-line="0" data-end-line="9"><p data-rel-line="0">Paragraph 0<\/p>/);
  });
});
