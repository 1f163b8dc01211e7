/**
 * The messages between the preview page and the extension, and their validation.
 *
 * Both directions are checked by shape before anything acts on them: a message that does not match
 * exactly one of the known shapes is ignored. The extension validates what the page sends with
 * `client/src/preview/messages.ts`; this file validates what the page receives.
 */
import type { PreviewModel } from '../../server/src/language/features/preview.js';

/** Extension → page: draw this model. `locked` says whether the panel follows the active note. */
export interface ModelMessage {
  readonly type: 'model';
  readonly model: PreviewModel;
  readonly locked: boolean;
}

/** Extension → page: the editor's first visible line changed; scroll to it. */
export interface ScrollToLineMessage {
  readonly type: 'scrollToLine';
  readonly line: number;
}

export type HostMessage = ModelMessage | ScrollToLineMessage;

/** Page → extension: the page is ready for a model. */
export interface ReadyMessage {
  readonly type: 'ready';
}

/** Page → extension: the reader clicked a formula; show its line in the editor. */
export interface RevealMessage {
  readonly type: 'reveal';
  readonly line: number;
}

/** Page → extension: the page was scrolled; this line is now at its top. */
export interface VisibleLineMessage {
  readonly type: 'visibleLine';
  readonly line: number;
}

/** Page → extension: everything is drawn; what the page shows (read by end-to-end tests). */
export interface RenderedMessage {
  readonly type: 'rendered';
  readonly statements: number;
  readonly katex: number;
  readonly plots: number;
  /** Scatter points (`circle`s of Plot's dot marks) and line paths in all plots. */
  readonly dots: number;
  readonly lines: number;
}

export type PageMessage = ReadyMessage | RevealMessage | VisibleLineMessage | RenderedMessage;

/** What the page keeps in `vscode.setState` so the panel can come back after a reload. */
export interface PageState {
  readonly uri?: string;
  readonly locked: boolean;
  readonly line: number;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isLine(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value < 10_000_000;
}

function isModel(value: unknown): value is PreviewModel {
  return (
    isRecord(value) &&
    value.version === 1 &&
    typeof value.title === 'string' &&
    Array.isArray(value.segments) &&
    value.segments.every((segment) => isRecord(segment) && (segment.kind === 'prose' || segment.kind === 'block') && typeof segment.key === 'string')
  );
}

/** Returns the message when it is one the page understands, undefined otherwise. */
export function parseHostMessage(data: unknown): HostMessage | undefined {
  if (!isRecord(data)) return undefined;
  if (data.type === 'model' && isModel(data.model) && typeof data.locked === 'boolean') {
    return { type: 'model', model: data.model, locked: data.locked };
  }
  if (data.type === 'scrollToLine' && isLine(data.line)) return { type: 'scrollToLine', line: data.line };
  return undefined;
}

/** Returns the state when it has the expected shape, undefined otherwise. */
export function parsePageState(data: unknown): PageState | undefined {
  if (!isRecord(data) || typeof data.locked !== 'boolean' || !isLine(data.line)) return undefined;
  if (data.uri !== undefined && typeof data.uri !== 'string') return undefined;
  return { uri: data.uri as string | undefined, locked: data.locked, line: data.line };
}
