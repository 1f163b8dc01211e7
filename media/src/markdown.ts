/**
 * Prose rendering: markdown-it with raw HTML disabled, plus math and citations.
 *
 * A small plugin of our own adds `$…$` (inline), `$$…$$` (display, inline or on its own lines)
 * and GitHub's ```` ```math ```` fences, all typeset by KaTeX with the safe options of tex.ts.
 * Inline code spans `` `= expr` `` are replaced by the value the server computed for them.
 * Every block element carries `data-rel-line` (its line within the segment) for scroll sync.
 */
import MarkdownIt from 'markdown-it';
import type { StateBlock, StateInline, Token } from 'markdown-it';
import type { PreviewCitation } from '../../server/src/language/features/preview.js';
import { escapeHtml, texToHtml } from './tex.js';

/** What the renderer needs to know about the segment being rendered. */
export interface ProseEnv {
  /** Citation values by expression, each a queue consumed in order of appearance. */
  citations: Map<string, PreviewCitation[]>;
}

function isWhitespace(code: number): boolean {
  return code === 0x20 || code === 0x09 || code === 0x0a || code === 0x0d;
}

/**
 * `$…$` and `$$…$$` inside a paragraph. As on GitHub and in Pandoc, an opening `$` must not be
 * followed by a space and a closing `$` must not be preceded by one nor followed by a digit, so
 * prices like "$5 and $6" stay text.
 */
function mathInline(state: StateInline, silent: boolean): boolean {
  const src = state.src;
  const start = state.pos;
  if (src.charCodeAt(start) !== 0x24 /* $ */) return false;
  const display = src.charCodeAt(start + 1) === 0x24;
  const open = display ? 2 : 1;
  const contentStart = start + open;
  if (contentStart >= state.posMax) return false;
  if (!display && isWhitespace(src.charCodeAt(contentStart))) return false;
  let end = contentStart;
  while (end < state.posMax) {
    const c = src.charCodeAt(end);
    if (c === 0x5c /* \ */) {
      end += 2;
      continue;
    }
    if (c === 0x24) {
      if (display) {
        if (src.charCodeAt(end + 1) === 0x24) break;
      } else if (!isWhitespace(src.charCodeAt(end - 1))) {
        const after = src.charCodeAt(end + 1);
        if (!(after >= 0x30 && after <= 0x39)) break;
      }
    }
    end++;
  }
  if (end >= state.posMax || end === contentStart) return false;
  if (!silent) {
    const token = state.push(display ? 'math_inline_display' : 'math_inline', 'math', 0);
    token.markup = display ? '$$' : '$';
    token.content = src.slice(contentStart, end);
  }
  state.pos = end + open;
  return true;
}

/** `$$` on its own line(s): a display formula block. */
function mathBlock(state: StateBlock, startLine: number, endLine: number, silent: boolean): boolean {
  let pos = state.bMarks[startLine]! + state.tShift[startLine]!;
  let max = state.eMarks[startLine]!;
  if (state.sCount[startLine]! - state.blkIndent >= 4) return false;
  if (pos + 2 > max || state.src.slice(pos, pos + 2) !== '$$') return false;
  pos += 2;
  let firstLine = state.src.slice(pos, max);
  let lastLine = '';
  let found = false;
  let next = startLine;
  if (firstLine.trim().endsWith('$$')) {
    // `$$ … $$` on one line.
    firstLine = firstLine.trim().slice(0, -2);
    found = true;
  }
  if (silent) return true;
  while (!found) {
    next++;
    if (next >= endLine) break;
    pos = state.bMarks[next]! + state.tShift[next]!;
    max = state.eMarks[next]!;
    if (pos < max && state.sCount[next]! < state.blkIndent) break;
    const line = state.src.slice(pos, max);
    if (line.trim().endsWith('$$')) {
      lastLine = line.trim().slice(0, -2);
      found = true;
    }
  }
  if (!found) return false;
  state.line = next + 1;
  const token = state.push('math_block', 'math', 0);
  token.block = true;
  const middle = next > startLine + 1 ? state.getLines(startLine + 1, next, state.tShift[startLine]!, true) : '';
  token.content = [firstLine, middle, lastLine].filter((part) => part.trim() !== '').join('\n');
  token.map = [startLine, state.line];
  token.markup = '$$';
  return true;
}

function relLineAttribute(token: Token): string {
  return token.map ? ` data-rel-line="${token.map[0]}"` : '';
}

/** The one markdown-it instance: CommonMark plus tables and strikethrough, HTML disabled. */
export function createMarkdown(): MarkdownIt {
  const md = new MarkdownIt('default', { html: false, linkify: false, typographer: false });
  md.inline.ruler.after('escape', 'math_inline', mathInline);
  md.block.ruler.after('blockquote', 'math_block', mathBlock, { alt: ['paragraph', 'reference', 'blockquote', 'list'] });

  // Block tokens carry their line for scroll sync and click-to-reveal.
  md.core.ruler.push('mathnote_lines', (state) => {
    for (const token of state.tokens) {
      if (token.map && token.nesting === 1) token.attrSet('data-rel-line', String(token.map[0]));
    }
  });

  md.renderer.rules.math_inline = (tokens, index) => texToHtml(tokens[index]!.content, false);
  md.renderer.rules.math_inline_display = (tokens, index) => texToHtml(tokens[index]!.content, true);
  md.renderer.rules.math_block = (tokens, index) =>
    `<div class="mn-math-block"${relLineAttribute(tokens[index]!)}>${texToHtml(tokens[index]!.content, true)}</div>\n`;

  const defaultFence = md.renderer.rules.fence!;
  md.renderer.rules.fence = (tokens, index, options, env, self) => {
    const token = tokens[index]!;
    const language = token.info.trim().split(/\s+/)[0]?.toLowerCase();
    if (language === 'math') {
      return `<div class="mn-math-block"${relLineAttribute(token)}>${texToHtml(token.content, true)}</div>\n`;
    }
    return defaultFence(tokens, index, options, env, self);
  };

  md.renderer.rules.code_inline = (tokens, index, _options, env: ProseEnv) => {
    const content = tokens[index]!.content;
    const citation = takeCitation(content, env);
    if (!citation) return `<code>${escapeHtml(content)}</code>`;
    if (citation.result) {
      return `<span class="mn-citation" title="${escapeHtml(citation.expression)} = ${escapeHtml(citation.result.text)}">${texToHtml(citation.result.latex, false)}</span>`;
    }
    return `<span class="mn-citation mn-citation-error" title="${escapeHtml(citation.problem ?? '')}"><code>${escapeHtml(content)}</code> ⚠ ${escapeHtml(citation.problem ?? 'no value')}</span>`;
  };

  // Images could only load from the extension or as data: URLs (the CSP), so a remote or relative
  // image shows its description instead of a broken picture and a CSP report.
  md.renderer.rules.image = (tokens, index) => {
    const token = tokens[index]!;
    const src = token.attrGet('src') ?? '';
    const alt = token.children ? token.children.map((child) => child.content).join('') : token.content;
    if (/^data:image\/(png|gif|jpeg|webp);/i.test(src)) return `<img src="${escapeHtml(src)}" alt="${escapeHtml(alt)}">`;
    return `<span class="mn-image" title="${escapeHtml(src)}">🖼 ${escapeHtml(alt || src)}</span>`;
  };
  return md;
}

function takeCitation(content: string, env: ProseEnv | undefined): PreviewCitation | undefined {
  const trimmed = content.trim();
  if (!env || !trimmed.startsWith('=') || trimmed.startsWith('==')) return undefined;
  const queue = env.citations.get(trimmed.slice(1).trim());
  return queue?.shift();
}

/** Groups a segment's citations by expression for the renderer. */
export function citationEnv(citations: readonly PreviewCitation[]): ProseEnv {
  const map = new Map<string, PreviewCitation[]>();
  for (const citation of citations) {
    const queue = map.get(citation.expression);
    if (queue) queue.push(citation);
    else map.set(citation.expression, [citation]);
  }
  return { citations: map };
}
