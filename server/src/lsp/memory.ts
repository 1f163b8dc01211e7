/**
 * Keeps the young generation of every V8 heap in the language server small.
 *
 * V8 lets the young generation (two semi-spaces) of a heap grow to 2 × 16 MB whenever many objects
 * survive a scavenge, which happens on every thread of the server: the analysis of a long note on
 * the server's thread, its analysis and evaluation again in the note's worker. Pages of a semi-space
 * once written stay resident, so after the 10,000-line benchmark note each heap held 32 MB of young
 * generation that was almost empty (about 60 MB of the server's 200 MB resident memory). A young
 * generation of a few MB costs more scavenges (about 10–30 % more time for allocation-heavy work
 * such as the first analysis of a long note) and keeps that memory free.
 *
 * Worker threads get a hard limit through `resourceLimits` (WORKER_RESOURCE_LIMITS). The server's own
 * thread cannot: `--max-semi-space-size` is read when a heap is created, and an editor starts the
 * server as `mathnote-lsp --stdio` (or a module) without V8 flags. V8 reads
 * `--semi-space-growth-factor` at every growth step, though, so setting it to 1 at run time stops the
 * young generation at the size it has reached. V8 raises the flag back to 2 whenever a heap is
 * created (it accepts no factor below 2 at start-up), so each worker thread sets it again once it has
 * warmed up, by which time its own young generation has reached its limit. Where a Node.js version
 * ignores the flag, the only cost is the memory.
 */
import { getHeapSpaceStatistics, getHeapStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/**
 * Young generation of an evaluation worker, in MB: V8 divides it into two semi-spaces and a
 * large-object area of one semi-space each, so 6 MB gives semi-spaces of 2 MB.
 */
export const WORKER_YOUNG_GENERATION_MB = 6;

/** The `resourceLimits` of an evaluation worker thread. */
export const WORKER_RESOURCE_LIMITS = { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB } as const;

/**
 * Stops every heap of this process from growing its young generation beyond its current size. Call
 * it on the server's thread before the first note is analysed, and in each worker thread once it has
 * warmed up (creating a heap resets the flag).
 */
export function stopYoungGenerationGrowth(): void {
  setFlagsFromString('--semi-space-growth-factor=1');
}

let collect: (() => void) | undefined;

/**
 * A full garbage collection of the calling thread's heap. `--expose-gc` is set at run time (the
 * server starts without flags) and the `gc` function taken from a fresh context, where V8 installs it.
 *
 * With `compact`, the collection also moves the survivors together and returns the emptied pages:
 * a plain full collection frees only pages that are entirely dead, and after an evaluation of the
 * benchmark note the worker's old space held 29 MB of pages for 21 MB of live objects. V8 compacts
 * only a few pages by itself; `--compact-on-every-full-gc` is set for this one collection and reset
 * after it (flags are shared by the process, so a collection another thread runs meanwhile compacts
 * too, which costs it time, not correctness). `--no-concurrent-sweeping` is set with it, so the
 * emptied pages are swept and given back to the system before the call returns instead of by a
 * background task a moment later (a reading right after a settled server caught 176-192 MB of RSS
 * for 80 MB of heaps, about 30 MB more than a moment later).
 */
export function fullGarbageCollection(compact = false): void {
  if (!collect) {
    setFlagsFromString('--expose-gc');
    collect = runInNewContext('gc') as () => void;
  }
  if (!compact) {
    collect();
    return;
  }
  setFlagsFromString('--compact-on-every-full-gc');
  setFlagsFromString('--no-concurrent-sweeping');
  try {
    collect();
  } finally {
    setFlagsFromString('--no-compact-on-every-full-gc');
    setFlagsFromString('--concurrent-sweeping');
  }
}

/**
 * How much a worker's heap may grow beyond what the last full collection left before the worker
 * collects itself once idle. One evaluation of the benchmark note leaves about 10 MB of dead
 * analyses behind, mostly large arrays (tables of Maps) that only a full collection frees.
 */
export const TRIM_GROWTH_BYTES = 8 * 1024 * 1024;

/**
 * The same for the server's thread, checked when an evaluation has finished. Every full analysis
 * there (an edit the number-edit shortcut cannot take) leaves the previous one behind, about 17 MB on
 * the 10,000-line benchmark note, and V8 let 40 of them pile up to 200 MB of heap before its own
 * full collection. The collections (some 20–100 ms on the server's thread, not compacting) happen
 * only when an evaluation finishes, which typing keeps superseding, so at most one per pause; on
 * notes of ordinary length the heap rarely grows this much between two.
 */
export const SERVER_TRIM_GROWTH_BYTES = 12 * 1024 * 1024;

/** When trimHeap collects, and how. */
export interface TrimOptions {
  /** Collect even when the heap grew less than `growthBytes`. */
  readonly force?: boolean;
  /** Move the survivors together (see fullGarbageCollection); true unless said otherwise. */
  readonly compact?: boolean;
  /** The growth since the last trim that makes it collect (TRIM_GROWTH_BYTES by default). */
  readonly growthBytes?: number;
}

let usedAfterTrim = 0;

/**
 * Collects the calling thread's heap when it grew by `growthBytes` since the last time, or always
 * with `force`, and answers the bytes still in use after the collection (undefined when it did not
 * collect). An evaluation worker calls it once an evaluation is posted: V8 alone lets dead analyses
 * pile up to hundreds of MB (large objects are freed only by a full collection, which it starts late
 * when the heap limit is the default), while the worker has nothing better to do than collect (about
 * 30–60 ms for the benchmark note, off the server's thread). The server's thread calls it when an
 * evaluation has finished, and forced once idle (EvaluationPool).
 */
export function trimHeap(options: TrimOptions = {}): number | undefined {
  const used = getHeapStatistics().used_heap_size;
  if (!options.force && used - usedAfterTrim < (options.growthBytes ?? TRIM_GROWTH_BYTES)) return undefined;
  fullGarbageCollection(options.compact ?? true);
  usedAfterTrim = getHeapStatistics().used_heap_size;
  return usedAfterTrim;
}

/**
 * How much more live memory a chain of incremental evaluations may hold than the whole evaluation
 * it started from. Each incremental evaluation keeps the one before it alive, with that version's
 * analysis (hovers on reused statements read sub-expression values from it); on the 10,000-line
 * benchmark note that is about 10 MB per edit, on a note of a few hundred lines well under 1 MB, so
 * only long notes reach the bound, and their next evaluation is a whole one.
 */
export const CHAIN_GROWTH_BYTES = 16 * 1024 * 1024;

/**
 * How much more live memory than the whole evaluation it started from a chain of incremental
 * evaluations may keep while the worker is idle. Beyond it the worker evaluates its version wholly
 * once nothing else is asked (the same values: incremental evaluation is exact), and lets the chain
 * go. On the benchmark note one link is about 10 MB, and after the bench's edits the worker held
 * 67 MB of heap for the 30 MB of one evaluation; links of notes of ordinary length stay below it.
 */
export const IDLE_CHAIN_BYTES = 4 * 1024 * 1024;

/**
 * How long a worker waits, with nothing asked of it, before it ends such a chain: a user typing
 * keeps evaluating incrementally, and a whole evaluation (some 300–600 ms of the benchmark note)
 * started between two keystrokes would only be given up.
 */
export const CHAIN_IDLE_DELAY_MS = 1000;

/** Memory of one V8 heap (one thread of the server), in bytes; figures for the tests and the bench. */
export interface ThreadMemory {
  /** Bytes of live and not yet collected objects. */
  readonly heapUsed: number;
  /** Bytes of pages the heap reserved. */
  readonly heapTotal: number;
  /** Bytes of those pages that are resident. */
  readonly heapPhysical: number;
  /** Memory outside the heap that objects of this heap hold (array buffers, WebAssembly memory). */
  readonly external: number;
  /** Memory V8 itself allocated with malloc for this heap (compiler zones, tables). */
  readonly malloced: number;
  /** Resident bytes per heap space (new_space, old_space, code_space, large_object_space, …). */
  readonly spaces: Readonly<Record<string, number>>;
}

/** The memory figures of the calling thread's heap. */
export function threadMemory(): ThreadMemory {
  const heap = getHeapStatistics();
  const spaces: Record<string, number> = {};
  for (const space of getHeapSpaceStatistics()) spaces[space.space_name] = space.physical_space_size;
  return {
    heapUsed: heap.used_heap_size,
    heapTotal: heap.total_heap_size,
    heapPhysical: heap.total_physical_size,
    external: heap.external_memory,
    malloced: heap.malloced_memory,
    spaces,
  };
}
