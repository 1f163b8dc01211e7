/**
 * Messages the preview page sends to the extension, validated before anything acts on them.
 *
 * The page runs a note's rendered content; even though that content cannot run script (CSP,
 * KaTeX `trust: false`, markdown-it without HTML), the extension treats every message as untrusted
 * input: only these exact shapes are accepted, with lines bounded by the document's length.
 */

/** What the page shows once everything is drawn (end-to-end tests read it). */
export interface RenderedCounts {
  readonly statements: number;
  readonly katex: number;
  readonly plots: number;
  readonly dots: number;
  readonly lines: number;
}

export type PageMessage =
  | { readonly type: 'ready' }
  | { readonly type: 'reveal'; readonly line: number }
  | { readonly type: 'visibleLine'; readonly line: number }
  | ({ readonly type: 'rendered' } & RenderedCounts);

const COUNT_KEYS = ['statements', 'katex', 'plots', 'dots', 'lines'] as const;

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 10_000_000;
}

/** What the page keeps across reloads (`vscode.setState`), read back by the panel serializer. */
export interface PreviewPanelState {
  readonly uri?: string;
  readonly locked: boolean;
  readonly line: number;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isLine(value: unknown, lineCount: number): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value < Math.max(1, lineCount);
}

/**
 * Returns the message when it has exactly one of the known shapes and its line lies inside a
 * document of `lineCount` lines; undefined otherwise (the caller ignores it).
 */
export function parsePageMessage(data: unknown, lineCount: number): PageMessage | undefined {
  if (!isRecord(data) || typeof data.type !== 'string') return undefined;
  const keys = Object.keys(data);
  switch (data.type) {
    case 'ready':
      return keys.length === 1 ? { type: 'ready' } : undefined;
    case 'reveal':
    case 'visibleLine':
      if (keys.length !== 2 || !isLine(data.line, lineCount)) return undefined;
      return { type: data.type, line: data.line };
    case 'rendered': {
      if (keys.length !== COUNT_KEYS.length + 1 || !COUNT_KEYS.every((key) => isCount(data[key]))) return undefined;
      const counts = Object.fromEntries(COUNT_KEYS.map((key) => [key, data[key] as number])) as unknown as RenderedCounts;
      return { type: 'rendered', ...counts };
    }
    default:
      return undefined;
  }
}

/** Reads a saved page state, or undefined when it is missing or malformed. */
export function parsePanelState(data: unknown): PreviewPanelState | undefined {
  if (!isRecord(data) || typeof data.locked !== 'boolean') return undefined;
  if (data.uri !== undefined && typeof data.uri !== 'string') return undefined;
  const line = typeof data.line === 'number' && Number.isInteger(data.line) && data.line >= 0 ? data.line : 0;
  return { uri: data.uri as string | undefined, locked: data.locked, line };
}
