/**
 * Messages between the language server's thread and a document's evaluation worker.
 *
 * Design: values hold closures and typed arrays and cannot be posted, so the worker keeps the last
 * analysis and evaluation of its document and sends back only serializable summaries (per-statement
 * text, one-line text, LaTeX, Markdown and shape; runtime problems; cited results). The server answers
 * hovers on names, inlay hints and `mathnote/resultAt` from those summaries without asking the
 * worker; only a hover on a sub-expression (`A B` inside a longer line) and the preview
 * model (`mathnote/preview`) ask the worker, which still holds the evaluation to compute them.
 */
import type { AnalysisOptions, CitationSummary, EvaluationOptions, PreviewModel, Problem, ResultSummary, SubexpressionValue } from '../language/index.js';
import type { ThreadMemory } from './memory.js';

/** The span and source of each statement of an evaluated version, to carry results over to later versions. */
export interface EvaluatedStatement {
  readonly start: number;
  readonly end: number;
  readonly source: string;
}

export type ToWorker =
  | {
      readonly type: 'evaluate';
      readonly version: number;
      readonly text: string;
      readonly analysisOptions: Partial<AnalysisOptions>;
      readonly evaluationOptions: Omit<EvaluationOptions, 'isCancelled'>;
    }
  | { readonly type: 'subexpression'; readonly id: number; readonly version: number; readonly offset: number }
  | { readonly type: 'preview'; readonly id: number; readonly uri: string }
  /**
   * The worker's heap figures (asked only by the test hooks' `mathnote/test/memory`); `settled`
   * asks for them once the worker's idle work (ending a chain of incremental evaluations) is done.
   */
  | { readonly type: 'memory'; readonly id: number; readonly settled: boolean };

export interface EvaluatedMessage {
  readonly type: 'evaluated';
  readonly version: number;
  /** False when a newer version was asked for while this one ran (its results are partial). */
  readonly cancelled: boolean;
  readonly complete: boolean;
  readonly elapsedMs: number;
  /** How many statements were evaluated (fewer than all when earlier values could be reused). */
  readonly statementsEvaluated: number;
  readonly statements: readonly EvaluatedStatement[];
  readonly summaries: readonly ResultSummary[];
  /** Runtime problems, in this version's offsets. */
  readonly problems: readonly Problem[];
  readonly citations: readonly CitationSummary[];
}

export type FromWorker =
  /** The worker began evaluating a version (the watchdog counts from here, not from thread start-up). */
  | { readonly type: 'started'; readonly version: number }
  | EvaluatedMessage
  | { readonly type: 'failed'; readonly version: number; readonly message: string }
  | { readonly type: 'subexpression'; readonly id: number; readonly result?: SubexpressionValue }
  /** The preview model of the last evaluated version; absent before any evaluation. */
  | { readonly type: 'preview'; readonly id: number; readonly model?: PreviewModel }
  | { readonly type: 'memory'; readonly id: number; readonly memory: ThreadMemory };

/** What the worker receives as `workerData`: the shared cell holding the newest version asked for. */
export interface WorkerData {
  /**
   * Int32Array over a SharedArrayBuffer: [0] is the newest document version the server wants; [1]
   * counts the hovers and previews asked of the worker, so an idle whole evaluation that ends a chain
   * of incremental ones (evalWorker.ts) gives way to them.
   */
  readonly latestVersion: SharedArrayBuffer;
}
