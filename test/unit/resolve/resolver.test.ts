/**
 * The resolver on small notes parsed by the real parser: which binding each use reaches,
 * references, definitions, dependencies, failed bindings and free symbols. Messages are checked
 * by the fixture notes (test/fixtures/shapes/names.md).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { findBlocks } from '../../../server/src/language/markdown/blocks.js';
import { resolve, suggestName } from '../../../server/src/language/resolve/resolver.js';
import type { Binding, NameUse, Resolution } from '../../../server/src/language/resolve/types.js';
import type { Problem } from '../../../server/src/language/problem.js';
import type { Statement } from '../../../server/src/language/syntax/ast.js';
import { parseBlock } from '../../../server/src/language/syntax/parser.js';

const builtins = new Set(['sin', 'svd', 'var', 'sqrt', 'I', 'eye', 'plot']);

interface Resolved {
  readonly text: string;
  readonly statements: readonly Statement[];
  readonly resolution: Resolution;
  readonly problems: readonly Problem[];
  /** The binding reached by the use starting at the `occurrence`-th match of `needle`. */
  bindingAt(needle: string, occurrence?: number): Binding | undefined;
  /** The statement whose source starts with `prefix`. */
  statement(prefix: string): Statement;
}

function resolveNote(...blocks: string[]): Resolved {
  const text = blocks.map((block) => '```mathnote\n' + block + '\n```\n').join('\nprose\n\n');
  const statements: Statement[] = [];
  for (const block of findBlocks(text)) statements.push(...parseBlock(text, block.contentStart, block.contentEnd).value.statements);
  const { value: resolution, problems } = resolve(statements, builtins, text);
  const useStarts = new Map<number, NameUse>();
  for (const use of resolution.uses.keys()) useStarts.set(use.span.start, use);
  return {
    text,
    statements,
    resolution,
    problems,
    bindingAt(needle, occurrence = 1) {
      let index = -1;
      for (let count = 0; count < occurrence; count++) {
        index = text.indexOf(needle, index + 1);
        assert.ok(index >= 0, `occurrence ${occurrence} of ${needle}`);
      }
      const use = useStarts.get(index);
      return use ? resolution.uses.get(use) : undefined;
    },
    statement(prefix) {
      const found = statements.find((candidate) => text.slice(candidate.span.start).startsWith(prefix));
      assert.ok(found, `a statement starting with ${prefix}`);
      return found;
    },
  };
}

const kinds = (problems: readonly Problem[]): string[] => problems.map((problem) => problem.kind);

test('a use sees the nearest definition above it; x = x + 1 reads the previous x', () => {
  const note = resolveNote('x = 1\ny = x\nx = x + 1\nz = x');
  assert.deepEqual(note.problems, []);
  const [first, , second] = note.resolution.bindings;
  assert.equal(note.bindingAt('x', 2), first);
  assert.equal(note.bindingAt('x', 4), first);
  assert.equal(note.bindingAt('x', 5), second);
  assert.equal(note.resolution.references.get(first!)?.length, 2);
  assert.deepEqual(note.resolution.dependencies.get(note.statement('x = x + 1')), [first]);
  assert.deepEqual(note.resolution.definitions.get(note.statement('x = x + 1')), [second]);
  assert.deepEqual(note.resolution.definitions.get(note.statement('z = x'))?.map((binding) => binding.name), ['z']);
});

test('blocks form one program in document order', () => {
  const note = resolveNote('a = 1', 'b = a + 1', 'a + b');
  assert.deepEqual(note.problems, []);
  assert.equal(note.bindingAt('a + b')?.name, 'a');
  assert.equal(note.bindingAt('a + 1')?.name, 'a');
  assert.equal(note.bindingAt('b\n```'), note.resolution.bindings[1]);
});

test('a function body sees what is above it, its parameters and itself, never what is below', () => {
  const note = resolveNote('a = 2\nf(x) = a x + f(x - 1) + c\nc = 3\nf(1)');
  assert.deepEqual(kinds(note.problems), ['resolve.undefined', 'resolve.failed-definition']);
  assert.equal(note.problems[0]!.args.name, 'c');
  assert.equal(note.bindingAt('f(x - 1)')?.kind, 'function');
  assert.equal(note.bindingAt('x -')?.kind, 'parameter');
  assert.equal(note.bindingAt('x -')?.owner, note.statement('f(x)'));
  assert.deepEqual(note.resolution.dependencies.get(note.statement('f(x)'))?.map((binding) => binding.name), ['a']);
  assert.ok(note.resolution.failed?.has(note.resolution.definitions.get(note.statement('f(x)'))![0]!));
});

test('a closure keeps the binding above its definition even after a redefinition', () => {
  const note = resolveNote('c = 2\ng(x) = c x\nc = 5\ng(1)');
  assert.equal(note.bindingAt('c x'), note.resolution.bindings[0]);
});

test('lambdas and sums bind their parameters and index only inside their bodies', () => {
  const note = resolveNote('p = (t -> t^2)(3)\nE = ∑(k = 1:3) k\nt + k');
  assert.equal(note.bindingAt('t^2')?.kind, 'parameter');
  assert.equal(note.bindingAt('k\n')?.kind, 'index');
  assert.deepEqual(note.problems.map((problem) => problem.args.name), ['t', 'k']);
});

test('σ² is a name where one is defined and a power of σ elsewhere', () => {
  const note = resolveNote('σ = 2\nbefore = σ²\nσ² = 5\nafter = σ²');
  assert.deepEqual(note.problems, []);
  assert.equal(note.bindingAt('σ²\nσ²')?.name, 'σ');
  const after = note.bindingAt('σ²', 3);
  assert.equal(after?.name, 'σ²');
  assert.equal(after?.kind, 'value');
});

test('destructuring makes one binding per target with its tuple index', () => {
  const note = resolveNote('A = [1, 2; 3, 4]\nU, S, V = svd(A)\nU S Vᵀ');
  const made = note.resolution.definitions.get(note.statement('U, S, V'))!;
  assert.deepEqual(made.map((binding) => [binding.name, binding.tupleIndex]), [['U', 0], ['S', 1], ['V', 2]]);
  assert.equal(note.bindingAt('Vᵀ')?.tupleIndex, 2);
  assert.equal(note.bindingAt('S Vᵀ')?.tupleIndex, 1);
});

test('constants and built-ins are shared bindings; a redefinition shadows them with a hint', () => {
  const note = resolveNote('sin(π)\ne = 3\ne + sin(0)\nI(n) = n');
  assert.equal(note.bindingAt('π'), note.resolution.builtin('π'));
  assert.equal(note.resolution.builtin('π')?.kind, 'constant');
  assert.equal(note.bindingAt('sin'), note.resolution.builtin('sin'));
  assert.equal(note.bindingAt('e +')?.kind, 'value');
  assert.deepEqual(note.problems.map((problem) => [problem.code, problem.severity, problem.args.name, problem.args.what]), [
    ['shadow', 'hint', 'e', 'constant'],
    ['shadow', 'hint', 'I', 'built-in'],
  ]);
  assert.equal(note.resolution.builtin('nothing'), undefined);
});

test('a failed definition is reported once, at its first later use', () => {
  const note = resolveNote('y = z + 1\ny + 1\ny * 2\nw = y');
  assert.deepEqual(kinds(note.problems), ['resolve.undefined', 'resolve.failed-definition']);
  assert.equal(note.problems[1]!.args.line, 2);
  assert.deepEqual(note.problems[1]!.related?.map((related) => related.kind), ['definition-of']);
  assert.ok(note.resolution.failed?.has(note.resolution.definitions.get(note.statement('w = y'))![0]!));
});

test('∂f/∂v must name a parameter of f; ∇f and ∂f are uses of f', () => {
  const note = resolveNote('f(x, y) = x + y\n∂f/∂x\n∂f/∂z\n∇f(1, 2)');
  assert.deepEqual(kinds(note.problems), ['resolve.not-a-parameter']);
  assert.deepEqual(note.problems[0]!.args.parameters, ['x', 'y']);
  assert.equal(note.resolution.references.get(note.resolution.bindings[0]!)?.length, 3);
});

test('a bare derivative call may name free symbols', () => {
  const note = resolveNote("σ(z) = 1 / (1 + e^-z)\nσ'(t)\nσ(t)");
  assert.deepEqual(note.problems.map((problem) => [problem.kind, problem.args.name]), [['resolve.undefined', 't']]);
  assert.equal(note.resolution.symbolic?.size, 1);
});

test('did-you-mean prefers the same base letter, then close spellings', () => {
  assert.equal(suggestName('θ', ['θ₀'], []), 'θ₀');
  assert.equal(suggestName('θ₁', ['θ'], []), 'θ');
  assert.equal(suggestName('x', ['x̄', 'y'], []), 'x̄');
  assert.equal(suggestName('x', ['y'], []), undefined);
  assert.equal(suggestName('sqr', [], ['sqrt', 'sin']), 'sqrt');
  assert.equal(suggestName('P_spma', ['P_spam', 'P_en'], []), 'P_spam');
  assert.equal(suggestName('beta', ['β', 'alpha'], []), undefined);
});

test('a failed definition is not reported again down a chain of definitions that depend on it', () => {
  // Only the line that reads the first failed name says so: b fails because a did, c because b
  // did, and so on, which LANGUAGE.md calls a cascade.
  const note = resolveNote('a = zz + 1\nb = a + 1\nc = b + 1\nd = c + 1\nd');
  assert.deepEqual(kinds(note.problems), ['resolve.undefined', 'resolve.failed-definition']);
  assert.equal(note.problems[1]!.args.name, 'a');
  for (const name of ['a', 'b', 'c', 'd']) {
    const binding = note.resolution.bindings.find((candidate) => candidate.name === name)!;
    assert.ok(note.resolution.failed?.has(binding), `${name} failed`);
  }
});

test('a line that fails for its own reason is still reported at its first use, even below a failed line', () => {
  const note = resolveNote('a = zz + 1\nb = a + yy\nb + 1');
  assert.deepEqual(kinds(note.problems), ['resolve.undefined', 'resolve.failed-definition', 'resolve.undefined', 'resolve.failed-definition']);
  assert.deepEqual(note.problems.map((problem) => problem.args.name), ['zz', 'a', 'yy', 'b']);
});
