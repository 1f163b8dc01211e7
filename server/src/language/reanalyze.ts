/**
 * The static problems of a note after an edit that changed only numbers inside one block, found
 * without analysing the whole note again.
 *
 * Typing in a note is mostly editing numbers: a matrix entry, a coefficient, a size. Such an edit
 * leaves the names, the statements and their structure as they were, so resolution is unchanged and
 * the shape checker's view of every other statement is unchanged too, unless the edited statement
 * now binds a value of another shape or another known number. This module proves that case and
 * then re-checks only the edited statements; anything it cannot prove (a name or an operator
 * changed, a line added, a fence touched, a user function involved, a syntax error nearby, a
 * binding whose shape changed) returns undefined, and the caller analyses the whole note instead.
 *
 * The result is exact: its problems equal `analyzeNote(text).problems`, in the same order
 * (test/unit/perf/reanalyze.test.ts compares the two on random edits of every example note).
 */
import type { Analysis, KnownBinding, PositionMapper } from './analysis.js';
import type { Problem, RelatedSpan } from './problem.js';
import type { Binding, NameUse, Resolution } from './resolve/types.js';
import { recheckStatements } from './shapes/checker.js';
import type { StaticType } from './shapes/types.js';
import type { Span, Statement } from './syntax/ast.js';
import { parseBlockCached } from './syntax/blockCache.js';

/** What a number edit did to the note's static analysis. */
export interface NumberEditAnalysis {
  /** The edited text. */
  readonly text: string;
  /** Every static problem of the edited text, equal to `analyzeNote(text).problems`. */
  readonly problems: readonly Problem[];
  /** Offsets of the edited text to positions and back, as a `LineIndex` of it would map them. */
  readonly positions: PositionMapper;
  /**
   * Where statement `index` of the base analysis is in the edited text: the statements are the
   * same ones, in the same order, only moved or with other numbers.
   */
  statementSpan(index: number): Span | undefined;
}

/** A fence line (```` ``` ```` or `~~~`, indented up to three spaces): editing one may move blocks. */
const FENCE_LINE = /^ {0,3}(`{3,}|~{3,})/;
/** Characters whose insertion or removal can change lines or fences. */
const STRUCTURAL = /[\n\r`~]/;
/** Node kinds whose checking involves function bodies (memoized per call) or bound parameters. */
const BODY_KINDS: ReadonlySet<string> = new Set(['lambda', 'reduce', 'gradient', 'partial']);
/** How many characters are compared at a time while looking for the edit. */
const CHUNK = 2048;

/**
 * The static problems of `text`, an edit of `base.text`, when the edit changed only number literals
 * of statements inside one block and nothing else in the note can be affected; undefined when that
 * cannot be proven (analyse the whole note then).
 *
 * @param base a full analysis (`analyzeNote`) of an earlier version of the same note
 * @param text the edited note
 */
export function reanalyzeNumberEdit(base: Analysis, text: string): NumberEditAnalysis | undefined {
  const before = base.text;
  const knownOf = base.types.knownOf?.bind(base.types);
  if (!knownOf) return undefined;
  if (text === before) return { text, problems: base.problems, positions: base.positions, statementSpan: (index) => base.statements[index]?.span };

  // The edit replaced before[start, oldEnd) by text[start, newEnd).
  const start = commonPrefix(before, text);
  const suffix = commonSuffix(before, text, start);
  const oldEnd = before.length - suffix;
  const newEnd = text.length - suffix;
  const delta = text.length - before.length;
  if (STRUCTURAL.test(before.slice(start, oldEnd)) || STRUCTURAL.test(text.slice(start, newEnd))) return undefined;
  if (FENCE_LINE.test(lineAround(before, start)) || FENCE_LINE.test(lineAround(text, start))) return undefined;

  const blockIndex = base.blocks.findIndex((block) => block.fence.contentStart <= start && oldEnd <= block.fence.contentEnd);
  if (blockIndex < 0) return undefined;
  const block = base.blocks[blockIndex]!;
  const contentStart = block.fence.contentStart;
  const contentEnd = block.fence.contentEnd;
  const inBlock = (span: Span): boolean => span.start >= contentStart && span.end <= contentEnd;
  const line = base.positions.positionAt(contentStart).line;
  const parsed = parseBlockCached(text, contentStart, contentEnd + delta, line);
  const oldStatements = block.ast.statements;
  const newStatements = parsed.value.statements;
  if (oldStatements.length !== newStatements.length) return undefined;

  // Pair the two trees node by node: same structure and names, other numbers at most.
  const pairing = new Pairing();
  const changed: number[] = [];
  for (let index = 0; index < oldStatements.length; index++) {
    const numbersBefore = pairing.numbersChanged;
    const statement = oldStatements[index]!;
    if (!pairing.sameStatement(statement, newStatements[index]!)) return undefined;
    // A statement the edit touched is checked again even when only spacing changed: messages quote
    // operands as written.
    const touched = statement.span.start <= oldEnd && start <= statement.span.end;
    if (touched || pairing.numbersChanged !== numbersBefore) changed.push(index);
  }

  // Re-check the statements whose numbers changed, with what the base knew of everything else.
  const resolution = base.resolution;
  const uses = new Map<NameUse, Binding>();
  const definitions = new Map<Statement, readonly Binding[]>();
  for (const index of changed) {
    const oldStatement = oldStatements[index]!;
    if (oldStatement.kind === 'function' || oldStatement.kind === 'error') return undefined;
    for (const [oldNode, newNode] of pairing.nodesOf(oldStatement)) {
      if (BODY_KINDS.has(oldNode.kind)) return undefined;
      const binding = resolution.uses.get(oldNode as NameUse);
      if (!binding) continue;
      if (!isPlainValue(binding, knownOf)) return undefined;
      uses.set(newNode as NameUse, binding);
    }
    definitions.set(newStatements[index]!, resolution.definitions.get(oldStatement) ?? []);
  }
  const rechecked = recheckStatements(
    changed.map((index) => newStatements[index]!),
    { ...resolution, bindings: [], uses, definitions, failed: resolution.failed ?? new Set() } satisfies Resolution,
    text,
    knownOf,
  );
  // Later statements saw the bindings as the base knew them: they must be known the same now.
  for (const index of changed) {
    for (const binding of resolution.definitions.get(oldStatements[index]!) ?? []) {
      if (!sameKnown(knownOf(binding), rechecked.value(binding))) return undefined;
    }
  }

  // Moves an offset of the base text that is clearly before or after the edit.
  const moveOffset = (offset: number): number | undefined => (offset < start ? offset : offset > oldEnd ? offset + delta : undefined);
  // Moves a span of the base text to the edited text: inside the block by the paired nodes (or by
  // the edit when the span ends are clearly on one side of it).
  const move = (span: Span): Span | undefined => {
    if (span.end <= contentStart) return span;
    if (span.start >= contentEnd) return { start: span.start + delta, end: span.end + delta };
    const paired = pairing.spanFor(span);
    if (paired) return paired;
    const moved = { start: moveOffset(span.start), end: moveOffset(span.end) };
    return moved.start === undefined || moved.end === undefined ? undefined : (moved as Span);
  };
  const moveProblem = (problem: Problem): Problem | undefined => {
    const span = move(problem.span);
    if (!span) return undefined;
    if (!problem.related) return span === problem.span ? problem : { ...problem, span };
    const related: RelatedSpan[] = [];
    for (const item of problem.related) {
      const moved = move(item.span);
      if (!moved) return undefined;
      related.push(moved === item.span ? item : { ...item, span: moved });
    }
    return { ...problem, span, related };
  };

  // The block's syntax problems must be the ones it had, moved (a changed `openedAt` line or any
  // other difference is left to a full analysis).
  const oldSyntax = base.problems.filter((problem) => problem.kind.startsWith('syntax.') && inBlock(problem.span));
  if (oldSyntax.length !== parsed.problems.length) return undefined;
  for (let index = 0; index < oldSyntax.length; index++) {
    const moved = moveProblem(oldSyntax[index]!);
    if (!moved || !sameProblem(moved, parsed.problems[index]!)) return undefined;
  }

  const changedSpans = changed.map((index) => oldStatements[index]!.span);
  const isReplaced = (problem: Problem): boolean =>
    !problem.kind.startsWith('resolve.') && changedSpans.some((span) => span.start <= problem.span.start && problem.span.end <= span.end);
  const problems: Problem[] = [];
  const syntax: Problem[] = [];
  const resolved: Problem[] = [];
  const shaped: Problem[] = [];
  let afterBlock = false;
  for (const problem of base.problems) {
    const moved = moveProblem(problem);
    if (!moved) return undefined;
    if (!inBlock(problem.span)) {
      if (problem.span.start >= contentEnd && !afterBlock) {
        problems.push(...blockProblems(syntax, resolved, shaped, rechecked.problems));
        afterBlock = true;
      }
      problems.push(moved);
    } else if (problem.kind.startsWith('syntax.')) {
      syntax.push(moved);
    } else if (problem.kind.startsWith('resolve.')) {
      resolved.push(moved);
    } else if (!isReplaced(problem)) {
      shaped.push(moved);
    }
  }
  if (!afterBlock) problems.push(...blockProblems(syntax, resolved, shaped, rechecked.problems));

  const firstIndex = base.statements.indexOf(oldStatements[0]!);
  return {
    text,
    problems,
    positions: editedPositions(base.positions, text, start, oldEnd, delta),
    statementSpan(index) {
      const statement = base.statements[index];
      if (!statement) return undefined;
      if (firstIndex >= 0 && index >= firstIndex && index < firstIndex + newStatements.length) return newStatements[index - firstIndex]!.span;
      return move(statement.span);
    },
  };
}

/**
 * The block's problems in the order `analyzeNote` gives them: syntax, resolution, then shapes,
 * stably sorted by position (a re-checked statement's problems lie within that statement).
 */
function blockProblems(...passes: (readonly Problem[])[]): Problem[] {
  return passes.flat().sort((a, b) => a.span.start - b.span.start || a.span.end - b.span.end);
}

/** Two problems that say the same thing at the same place. */
function sameProblem(a: Problem, b: Problem): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * A value binding whose use cannot reach a function body: numbers, matrices, booleans, strings
 * and plots (a function or lambda value would make the checker re-check its body at a call).
 */
function isPlainValue(binding: Binding, knownOf: (binding: Binding) => KnownBinding | undefined): boolean {
  if (binding.kind === 'builtin' || binding.kind === 'constant') return true;
  if (binding.kind !== 'value') return false;
  const kind = knownOf(binding)?.type.kind;
  return kind === 'matrix' || kind === 'bool' || kind === 'string' || kind === 'plot';
}

function sameKnown(a: KnownBinding | undefined, b: KnownBinding | undefined): boolean {
  if (!a || !b) return a === b;
  return a.value === b.value || (Number.isNaN(a.value) && Number.isNaN(b.value)) ? sameType(a.type, b.type) : false;
}

function sameType(a: StaticType, b: StaticType): boolean {
  if (a.kind !== b.kind) return false;
  switch (a.kind) {
    case 'matrix': {
      const other = b as typeof a;
      return sameDim(a.rows, other.rows) && sameDim(a.cols, other.cols) && Boolean(a.logical) === Boolean(other.logical);
    }
    case 'tuple': {
      const other = b as typeof a;
      return a.items.length === other.items.length && a.items.every((item, index) => sameType(item, other.items[index]!));
    }
    case 'function':
      // Function types carry their definitions by identity; they never compare equal here.
      return false;
    default:
      return true;
  }
}

function sameDim(a: number | { readonly symbol: string } | null, b: number | { readonly symbol: string } | null): boolean {
  if (a === null || b === null || typeof a === 'number' || typeof b === 'number') return a === b;
  return a.symbol === b.symbol;
}

/**
 * Pairs the nodes of two syntax trees that must agree in everything but number literals and
 * positions, remembering which node and which span ends of the old tree became which of the new.
 */
class Pairing {
  /** How many number literals differed so far. */
  numbersChanged = 0;
  private readonly starts = new Map<number, number>();
  private readonly ends = new Map<number, number>();
  private readonly statementNodes = new Map<Statement, [{ kind: string }, { kind: string }][]>();
  private nodes: [{ kind: string }, { kind: string }][] = [];

  /** Whether two statements agree; their nodes are paired when they do. */
  sameStatement(before: Statement, after: Statement): boolean {
    this.nodes = [];
    if (!this.same(before, after)) return false;
    this.statementNodes.set(before, this.nodes);
    return true;
  }

  /** Every node of a paired statement (itself included) with its partner. */
  nodesOf(statement: Statement): readonly [{ kind: string }, { kind: string }][] {
    return this.statementNodes.get(statement) ?? [];
  }

  /** Where a span between ends of paired nodes is in the new tree. */
  spanFor(span: Span): Span | undefined {
    const start = this.starts.get(span.start);
    const end = this.ends.get(span.end);
    return start === undefined || end === undefined ? undefined : { start, end };
  }

  private same(before: unknown, after: unknown): boolean {
    if (before === after) return true;
    if (typeof before !== 'object' || typeof after !== 'object' || before === null || after === null) return false;
    if (Array.isArray(before)) {
      if (!Array.isArray(after) || before.length !== after.length) return false;
      for (let index = 0; index < before.length; index++) if (!this.same(before[index], after[index])) return false;
      return true;
    }
    const old = before as Record<string, unknown>;
    const now = after as Record<string, unknown>;
    const isNumber = old['kind'] === 'number' && now['kind'] === 'number';
    if (isNumber && (old['value'] !== now['value'] || old['raw'] !== now['raw'])) this.numbersChanged++;
    const keys = Object.keys(old);
    if (keys.length !== Object.keys(now).length) return false;
    for (const key of keys) {
      if (!(key in now)) return false;
      const value = old[key];
      if (key === 'span') {
        const span = value as Span;
        const moved = now[key] as Span;
        this.starts.set(span.start, moved.start);
        this.ends.set(span.end, moved.end);
      } else if (isNumber && (key === 'value' || key === 'raw')) {
        continue;
      } else if (typeof value === 'object' && value !== null) {
        if (!this.same(value, now[key])) return false;
      } else if (value !== now[key]) {
        return false;
      }
    }
    if (typeof old['kind'] === 'string') this.nodes.push([old as { kind: string }, now as { kind: string }]);
    return true;
  }
}

/** Length of the common prefix of two strings (compared a chunk at a time). */
function commonPrefix(a: string, b: string): number {
  const limit = Math.min(a.length, b.length);
  let index = 0;
  while (index + CHUNK <= limit && a.slice(index, index + CHUNK) === b.slice(index, index + CHUNK)) index += CHUNK;
  while (index < limit && a.charCodeAt(index) === b.charCodeAt(index)) index++;
  return index;
}

/** Length of the common suffix of two strings that does not reach into the first `prefix` characters. */
function commonSuffix(a: string, b: string, prefix: number): number {
  const limit = Math.min(a.length, b.length) - prefix;
  let length = 0;
  while (length + CHUNK <= limit && a.slice(a.length - length - CHUNK, a.length - length) === b.slice(b.length - length - CHUNK, b.length - length)) length += CHUNK;
  while (length < limit && a.charCodeAt(a.length - length - 1) === b.charCodeAt(b.length - length - 1)) length++;
  return length;
}

/**
 * Positions in a text that differs from the base text by an edit within one line: offsets before
 * the edit keep their positions, later ones move by `delta`, and on the edited line the characters
 * after the edit move with them.
 */
function editedPositions(base: PositionMapper, text: string, start: number, oldEnd: number, delta: number): PositionMapper {
  const editLine = base.positionAt(start).line;
  const lineStart = start - base.positionAt(start).character;
  const lineEnd = (() => {
    const newline = text.slice(lineStart).search(/[\r\n]/);
    return newline < 0 ? text.length : lineStart + newline;
  })();
  return {
    positionAt(offset) {
      const clamped = Math.max(0, Math.min(Number.isFinite(offset) ? Math.floor(offset) : 0, text.length));
      if (clamped <= start) return base.positionAt(clamped);
      if (clamped <= lineEnd) return { line: editLine, character: clamped - lineStart };
      return base.positionAt(clamped - delta);
    },
    offsetAt(position) {
      if (position.line === editLine) return lineStart + Math.max(0, Math.min(position.character, lineEnd - lineStart));
      const offset = base.offsetAt(position);
      return position.line < editLine ? offset : offset + delta;
    },
  };
}

/** The line of `text` that contains `offset`. */
function lineAround(text: string, offset: number): string {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  const lineEnd = text.indexOf('\n', offset);
  return text.slice(lineStart, lineEnd < 0 ? text.length : lineEnd);
}
