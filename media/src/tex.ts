/**
 * KaTeX for the preview, always with the same safe options.
 *
 * `trust: false` makes `\href`, `\url`, `\includegraphics`, `\htmlClass`, `\htmlData`, … render as
 * inert error text instead of links or attributes; `throwOnError: false` turns a bad formula into
 * red source text instead of an exception; `maxExpand` and `maxSize` bound what a hostile macro
 * can make KaTeX do. KaTeX escapes every character of the source it puts into HTML.
 */
import katex from 'katex';

const safeOptions = {
  throwOnError: false,
  trust: false,
  strict: 'ignore',
  maxExpand: 1000,
  maxSize: 50,
  output: 'htmlAndMathml',
} as const;

/** LaTeX → HTML string (safe to insert as HTML: KaTeX escapes what it prints). */
export function texToHtml(latex: string, displayMode: boolean): string {
  try {
    return katex.renderToString(latex, { ...safeOptions, displayMode });
  } catch {
    // Only internal KaTeX failures get here (throwOnError is off); show the source as text.
    return `<code class="mn-tex-failed">${escapeHtml(latex)}</code>`;
  }
}

/** Renders LaTeX into an element, replacing its content. */
export function renderTex(element: HTMLElement, latex: string, displayMode: boolean): void {
  element.innerHTML = texToHtml(latex, displayMode);
}

/** Escapes the five characters that matter in HTML text and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
