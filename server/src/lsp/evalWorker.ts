/**
 * The evaluation worker of one document (bundled to `dist/evalWorker.js`): it analyses and evaluates
 * the text it is sent, off the language server's thread, and posts back serializable summaries
 * (see workerProtocol.ts for why). It keeps its document's last analysis and evaluation to answer
 * hovers on sub-expressions.
 *
 * Cancellation: the server writes the newest version it wants into a shared Int32Array; the
 * evaluator asks `isCancelled` now and then, and stops when a newer version is wanted. A worker
 * stuck where the evaluator cannot ask is terminated by the server's watchdog.
 */
import { parentPort, workerData } from 'node:worker_threads';
import {
  analyzeNote,
  buildPreviewModel,
  evaluateCitations,
  evaluateIncrementally,
  evaluateNote,
  findCitations,
  programKey,
  subexpressionMarkdown,
  summarizeCitations,
  summarizeEvaluation,
  type Analysis,
  type CitationSummary,
  type Evaluation,
  type EvaluationOptions,
} from '../language/index.js';
import type { FromWorker, ToWorker, WorkerData } from './workerProtocol.js';
import { injectWorkerFault, workerFaultIn } from './testHooks.js';
import { CHAIN_GROWTH_BYTES, CHAIN_IDLE_DELAY_MS, IDLE_CHAIN_BYTES, stopYoungGenerationGrowth, threadMemory, trimHeap } from './memory.js';

// Creating this thread's heap reset the growth factor of every heap in the process (see memory.ts).
// It is stopped again first thing, not after the warm-up below: the server's thread is busy with
// the note meanwhile (about a second), and its young generation would grow in that window. This
// heap starts at its limit (WORKER_RESOURCE_LIMITS) and needs no growth.
stopYoungGenerationGrowth();

const port = parentPort;
if (!port) throw new Error('evalWorker must run as a worker thread');
/** [0] the newest version the server wants, [1] how many hovers and previews it asked (WorkerData). */
const latestVersion = new Int32Array((workerData as WorkerData).latestVersion);

// The parser builds its grammar tables on first use (about a second); doing it now, before any
// message is handled, keeps that cost out of the first evaluation's time budget.
evaluateNote(analyzeNote('```mathnote\nx = [1, 2; 3, 4] \\ [1; 2]\n```\n'));

/** The last evaluation, and what decides whether the next version may reuse it. */
let current:
  | {
      version: number;
      analysis: Analysis;
      evaluation: Evaluation;
      /** How many incremental evaluations this one builds on (see evaluateIncrementally). */
      generation: number;
      precision: number;
      citations: readonly CitationSummary[];
      /** The options it was computed with (JSON), since other options give other values. */
      optionsKey: string;
      evaluationOptions: Omit<EvaluationOptions, 'isCancelled'>;
      /** The program and the cited expressions with how many blocks precede each. */
      citationKey: string;
    }
  | undefined;

/** Live heap after the last whole evaluation (see CHAIN_GROWTH_BYTES), once measured. */
let liveAfterWhole: number | undefined;
/** Set when the incremental evaluations since the last whole one hold too much memory. */
let nextMustBeWhole = false;

/**
 * Frees the dead analyses of past versions, and measures what the chain of incremental evaluations
 * keeps alive: a whole evaluation sets the baseline, and a chain that grew CHAIN_GROWTH_BYTES beyond
 * it is dropped at the next version.
 */
function trimAfterEvaluation(whole: boolean): void {
  const live = trimHeap({ force: whole });
  if (live === undefined) return;
  if (whole) liveAfterWhole = live;
  else if (liveAfterWhole !== undefined) {
    if (live - liveAfterWhole > CHAIN_GROWTH_BYTES) nextMustBeWhole = true;
    if (live - liveAfterWhole > IDLE_CHAIN_BYTES) {
      chainToEnd = true;
      endChainWhenIdle();
    }
  }
}

/** Set while the current evaluation builds on a chain that holds more than IDLE_CHAIN_BYTES. */
let chainToEnd = false;
let chainTimer: NodeJS.Timeout | undefined;

/** (Re)starts the wait of CHAIN_IDLE_DELAY_MS before endChainWhileIdle. */
function endChainWhenIdle(): void {
  clearTimeout(chainTimer);
  chainTimer = setTimeout(endChainWhileIdle, CHAIN_IDLE_DELAY_MS);
}

/**
 * Evaluates the current version wholly while nothing else is asked, and lets the chain of
 * incremental evaluations it replaces go (see IDLE_CHAIN_BYTES). The values are the ones already
 * posted, so nothing is sent. It gives way to a newer version (which continues the chain, or ends
 * it by CHAIN_GROWTH_BYTES) and to a hover or preview (answered first, then this starts over).
 */
function endChainWhileIdle(): void {
  const base = current;
  if (!chainToEnd || !base || base.generation === 0 || Atomics.load(latestVersion, 0) !== base.version) return;
  const interrupted = interruption(base.version, Atomics.load(latestVersion, 1));
  let evaluation: Evaluation;
  try {
    evaluation = evaluateNote(base.analysis, { ...base.evaluationOptions, isCancelled: interrupted });
  } catch {
    // The evaluation of this version already succeeded once; a failure now keeps the chain.
    chainToEnd = false;
    return;
  }
  if (interrupted() || current !== base) return;
  chainToEnd = false;
  // Out of time (a loaded machine): the chain stays, and the next version may end it.
  if (!evaluation.complete) return;
  current = { ...base, evaluation, generation: 0 };
  // Once this frame, which still holds the chain, has returned.
  setImmediate(() => trimAfterEvaluation(true));
}

/**
 * Whether a newer version or a query came since: made outside endChainWhileIdle because the
 * evaluation keeps its options, and a closure there would keep the chain it replaces alive.
 */
function interruption(version: number, queries: number): () => boolean {
  return () => Atomics.load(latestVersion, 0) !== version || Atomics.load(latestVersion, 1) !== queries;
}

/** What cited values depend on: the program, and each citation's expression and the blocks above it. */
function citationKeyOf(analysis: Analysis): string {
  const citations = findCitations(analysis.text, analysis.blocks.map((block) => block.fence));
  const cited = citations.map((citation) => {
    const blocksAbove = analysis.blocks.filter((block) => block.fence.contentStart < citation.span.start).length;
    return `${blocksAbove}:${analysis.text.slice(citation.exprStart, citation.exprEnd)}`;
  });
  return `${programKey(analysis)}\u0001${cited.join('\u0000')}`;
}

/** The previous version's citation summaries, moved to this version's code spans (same order). */
function movedCitations(analysis: Analysis, previous: readonly CitationSummary[]): CitationSummary[] {
  const citations = findCitations(analysis.text, analysis.blocks.map((block) => block.fence));
  return previous.map((summary, index) => ({ ...summary, span: citations[index]!.span }));
}

function post(message: FromWorker): void {
  port!.postMessage(message);
}

port.on('message', (message: ToWorker) => {
  if (message.type === 'evaluate') {
    post({ type: 'started', version: message.version });
    const started = performance.now();
    // Inert unless the server runs with MATHNOTE_LSP_TEST_HOOKS=1 (see testHooks.ts); only `fail`
    // happens inside the handler's try, the other faults kill the thread.
    const fault = workerFaultIn(message.text);
    if (fault && fault !== 'fail') injectWorkerFault(fault);
    try {
      if (fault === 'fail') injectWorkerFault(fault);
      const isCancelled = (): boolean => Atomics.load(latestVersion, 0) !== message.version;
      const options = { ...message.evaluationOptions, isCancelled };
      // A chain dropped for its memory goes before the new analysis is built, not after.
      if (nextMustBeWhole) current = undefined;
      nextMustBeWhole = false;
      chainToEnd = false;
      clearTimeout(chainTimer);
      const analysis = analyzeNote(message.text, message.analysisOptions);
      const optionsKey = JSON.stringify([message.analysisOptions, message.evaluationOptions]);
      const reusable = current && current.optionsKey === optionsKey ? current : undefined;
      // Only the edited statements, what reads them and what they read are evaluated again.
      const incremental = evaluateIncrementally(reusable, analysis, (program) => evaluateNote(program, options));
      const evaluation = incremental.evaluation;
      const precision = message.evaluationOptions.precision;
      const cancelled = isCancelled();
      const citationKey = citationKeyOf(analysis);
      const citations = cancelled
        ? []
        : reusable && reusable.citationKey === citationKey
          ? movedCitations(analysis, reusable.citations)
          : summarizeCitations(evaluateCitations(analysis, { analyzeNote, evaluateNote }, options));
      // A cancelled run computed no citations: its key must not let the next version reuse them.
      current = {
        version: message.version,
        analysis,
        evaluation,
        generation: incremental.generation,
        precision,
        citations,
        optionsKey,
        evaluationOptions: message.evaluationOptions,
        citationKey: cancelled ? '' : citationKey,
      };
      post({
        type: 'evaluated',
        version: message.version,
        cancelled,
        complete: evaluation.complete,
        elapsedMs: performance.now() - started,
        statementsEvaluated: incremental.evaluated,
        statements: analysis.statements.map((statement) => ({
          start: statement.span.start,
          end: statement.span.end,
          source: message.text.slice(statement.span.start, statement.span.end),
        })),
        summaries: cancelled ? [] : summarizeEvaluation(analysis, evaluation, precision),
        problems: evaluation.problems,
        citations,
      });
      // After the messages already waiting (a newer version goes first), free the dead analyses.
      const whole = incremental.generation === 0 && !cancelled;
      setImmediate(() => trimAfterEvaluation(whole));
    } catch (error) {
      // Only a bug in the core throws; the server reports it and keeps serving the document.
      post({ type: 'failed', version: message.version, message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
    }
    return;
  }
  if (message.type === 'subexpression') {
    let result;
    try {
      result = current && current.version === message.version ? subexpressionMarkdown(current.analysis, current.evaluation, message.offset, current.precision) : undefined;
    } catch {
      // A sub-expression that cannot be evaluated on its own simply gets no value in the hover.
      result = undefined;
    }
    post({ type: 'subexpression', id: message.id, ...(result ? { result } : {}) });
    if (chainToEnd) endChainWhenIdle();
    return;
  }
  if (message.type === 'preview') {
    const model = current
      ? buildPreviewModel(current.analysis, current.evaluation, { precision: current.precision, uri: message.uri, citations: current.citations })
      : undefined;
    post({ type: 'preview', id: message.id, ...(model ? { model } : {}) });
    if (chainToEnd) endChainWhenIdle();
    return;
  }
  if (message.type === 'memory') {
    // At rest means after the idle work too: a chain waiting to be ended is ended now, and the
    // figures are taken after the collection that follows (queued before them).
    if (message.settled && chainToEnd) {
      clearTimeout(chainTimer);
      endChainWhileIdle();
    }
    setImmediate(() => post({ type: 'memory', id: message.id, memory: threadMemory() }));
  }
});
