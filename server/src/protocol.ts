/**
 * Every custom request and notification between the Mathnote language server and its clients, typed
 * once for both sides (in the style of rust-analyzer's `lsp_ext.ts`).
 *
 * The client and the webview import this file type-only, so it holds types and plain string
 * constants and nothing that pulls server code into the extension bundle. Standard LSP messages are
 * not repeated here.
 */
import type { Position, Range, TextDocumentIdentifier } from 'vscode-languageserver-types';

/** The settings the server reads under the `mathnote` section (`workspace/configuration`). */
export interface MathnoteSettings {
  /** Significant digits of printed numbers (`mathnote.precision`, default 6). */
  readonly precision: number;
  readonly inlayHints: {
    /** Show each statement's result at the end of its line (`mathnote.inlayHints.enabled`). */
    readonly enabled: boolean;
    /** Longest inlay hint before it is shortened with `…` (`mathnote.inlayHints.maxLength`, default 40). */
    readonly maxLength: number;
  };
  readonly evaluation: {
    /** Time budget for evaluating one note, in milliseconds (`mathnote.evaluation.timeBudgetMs`). */
    readonly timeBudgetMs: number;
    /** Largest number of elements one matrix may hold (`mathnote.evaluation.maxElements`). */
    readonly maxElements: number;
  };
  /** Info strings of fenced blocks that hold Mathnote (`mathnote.fenceNames`, default `["mathnote"]`). */
  readonly fenceNames: readonly string[];
}

/** The defaults used when the client sends no configuration. */
export const DEFAULT_SETTINGS: MathnoteSettings = {
  precision: 6,
  inlayHints: { enabled: true, maxLength: 40 },
  evaluation: { timeBudgetMs: 2000, maxElements: 10_000_000 },
  fenceNames: ['mathnote'],
};

// ---------------------------------------------------------------------------------------------
// mathnote/resultAt: the result of the statement at a position (copy result, insert as comment).

export const RESULT_AT_METHOD = 'mathnote/resultAt';

export interface ResultAtParams {
  readonly textDocument: TextDocumentIdentifier;
  readonly position: Position;
}

export interface ResultAtResponse {
  /** The whole statement whose result this is, in document coordinates. */
  readonly range: Range;
  /** Its source text. */
  readonly source: string;
  /** The names it defines (empty for a bare expression). */
  readonly names: readonly string[];
  /** The result printed as text (as the inlay hint and `mathnote eval` print it, unshortened). */
  readonly text: string;
  /**
   * The result on one line, unshortened (`[19, 22; 43, 50]`), for "Insert Result as Comment";
   * absent when the server predates it, in which case the client joins the lines of `text`.
   */
  readonly inline?: string;
  /** The result as LaTeX (KaTeX-compatible). */
  readonly latex: string;
  /** `[rows, cols]` for a matrix or a number, null otherwise. */
  readonly shape: readonly [number, number] | null;
}

/** Null when no statement is at the position or its result is not known (yet, or it failed). */
export type ResultAtResult = ResultAtResponse | null;

// ---------------------------------------------------------------------------------------------
// mathnote/evaluationStatus: server → client, for the status bar.

export const EVALUATION_STATUS_METHOD = 'mathnote/evaluationStatus';

export type EvaluationState =
  /** Evaluation of this version started (or was scheduled). */
  | 'evaluating'
  /** Evaluation finished; its runtime diagnostics have been published. */
  | 'done'
  /** The evaluation was stopped by the watchdog after its budget (a `limit` diagnostic says so). */
  | 'stopped';

export interface EvaluationStatusParams {
  readonly uri: string;
  /** The document version the status is about. */
  readonly version: number;
  readonly state: EvaluationState;
  /** Milliseconds the evaluation took (for `done` and `stopped`). */
  readonly elapsedMs?: number;
  /**
   * For `done`: how many statements were evaluated; fewer than the note holds when the values of
   * statements an edit could not affect were reused.
   */
  readonly statementsEvaluated?: number;
  /** Diagnostics of severity error currently published for the document (static and runtime). */
  readonly errors: number;
  /** Diagnostics of severity warning currently published for the document. */
  readonly warnings: number;
}

// ---------------------------------------------------------------------------------------------
// mathnote/preview: the render model of a note for the preview webview and `mathnote render`.

export const PREVIEW_METHOD = 'mathnote/preview';

export interface PreviewParams {
  readonly textDocument: TextDocumentIdentifier;
}

export type { PreviewModel } from './language/features/preview.js';

/** Null when the server does not know the document (not opened through it). */
export type PreviewResponse = import('./language/features/preview.js').PreviewModel | null;

/**
 * The environment an editor client gives the language server process when it starts it, shared by
 * the VS Code client and the benchmark so that both run the same server.
 *
 * glibc gives each thread that allocates concurrently a malloc arena of its own, up to eight per
 * core, and keeps their pages resident. The server's threads (its own, the evaluation workers,
 * V8's compiler and collector threads) held 20–28 MB in such arenas after the 10,000-line benchmark
 * note. Two arenas brought the settled server from 157 to 137 MB with no measurable cost, since V8
 * allocates JavaScript objects in its own heap, not through malloc. glibc reads the variable
 * when the process starts, so it cannot be set from inside the server. Other C libraries ignore it.
 */
export const SERVER_ENVIRONMENT: Readonly<Record<string, string>> = { MALLOC_ARENA_MAX: '2' };

/** `base` with SERVER_ENVIRONMENT added; a value the user set already is kept. */
export function serverEnvironment(base: Readonly<Record<string, string | undefined>>): Record<string, string | undefined> {
  const environment: Record<string, string | undefined> = { ...base };
  for (const [name, value] of Object.entries(SERVER_ENVIRONMENT)) environment[name] ??= value;
  return environment;
}
