/**
 * The static problems of a note after an edit within one line of one block, found without
 * analysing the whole note again.
 *
 * Typing in a note changes one statement at a time: a number in a matrix, an operand, a call.
 * When the edited statement still defines the same names, and the shape checker still knows them
 * to be what they were, nothing the rest of the note sees has changed: every other statement keeps
 * its resolution, its types and its problems (moved with the text). This module proves that case,
 * resolves and checks only the edited statements against the last full analysis, and returns
 * undefined for anything it cannot prove: a line or a fence added or removed, another statement
 * count, a defined name or its shape changed, a user function defined or called by the edited
 * statement, a failed definition involved. The caller analyses the whole note then.
 *
 * The result is exact: its problems equal `analyzeNote(text).problems`, in the same order
 * (test/unit/perf/reanalyze.test.ts compares the two on edits of every example note).
 */
import type { Analysis, KnownBinding, PositionMapper } from './analysis.js';
import type { Problem, RelatedSpan } from './problem.js';
import { builtinNameSet } from './eval/builtins/index.js';
import { MAX_SUGGESTIONS, resolve, type PriorScope } from './resolve/resolver.js';
import type { Binding, Resolution } from './resolve/types.js';
import { recheckStatements } from './shapes/checker.js';
import type { StaticType } from './shapes/types.js';
import type { Span, Statement } from './syntax/ast.js';
import { parseBlockCached } from './syntax/blockCache.js';

/** What an edit did to the note's static analysis. */
export interface EditAnalysis {
  /** The edited text. */
  readonly text: string;
  /** Every static problem of the edited text, equal to `analyzeNote(text).problems`. */
  readonly problems: readonly Problem[];
  /** Offsets of the edited text to positions and back, as a `LineIndex` of it would map them. */
  readonly positions: PositionMapper;
  /**
   * Where statement `index` of the base analysis is in the edited text: the statements are the
   * same ones, in the same order, moved or edited.
   */
  statementSpan(index: number): Span | undefined;
}

/** A fence line (```` ``` ```` or `~~~`, indented up to three spaces): editing one may move blocks. */
const FENCE_LINE = /^ {0,3}(`{3,}|~{3,})/;
/** Characters whose insertion or removal can change lines or fences. */
const STRUCTURAL = /[\n\r`~]/;
/** How many characters are compared at a time while looking for the edit. */
const CHUNK = 2048;

/**
 * The static problems of `text`, an edit of `base.text` within one line of one block, when the
 * rest of the note is provably unaffected; undefined when that cannot be proven (analyse the whole
 * note then).
 *
 * @param base a full analysis (`analyzeNote`) of an earlier version of the same note
 * @param text the edited note
 */
export function reanalyzeEdit(base: Analysis, text: string): EditAnalysis | undefined {
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

  // Statements the edit touched are resolved and checked again; the others must read the same.
  const pairing = new Pairing();
  const touched: number[] = [];
  for (let index = 0; index < oldStatements.length; index++) {
    const statement = oldStatements[index]!;
    if (statement.span.start <= oldEnd && start <= statement.span.end) {
      if (statement.kind !== newStatements[index]!.kind || statement.kind === 'function') return undefined;
      touched.push(index);
    } else if (!pairing.sameStatement(statement, newStatements[index]!)) {
      return undefined;
    }
  }
  const oldTouched = touched.map((index) => oldStatements[index]!);
  const newTouched = touched.map((index) => newStatements[index]!);

  const resolution = base.resolution;
  const failed = resolution.failed ?? new Set<Binding>();
  if (!readsPlainInputs(oldTouched, resolution, failed, knownOf)) return undefined;

  // Resolve the touched statements again, seeing what the note defines above them.
  const undefinedBefore = base.problems.filter((problem) => problem.kind === 'resolve.undefined').length;
  const resolved = resolve(newTouched, builtinNameSet(), text, priorScope(base, oldTouched[0]!, (offset) => moveOffset(offset)));
  const undefinedNow = resolved.problems.filter((problem) => problem.kind === 'resolve.undefined').length;
  // Past this many undefined names the resolver stops suggesting, which would make counts matter.
  if (undefinedBefore + undefinedNow >= MAX_SUGGESTIONS) return undefined;
  const mini = resolved.value;
  const newFailed = mini.failed ?? new Set<Binding>();
  if (!readsPlainInputs(newTouched, mini, failed, knownOf)) return undefined;

  // The touched statements must define the same names, failing or not as before; the checker
  // then sees them as the base's bindings, so that what it learns compares with the base.
  const definitions = new Map<Statement, readonly Binding[]>();
  const declarations = new Map<string, Span>();
  for (let index = 0; index < touched.length; index++) {
    const was = resolution.definitions.get(oldTouched[index]!) ?? [];
    const now = mini.definitions.get(newTouched[index]!) ?? [];
    if (was.length !== now.length) return undefined;
    for (let target = 0; target < was.length; target++) {
      const old = was[target]!;
      const fresh = now[target]!;
      if (old.name !== fresh.name || old.kind !== fresh.kind || old.tupleIndex !== fresh.tupleIndex) return undefined;
      if (failed.has(old) !== newFailed.has(fresh)) return undefined;
      if (old.decl && fresh.decl) declarations.set(`${old.decl.span.start}:${old.decl.span.end}`, fresh.decl.span);
    }
    definitions.set(newTouched[index]!, was);
  }
  const rechecked = recheckStatements(
    newTouched,
    {
      ...mini,
      definitions,
      failed: { has: (binding: Binding) => failed.has(binding) || newFailed.has(binding) } as ReadonlySet<Binding>,
    } satisfies Resolution,
    text,
    knownOf,
  );
  // Later statements saw the bindings as the base knew them: they must be known the same now.
  for (const statement of oldTouched) {
    for (const binding of resolution.definitions.get(statement) ?? []) {
      if (!sameKnown(knownOf(binding), rechecked.value(binding))) return undefined;
    }
  }

  // Moves an offset of the base text that is clearly before or after the edit.
  function moveOffset(offset: number): number | undefined {
    return offset < start ? offset : offset > oldEnd ? offset + delta : undefined;
  }
  // Moves a span of the base text to the edited text: inside the block by the paired nodes or the
  // touched statements' names (or by the edit when the span is clearly on one side of it).
  const move = (span: Span): Span | undefined => {
    if (span.end <= contentStart) return span;
    if (span.start >= contentEnd) return { start: span.start + delta, end: span.end + delta };
    const paired = pairing.spanFor(span) ?? declarations.get(`${span.start}:${span.end}`);
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

  const touchedSpans = oldTouched.map((statement) => statement.span);
  const isReplaced = (problem: Problem): boolean =>
    problem.kind.startsWith('syntax.') || touchedSpans.some((span) => span.start <= problem.span.start && problem.span.end <= span.end);
  const problems: Problem[] = [];
  const resolvedProblems: Problem[] = [];
  const shapeProblems: Problem[] = [];
  const blockList = (): Problem[] =>
    blockProblems(parsed.problems, [...resolvedProblems, ...resolved.problems], [...shapeProblems, ...rechecked.problems]);
  let afterBlock = false;
  for (const problem of base.problems) {
    if (inBlock(problem.span)) {
      if (isReplaced(problem)) continue;
      const moved = moveProblem(problem);
      if (!moved) return undefined;
      (problem.kind.startsWith('resolve.') ? resolvedProblems : shapeProblems).push(moved);
      continue;
    }
    const moved = moveProblem(problem);
    if (!moved) return undefined;
    if (problem.span.start >= contentEnd && !afterBlock) {
      problems.push(...blockList());
      afterBlock = true;
    }
    problems.push(moved);
  }
  if (!afterBlock) problems.push(...blockList());

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
 * What the resolver needs to know of the note around `statement` (the first touched statement):
 * the bindings above it, the names defined above it in order, and every definition's offset,
 * moved to the edited text.
 */
function priorScope(base: Analysis, statement: Statement, moveOffset: (offset: number) => number | undefined): PriorScope {
  const index = scopeIndex(base);
  const position = base.statements.indexOf(statement);
  const definitionOrder: string[] = [];
  for (const entry of index.order) {
    if (entry.statement >= position) break;
    definitionOrder.push(entry.binding.name);
  }
  return {
    lookup(name) {
      const entries = index.byName.get(name);
      if (!entries) return undefined;
      let found: Binding | undefined;
      for (const entry of entries) {
        if (entry.statement >= position) break;
        found = entry.binding;
      }
      return found;
    },
    definitionOrder,
    definitionOffsets(name) {
      const offsets = index.offsets.get(name);
      if (!offsets) return undefined;
      // Offsets on the edited line may be ambiguous; the touched statements define the same names at the same places.
      return offsets.map((offset) => moveOffset(offset) ?? offset);
    },
    firstBindingId: base.resolution.bindings.length + 1,
  };
}

interface ScopeEntry {
  readonly statement: number;
  readonly binding: Binding;
}

interface ScopeIndex {
  readonly order: readonly ScopeEntry[];
  readonly byName: ReadonlyMap<string, readonly ScopeEntry[]>;
  readonly offsets: ReadonlyMap<string, readonly number[]>;
}

/** Top-level bindings of an analysis by statement, built once per analysis. */
const scopeIndexes = new WeakMap<Analysis, ScopeIndex>();

function scopeIndex(base: Analysis): ScopeIndex {
  const cached = scopeIndexes.get(base);
  if (cached) return cached;
  const order: ScopeEntry[] = [];
  const byName = new Map<string, ScopeEntry[]>();
  const offsets = new Map<string, number[]>();
  base.statements.forEach((statement, position) => {
    for (const binding of base.resolution.definitions.get(statement) ?? []) {
      const entry = { statement: position, binding };
      order.push(entry);
      const list = byName.get(binding.name);
      if (list) list.push(entry);
      else byName.set(binding.name, [entry]);
    }
    // The resolver's "defined below" hints look at definition targets only (not failed lines).
    const targets = statement.kind === 'definition' || statement.kind === 'function' ? [statement.target] : statement.kind === 'destructure' ? statement.targets : [];
    for (const target of targets) {
      const list = offsets.get(target.name);
      if (list) list.push(target.span.start);
      else offsets.set(target.name, [target.span.start]);
    }
  });
  const index = { order, byName, offsets };
  scopeIndexes.set(base, index);
  return index;
}

/**
 * A name a touched statement may read without tying it to the rest of the note: built-ins,
 * constants, its own parameters and indices, and values that are numbers, matrices, booleans,
 * strings or plots and did not fail (a function value would make the checker re-check its body at
 * the call, sharing memo entries and reports with other statements; a failed definition is
 * reported at its first use only).
 */
function isPlainInput(binding: Binding, statement: Statement, failed: ReadonlySet<Binding>, knownOf: (binding: Binding) => KnownBinding | undefined): boolean {
  if (binding.kind === 'builtin' || binding.kind === 'constant') return true;
  if (binding.kind === 'parameter' || binding.kind === 'index') return binding.statement === statement;
  if (binding.kind !== 'value' || failed.has(binding)) return false;
  const kind = knownOf(binding)?.type.kind;
  return kind === 'matrix' || kind === 'bool' || kind === 'string' || kind === 'plot';
}

/** Whether every name the statements read, as `resolution` resolved it, is a plain input. */
function readsPlainInputs(
  statements: readonly Statement[],
  resolution: Resolution,
  failed: ReadonlySet<Binding>,
  knownOf: (binding: Binding) => KnownBinding | undefined,
): boolean {
  for (const statement of statements) {
    for (const node of nodesOf(statement)) {
      const binding = resolution.uses.get(node as never);
      if (binding && !isPlainInput(binding, statement, failed, knownOf)) return false;
    }
  }
  return true;
}

/** Every syntax node of a statement (itself included), found by walking its fields. */
function nodesOf(statement: Statement): object[] {
  const nodes: object[] = [];
  const visit = (value: unknown): void => {
    if (typeof value !== 'object' || value === null) return;
    if (Array.isArray(value)) {
      for (const item of value) visit(item);
      return;
    }
    const record = value as Record<string, unknown>;
    if (typeof record['kind'] === 'string') nodes.push(record);
    for (const key in record) if (key !== 'span') visit(record[key]);
  };
  visit(statement);
  return nodes;
}

/**
 * The block's problems in the order `analyzeNote` gives them: syntax, resolution, then shapes,
 * stably sorted by position (a re-checked statement's problems lie within that statement).
 */
function blockProblems(...passes: (readonly Problem[])[]): Problem[] {
  return passes.flat().sort((a, b) => a.span.start - b.span.start || a.span.end - b.span.end);
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
 * Pairs two syntax trees that must agree in everything but positions, remembering which span
 * ends of the old tree became which of the new.
 */
class Pairing {
  private readonly starts = new Map<number, number>();
  private readonly ends = new Map<number, number>();
  /** Whether two statements read the same (but for their positions); their spans are paired when they do. */
  sameStatement(before: Statement, after: Statement): boolean {
    return this.same(before, after);
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
      } else if (typeof value === 'object' && value !== null) {
        if (!this.same(value, now[key])) return false;
      } else if (value !== now[key]) {
        return false;
      }
    }
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
