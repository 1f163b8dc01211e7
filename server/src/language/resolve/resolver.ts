/**
 * The resolver: maps every use of a name to exactly one binding.
 *
 * The statements of all blocks form one program in document order. Bindings are immutable and
 * resolved by position: a use sees the nearest definition above it, a function body sees what was
 * defined above its own line plus its parameters and itself, and a definition's value never sees
 * the binding it introduces (`x = x + 1` reads the previous `x`). Broken input is normal: names
 * that cannot be resolved become `undefined` problems, and a definition that failed is marked so
 * that later uses say so once instead of cascading.
 */
import type { Problem, RelatedSpan, WithProblems } from '../problem.js';
import type { Expr, LambdaExpr, NameDecl, NameExpr, Statement } from '../syntax/ast.js';
import type { Binding, BindingKind, NameUse, Resolution } from './types.js';

/** How many recent names an undefined name is compared with for a did-you-mean suggestion. */
const MAX_SUGGESTION_CANDIDATES = 200;
/** How many undefined names of one note get a suggestion computed (the rest get none). */
export const MAX_SUGGESTIONS = 200;

/** The predefined constants of LANGUAGE.md §3; a user may redefine them (with a hint). */
export const CONSTANT_NAMES: ReadonlySet<string> = new Set(['pi', 'π', 'e', 'Inf', '∞', 'NaN', 'im']);

/** A chain of local scopes (lambda parameters, sum indices) above the note's global bindings. */
interface LocalScope {
  readonly parent: LocalScope | undefined;
  readonly names: ReadonlyMap<string, Binding>;
}

/** What the resolver tracks while it walks one statement. */
interface StatementContext {
  readonly statement: Statement;
  /** Set when the statement reads an undefined or failed name, or contains a parser hole. */
  failed: boolean;
  /**
   * Set when the statement fails for a reason of its own (an undefined name, a parser hole), not
   * only because it reads names whose definitions failed.
   */
  failedItself: boolean;
  /** Non-local bindings the statement reads, in first-use order. */
  readonly reads: Set<Binding>;
  /** Bindings the statement itself introduces (its own name, parameters, indices). */
  readonly own: Set<Binding>;
}

/** Marks a statement failed for a reason of its own (see `failedItself`). */
function failsItself(context: StatementContext): void {
  context.failed = true;
  context.failedItself = true;
}

/**
 * Finds the 1-based line of an offset, when the document text is known. Only problems name lines,
 * and most notes have few, so the line starts are found on the first question rather than by a
 * scan of the whole document on every analysis.
 */
function lineFinder(text: string | undefined): (offset: number) => number | undefined {
  if (text === undefined) return () => undefined;
  let starts: number[] | undefined;
  return (offset) => {
    if (!starts) {
      starts = [0];
      for (let index = 0; index < text.length; index++) {
        if (text.charCodeAt(index) === 10) starts.push(index + 1);
      }
    }
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (starts[middle]! <= offset) low = middle;
      else high = middle - 1;
    }
    return low + 1;
  };
}

/**
 * What the note defines around statements that are resolved again on their own (see
 * reanalyze.ts): everything the resolver would have learnt from the statements above them, and
 * where names are defined anywhere in the note.
 */
export interface PriorScope {
  /** The top-level binding of `name` just above the statements, if any. */
  lookup(name: string): Binding | undefined;
  /** Top-level names defined above the statements, oldest first (repeats included). */
  readonly definitionOrder: readonly string[];
  /** Offsets of every top-level definition of `name` in the note, in order. */
  definitionOffsets(name: string): readonly number[] | undefined;
  /** The first id for new bindings, so that they differ from the note's. */
  readonly firstBindingId: number;
}

/**
 * Resolves the statements of a note (all blocks, in document order).
 *
 * @param statements every statement of the note in document order
 * @param builtinNames the names of built-in functions (including aliases such as `I`, `trace`)
 * @param text the document text, used only to cite line numbers in messages
 * @param prior when given, `statements` are a run of the note's statements resolved again, and
 *   the rest of the note is described by it
 */
export function resolve(
  statements: readonly Statement[],
  builtinNames: ReadonlySet<string>,
  text?: string,
  prior?: PriorScope,
): WithProblems<Resolution> {
  const lineOf = lineFinder(text);
  const bindings: Binding[] = [];
  const firstBindingId = prior?.firstBindingId ?? 0;
  const uses = new Map<NameUse, Binding>();
  const definitions = new Map<Statement, readonly Binding[]>();
  const dependencies = new Map<Statement, readonly Binding[]>();
  const failed = new Set<Binding>();
  const symbolic = new Set<NameExpr>();
  /** Arguments that may be free symbols: plain names given to a derivative in a bare expression. */
  const symbolCandidates = new Set<NameExpr>();
  const failureReported = new Set<Binding>();
  /**
   * Failed bindings whose statements failed only because they read failed names. Their uses are
   * silent: the line that read the first failed name already said so, and one mistake should not
   * make a warning on every line of a chain of definitions that depend on each other.
   */
  const failedByDependency = new Set<Binding>();
  const problems: Problem[] = [];
  const global = new Map<string, Binding>();
  const shared = new Map<string, Binding>();
  let nextSharedId = -1;

  /** Where each name is first defined at the top level, for "it is defined below" hints. */
  const definitionOffsets = new Map<string, number[]>();
  for (const statement of prior ? [] : statements) {
    const targets =
      statement.kind === 'definition' || statement.kind === 'function'
        ? [statement.target]
        : statement.kind === 'destructure'
          ? statement.targets
          : [];
    for (const target of targets) {
      const offsets = definitionOffsets.get(target.name);
      if (offsets) offsets.push(target.span.start);
      else definitionOffsets.set(target.name, [target.span.start]);
    }
  }

  /** The offset of the first definition of `name` after `offset`, if there is one. */
  function definedLater(name: string, offset: number): number | undefined {
    const offsets = prior ? prior.definitionOffsets(name) : definitionOffsets.get(name);
    return offsets?.find((start) => start > offset);
  }

  function builtin(name: string): Binding | undefined {
    const existing = shared.get(name);
    if (existing) return existing;
    let kind: BindingKind;
    if (CONSTANT_NAMES.has(name)) kind = 'constant';
    else if (builtinNames.has(name)) kind = 'builtin';
    else return undefined;
    const binding: Binding = { id: nextSharedId--, name, kind };
    shared.set(name, binding);
    return binding;
  }

  function newBinding(
    name: NameDecl,
    kind: BindingKind,
    statement: Statement,
    extra: { tupleIndex?: number; owner?: Statement | Expr } = {},
  ): Binding {
    const binding: Binding = { id: firstBindingId + bindings.length, name: name.name, kind, decl: name, statement, ...extra };
    bindings.push(binding);
    return binding;
  }

  function lookupUser(name: string, scope: LocalScope | undefined): Binding | undefined {
    for (let current = scope; current; current = current.parent) {
      const found = current.names.get(name);
      if (found) return found;
    }
    return global.get(name) ?? prior?.lookup(name);
  }

  function namesInScope(scope: LocalScope | undefined): { user: string[]; shared: string[] } {
    const user = new Set<string>();
    for (let current = scope; current; current = current.parent) {
      for (const name of current.names.keys()) user.add(name);
    }
    // Most recent definitions first, so that ties prefer what the writer just wrote; only the
    // latest few hundred are compared, which keeps a note full of undefined names fast.
    const limit = user.size + MAX_SUGGESTION_CANDIDATES;
    for (let index = definitionOrder.length - 1; index >= 0 && user.size < limit; index--) user.add(definitionOrder[index]!);
    return { user: [...user], shared: sharedNames };
  }

  function recordUse(use: NameUse, binding: Binding, context: StatementContext): void {
    uses.set(use, binding);
    if (binding.kind === 'value' || binding.kind === 'function') {
      if (!context.own.has(binding)) context.reads.add(binding);
    }
    if (failed.has(binding) && !context.own.has(binding)) {
      context.failed = true;
      if (!failureReported.has(binding) && !failedByDependency.has(binding)) {
        failureReported.add(binding);
        const related: RelatedSpan[] = binding.decl
          ? [{ span: binding.decl.span, kind: 'definition-of', name: binding.name }]
          : [];
        const line = binding.statement ? lineOf(binding.statement.span.start) : undefined;
        problems.push({
          code: 'undefined',
          severity: 'warning',
          kind: 'resolve.failed-definition',
          span: use.span,
          args: { name: binding.name, line: line ?? null },
          related,
        });
      }
    }
  }

  /** Suggestions at the top level depend only on the name and the global bindings so far. */
  const suggestionCache = new Map<string, string | null>();
  let globalVersion = 0;
  let suggestionsComputed = 0;
  /** Names in the order they were defined (repeats included), for recent-first suggestions. */
  const definitionOrder: string[] = prior ? [...prior.definitionOrder] : [];
  const sharedNames = [...CONSTANT_NAMES, ...builtinNames];

  function suggestionFor(name: string, scope: LocalScope | undefined): string | null {
    const key = scope === undefined ? `${globalVersion}\u0000${name}` : undefined;
    const cached = key === undefined ? undefined : suggestionCache.get(key);
    if (cached !== undefined) return cached;
    // A note with thousands of undefined names gets suggestions for the first few hundred only.
    if (suggestionsComputed++ >= MAX_SUGGESTIONS) return null;
    const candidates = namesInScope(scope);
    const suggestion = suggestName(name, candidates.user, candidates.shared) ?? null;
    if (key !== undefined) suggestionCache.set(key, suggestion);
    return suggestion;
  }

  function resolveName(use: NameExpr, scope: LocalScope | undefined, context: StatementContext): void {
    const binding = lookupUser(use.name, scope) ?? builtin(use.name);
    if (binding) {
      recordUse(use, binding, context);
      return;
    }
    if (symbolCandidates.has(use)) {
      symbolic.add(use);
      return;
    }
    failsItself(context);
    const later = definedLater(use.name, use.span.start);
    problems.push({
      code: 'undefined',
      severity: 'error',
      kind: 'resolve.undefined',
      span: use.span,
      args: {
        name: use.name,
        suggestion: later === undefined ? suggestionFor(use.name, scope) : null,
        definedBelow: later === undefined ? null : (lineOf(later) ?? null),
      },
      ...(later === undefined ? {} : { related: [{ span: { start: later, end: later + use.name.length }, kind: 'definition-of', name: use.name }] }),
    });
  }

  function parametersOf(binding: Binding): readonly NameDecl[] | undefined {
    const statement = binding.statement;
    if (!statement) return undefined;
    if (binding.kind === 'function' && statement.kind === 'function') return statement.params;
    if (binding.kind === 'value' && statement.kind === 'definition') {
      let value: Expr = statement.value;
      while (value.kind === 'paren') value = value.inner;
      if (value.kind === 'lambda') return value.params;
    }
    return undefined;
  }

  function withParameters(
    params: readonly NameDecl[],
    kind: BindingKind,
    owner: Statement | Expr,
    scope: LocalScope | undefined,
    context: StatementContext,
  ): LocalScope {
    const names = new Map<string, Binding>();
    for (const param of params) {
      const binding = newBinding(param, kind, context.statement, { owner });
      context.own.add(binding);
      names.set(param.name, binding);
    }
    return { parent: scope, names };
  }

  function resolveLambda(expr: LambdaExpr, scope: LocalScope | undefined, context: StatementContext): void {
    resolveExpr(expr.body, withParameters(expr.params, 'parameter', expr, scope, context), context);
  }

  function resolveExpr(expr: Expr, scope: LocalScope | undefined, context: StatementContext): void {
    switch (expr.kind) {
      case 'number':
      case 'string':
      case 'colon':
      case 'end':
        return;
      case 'error':
        failsItself(context);
        return;
      case 'name':
        resolveName(expr, scope, context);
        return;
      case 'matrix':
        for (const row of expr.rows) for (const element of row) resolveExpr(element, scope, context);
        return;
      case 'paren':
        resolveExpr(expr.inner, scope, context);
        return;
      case 'prefix':
      case 'postfix':
      case 'abs':
      case 'norm':
        resolveExpr(expr.operand, scope, context);
        return;
      case 'binary':
        resolveExpr(expr.left, scope, context);
        resolveExpr(expr.right, scope, context);
        return;
      case 'power': {
        // `σ²` names a binding when one is in scope; otherwise it squares `σ`.
        if (expr.superscriptName !== undefined) {
          const named = lookupUser(expr.superscriptName, scope);
          if (named) {
            recordUse(expr, named, context);
            return;
          }
        }
        resolveExpr(expr.base, scope, context);
        resolveExpr(expr.exponent, scope, context);
        return;
      }
      case 'call':
        resolveExpr(expr.callee, scope, context);
        for (const argument of expr.args) resolveExpr(argument, scope, context);
        for (const argument of expr.named) resolveExpr(argument.value, scope, context);
        return;
      case 'index':
        resolveExpr(expr.target, scope, context);
        for (const index of expr.indices) resolveExpr(index, scope, context);
        return;
      case 'range':
        resolveExpr(expr.start, scope, context);
        if (expr.step) resolveExpr(expr.step, scope, context);
        resolveExpr(expr.end, scope, context);
        return;
      case 'lambda':
        resolveLambda(expr, scope, context);
        return;
      case 'gradient':
        resolveName(expr.fn, scope, context);
        return;
      case 'partial': {
        resolveName(expr.fn, scope, context);
        const fn = uses.get(expr.fn);
        const params = fn ? parametersOf(fn) : undefined;
        if (fn && params && !params.some((param) => param.name === expr.variable.name)) {
          failsItself(context);
          problems.push({
            code: 'undefined',
            severity: 'error',
            kind: 'resolve.not-a-parameter',
            span: expr.variable.span,
            args: { name: fn.name, variable: expr.variable.name, parameters: params.map((param) => param.name) },
            related: fn.decl ? [{ span: fn.decl.span, kind: 'definition-of', name: fn.name }] : [],
          });
        }
        return;
      }
      case 'reduce':
        resolveExpr(expr.range, scope, context);
        resolveExpr(expr.body, withParameters([expr.variable], 'index', expr, scope, context), context);
        return;
    }
  }

  /** A user definition that hides a constant or built-in gets a hint (only the first time). */
  function noteShadowing(target: NameDecl): void {
    if (global.has(target.name) || prior?.lookup(target.name)) return;
    const what = CONSTANT_NAMES.has(target.name) ? 'constant' : builtinNames.has(target.name) ? 'built-in' : undefined;
    if (!what) return;
    problems.push({
      code: 'shadow',
      severity: 'hint',
      kind: 'resolve.shadow',
      span: target.span,
      args: { name: target.name, what },
    });
  }

  for (const statement of statements) {
    const context: StatementContext = { statement, failed: false, failedItself: false, reads: new Set(), own: new Set() };
    let introduced: Binding[] = [];
    switch (statement.kind) {
      case 'definition': {
        resolveExpr(statement.value, undefined, context);
        noteShadowing(statement.target);
        const binding = newBinding(statement.target, 'value', statement);
        introduced = [binding];
        break;
      }
      case 'destructure': {
        resolveExpr(statement.value, undefined, context);
        for (const target of statement.targets) noteShadowing(target);
        introduced = statement.targets.map((target, tupleIndex) =>
          newBinding(target, 'value', statement, { tupleIndex }),
        );
        break;
      }
      case 'function': {
        noteShadowing(statement.target);
        // The function sees itself (recursion), so its binding exists before the body is resolved.
        const binding = newBinding(statement.target, 'function', statement);
        context.own.add(binding);
        const scope = withParameters(statement.params, 'parameter', statement, undefined, context);
        const visibleToBody = new Map(scope.names);
        if (!visibleToBody.has(binding.name)) {
          // Parameters shadow the function's own name inside its body; otherwise it is callable.
          visibleToBody.set(binding.name, binding);
        }
        resolveExpr(statement.body, { parent: undefined, names: visibleToBody }, context);
        introduced = [binding];
        break;
      }
      case 'expression':
        for (const argument of derivativeArguments(statement.value)) symbolCandidates.add(argument);
        resolveExpr(statement.value, undefined, context);
        break;
      case 'error': {
        // A definition that did not parse still names what it meant to define, so later uses
        // can say that line failed instead of calling the name undefined.
        failsItself(context);
        const target = text === undefined ? undefined : failedDefinitionTarget(text, statement.span);
        if (target) introduced = [newBinding(target.decl, target.kind, statement)];
        break;
      }
    }
    for (const binding of introduced) {
      if (context.failed) failed.add(binding);
      if (context.failed && !context.failedItself) failedByDependency.add(binding);
      global.set(binding.name, binding);
      definitionOrder.push(binding.name);
    }
    if (introduced.length > 0) globalVersion++;
    definitions.set(statement, introduced);
    dependencies.set(statement, [...context.reads]);
  }

  problems.sort((a, b) => a.span.start - b.span.start);
  let references: Map<Binding, NameUse[]> | undefined;
  return {
    value: {
      bindings,
      uses,
      // Built on first read: only references, rename and hovers ask for it, and most analyses
      // (one per edit that the shortcut cannot take) are replaced before anyone does.
      get references() {
        return (references ??= referencesOf(bindings, uses));
      },
      definitions,
      dependencies,
      failed,
      symbolic,
      builtin,
    },
    problems,
  };
}

/**
 * The uses of each binding, in the order they were resolved (document order): every binding of the
 * note has an entry, empty when nothing reads it; built-ins and constants have one when used.
 */
function referencesOf(bindings: readonly Binding[], uses: ReadonlyMap<NameUse, Binding>): Map<Binding, NameUse[]> {
  const references = new Map<Binding, NameUse[]>();
  for (const binding of bindings) references.set(binding, []);
  for (const [use, binding] of uses) {
    const list = references.get(binding);
    if (list) list.push(use);
    else references.set(binding, [use]);
  }
  return references;
}

const NAME_PATTERN = String.raw`[\p{L}_][\p{L}\p{M}\p{N}_\u2080-\u209C\u1D62-\u1D6A\u2C7C\u00B2\u00B3\u00B9\u2070-\u207F]*`;
const FAILED_DEFINITION = new RegExp(String.raw`^(\s*)(${NAME_PATTERN})\s*(\([^()]*\))?\s*=(?!=)`, 'u');

/** The name a statement that did not parse meant to define (`q = (1 + 2`, `f(x) = [1, 2`). */
function failedDefinitionTarget(text: string, span: { start: number; end: number }): { decl: NameDecl; kind: BindingKind } | undefined {
  const match = FAILED_DEFINITION.exec(text.slice(span.start, span.end));
  if (!match) return undefined;
  const start = span.start + match[1]!.length;
  const name = match[2]!;
  return { decl: { name, span: { start, end: start + name.length } }, kind: match[3] ? 'function' : 'value' };
}

/**
 * The plain-name arguments of a bare derivative call (`σ'(z)`, `f''(x)`, `∂f/∂x(x, y)`), which
 * show the derivative as a formula in those symbols when the names are not defined.
 */
function derivativeArguments(expr: Expr): NameExpr[] {
  let value = expr;
  while (value.kind === 'paren') value = value.inner;
  if (value.kind !== 'call') return [];
  let callee = value.callee;
  while (callee.kind === 'paren') callee = callee.inner;
  const isDerivative = (callee.kind === 'postfix' && callee.op === "'") || callee.kind === 'partial' || callee.kind === 'gradient';
  if (!isDerivative) return [];
  return value.args.filter((argument): argument is NameExpr => argument.kind === 'name');
}

/** Letters and accents without their decoration: `θ₀` → `θ`, `x̄` → `x`, `x_1` → `x`. */
export function baseLetters(name: string): string {
  const cached = baseCache.get(name);
  if (cached !== undefined) return cached;
  const base = computeBaseLetters(name);
  if (baseCache.size > 10_000) baseCache.clear();
  baseCache.set(name, base);
  return base;
}

const baseCache = new Map<string, string>();

function computeBaseLetters(name: string): string {
  const stripped = name.normalize('NFD').replace(/\p{M}/gu, '');
  const cut = stripped.search(/[_0-9\u2070-\u209F\u00B2\u00B3\u00B9\u1D62-\u1D6A\u2C7C\u1D40\u02B0-\u02FF']/u);
  return cut === -1 ? stripped : stripped.slice(0, cut);
}

/** Reused rows of the edit-distance table (names are short; they grow when needed). */
let previousRow = new Int32Array(64);
let currentRow = new Int32Array(64);

/**
 * Levenshtein distance over UTF-16 code units, giving up (returning `limit + 1`) as soon as it
 * must exceed `limit`. Code units are enough for a suggestion heuristic and avoid allocations.
 */
function editDistance(a: string, b: string, limit = Infinity): number {
  if (b.length + 1 > previousRow.length) {
    previousRow = new Int32Array(b.length + 1);
    currentRow = new Int32Array(b.length + 1);
  }
  for (let j = 0; j <= b.length; j++) previousRow[j] = j;
  for (let i = 1; i <= a.length; i++) {
    currentRow[0] = i;
    let rowMinimum = i;
    const code = a.charCodeAt(i - 1);
    for (let j = 1; j <= b.length; j++) {
      const cost = code === b.charCodeAt(j - 1) ? 0 : 1;
      const value = Math.min(previousRow[j]! + 1, currentRow[j - 1]! + 1, previousRow[j - 1]! + cost);
      currentRow[j] = value;
      if (value < rowMinimum) rowMinimum = value;
    }
    if (rowMinimum > limit) return limit + 1;
    const swap = previousRow;
    previousRow = currentRow;
    currentRow = swap;
  }
  return previousRow[b.length]!;
}

/**
 * A did-you-mean suggestion for an undefined name: a name with the same base letter (`θ` for
 * `θ₁`, `θ₀` for `θ`) or a close spelling. User names win over built-ins; among equals, the more
 * recent definition (earlier in `userNames`) wins.
 */
export function suggestName(name: string, userNames: readonly string[], sharedNames: readonly string[]): string | undefined {
  const length = [...name].length;
  const allowed = length <= 2 ? (length <= 1 ? 0 : 1) : length <= 5 ? 1 : 2;
  const base = baseLetters(name);
  let best: { name: string; score: number } | undefined;
  const consider = (candidate: string, penalty: number): void => {
    if (candidate === name) return;
    let score: number;
    const sameBase = base !== '' && baseLetters(candidate) === base;
    // Lengths that differ by more than the allowed edits cannot be close spellings: skip the work.
    if (!sameBase && Math.abs(candidate.length - name.length) > allowed + 1) return;
    const distance = editDistance(name, candidate, sameBase ? 4 : allowed);
    if (sameBase) score = 0.5 + Math.min(distance, 4) * 0.1;
    else if (distance <= allowed) score = distance;
    else return;
    score += penalty;
    if (!best || score < best.score) best = { name: candidate, score };
  };
  for (const candidate of userNames) consider(candidate, 0);
  for (const candidate of sharedNames) consider(candidate, 0.25);
  return best?.name;
}
