/**
 * Fault-injection hooks for the reliability tests (test/lsp/faults.test.ts). They are inert unless
 * the server process was started with the environment variable `MATHNOTE_LSP_TEST_HOOKS=1`; an
 * editor never sets it, so a note cannot reach them.
 *
 * With the variable set:
 * - an evaluation worker that is sent a note containing a fault marker (`# mathnote-test-fault: exit`,
 *   `exit0`, `throw` or `fail`) dies or fails in that way, so the tests can make a real worker crash, and the server's own
 *   static analysis of a note containing `# mathnote-test-fault: analysis` throws;
 * - the server answers `mathnote/test/threads` (how many evaluation worker threads are alive, once
 *   every termination in flight has finished) and `mathnote/test/gc` (a full garbage collection of
 *   the server's heap, then its memory figures), so memory can be compared without sleeping.
 *
 * Worker threads inherit the server's environment, so the worker reads the same variable.
 */
import { getHeapSpaceStatistics } from 'node:v8';
import { fullGarbageCollection, threadMemory, type ThreadMemory } from './memory.js';

/** The environment variable that turns the hooks on. */
export const TEST_HOOKS_VARIABLE = 'MATHNOTE_LSP_TEST_HOOKS';
/** Request: `{}` → {@link ThreadsResult}. */
export const TEST_THREADS_METHOD = 'mathnote/test/threads';
/** Request: `{}` → {@link GcResult}. */
export const TEST_GC_METHOD = 'mathnote/test/gc';
/**
 * Request: {@link MemoryParams} → {@link MemoryResult}. The figures as they are (nothing is
 * collected for the request); with `settled`, once the server is at rest: its idle collection after
 * the last evaluation has run, and each worker has done its idle work (ended an overlong chain of
 * incremental evaluations and collected).
 */
export const TEST_MEMORY_METHOD = 'mathnote/test/memory';

/** Parameters of `mathnote/test/memory`. */
export interface MemoryParams {
  /** Wait until the server and its workers are at rest (see TEST_MEMORY_METHOD). */
  readonly settled?: boolean;
}

/** Whether this process (server or worker) was started with the test hooks on. */
export function testHooksEnabled(): boolean {
  return process.env[TEST_HOOKS_VARIABLE] === '1';
}

const ANALYSIS_FAULT_MARKER = '# mathnote-test-fault: analysis';

/**
 * Throws as a bug in the core's analysis would, on the server's own thread, when the hooks are on
 * and the note carries `# mathnote-test-fault: analysis`.
 */
export function injectAnalysisFault(text: string): void {
  if (testHooksEnabled() && text.includes(ANALYSIS_FAULT_MARKER)) throw new Error('mathnote test hook: analysis failed');
}

/** What a worker does when a note carries a fault marker. */
export type WorkerFault = 'exit' | 'exit0' | 'throw' | 'fail';

const FAULT_MARKER = /# mathnote-test-fault: (exit0|exit|throw|fail)\b/;

/** The fault a note asks for, when the hooks are on. */
export function workerFaultIn(text: string): WorkerFault | undefined {
  if (!testHooksEnabled()) return undefined;
  return FAULT_MARKER.exec(text)?.[1] as WorkerFault | undefined;
}

/**
 * Makes the worker fail as the marker asks: `exit` ends the thread with code 3, `exit0` ends it
 * with code 0 (a thread that vanishes without saying why), `throw` raises an exception nothing
 * catches (the thread's `error` event), `fail` throws inside the evaluation (reported as a bug).
 */
export function injectWorkerFault(fault: WorkerFault): void {
  switch (fault) {
    case 'exit':
      process.exit(3);
      break;
    case 'exit0':
      process.exit(0);
      break;
    case 'throw':
      throw new Error('mathnote test hook: uncaught exception in the evaluation worker');
    case 'fail':
      throw new Error('mathnote test hook: evaluation failed');
  }
}

/** Answer of `mathnote/test/threads`. */
export interface ThreadsResult {
  /** Worker threads started and not yet exited. */
  readonly threads: number;
  /** Documents the pool holds a live worker for. */
  readonly documents: readonly string[];
}

/** Answer of `mathnote/test/gc`. */
export interface GcResult {
  readonly rss: number;
  readonly heapUsed: number;
  /** Bytes reserved for the young generation of the server thread's heap (both semi-spaces). */
  readonly youngGeneration: number;
}

/** A full garbage collection of this thread's heap, then its memory figures. */
export function collectGarbage(): GcResult {
  fullGarbageCollection();
  const usage = process.memoryUsage();
  const youngGeneration = getHeapSpaceStatistics().find((space) => space.space_name === 'new_space')?.space_size ?? 0;
  return { rss: usage.rss, heapUsed: usage.heapUsed, youngGeneration };
}

/** Answer of `mathnote/test/memory`: the process's resident memory and the heap of each thread. */
export interface MemoryResult {
  /** Resident memory of the whole process (every thread), in bytes. */
  readonly rss: number;
  readonly server: ThreadMemory;
  /** The heap of each live evaluation worker, by document URI. */
  readonly workers: Readonly<Record<string, ThreadMemory>>;
}

/** The memory figures of this thread and of the given workers' heaps, as they are (no collection). */
export function memoryFigures(workers: Readonly<Record<string, ThreadMemory>>): MemoryResult {
  return { rss: process.memoryUsage.rss(), server: threadMemory(), workers };
}
