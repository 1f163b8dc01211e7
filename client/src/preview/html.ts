/**
 * The HTML of the preview webview and its Content Security Policy.
 *
 * Kept free of the `vscode` API so the browser tests load exactly this page in Chromium, with the
 * same policy, served from a local origin instead of the webview's.
 */

/** Where the page's assets are, as URLs the page may load (webview URIs in VS Code). */
export interface PreviewHtmlOptions {
  /** The webview's `cspSource` (or the test server's origin). */
  readonly cspSource: string;
  /** A fresh random nonce: the only script that may run is the one carrying it. */
  readonly nonce: string;
  /** URL of `dist/media/preview.js`. */
  readonly scriptUri: string;
  /** URLs of `dist/media/katex/katex.min.css` and `dist/media/preview.css`. */
  readonly styleUris: readonly string[];
  readonly title?: string;
}

/**
 * The policy: nothing by default; scripts only by nonce; styles, fonts and images only from the
 * extension (KaTeX and Plot set inline `style` attributes, hence `'unsafe-inline'` for styles);
 * images also as `data:` URLs (Plot's raster marks). No connections, frames or objects at all.
 */
export function previewCsp(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src ${cspSource} 'unsafe-inline'`,
    `font-src ${cspSource}`,
    `img-src ${cspSource} data:`,
  ].join('; ');
}

function escapeAttribute(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The complete webview document. */
export function buildPreviewHtml(options: PreviewHtmlOptions): string {
  const styles = options.styleUris.map((uri) => `  <link rel="stylesheet" href="${escapeAttribute(uri)}">`).join('\n');
  return `<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta http-equiv="Content-Security-Policy" content="${escapeAttribute(previewCsp(options.cspSource, options.nonce))}">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>${escapeAttribute(options.title ?? 'Mathnote preview')}</title>
${styles}
</head>
<body>
  <div id="mathnote-status" hidden></div>
  <main id="mathnote-root"></main>
  <script nonce="${escapeAttribute(options.nonce)}" src="${escapeAttribute(options.scriptUri)}"></script>
</body>
</html>
`;
}
