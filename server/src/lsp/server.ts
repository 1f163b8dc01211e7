/**
 * The Mathnote language server: wires the language service to LSP. Handlers only look up the
 * document and delegate to the pure features of the core; evaluation runs in worker threads
 * (evaluation.ts), static analysis on this thread (it is fast and runs on every keystroke).
 */
import {
  createConnection,
  DiagnosticSeverity,
  ErrorCodes,
  ProposedFeatures,
  ResponseError,
  TextDocuments,
  TextDocumentSyncKind,
  type Connection,
  type Diagnostic,
  type Hover,
  type HoverParams,
  type InitializeParams,
  type InitializeResult,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import {
  analyzeNote,
  buildPreviewModel,
  citationHoverAt,
  codeActionsFor,
  completionsAt,
  COMPLETION_TRIGGER_CHARACTERS,
  definitionAt,
  documentHighlightsAt,
  documentSymbols,
  foldingRanges,
  hoverAt,
  inlayHints,
  prepareRenameAt,
  problemsToDiagnostics,
  referencesAt,
  renameAt,
  semanticTokens,
  SEMANTIC_TOKENS_LEGEND,
  signatureHelpAt,
  SIGNATURE_TRIGGER_CHARACTERS,
  statementIndexOnLine,
  subexpressionAt,
  spanToRange,
  type Problem,
} from '../language/index.js';
import {
  DEFAULT_SETTINGS,
  EVALUATION_STATUS_METHOD,
  PREVIEW_METHOD,
  RESULT_AT_METHOD,
  type EvaluationStatusParams,
  type MathnoteSettings,
  type PreviewParams,
  type PreviewResponse,
  type ResultAtParams,
  type ResultAtResult,
} from '../protocol.js';
import { normalizeSettings } from './config.js';
import { DocumentState } from './documents.js';
import { EvaluationPool, watchdogMs } from './evaluation.js';
import type { EvaluatedMessage } from './workerProtocol.js';
import { collectGarbage, memoryFigures, TEST_GC_METHOD, TEST_MEMORY_METHOD, TEST_THREADS_METHOD, testHooksEnabled, type MemoryParams } from './testHooks.js';
import { takeTimings, TEST_TIMINGS_METHOD, timed, timedAsync } from './timings.js';
import { stopYoungGenerationGrowth } from './memory.js';

/** Delay between an edit and the start of its evaluation, so fast typing does not restart workers. */
const EVALUATION_DEBOUNCE_MS = 40;
/** Deepest recursion of user functions. */
const MAX_RECURSION_DEPTH = 200;

export class MathnoteServer {
  private readonly documents = new TextDocuments(TextDocument);
  private readonly states = new Map<string, DocumentState>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly pool: EvaluationPool;
  private settings: MathnoteSettings = DEFAULT_SETTINGS;
  private canAskConfiguration = false;
  private canRefreshInlayHints = false;

  constructor(
    private readonly connection: Connection,
    workerDirectory: string,
  ) {
    // The pool calls these from worker events, where an exception (a bug in the core re-analysing
    // the note on this thread) would be uncaught and end the whole server; it is reported on the note.
    this.pool = new EvaluationPool(workerDirectory, {
      started: (uri, version) => this.sendStatus(uri, version, 'evaluating'),
      finished: (uri, result) => this.guarded(uri, () => this.onEvaluated(uri, result)),
      stopped: (uri, version, elapsedMs) => this.guarded(uri, () => this.onStopped(uri, version, elapsedMs)),
      failed: (uri, version, message) => this.guarded(uri, () => this.onFailed(uri, version, message)),
    });
    this.register();
    this.documents.listen(connection);
  }

  private register(): void {
    const connection = this.connection;
    connection.onInitialize((params) => this.initialize(params));
    connection.onInitialized(() => void this.loadSettings());
    connection.onDidChangeConfiguration((change) => void this.loadSettings(change.settings));
    connection.onShutdown(() => this.pool.dispose());

    this.documents.onDidOpen((event) => {
      this.states.set(event.document.uri, new DocumentState(event.document, this.settings.fenceNames));
    });
    this.documents.onDidChangeContent((event) => {
      const state = this.stateOf(event.document.uri);
      if (!state) return;
      state.document = event.document;
      try {
        timed('publish', () => this.publishDiagnostics(state));
      } catch (error) {
        // The core never throws on any text; if a bug makes it, say so on the note and keep serving.
        this.reportInternalError(state, error);
        return;
      }
      this.scheduleEvaluation(state);
    });
    this.documents.onDidClose((event) => {
      const uri = event.document.uri;
      this.states.delete(uri);
      clearTimeout(this.timers.get(uri));
      this.timers.delete(uri);
      this.pool.close(uri);
      void connection.sendDiagnostics({ uri, diagnostics: [] });
    });

    connection.onHover((params) => timedAsync('hover', () => this.hover(params)));
    connection.languages.inlayHint.on((params) => {
      const state = this.stateOf(params.textDocument.uri);
      if (!state || !this.settings.inlayHints.enabled) return [];
      return inlayHints(state.analysis, state.resultOf(), state.citations(), {
        maxLength: this.settings.inlayHints.maxLength,
        startLine: params.range.start.line,
        endLine: params.range.end.line,
      });
    });
    connection.onCompletion((params) => {
      const state = this.stateOf(params.textDocument.uri);
      return state ? completionsAt(state.analysis, params.position) : [];
    });
    connection.onSignatureHelp((params) => {
      const state = this.stateOf(params.textDocument.uri);
      return state ? signatureHelpAt(state.analysis, params.position) : null;
    });
    connection.onDefinition((params) => {
      const state = this.stateOf(params.textDocument.uri);
      if (!state) return null;
      return definitionAt(state.analysis, params.textDocument.uri, state.analysis.positions.offsetAt(params.position));
    });
    connection.onReferences((params) => {
      const state = this.stateOf(params.textDocument.uri);
      if (!state) return [];
      return referencesAt(state.analysis, params.textDocument.uri, state.analysis.positions.offsetAt(params.position), params.context.includeDeclaration);
    });
    connection.onDocumentHighlight((params) => {
      const state = this.stateOf(params.textDocument.uri);
      return state ? documentHighlightsAt(state.analysis, state.analysis.positions.offsetAt(params.position)) : [];
    });
    connection.onPrepareRename((params) => {
      const state = this.stateOf(params.textDocument.uri);
      if (!state) return null;
      const prepared = prepareRenameAt(state.analysis, state.analysis.positions.offsetAt(params.position));
      if (!prepared) return null;
      // A refusal is an answer, not a failure: the editor shows its sentence where the user typed.
      if ('refused' in prepared) return new ResponseError(ErrorCodes.InvalidRequest, prepared.refused);
      return prepared;
    });
    connection.onRenameRequest((params) => {
      const state = this.stateOf(params.textDocument.uri);
      if (!state) return null;
      const edit = renameAt(state.analysis, params.textDocument.uri, state.analysis.positions.offsetAt(params.position), params.newName);
      if ('refused' in edit) return new ResponseError(ErrorCodes.InvalidRequest, edit.refused as string);
      return edit;
    });
    connection.onDocumentSymbol((params) => {
      const state = this.stateOf(params.textDocument.uri);
      return state ? documentSymbols(state.analysis) : [];
    });
    connection.onFoldingRanges((params) => {
      const state = this.stateOf(params.textDocument.uri);
      return state ? foldingRanges(state.analysis) : [];
    });
    connection.languages.semanticTokens.on((params) => {
      const state = this.stateOf(params.textDocument.uri);
      return state ? semanticTokens(state.analysis) : { data: [] };
    });
    connection.onCodeAction((params) => {
      const state = this.stateOf(params.textDocument.uri);
      return state ? codeActionsFor(state.analysis, params.textDocument.uri, params.context.diagnostics) : [];
    });
    connection.onRequest(RESULT_AT_METHOD, (params: ResultAtParams): ResultAtResult => this.resultAt(params));
    connection.onRequest(PREVIEW_METHOD, (params: PreviewParams): Promise<PreviewResponse> => this.preview(params));
    // Only for the reliability tests: absent unless the server was started with MATHNOTE_LSP_TEST_HOOKS=1.
    if (testHooksEnabled()) {
      connection.onRequest(TEST_THREADS_METHOD, () => this.pool.liveThreads());
      connection.onRequest(TEST_GC_METHOD, () => collectGarbage());
      connection.onRequest(TEST_MEMORY_METHOD, async (params: MemoryParams | undefined) => {
        if (params?.settled) await this.pool.settled();
        return memoryFigures(await this.pool.workerMemory(params?.settled === true));
      });
      connection.onRequest(TEST_TIMINGS_METHOD, () => takeTimings());
    }
  }

  private async hover(params: HoverParams): Promise<Hover | null> {
    const state = this.stateOf(params.textDocument.uri);
    if (!state) return null;
    const analysis = state.analysis;
    const offset = analysis.positions.offsetAt(params.position);
    const cited = citationHoverAt(analysis, offset, state.citations());
    if (cited) return cited;
    const target = subexpressionAt(analysis, offset);
    const subexpression = target ? await this.pool.subexpression(state.document.uri, state.document.version, offset) : undefined;
    // The document may have changed while the worker answered; the analysis read above is still consistent.
    return hoverAt(analysis, offset, { resultOf: state.resultOf(), precision: this.settings.precision, ...(subexpression ? { subexpression } : {}) });
  }

  private initialize(params: InitializeParams): InitializeResult {
    const capabilities = params.capabilities;
    this.canAskConfiguration = capabilities.workspace?.configuration === true;
    this.canRefreshInlayHints = capabilities.workspace?.inlayHint?.refreshSupport === true;
    if (params.initializationOptions) this.settings = normalizeSettings(params.initializationOptions);
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
        hoverProvider: true,
        inlayHintProvider: true,
        completionProvider: { triggerCharacters: [...COMPLETION_TRIGGER_CHARACTERS] },
        signatureHelpProvider: { triggerCharacters: [...SIGNATURE_TRIGGER_CHARACTERS] },
        definitionProvider: true,
        referencesProvider: true,
        documentHighlightProvider: true,
        renameProvider: { prepareProvider: true },
        documentSymbolProvider: true,
        foldingRangeProvider: true,
        semanticTokensProvider: { legend: SEMANTIC_TOKENS_LEGEND, full: true },
        codeActionProvider: { codeActionKinds: ['quickfix'] },
      },
      serverInfo: { name: 'mathnote-lsp', version: '0.1.0' },
    };
  }

  private async loadSettings(pushed?: unknown): Promise<void> {
    let raw: unknown = undefined;
    if (this.canAskConfiguration) {
      try {
        raw = await this.connection.workspace.getConfiguration('mathnote');
      } catch {
        // A client that announced configuration but failed to answer keeps the current settings.
        return;
      }
    } else if (pushed && typeof pushed === 'object' && 'mathnote' in pushed) {
      raw = (pushed as { mathnote: unknown }).mathnote;
    } else {
      return;
    }
    this.settings = normalizeSettings(raw);
    for (const state of this.states.values()) {
      state.setFenceNames(this.settings.fenceNames);
      this.guarded(state.document.uri, () => {
        this.publishDiagnostics(state);
        this.scheduleEvaluation(state);
      });
    }
    if (this.canRefreshInlayHints) void this.connection.languages.inlayHint.refresh();
  }

  private stateOf(uri: string): DocumentState | undefined {
    const state = this.states.get(uri);
    const document = this.documents.get(uri);
    if (state && document) state.document = document;
    return state;
  }

  private scheduleEvaluation(state: DocumentState): void {
    const uri = state.document.uri;
    clearTimeout(this.timers.get(uri));
    this.timers.set(
      uri,
      setTimeout(() => this.startEvaluation(uri), EVALUATION_DEBOUNCE_MS),
    );
  }

  /** Sends the current version to the document's worker now (ending a pending debounce). */
  private startEvaluation(uri: string): void {
    clearTimeout(this.timers.get(uri));
    this.timers.delete(uri);
    const current = this.stateOf(uri);
    if (!current) return;
    this.pool.evaluate(uri, {
      version: current.document.version,
      text: current.document.getText(),
      analysisOptions: current.analysisOptions,
      evaluationOptions: {
        precision: this.settings.precision,
        maxElements: this.settings.evaluation.maxElements,
        timeBudgetMs: this.settings.evaluation.timeBudgetMs,
        maxRecursionDepth: MAX_RECURSION_DEPTH,
      },
    });
  }

  /**
   * The preview model, built where the evaluation lives. A pending evaluation is started first so
   * the model has the newest results; a worker that cannot answer in time (stuck, crashed) leaves
   * the static model (formulas and problems without results), built here.
   */
  private async preview(params: PreviewParams): Promise<PreviewResponse> {
    const uri = params.textDocument.uri;
    const state = this.stateOf(uri);
    if (!state) return null;
    // A pending edit, or a worker retired to save memory, is evaluated first (the worker answers in order).
    if (this.timers.has(uri) || !this.pool.hasWorker(uri)) this.startEvaluation(uri);
    const model = await this.pool.preview(uri, watchdogMs(this.settings.evaluation.timeBudgetMs));
    return model ?? buildPreviewModel(state.analysis, undefined, { precision: this.settings.precision, uri });
  }

  /** Publishes static problems of the current version with the runtime ones carried over. */
  private publishDiagnostics(state: DocumentState): Diagnostic[] {
    const view = state.staticView();
    const uri = state.document.uri;
    const seen = new Set(view.problems.map((problem) => `${problem.code}@${problem.span.start}`));
    const runtime = state.runtimeProblems(view).filter((problem) => !seen.has(`${problem.code}@${problem.span.start}`));
    const problems: Problem[] = [...view.problems, ...runtime].sort((a, b) => a.span.start - b.span.start);
    const diagnostics = problemsToDiagnostics(view, problems, uri);
    if (state.extraDiagnostics && state.extraDiagnostics.version === state.document.version) diagnostics.push(...state.extraDiagnostics.diagnostics);
    void this.connection.sendDiagnostics({ uri, version: state.document.version, diagnostics });
    return diagnostics;
  }

  private sendStatus(
    uri: string,
    version: number,
    state: EvaluationStatusParams['state'],
    elapsedMs?: number,
    diagnostics: readonly Diagnostic[] = [],
    statementsEvaluated?: number,
  ): void {
    const params: EvaluationStatusParams = {
      uri,
      version,
      state,
      ...(elapsedMs !== undefined ? { elapsedMs: Math.round(elapsedMs) } : {}),
      ...(statementsEvaluated !== undefined ? { statementsEvaluated } : {}),
      errors: diagnostics.filter((diagnostic) => diagnostic.severity === DiagnosticSeverity.Error).length,
      warnings: diagnostics.filter((diagnostic) => diagnostic.severity === DiagnosticSeverity.Warning).length,
    };
    void this.connection.sendNotification(EVALUATION_STATUS_METHOD, params);
  }

  private onEvaluated(uri: string, result: EvaluatedMessage): void {
    const state = this.stateOf(uri);
    if (!state) return;
    state.evaluated = result;
    if (state.extraDiagnostics && state.extraDiagnostics.version !== result.version) state.extraDiagnostics = undefined;
    const diagnostics = this.publishDiagnostics(state);
    if (this.canRefreshInlayHints) void this.connection.languages.inlayHint.refresh();
    this.sendStatus(uri, result.version, 'done', result.elapsedMs, diagnostics, result.statementsEvaluated);
  }

  /** The first statement of the note carries the watchdog's and the crash's diagnostics. */
  private noteRange(state: DocumentState) {
    const analysis = state.analysis;
    const first = analysis.statements[0];
    return first ? spanToRange(analysis, first.span) : { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
  }

  private onStopped(uri: string, version: number, elapsedMs: number): void {
    const state = this.stateOf(uri);
    if (!state) return;
    const budget = this.settings.evaluation.timeBudgetMs;
    state.extraDiagnostics = {
      version,
      diagnostics: [
        {
          range: this.noteRange(state),
          severity: DiagnosticSeverity.Error,
          code: 'limit',
          source: 'mathnote',
          message: `evaluating this note took longer than its budget of ${budget} ms and was stopped after ${Math.round(elapsedMs)} ms; results are missing (raise mathnote.evaluation.timeBudgetMs if the work is meant to be long)`,
        },
      ],
    };
    const diagnostics = this.publishDiagnostics(state);
    this.sendStatus(uri, version, 'stopped', elapsedMs, diagnostics);
  }

  private onFailed(uri: string, version: number, message: string): void {
    this.connection.console.error(`mathnote: evaluation of ${uri} (version ${version}) failed: ${message}`);
    const state = this.stateOf(uri);
    if (!state) return;
    state.extraDiagnostics = {
      version,
      diagnostics: [
        {
          range: this.noteRange(state),
          severity: DiagnosticSeverity.Error,
          code: 'internal',
          source: 'mathnote',
          message: `evaluation failed inside Mathnote (a bug; the output log has details): ${message.split('\n')[0]}`,
        },
      ],
    };
    const diagnostics = this.publishDiagnostics(state);
    this.sendStatus(uri, version, 'done', undefined, diagnostics);
  }

  /** Runs work for one note; if the core throws (a bug), the note says so and the server keeps serving. */
  private guarded(uri: string, work: () => void): void {
    try {
      work();
    } catch (error) {
      const state = this.states.get(uri);
      // The status too, so the client does not show the note as evaluating for ever.
      if (state) this.sendStatus(uri, state.document.version, 'done', undefined, this.reportInternalError(state, error));
      else this.connection.console.error(`mathnote: handling ${uri} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    }
  }

  /** Publishes the one diagnostic saying the core failed on this note (a bug), and returns it. */
  private reportInternalError(state: DocumentState, error: unknown): Diagnostic[] {
    const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
    this.connection.console.error(`mathnote: analysing ${state.document.uri} failed: ${message}`);
    const diagnostics: Diagnostic[] = [
      {
        range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
        severity: DiagnosticSeverity.Error,
        code: 'internal',
        source: 'mathnote',
        message: `analysing this note failed inside Mathnote (a bug; the output log has details): ${message.split('\n')[0]}`,
      },
    ];
    void this.connection.sendDiagnostics({ uri: state.document.uri, version: state.document.version, diagnostics });
    return diagnostics;
  }

  private resultAt(params: ResultAtParams): ResultAtResult {
    const state = this.stateOf(params.textDocument.uri);
    if (!state) return null;
    const analysis = state.analysis;
    const index = statementIndexOnLine(analysis, analysis.positions.offsetAt(params.position));
    if (index < 0) return null;
    const summary = state.resultOf()(index);
    const statement = analysis.statements[index]!;
    if (!summary) return null;
    return {
      range: spanToRange(analysis, statement.span),
      source: summary.source,
      names: summary.names,
      text: summary.text,
      inline: summary.inline,
      latex: summary.latex,
      shape: summary.shape,
    };
  }

  listen(): void {
    this.connection.listen();
  }
}

/** Starts the server on the transport given on the command line (`--stdio`, `--node-ipc`, `--socket=`). */
export function startServer(workerDirectory: string): void {
  // Before anything allocates much: building the grammar below grew this thread's young
  // generation from 1 to 5 MB, which it then kept for good (see memory.ts).
  stopYoungGenerationGrowth();
  // The parser builds its grammar tables on first use (about a second): pay that while the client
  // starts up rather than on the first keystroke.
  analyzeNote('```mathnote\nx = 1\n```\n');
  const connection = createConnection(ProposedFeatures.all);
  new MathnoteServer(connection, workerDirectory).listen();
}
