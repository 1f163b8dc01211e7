/**
 * `mathnote render NOTE.md -o NOTE.html`: a standalone page that looks like the preview.
 *
 * The page is one self-contained file, so it can be mailed, attached or printed: the preview's own
 * script (`dist/media/preview.js`, the same renderer the webview runs) and its stylesheet are
 * inlined, KaTeX's stylesheet is inlined with its WOFF2 fonts as `data:` URLs, and the render model
 * rides along as inert JSON (`<script type="application/json">`, never executed; default-valued
 * fields left out, see `compactModel`). The segments that fill the first screen are drawn into the
 * page itself, with the page's own markup (media/src/markup.ts), so they are painted before the
 * model and the script are parsed; the script then takes them over. The page carries
 * the same strict Content Security Policy as the webview, adapted to inline assets: no network at
 * all, the one script allowed by nonce, fonts and images only as `data:`.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  analyzeNote,
  buildPreviewModel,
  evaluateCitations,
  evaluateNote,
  type PreviewModel,
} from './language/index.js';
import { createMarkdown } from '../../media/src/markdown.js';
import { firstScreenMarkup, statusText } from '../../media/src/markup.js';

export interface StandaloneOptions {
  /** The directory holding the built webview assets (`dist/media`); found automatically if absent. */
  readonly mediaDir?: string;
  /** The page title when the note has no heading. */
  readonly title?: string;
  /**
   * How much of the note, by estimated height in pixels, is drawn into the page itself so that it
   * paints before the script runs (default: a tall window's worth, 1200; 0 draws nothing ahead).
   */
  readonly firstScreenHeight?: number;
}

export interface RenderNoteOptions extends StandaloneOptions {
  /** True for a `.mathnote` file: the whole text is one block. */
  readonly wholeFile?: boolean;
  readonly precision?: number;
  readonly timeBudgetMs?: number;
}

/** Where the built assets are: beside the bundled CLI (`dist/media`) or, from sources, in `dist/`. */
function findMediaDir(explicit: string | undefined): string {
  const here = typeof __dirname === 'string' ? __dirname : process.cwd();
  const candidates = explicit ? [explicit] : [join(here, 'media'), join(here, '..', '..', 'dist', 'media'), join(process.cwd(), 'dist', 'media')];
  for (const candidate of candidates) {
    if (existsSync(join(candidate, 'preview.js')) && existsSync(join(candidate, 'katex', 'katex.min.css'))) return candidate;
  }
  throw new Error(`the preview assets were not found (looked in ${candidates.join(', ')}); run \`npm run build\` first`);
}

/** KaTeX's stylesheet with every font as a WOFF2 `data:` URL (the other formats dropped). */
function katexCssInlined(mediaDir: string): string {
  const css = readFileSync(join(mediaDir, 'katex', 'katex.min.css'), 'utf8');
  return css.replace(/src:\s*url\(([^)]+\.woff2)\)\s*format\(["']woff2["']\)[^;}]*/g, (_match, file: string) => {
    const font = readFileSync(join(mediaDir, 'katex', file.replace(/^["']|["']$/g, '')));
    return `src:url(data:font/woff2;base64,${font.toString('base64')}) format("woff2")`;
  });
}

/** Makes text safe inside a `<script>` or `<style>` element: it cannot close the element early. */
function escapeRawText(text: string, tag: 'script' | 'style'): string {
  return text.replace(new RegExp(`</(${tag})`, 'gi'), '<\\/$1').replace(/<!--/g, '<\\!--');
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** JSON that can sit inside `<script type="application/json">`: no `<` survives as such. */
function inertJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

/**
 * The model as the page embeds it: fields that hold their default value (`comparison: false`,
 * `broken: false`, no problems, no citations, a statement ending on its first line) are left out,
 * which makes the page of a long note a fifth smaller and its first paint sooner. The page puts
 * them back before drawing (`restoreEmbeddedModel` in media/src/embedded.ts); nothing is lost.
 */
export function compactModel(model: PreviewModel): unknown {
  return {
    ...model,
    segments: model.segments.map((segment) => {
      if (segment.kind === 'prose') {
        const { citations, ...rest } = segment;
        return citations.length > 0 ? segment : rest;
      }
      const { problems, statements, ...rest } = segment;
      return {
        ...rest,
        ...(problems.length > 0 ? { problems } : {}),
        statements: statements.map((statement) => {
          const { endLine, comparison, broken, problems: statementProblems, ...kept } = statement;
          return {
            ...kept,
            ...(endLine !== statement.line ? { endLine } : {}),
            ...(comparison ? { comparison } : {}),
            ...(broken ? { broken } : {}),
            ...(statementProblems.length > 0 ? { problems: statementProblems } : {}),
          };
        }),
      };
    }),
  };
}

/** The Content Security Policy of a standalone page (same shape as the webview's). */
export function standaloneCsp(nonce: string): string {
  return ["default-src 'none'", `script-src 'nonce-${nonce}'`, "style-src 'unsafe-inline'", 'font-src data:', 'img-src data:'].join('; ');
}

/** A complete standalone HTML page drawing `model` with the preview's renderer. */
export function renderStandaloneHtml(model: PreviewModel, options: StandaloneOptions = {}): string {
  const mediaDir = findMediaDir(options.mediaDir);
  const script = readFileSync(join(mediaDir, 'preview.js'), 'utf8').replace(/\n\/\/# sourceMappingURL=.*$/m, '');
  const previewCss = existsSync(join(mediaDir, 'preview.css')) ? readFileSync(join(mediaDir, 'preview.css'), 'utf8') : '';
  const nonce = randomBytes(16).toString('base64');
  const title = model.title || options.title || 'Mathnote';
  const status = statusText(model, false);
  // The first screen, drawn here with the page's own markup, comes before the model and the script:
  // Chromium paints it as soon as it has parsed it, while the rest of a long note's page (megabytes
  // of model, the script) is still loading and parsing. The script takes these elements over.
  const firstScreen = firstScreenMarkup(model, createMarkdown(), { height: options.firstScreenHeight ?? 1200 });
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(standaloneCsp(nonce))}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="mathnote render">
<title>${escapeHtml(title)}</title>
<style>${escapeRawText(katexCssInlined(mediaDir), 'style')}</style>
<style>${escapeRawText(previewCss.replace(/\/\*# sourceMappingURL=.*?\*\//g, ''), 'style')}</style>
</head>
<body>
<div id="mathnote-status"${status === '' ? ' hidden' : ''}>${escapeHtml(status)}</div>
<main id="mathnote-root">${firstScreen}</main>
<script type="application/json" id="mathnote-model">${inertJson(compactModel(model))}</script>
<script nonce="${escapeHtml(nonce)}">${escapeRawText(script, 'script')}</script>
</body>
</html>
`;
}

/** Analyses, evaluates and renders a note's text to a standalone page (the CLI's `render`). */
export function renderNoteFile(text: string, options: RenderNoteOptions = {}): string {
  const analysis = analyzeNote(text, { wholeFile: options.wholeFile ?? false });
  const evaluationOptions = {
    ...(options.precision !== undefined ? { precision: options.precision } : {}),
    ...(options.timeBudgetMs !== undefined ? { timeBudgetMs: options.timeBudgetMs } : {}),
  };
  const evaluation = evaluateNote(analysis, evaluationOptions);
  const precision = options.precision ?? 6;
  const citations = evaluateCitations(analysis, { analyzeNote, evaluateNote }, { ...evaluationOptions, precision });
  const model = buildPreviewModel(analysis, evaluation, {
    precision,
    citations,
    ...(options.title !== undefined ? { fallbackTitle: options.title } : {}),
  });
  return renderStandaloneHtml(model, options);
}
