/**
 * Server-side timings for `npm run bench`: how long the server spent between receiving an edit
 * and handing its diagnostics to the transport, and on each hover. Measured at the client, these
 * include the JSON-RPC round trip and the pipe; the budgets of DESIGN.md are server-side. Recorded
 * only when the server runs with the test hooks on (testHooks.ts), and answered by a request.
 */
import { testHooksEnabled } from './testHooks.js';

/** Request: `{}` → {@link TimingsResult}; absent unless the test hooks are on. */
export const TEST_TIMINGS_METHOD = 'mathnote/test/timings';

/** What the server measured, in milliseconds, oldest first. */
export interface TimingsResult {
  /** From an edit's arrival in the change handler to its diagnostics being sent. */
  readonly publish: readonly number[];
  readonly hover: readonly number[];
}

const recorded = { publish: [] as number[], hover: [] as number[] };
/** Kept per kind at most, so a long session with the hooks on does not grow without bound. */
const MAX_SAMPLES = 10_000;

/** Runs `work`, recording its duration under `kind` when the test hooks are on. */
export function timed<T>(kind: keyof TimingsResult, work: () => T): T {
  if (!testHooksEnabled()) return work();
  const start = performance.now();
  try {
    return work();
  } finally {
    record(kind, start);
  }
}

/** Records the duration of an asynchronous piece of work under `kind` when the test hooks are on. */
export async function timedAsync<T>(kind: keyof TimingsResult, work: () => Promise<T>): Promise<T> {
  if (!testHooksEnabled()) return work();
  const start = performance.now();
  try {
    return await work();
  } finally {
    record(kind, start);
  }
}

function record(kind: keyof TimingsResult, start: number): void {
  const samples = recorded[kind];
  if (samples.length < MAX_SAMPLES) samples.push(performance.now() - start);
}

/** The samples so far; they are cleared, so each request answers what happened since the last. */
export function takeTimings(): TimingsResult {
  return { publish: recorded.publish.splice(0), hover: recorded.hover.splice(0) };
}
