/**
 * Runs evaluations off the LSP thread: one worker thread per open document, so a note that loops or
 * allocates too much never delays hovers, diagnostics or evaluations of other notes.
 *
 * - A newer version of a document cancels the evaluation in flight: the newest wanted version is
 *   written to a shared Int32Array that the evaluator polls through `isCancelled`.
 * - A watchdog terminates a worker that has not answered within the time budget plus a grace
 *   period (stuck where the evaluator cannot poll), reports the version as stopped, and starts a
 *   fresh worker for the next version.
 * - Edits coalesce: while a worker runs, only the newest waiting version is kept.
 */
import { Worker } from 'node:worker_threads';
import { once } from 'node:events';
import { join } from 'node:path';
import type { AnalysisOptions, EvaluationOptions, PreviewModel, SubexpressionValue } from '../language/index.js';
import type { EvaluatedMessage, FromWorker, ToWorker, WorkerData } from './workerProtocol.js';
import { SERVER_TRIM_GROWTH_BYTES, stopYoungGenerationGrowth, trimHeap, WORKER_RESOURCE_LIMITS, type ThreadMemory } from './memory.js';

/** Extra time beyond the evaluator's own end before a worker counts as stuck. */
export const WATCHDOG_GRACE_MS = 1500;

/**
 * How long a worker may take from `started` before it counts as stuck. The evaluator itself ends a
 * note within 1.5 × its budget (the line that runs out gets a limit problem, the rest shares a grace
 * period of half the budget), so the watchdog waits for that plus WATCHDOG_GRACE_MS (analysis, the
 * statement in flight); budget + 1.5 s alone stopped notes the evaluator was ending properly.
 */
export function watchdogMs(timeBudgetMs: number): number {
  return Math.ceil(timeBudgetMs * 1.5) + WATCHDOG_GRACE_MS;
}
/**
 * Most worker threads kept alive at once (each holds a copy of the core, about 30 MB). Beyond it the
 * idle worker of the least recently evaluated document is retired; its summaries stay with the
 * server, and its next evaluation starts a new worker.
 */
const MAX_LIVE_WORKERS = 4;
/**
 * How long after the last evaluation finished, with no evaluation asked for since, the server
 * collects its own heap (see EvaluationPool.scheduleIdleCollection).
 */
export const IDLE_COLLECTION_MS = 1000;
/** How long a hover waits for a sub-expression's value before answering without it. */
const SUBEXPRESSION_TIMEOUT_MS = 250;

export interface EvaluationRequest {
  readonly version: number;
  readonly text: string;
  readonly analysisOptions: Partial<AnalysisOptions>;
  readonly evaluationOptions: Omit<EvaluationOptions, 'isCancelled'>;
}

export interface EvaluationListener {
  started(uri: string, version: number): void;
  finished(uri: string, result: EvaluatedMessage): void;
  /** The watchdog stopped the evaluation of this version after `elapsedMs`. */
  stopped(uri: string, version: number, elapsedMs: number): void;
  /** The core threw (a bug); the message is for the log. */
  failed(uri: string, version: number, message: string): void;
}

/** The worker of one document and what it is doing. */
class DocumentWorker {
  private worker: Worker | undefined;
  /** [0] the newest version wanted, [1] the queries asked (see WorkerData). */
  private readonly latestVersion = new Int32Array(new SharedArrayBuffer(8));
  private running: { request: EvaluationRequest; startedAt: number; watchdog?: NodeJS.Timeout } | undefined;
  private waiting: EvaluationRequest | undefined;
  private nextQueryId = 1;
  private readonly queries = new Map<number, (result: unknown) => void>();
  private lastEvaluatedVersion: number | undefined;
  private disposed = false;
  /** When this document last asked for an evaluation (for retiring idle workers). */
  lastUsed = 0;

  constructor(
    private readonly uri: string,
    private readonly workerPath: string,
    private readonly listener: EvaluationListener,
    private readonly onThreadStarted: (worker: Worker) => void,
  ) {}

  /** Asks for an evaluation of a version; a running older one is cancelled. */
  evaluate(request: EvaluationRequest): void {
    this.lastUsed = performance.now();
    Atomics.store(this.latestVersion, 0, request.version);
    if (this.running) {
      this.waiting = request;
      return;
    }
    this.start(request);
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const data: WorkerData = { latestVersion: this.latestVersion.buffer as SharedArrayBuffer };
    const worker = new Worker(this.workerPath, { workerData: data, resourceLimits: WORKER_RESOURCE_LIMITS });
    this.onThreadStarted(worker);
    worker.on('message', (message: FromWorker) => this.onMessage(worker, message));
    worker.on('error', (error) => this.onWorkerGone(worker, `evaluation worker crashed: ${error.message}`));
    // Any exit of the current worker is a loss, even with code 0: the server ends a worker only
    // after detaching it (retire, dispose, watchdog), so an exit seen here was not asked for, and
    // the evaluation it was running would otherwise wait for the watchdog.
    worker.on('exit', (code) => this.onWorkerGone(worker, `evaluation worker exited with code ${code}`));
    this.worker = worker;
    return worker;
  }

  private start(request: EvaluationRequest): void {
    if (this.disposed) return;
    const worker = this.ensureWorker();
    this.running = { request, startedAt: performance.now() };
    this.listener.started(this.uri, request.version);
    const message: ToWorker = { type: 'evaluate', ...request };
    worker.postMessage(message);
  }

  private finishRunning(): void {
    if (this.running) clearTimeout(this.running.watchdog);
    this.running = undefined;
    const next = this.waiting;
    this.waiting = undefined;
    if (next) this.start(next);
  }

  private onMessage(worker: Worker, message: FromWorker): void {
    if (worker !== this.worker) return;
    switch (message.type) {
      case 'started':
        if (this.running && this.running.request.version === message.version) {
          this.running.startedAt = performance.now();
          this.running.watchdog = setTimeout(() => this.onStuck(), watchdogMs(this.running.request.evaluationOptions.timeBudgetMs));
        }
        break;
      case 'evaluated':
        // A cancelled result is superseded by the waiting version; drop it.
        if (!message.cancelled) {
          this.lastEvaluatedVersion = message.version;
          this.listener.finished(this.uri, message);
        }
        this.finishRunning();
        break;
      case 'failed':
        this.listener.failed(this.uri, message.version, message.message);
        this.finishRunning();
        break;
      case 'subexpression':
      case 'preview':
      case 'memory': {
        const resolve = this.queries.get(message.id);
        this.queries.delete(message.id);
        resolve?.(message.type === 'preview' ? message.model : message.type === 'memory' ? message.memory : message.result);
        break;
      }
    }
  }

  private onStuck(): void {
    const running = this.running;
    if (!running || !this.worker) return;
    const stuck = this.worker;
    this.worker = undefined;
    this.lastEvaluatedVersion = undefined;
    void stuck.terminate();
    this.failQueries();
    this.listener.stopped(this.uri, running.request.version, performance.now() - running.startedAt);
    this.finishRunning();
  }

  private onWorkerGone(worker: Worker, reason: string): void {
    if (worker !== this.worker) return;
    this.worker = undefined;
    this.lastEvaluatedVersion = undefined;
    this.failQueries();
    if (this.running) {
      this.listener.failed(this.uri, this.running.request.version, reason);
      this.finishRunning();
    }
  }

  private failQueries(): void {
    for (const resolve of this.queries.values()) resolve(undefined);
    this.queries.clear();
  }

  /**
   * The value of the sub-expression at an offset of the given version, when the worker is idle and
   * holds that version's evaluation; undefined otherwise (the hover then shows the shape only).
   */
  subexpression(version: number, offset: number): Promise<SubexpressionValue | undefined> {
    if (!this.worker || this.running || this.lastEvaluatedVersion !== version) return Promise.resolve(undefined);
    Atomics.add(this.latestVersion, 1, 1);
    return this.ask<SubexpressionValue>((id) => ({ type: 'subexpression', id, version, offset }), SUBEXPRESSION_TIMEOUT_MS);
  }

  /**
   * The preview model of the newest evaluated version. The worker handles messages in order, so a
   * request made while an evaluation runs is answered right after it, with its results.
   */
  preview(uri: string, timeoutMs: number): Promise<PreviewModel | undefined> {
    if (!this.worker) return Promise.resolve(undefined);
    Atomics.add(this.latestVersion, 1, 1);
    return this.ask<PreviewModel>((id) => ({ type: 'preview', id, uri }), timeoutMs);
  }

  /** The heap figures of this document's worker thread, when one is alive and answers in time. */
  memory(settled: boolean, timeoutMs: number): Promise<ThreadMemory | undefined> {
    if (!this.worker) return Promise.resolve(undefined);
    return this.ask<ThreadMemory>((id) => ({ type: 'memory', id, settled }), timeoutMs);
  }

  private ask<T>(message: (id: number) => ToWorker, timeoutMs: number): Promise<T | undefined> {
    const id = this.nextQueryId++;
    const worker = this.worker!;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.queries.delete(id);
        resolve(undefined);
      }, timeoutMs);
      this.queries.set(id, (result) => {
        clearTimeout(timer);
        resolve(result as T | undefined);
      });
      worker.postMessage(message(id));
    });
  }

  /** The worker thread of this document, if one is alive. */
  get thread(): Worker | undefined {
    return this.worker;
  }

  /** Whether a worker thread is alive for this document. */
  get live(): boolean {
    return this.worker !== undefined;
  }

  /** Whether the worker has nothing to do (it may be retired). */
  get idle(): boolean {
    return !this.running && !this.waiting && this.queries.size === 0;
  }

  /** Ends an idle worker thread to free its memory; the next evaluation starts a new one. */
  retire(): void {
    if (!this.worker || !this.idle) return;
    const worker = this.worker;
    this.worker = undefined;
    this.lastEvaluatedVersion = undefined;
    void worker.terminate();
  }

  dispose(): void {
    this.disposed = true;
    if (this.running) clearTimeout(this.running.watchdog);
    this.running = undefined;
    this.waiting = undefined;
    this.failQueries();
    void this.worker?.terminate();
    this.worker = undefined;
  }
}

/** The evaluation workers of all open documents. */
export class EvaluationPool {
  private readonly workers = new Map<string, DocumentWorker>();
  private readonly workerPath: string;
  /** Every worker thread started and not yet exited (including those being terminated). */
  private readonly threads = new Set<Worker>();
  private readonly listener: EvaluationListener;
  private idleCollection: NodeJS.Timeout | undefined;
  /** Whether the idle collection has run since the last evaluation was asked for (or none was). */
  private idleCollected = true;
  private settledWaiters: (() => void)[] = [];

  /** `directory` holds the bundled `evalWorker.js` (the server bundle's own directory). */
  constructor(directory: string, listener: EvaluationListener) {
    this.workerPath = join(directory, 'evalWorker.js');
    this.listener = {
      ...listener,
      finished: (uri, result) => {
        listener.finished(uri, result);
        // After the messages already waiting (an edit goes first), free the analyses this thread
        // left behind since its last collection, when they are many (see SERVER_TRIM_GROWTH_BYTES).
        setImmediate(() => trimHeap({ compact: false, growthBytes: SERVER_TRIM_GROWTH_BYTES }));
        this.scheduleIdleCollection();
      },
    };
    // The server builds the pool before any note is analysed: from now on the server's heap keeps
    // the small young generation it started with (see memory.ts).
    stopYoungGenerationGrowth();
  }

  private workerFor(uri: string): DocumentWorker {
    let worker = this.workers.get(uri);
    if (!worker) {
      worker = new DocumentWorker(uri, this.workerPath, this.listener, (thread) => {
        this.threads.add(thread);
        thread.once('exit', () => this.threads.delete(thread));
      });
      this.workers.set(uri, worker);
    }
    return worker;
  }

  evaluate(uri: string, request: EvaluationRequest): void {
    clearTimeout(this.idleCollection);
    this.idleCollection = undefined;
    this.idleCollected = false;
    this.workerFor(uri).evaluate(request);
    this.retireIdleWorkers();
  }

  /**
   * Collects the server's own heap once the user has paused: IDLE_COLLECTION_MS after the last
   * evaluation finished, when no evaluation was asked for since and every worker is idle. Every
   * keystroke re-analyses the note on this thread, and V8 lets those dead analyses pile up (about
   * 30–90 MB after 200 edits of the 10,000-line benchmark note) until its own, late, full collection;
   * a pause is when a collection (some 20–50 ms) disturbs nobody. Edits keep postponing it.
   */
  private scheduleIdleCollection(): void {
    clearTimeout(this.idleCollection);
    this.idleCollection = setTimeout(() => {
      this.idleCollection = undefined;
      // A worker still answering (a preview, a hover) postpones the collection by another period.
      if (![...this.workers.values()].every((worker) => worker.idle)) return this.scheduleIdleCollection();
      trimHeap({ force: true });
      this.idleCollected = true;
      for (const resolve of this.settledWaiters.splice(0)) resolve();
    }, IDLE_COLLECTION_MS);
    // A pending collection must not keep a server that is shutting down alive.
    this.idleCollection.unref();
  }

  /**
   * Resolves once the server is settled: the idle collection after the last evaluation has run (at
   * once when it has, or when nothing was evaluated yet). For the test hooks and the bench, which
   * read the memory of a server at rest without sleeping.
   */
  settled(): Promise<void> {
    if (this.idleCollected) return Promise.resolve();
    return new Promise((resolve) => this.settledWaiters.push(resolve));
  }

  /** Keeps at most MAX_LIVE_WORKERS threads, retiring the idle ones least recently used. */
  private retireIdleWorkers(): void {
    const live = [...this.workers.values()].filter((worker) => worker.live);
    if (live.length <= MAX_LIVE_WORKERS) return;
    const idle = live.filter((worker) => worker.idle).sort((a, b) => a.lastUsed - b.lastUsed);
    for (const worker of idle.slice(0, live.length - MAX_LIVE_WORKERS)) worker.retire();
  }

  /** Whether the document has a live worker holding its evaluation. */
  hasWorker(uri: string): boolean {
    return this.workers.get(uri)?.live ?? false;
  }

  subexpression(uri: string, version: number, offset: number): Promise<SubexpressionValue | undefined> {
    return this.workers.get(uri)?.subexpression(version, offset) ?? Promise.resolve(undefined);
  }

  preview(uri: string, timeoutMs: number): Promise<PreviewModel | undefined> {
    return this.workers.get(uri)?.preview(uri, timeoutMs) ?? Promise.resolve(undefined);
  }

  /**
   * The worker threads still alive once every thread detached from a document (retired, closed,
   * stopped, crashed) has exited, and the documents holding a live one. Used by the test hooks; a
   * thread that fails to exit within `timeoutMs` is counted as alive.
   */
  async liveThreads(timeoutMs = 5000): Promise<{ threads: number; documents: string[] }> {
    const attached = new Set([...this.workers.values()].map((worker) => worker.thread));
    const detached = [...this.threads].filter((thread) => !attached.has(thread));
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)));
    await Promise.race([Promise.all(detached.map((thread) => once(thread, 'exit'))), timeout]);
    clearTimeout(timer);
    const documents = [...this.workers.entries()].filter(([, worker]) => worker.live).map(([uri]) => uri);
    return { threads: this.threads.size, documents };
  }

  /**
   * The heap figures of every live worker thread, by document (for the test hooks); `settled` lets
   * each worker finish its idle work first.
   */
  async workerMemory(settled: boolean, timeoutMs = 30_000): Promise<Record<string, ThreadMemory>> {
    const figures: Record<string, ThreadMemory> = {};
    for (const [uri, worker] of this.workers) {
      const memory = await worker.memory(settled, timeoutMs);
      if (memory) figures[uri] = memory;
    }
    return figures;
  }

  close(uri: string): void {
    this.workers.get(uri)?.dispose();
    this.workers.delete(uri);
  }

  dispose(): void {
    clearTimeout(this.idleCollection);
    for (const worker of this.workers.values()) worker.dispose();
    this.workers.clear();
  }
}
