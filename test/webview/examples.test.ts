/**
 * Every example note, through the real core, drawn by the real preview page in Chromium; and the
 * same note rendered by `mathnote render` (a standalone page) must show the same content.
 *
 * Set MATHNOTE_UPDATE_IMAGES=1 to refresh `images/preview-regression.png` (used by the README).
 */
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { renderNoteFile } from '../../server/src/render.js';
import { statusText } from '../../media/src/markup.js';
import { drawnAhead, mediaDir, normalizedSegments, openPage, pageCounts, type PageCounts, postModel, previewFixture, repoRoot, screenshot, waitForSegments } from './harness.js';
import { checkFractions, checkMatrices, checkPlots, katexFontsLoaded } from './layout.js';
import { exampleNotes, modelOf } from './notes.js';

/** The preview server and Chromium, started before this file's tests and stopped after them. */
const fixture = previewFixture();

const violations = (page: import('playwright-core').Page): Promise<string[]> =>
  page.evaluate(() => (window as unknown as { __violations: string[] }).__violations);

describe('example notes in the preview and in `mathnote render`', () => {
  for (const note of exampleNotes()) {
    test(note.name, async () => {
      const model = modelOf(note.text, note.name);
      const statements = model.segments.flatMap((segment) => (segment.kind === 'block' ? segment.statements : []));

      // The preview page, fed the model as the extension feeds it.
      const preview = await openPage(fixture.browser, `${fixture.server.origin}/preview.html`);
      await postModel(preview.page, model);
      const previewCounts: PageCounts = await pageCounts(preview.page);
      assert.equal(previewCounts.statements, statements.length, 'one row or plot per statement');
      const typeset = statements.filter((s) => !s.plot && !s.broken).length;
      assert.ok(previewCounts.katex >= typeset, `every typeset statement has KaTeX (${previewCounts.katex} < ${typeset})`);
      // The printers' LaTeX must be valid KaTeX: a parse error would show as red source.
      assert.deepEqual(await preview.page.locator('.katex-error').allTextContents(), []);
      const fonts = await katexFontsLoaded(preview.page);
      assert.ok(fonts.main, `KaTeX_Main loaded (${fonts.families.join(', ')})`);
      assert.deepEqual((await checkFractions(preview.page)).bad, []);
      assert.deepEqual((await checkMatrices(preview.page)).bad, []);
      assert.deepEqual(await checkPlots(preview.page, model), []);
      assert.deepEqual(await violations(preview.page), []);
      assert.deepEqual(preview.errors, []);
      const shot = await screenshot(preview.page, `example-${note.name.replace(/\.md$/, '')}`);
      if (note.name === 'regression.md' && process.env.MATHNOTE_UPDATE_IMAGES === '1') {
        mkdirSync(join(repoRoot, 'images'), { recursive: true });
        copyFileSync(shot, join(repoRoot, 'images', 'preview-regression.png'));
      }

      // The standalone page of `mathnote render`, with everything inlined and its own CSP.
      const html = renderNoteFile(note.text, { title: note.name, mediaDir });
      assert.doesNotMatch(html, /<link|src="http|url\(fonts\//, 'nothing loaded from outside the page');
      const path = `/render/${encodeURIComponent(note.name)}.html`;
      fixture.server.pages.set(path, html);

      // Its first screen is drawn into the page, ahead of the model and the script, so it paints
      // before they are parsed: with scripts off, the page shows the first segments of the model
      // and its status line, in exactly the markup the preview draws for them.
      const drawnAt = html.indexOf('<main id="mathnote-root"><');
      assert.ok(drawnAt > 0 && drawnAt < html.indexOf('id="mathnote-model"') && html.indexOf('id="mathnote-model"') < html.indexOf('<script nonce='), 'drawn segments, then the model, then the script');
      const still = (await openPage(fixture.browser, `${fixture.server.origin}${path}`, { vscode: false, javaScript: false })).page;
      const firstScreen = await normalizedSegments(still);
      assert.ok(firstScreen.length >= 1, 'something is drawn ahead');
      const previewSegments = await normalizedSegments(preview.page);
      assert.deepEqual(firstScreen, previewSegments.slice(0, firstScreen.length), 'the first screen is what the preview draws');
      assert.equal(await still.locator('#mathnote-status').textContent(), statusText(model, false));
      assert.equal(await still.locator('#mathnote-status').isVisible(), statusText(model, false) !== '');
      await screenshot(still, `first-screen-${note.name.replace(/\.md$/, '')}`);
      await still.context().close();

      const rendered = await openPage(fixture.browser, `${fixture.server.origin}${path}`, { vscode: false });
      await waitForSegments(rendered.page, model.segments.length);
      const renderedCounts = await pageCounts(rendered.page);
      assert.deepEqual(renderedCounts, previewCounts, 'the rendered page shows what the preview shows');
      assert.deepEqual(await normalizedSegments(rendered.page), previewSegments, 'segment for segment, in the same markup');
      // The script took the first screen over as it was, without drawing it again.
      const ahead = await drawnAhead(rendered.page);
      assert.deepEqual(ahead, model.segments.map((_, index) => index < firstScreen.length), 'the first screen is the elements the page came with');
      assert.ok((await katexFontsLoaded(rendered.page)).main, 'KaTeX fonts load from data: URLs');
      assert.deepEqual(await checkPlots(rendered.page, model), []);
      assert.deepEqual(await violations(rendered.page), []);
      assert.deepEqual(rendered.errors, []);
      await screenshot(rendered.page, `render-${note.name.replace(/\.md$/, '')}`);
      await preview.page.context().close();
      await rendered.page.context().close();
    });
  }
});
