/**
 * A cache of parsed blocks across analyses, keyed by the block's content text.
 *
 * The language server analyses a note on every keystroke, and a keystroke changes one block: the
 * other blocks read the same and need not be parsed again. A block's parse depends only on its
 * own text, except for document coordinates: spans are document offsets, and the `openedAt`
 * argument of `syntax.unclosed` names a document line. So a hit at the same offset and line reuses
 * the cached result as it is, and a hit elsewhere (an edit above moved the block) copies it with
 * every span shifted and `openedAt` moved by the number of lines the block moved; columns do not
 * change because every block begins at the start of a line.
 */
import type { Problem, WithProblems } from '../problem.js';
import type { BlockAst } from './ast.js';
import { parseBlock } from './parser.js';

/** A block's parse at one place: its content starting on document line `line` (0-based). */
interface Placement {
  readonly result: WithProblems<BlockAst>;
  readonly line: number;
}

/**
 * The placements of one block text, most recent first. Two are kept because an edit that is typed
 * and then undone (or a character typed and deleted) moves the blocks below it back and forth.
 */
type CachedBlock = Placement[];
const PLACEMENTS_KEPT = 2;

/**
 * Blocks kept at most; past this the least recently used are dropped. Every analysis touches all
 * blocks of its note, so the blocks of open notes stay and the versions a keystroke left behind
 * (an edited block's earlier texts) are the first to go.
 */
const MAX_ENTRIES = 5_000;
/** Characters of block text kept at most (keys dominate memory for huge blocks). */
const MAX_CHARACTERS = 4_000_000;

const cache = new Map<string, CachedBlock>();
let cachedCharacters = 0;

/**
 * `parseBlock(text, contentStart, contentEnd)`, answered from the cache when a block with the same
 * content was parsed before. `line` is the 0-based document line of `contentStart`. The result is
 * equal (deeply, with the same sharing of nodes) to a fresh parse; it may be the very object an
 * earlier call returned, so callers must not mutate it (no pass does).
 */
export function parseBlockCached(text: string, contentStart: number, contentEnd: number, line: number): WithProblems<BlockAst> {
  const content = text.slice(contentStart, contentEnd);
  const hit = cache.get(content);
  if (hit) {
    // Refresh the entry's place in the least-recently-used order.
    cache.delete(content);
    cache.set(content, hit);
    const same = hit.find((placement) => placement.result.value.contentStart === contentStart && placement.line === line);
    if (same) return same.result;
    const latest = hit[0]!;
    const moved = shiftBlock(latest.result, contentStart - latest.result.value.contentStart, line - latest.line);
    hit.unshift({ result: moved, line });
    hit.length = Math.min(hit.length, PLACEMENTS_KEPT);
    return moved;
  }
  const result = parseBlock(text, contentStart, contentEnd);
  cache.set(ownCopy(content), [{ result, line }]);
  cachedCharacters += content.length;
  while (cache.size > MAX_ENTRIES || (cachedCharacters > MAX_CHARACTERS && cache.size > 1)) {
    const oldest = cache.keys().next().value as string;
    cache.delete(oldest);
    cachedCharacters -= oldest.length;
  }
  return result;
}

/**
 * A copy of `slice` that does not keep the string it was cut from alive: V8 represents a slice as a
 * view into its parent, so a key made by `text.slice` would hold a whole version of the document.
 * Slicing a concatenation makes V8 flatten it into a new string first.
 */
function ownCopy(slice: string): string {
  return JSON.parse(JSON.stringify(slice)) as string;
}

/** Empties the cache (benchmarks measure a cold analysis with it). */
export function clearBlockCache(): void {
  cache.clear();
  cachedCharacters = 0;
}

/** A copy of a block's parse moved by `delta` offsets and `lineDelta` lines. */
function shiftBlock(result: WithProblems<BlockAst>, delta: number, lineDelta: number): WithProblems<BlockAst> {
  const value = shift(result.value, delta) as BlockAst;
  const problems = result.problems.map((problem) => shiftProblem(problem, delta, lineDelta));
  return { value, problems };
}

function shiftProblem(problem: Problem, delta: number, lineDelta: number): Problem {
  const moved = shift(problem, delta) as Problem;
  const openedAt = problem.args['openedAt'];
  if (lineDelta === 0 || typeof openedAt !== 'string') return moved;
  const [lineText, column] = openedAt.split(':');
  return { ...moved, args: { ...moved.args, openedAt: `${Number(lineText) + lineDelta}:${column}` } };
}

/**
 * Copies a tree of plain objects and arrays, adding `delta` to every span (`{ start, end }` under
 * a `span` key) and to a block's `contentStart`/`contentEnd`. The parser builds trees (no node or
 * span is reachable twice from a block's result), so a plain recursive copy keeps its shape.
 */
function shift(node: unknown, delta: number): unknown {
  if (node === null || typeof node !== 'object') return node;
  if (Array.isArray(node)) {
    const copy = new Array<unknown>(node.length);
    for (let i = 0; i < node.length; i++) copy[i] = shift(node[i], delta);
    return copy;
  }
  const source = node as Record<string, unknown>;
  const copy: Record<string, unknown> = {};
  for (const name in source) {
    const item = source[name];
    if (name === 'span') {
      const span = item as { start: number; end: number };
      copy[name] = { start: span.start + delta, end: span.end + delta };
    } else if (name === 'contentStart' || name === 'contentEnd') {
      copy[name] = (item as number) + delta;
    } else {
      copy[name] = typeof item === 'object' ? shift(item, delta) : item;
    }
  }
  return copy;
}
