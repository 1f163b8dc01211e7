/**
 * The real preview page (the panel's HTML with its CSP, the bundled `dist/media/preview.js`) in
 * headless Chromium: what it draws, how it updates, what it sends back, and that hostile content
 * stays inert. Screenshots go to `test-results/webview/`.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import type { BlockSegment, PreviewModel, PreviewStatement, ProseSegment } from '../../server/src/language/features/preview.js';
import { openPage, postModel, previewFixture, screenshot, waitForSegments } from './harness.js';
import { checkFractions, checkMatrices, checkPlots, katexFontsLoaded } from './layout.js';

const handwritten = JSON.parse(readFileSync(join(__dirname, 'fixtures', 'handwritten.model.json'), 'utf8')) as PreviewModel;

/** The preview server and Chromium, started before this file's tests and stopped after them. */
const fixture = previewFixture();

function prose(key: string, startLine: number, markdown: string): ProseSegment {
  return { kind: 'prose', key, startLine, endLine: startLine + markdown.split('\n').length - 1, markdown, citations: [] };
}

function statement(line: number, latex: string, extra: Partial<PreviewStatement> = {}): PreviewStatement {
  return { line, endLine: line, source: latex, latex, comparison: false, names: [], broken: false, problems: [], ...extra };
}

function block(key: string, startLine: number, statements: PreviewStatement[]): BlockSegment {
  return { kind: 'block', key, startLine, endLine: startLine + statements.length + 1, contentLine: startLine + 1, source: statements.map((s) => s.source).join('\n'), statements, problems: [] };
}

function model(segments: (ProseSegment | BlockSegment)[], title = 'test'): PreviewModel {
  return { version: 1, title, segments, complete: true, errorCount: 0, warningCount: 0 };
}

describe('preview page', () => {
  test('draws prose, typeset statements, results, problems and plots of a model', async () => {
    const { page, errors, dialogs } = await openPage(fixture.browser, `${fixture.server.origin}/preview.html`);
    // Plots are not drawn before the first paint: they start as placeholders of about their size.
    const plotsBeforePaint = await page.evaluate((m) => {
      window.postMessage({ type: 'model', model: m, locked: false }, '*');
      return new Promise<{ waiting: number; drawn: number }>((resolve) =>
        setTimeout(() => resolve({ waiting: document.querySelectorAll('figure.mn-plot-pending').length, drawn: document.querySelectorAll('figure.mn-plot svg').length }), 0),
      );
    }, handwritten);
    assert.ok(plotsBeforePaint.waiting > 0 && plotsBeforePaint.drawn === 0, JSON.stringify(plotsBeforePaint));
    await postModel(page, handwritten);
    assert.equal(await page.locator('figure.mn-plot-pending').count(), 0, 'every plot drawn in the end');
    // Once the plot library is loaded, a block redrawn after an edit comes with its plots at once.
    const edited: PreviewModel = { ...handwritten, segments: handwritten.segments.map((segment) => ({ ...segment, key: `${segment.key}-edited` })) };
    const plotsAfterEdit = await page.evaluate((m) => {
      window.postMessage({ type: 'model', model: m, locked: false }, '*');
      return new Promise<{ waiting: number; drawn: number }>((resolve) =>
        setTimeout(() => resolve({ waiting: document.querySelectorAll('figure.mn-plot-pending').length, drawn: document.querySelectorAll('figure.mn-plot svg').length }), 0),
      );
    }, edited);
    assert.ok(plotsAfterEdit.waiting === 0 && plotsAfterEdit.drawn > 0, JSON.stringify(plotsAfterEdit));
    await postModel(page, handwritten);

    const katexCount = await page.locator('.katex').count();
    assert.ok(katexCount >= 12, `expected KaTeX formulas, found ${katexCount}`);
    const fonts = await katexFontsLoaded(page);
    assert.ok(fonts.main && fonts.math, `KaTeX_Main and KaTeX_Math loaded: ${fonts.families.join(', ')}`);

    const fractions = await checkFractions(page);
    assert.ok(fractions.count >= 2, 'the model has fractions');
    assert.deepEqual(fractions.bad, []);
    const matrices = await checkMatrices(page);
    assert.ok(matrices.shapes.includes('2×2') && matrices.shapes.includes('2×1'), `matrices drawn: ${matrices.shapes.join(' ')}`);
    assert.deepEqual(matrices.bad, []);

    assert.deepEqual(await checkPlots(page, handwritten), []);

    // The page reports what it drew (the extension's end-to-end tests read this).
    const rendered = await page.evaluate(() => (window as unknown as { __posted: { type: string }[] }).__posted.filter((m) => m.type === 'rendered'));
    assert.deepEqual(rendered.at(-1), {
      type: 'rendered',
      statements: await page.locator('.mn-stmt, figure.mn-plot').count(),
      katex: katexCount,
      plots: 6,
      dots: 15,
      lines: 3, // the fitted curve, the descent path and the trend line
    });

    // Problems are shown inline with their message; a broken statement shows its source.
    const problems = await page.locator('.mn-problem').allTextContents();
    assert.ok(problems.some((text) => text.includes('shape') && text.includes('inner sizes 3 and 2')), problems.join(' | '));
    assert.equal(await page.locator('code.mn-broken').textContent(), 'q = (1 + 2');
    // A citation is replaced by its typeset value.
    assert.equal(await page.locator('.mn-citation .katex').count(), 1);
    // A ```math fence and a table are rendered.
    assert.equal(await page.locator('.mn-math-block .katex-display').count(), 1);
    assert.equal(await page.locator('.mn-prose table td').count(), 2);

    // Pointing at a scatter point shows a tooltip with its coordinates.
    const point = page.locator('figure.mn-plot').first().locator('g[aria-label="dot"] circle').nth(2);
    await point.scrollIntoViewIfNeeded();
    await point.hover();
    const tip = page.locator('figure.mn-plot').first().locator('g[aria-label="tip"]');
    await tip.locator('text').first().waitFor();
    assert.match((await tip.textContent()) ?? '', /x = 3.*y = 6\.2/s);

    // The source toggle shows the block as written.
    const firstBlock = page.locator('.mn-block').first();
    assert.equal(await firstBlock.locator('.mn-source').isVisible(), false);
    await firstBlock.locator('.mn-toggle').click();
    assert.equal(await firstBlock.locator('.mn-source').isVisible(), true);
    assert.match((await firstBlock.locator('.mn-source').textContent()) ?? '', /β̂ = \(XᵀX\)⁻¹Xᵀy/);
    await firstBlock.locator('.mn-toggle').click();

    assert.deepEqual(await page.evaluate(() => (window as unknown as { __violations: string[] }).__violations), []);
    assert.deepEqual(errors, []);
    assert.deepEqual(dialogs, []);
    await screenshot(page, 'handwritten-model');
    await page.context().close();
  });

  test('HTML, script and trusted-only LaTeX from a note stay inert', async () => {
    const { page, errors, dialogs } = await openPage(fixture.browser, `${fixture.server.origin}/preview.html`);
    const hostile = model([
      prose(
        'p',
        0,
        [
          '# Title <script>alert("h1")</script>',
          '',
          'An image <img src=x onerror="alert(1)"> and <b onclick="alert(2)">bold</b>.',
          '',
          '<iframe src="javascript:alert(3)"></iframe>',
          '',
          'Link [click](javascript:alert(4)) and math $\\href{javascript:alert(5)}{x}$ and $\\htmlClass{pwned}{y}$ and $\\url{javascript:alert(6)}$.',
          '',
          '![pic](x" onerror="alert(7))',
          '',
          'Huge $\\rule{100000em}{100000em}$ and a macro bomb $\\def\\a{\\a\\a}\\a$ and $\\includegraphics{x.png}$.',
          '',
        ].join('\n'),
      ),
      block('b', 11, [
        statement(12, '\\href{javascript:alert(8)}{z}', { lhs: '\\htmlData{x=1}{w}', source: '<img src=x onerror=alert(9)>' }),
        statement(13, 'x', {
          source: 'plot(…)',
          plot: { title: '<script>alert(10)</script><img src=x onerror=alert(11)>', xlabel: '<b>x</b>', marks: [{ type: 'scatter', label: '<img src=x onerror=alert(12)>', x: [1, 2], y: [3, 4] }, { type: 'line', label: '<i>l</i>', x: [1, 2], y: [3, 4] }] },
        }),
        statement(14, 'y', { problems: [{ severity: 'error', code: 'shape', message: '<img src=x onerror=alert(13)>', line: 14 }], broken: true, source: '<script>alert(14)</script>' }),
      ]),
    ]);
    await postModel(page, hostile);
    // Give any handler that could fire a chance to run.
    await page.waitForTimeout(300);
    const found = await page.evaluate(() => ({
      scripts: document.querySelectorAll('script').length,
      images: document.querySelectorAll('img').length,
      iframes: document.querySelectorAll('iframe').length,
      javascriptLinks: document.querySelectorAll('a[href^="javascript" i]').length,
      handlers: Array.from(document.querySelectorAll('*')).filter((el) => Array.from(el.attributes).some((a) => a.name.startsWith('on'))).length,
      pwned: document.querySelectorAll('.pwned, [data-x]').length,
      bold: document.querySelectorAll('#mathnote-root b').length,
      title: document.querySelector('figure.mn-plot h2')?.textContent,
      legend: document.querySelector('.mn-legend')?.textContent,
    }));
    assert.deepEqual(found, {
      scripts: 1,
      images: 0,
      iframes: 0,
      javascriptLinks: 0,
      handlers: 0,
      pwned: 0,
      bold: 0,
      title: '<script>alert(10)</script><img src=x onerror=alert(11)>',
      legend: '<img src=x onerror=alert(12)><i>l</i>',
    });
    // KaTeX's size and expansion limits hold: no giant box, no runaway macro.
    assert.ok((await page.evaluate(() => document.documentElement.scrollHeight)) < 5000, 'no giant rule');
    // The text is shown literally, not interpreted.
    assert.match((await page.locator('.mn-prose').textContent()) ?? '', /<img src=x onerror="alert\(1\)">/);
    assert.deepEqual(dialogs, []);
    assert.deepEqual(errors, []);
    assert.deepEqual(await page.evaluate(() => (window as unknown as { __violations: string[] }).__violations), []);
    await screenshot(page, 'hostile-model');
    await page.context().close();
  });

  test('a new model redraws only the segments that changed and keeps the reading position', async () => {
    const { page } = await openPage(fixture.browser, `${fixture.server.origin}/preview.html`, { height: 500 });
    const filler = Array.from({ length: 40 }, (_, i) => `Paragraph ${i} with $x_{${i}}^2$.`).join('\n\n');
    const first = model([prose('intro', 0, filler), block('b1', 80, [statement(81, 'a', { lhs: 'a', result: { text: '1', latex: '1', echo: true } })]), prose('tail', 84, filler)]);
    await postModel(page, first);
    const before = await page.evaluate(() => Array.from(document.querySelectorAll<HTMLElement>('.mn-segment')).map((el) => el.dataset.render));
    await page.evaluate(() => window.scrollTo(0, 1500));
    const anchorBefore = await page.evaluate(() => {
      const p = Array.from(document.querySelectorAll('p')).find((el) => el.getBoundingClientRect().top >= 0)!;
      return { text: p.textContent, top: Math.round(p.getBoundingClientRect().top) };
    });

    // The block changes and moves down by two lines (lines inserted above it).
    const second = model([
      prose('intro', 0, filler),
      block('b1-changed', 82, [statement(83, 'a', { lhs: 'a', result: { text: '2', latex: '2', echo: true } })]),
      { ...prose('tail', 86, filler) },
    ]);
    await postModel(page, second);
    const after = await page.evaluate(() => Array.from(document.querySelectorAll<HTMLElement>('.mn-segment')).map((el) => ({ render: el.dataset.render, start: el.dataset.startLine })));
    assert.equal(after[0]!.render, before[0], 'unchanged intro kept');
    assert.notEqual(after[1]!.render, before[1], 'changed block redrawn');
    assert.equal(after[2]!.render, before[2], 'moved but unchanged tail kept');
    assert.equal(after[2]!.start, '86', 'its line updated');
    const anchorAfter = await page.evaluate((text) => {
      const p = Array.from(document.querySelectorAll('p')).find((el) => el.textContent === text)!;
      return Math.round(p.getBoundingClientRect().top);
    }, anchorBefore.text);
    assert.ok(Math.abs(anchorAfter - anchorBefore.top) <= 30, `reading position kept (${anchorBefore.top} → ${anchorAfter})`);
    await page.context().close();
  });

  test('clicks reveal lines, scrolling reports the top line, and the extension can scroll the page', async () => {
    const { page } = await openPage(fixture.browser, `${fixture.server.origin}/preview.html`, { height: 400 });
    const filler = Array.from({ length: 30 }, (_, i) => `Line ${i}.`).join('\n\n');
    const m = model([
      prose('intro', 0, filler),
      block('b', 59, [statement(60, 'a', { lhs: 'a' }), statement(61, '\\frac{1}{2}', { lhs: 'b' })]),
      prose('tail', 63, filler),
    ]);
    await postModel(page, m);
    await page.evaluate(() => ((window as unknown as { __posted: unknown[] }).__posted.length = 0));
    await page.locator('.mn-stmt').nth(1).locator('.katex').first().click();
    const posted = await page.evaluate(() => (window as unknown as { __posted: unknown[] }).__posted);
    assert.deepEqual(posted.filter((m) => (m as { type: string }).type === 'reveal'), [{ type: 'reveal', line: 61 }]);

    // The extension scrolls the page to a line: the statement of line 60 comes to the top.
    await page.evaluate(() => window.postMessage({ type: 'scrollToLine', line: 60 }, '*'));
    await page.waitForTimeout(100);
    const top = await page.locator('.mn-stmt').first().evaluate((el) => Math.round(el.getBoundingClientRect().top));
    assert.ok(Math.abs(top) <= 2, `line 60 at the top (top = ${top})`);

    // The reader scrolls: the page reports its top line.
    await page.waitForTimeout(300);
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.waitForFunction(() =>
      (window as unknown as { __posted: { type: string; line?: number }[] }).__posted.some((m) => m.type === 'visibleLine' && m.line === 0),
    );
    await page.context().close();
  });

  test('a long note draws the visible part first, the rest in the background, and scrolls to any line', async () => {
    const { page } = await openPage(fixture.browser, `${fixture.server.origin}/preview.html`, { height: 600 });
    const segments: (ProseSegment | BlockSegment)[] = [];
    for (let i = 0; i < 400; i++) {
      const start = i * 6;
      segments.push(prose(`p${i}`, start, `Paragraph ${i}: $\\sum_{k=1}^{${i}} k^2$`));
      segments.push(block(`b${i}`, start + 2, [statement(start + 3, `x_{${i}}`, { lhs: `y_{${i}}`, result: { text: String(i), latex: String(i), echo: false } })]));
    }
    const long = model(segments);
    const rightAfter = await page.evaluate((m) => {
      const events: string[] = [];
      window.addEventListener('mathnote-rendered', () => events.push('rendered'));
      (window as unknown as { __events: string[] }).__events = events;
      window.postMessage({ type: 'model', model: m, locked: false }, '*');
      return new Promise<{ pending: number; rendered: string | undefined }>((resolve) =>
        setTimeout(() => resolve({ pending: document.querySelectorAll('.mn-pending').length, rendered: document.getElementById('mathnote-root')!.dataset.rendered }), 0),
      );
    }, long);
    assert.ok(rightAfter.pending > 500, `most segments wait as placeholders at first (${rightAfter.pending})`);
    assert.equal(rightAfter.rendered, 'false', 'the page says it is not done yet');
    await waitForSegments(page, long.segments.length);
    assert.equal(await page.locator('.mn-stmt').count(), 400, 'all drawn in the end');
    assert.equal(await page.locator('.mn-pending').count(), 0);
    assert.deepEqual(await page.evaluate(() => (window as unknown as { __events: string[] }).__events), ['rendered'], 'one event when everything is drawn');

    await page.evaluate(() => window.postMessage({ type: 'scrollToLine', line: 6 * 350 + 3 }, '*'));
    await page.waitForTimeout(100);
    const top = await page.locator('.mn-stmt').nth(350).evaluate((el) => Math.round(el.getBoundingClientRect().top));
    assert.ok(Math.abs(top) <= 2, `the statement of line ${6 * 350 + 3} at the top (top = ${top})`);
    await page.context().close();
  });

  test('messages of unknown shapes are ignored', async () => {
    const { page, errors } = await openPage(fixture.browser, `${fixture.server.origin}/preview.html`);
    await postModel(page, model([prose('p', 0, 'Hello $x$')]));
    const html = await page.locator('#mathnote-root').innerHTML();
    await page.evaluate(() => {
      const junk: unknown[] = [
        'model',
        null,
        42,
        { type: 'model' },
        { type: 'model', model: { version: 2, title: 'x', segments: [] }, locked: false },
        { type: 'model', model: { version: 1, title: 'x', segments: [{ kind: 'script', key: 'k' }] }, locked: false },
        { type: 'model', model: { version: 1, title: 'x', segments: 'no' }, locked: false },
        { type: 'scrollToLine', line: -1 },
        { type: 'scrollToLine', line: '3' },
        { type: 'eval', code: 'alert(1)' },
        { __proto__: { type: 'scrollToLine', line: 1 } },
      ];
      for (const message of junk) window.postMessage(message, '*');
    });
    await page.waitForTimeout(200);
    assert.equal(await page.locator('#mathnote-root').innerHTML(), html);
    assert.deepEqual(errors, []);
    await page.context().close();
  });

  test('colours follow the VS Code theme variables (light, dark, high contrast)', async () => {
    const { page } = await openPage(fixture.browser, `${fixture.server.origin}/preview.html`);
    await postModel(page, handwritten);
    const themes = [
      { className: 'vscode-light', fg: 'rgb(10, 20, 30)', bg: 'rgb(250, 250, 250)' },
      { className: 'vscode-dark', fg: 'rgb(220, 221, 222)', bg: 'rgb(30, 30, 30)' },
      { className: 'vscode-high-contrast', fg: 'rgb(255, 255, 255)', bg: 'rgb(0, 0, 0)' },
    ];
    for (const theme of themes) {
      const colours = await page.evaluate((t) => {
        document.body.className = t.className;
        document.documentElement.style.setProperty('--vscode-editor-foreground', t.fg);
        document.documentElement.style.setProperty('--vscode-editor-background', t.bg);
        const svg = document.querySelector('figure.mn-plot svg[class^="plot"]') as SVGElement;
        return { text: getComputedStyle(document.body).color, background: getComputedStyle(document.body).backgroundColor, plot: getComputedStyle(svg).color };
      }, theme);
      assert.deepEqual(colours, { text: theme.fg, background: theme.bg, plot: theme.fg });
      if (theme.className === 'vscode-dark') await screenshot(page, 'handwritten-model-dark');
    }
    await page.context().close();
  });
});
