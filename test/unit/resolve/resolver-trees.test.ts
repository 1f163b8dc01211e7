/**
 * Resolver rules on hand-built trees (independent of the parser): scoping by position, closures,
 * recursion, redefinition, σ² names, destructuring, shadowing, failures and did-you-mean.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { resolve, suggestName } from '../../../server/src/language/resolve/resolver.js';
import { resolveMessages } from '../../../server/src/language/resolve/messages.js';
import type { Problem } from '../../../server/src/language/problem.js';
import { build as b } from './build.js';

const builtins = new Set(['sin', 'svd', 'var', 'mean', 'sqrt', 'I', 'eye']);

function render(problem: Problem): string {
  return resolveMessages[problem.kind]!(problem.args);
}

test('a use sees the nearest definition above it, and x = x + 1 reads the previous x', () => {
  const firstUse = b.name('x');
  const readPrevious = b.name('x');
  const lastUse = b.name('x');
  const statements = [b.define('x', b.num(1)), b.expr(firstUse), b.define('x', b.add(readPrevious, b.num(1))), b.expr(lastUse)];
  const { value, problems } = resolve(statements, builtins);
  assert.deepEqual(problems, []);
  const [first, second] = value.bindings;
  assert.equal(value.uses.get(firstUse), first);
  assert.equal(value.uses.get(readPrevious), first);
  assert.equal(value.uses.get(lastUse), second);
  assert.deepEqual(value.references.get(first!), [firstUse, readPrevious]);
  assert.deepEqual(value.dependencies.get(statements[2]!), [first]);
  assert.deepEqual(value.definitions.get(statements[2]!), [second]);
});

test('a definition does not see its own new binding', () => {
  const self = b.name('y');
  const { problems } = resolve([b.define('y', b.add(self, b.num(1)))], builtins);
  assert.deepEqual(problems.map(render), ["'y' is not defined above this line"]);
});

test('a function body sees bindings above it, its parameters and itself, never later ones', () => {
  const a = b.name('a');
  const later = b.name('c');
  const recursive = b.name('f');
  const param = b.name('x');
  const body = b.add(b.add(a, param), b.add(b.call(recursive, b.num(1)), later));
  const statements = [b.define('a', b.num(2)), b.fn('f', ['x'], body), b.define('c', b.num(3))];
  const { value, problems } = resolve(statements, builtins);
  assert.deepEqual(problems.map(render), ["'c' is not defined above this line"]);
  assert.equal(value.uses.get(recursive)?.kind, 'function');
  assert.equal(value.uses.get(param)?.kind, 'parameter');
  assert.equal(value.uses.get(param)?.owner, statements[1]);
  assert.deepEqual(value.dependencies.get(statements[1]!)?.map((binding) => binding.name), ['a']);
  assert.ok(value.failed?.has(value.definitions.get(statements[1]!)![0]!));
});

test('lambdas and sums bind their parameters and index only inside their bodies', () => {
  const inside = b.name('t');
  const outside = b.name('t');
  const index = b.name('k');
  const statements = [
    b.expr(b.call(b.lambda(['t'], inside), b.num(1))),
    b.expr(b.sum('k', b.num(3), index)),
    b.expr(outside),
  ];
  const { value, problems } = resolve(statements, builtins);
  assert.equal(value.uses.get(inside)?.kind, 'parameter');
  assert.equal(value.uses.get(index)?.kind, 'index');
  assert.deepEqual(problems.map((problem) => problem.span), [outside.span]);
});

test('σ² is a name when it is defined and a power of σ otherwise', () => {
  const beforeDefinition = b.squared('σ');
  const afterDefinition = b.squared('σ');
  const statements = [
    b.define('σ', b.num(2)),
    b.expr(beforeDefinition),
    b.define('σ²', b.call(b.name('var'), b.name('σ'))),
    b.expr(afterDefinition),
  ];
  const { value, problems } = resolve(statements, builtins);
  assert.deepEqual(problems, []);
  assert.equal(value.uses.has(beforeDefinition), false);
  assert.equal(value.uses.get(beforeDefinition.base as never)?.name, 'σ');
  assert.equal(value.uses.get(afterDefinition)?.name, 'σ²');
  assert.equal(value.uses.has(afterDefinition.base as never), false);
});

test('destructuring makes one binding per target with its tuple index', () => {
  const statements = [b.define('A', b.num(1)), b.destructure(['U', 'S', 'V'], b.call(b.name('svd'), b.name('A')))];
  const { value } = resolve(statements, builtins);
  const made = value.definitions.get(statements[1]!)!;
  assert.deepEqual(made.map((binding) => [binding.name, binding.tupleIndex]), [['U', 0], ['S', 1], ['V', 2]]);
});

test('constants and built-ins resolve to shared bindings; redefining them is a hint', () => {
  const piUse = b.name('π');
  const sinUse = b.name('sin');
  const laterE = b.name('e');
  const statements = [b.expr(b.call(sinUse, piUse)), b.define('e', b.num(3)), b.expr(laterE), b.fn('I', ['n'], b.name('n'))];
  const { value, problems } = resolve(statements, builtins);
  assert.equal(value.uses.get(piUse), value.builtin('π'));
  assert.equal(value.builtin('π')?.kind, 'constant');
  assert.equal(value.uses.get(sinUse)?.kind, 'builtin');
  assert.equal(value.uses.get(laterE)?.kind, 'value');
  assert.deepEqual(problems.map((problem) => [problem.code, problem.severity, problem.args.what]), [
    ['shadow', 'hint', 'constant'],
    ['shadow', 'hint', 'built-in'],
  ]);
  assert.equal(render(problems[0]!), "'e' hides the predefined constant e from here on");
});

test('a failed definition is reported once at its first later use, not in a cascade', () => {
  const firstUse = b.name('q');
  const secondUse = b.name('q');
  const statements = [b.define('q', b.add(b.num(1), b.error())), b.expr(firstUse), b.expr(secondUse)];
  const { value, problems } = resolve(statements, builtins);
  assert.deepEqual(problems.map((problem) => [problem.kind, problem.span]), [['resolve.failed-definition', firstUse.span]]);
  assert.equal(render(problems[0]!), "'q' has no value because its definition above failed");
  assert.equal(value.uses.get(secondUse)?.name, 'q');
});

test('∂f/∂v must name a parameter of f', () => {
  const statements = [b.fn('f', ['x', 'y'], b.add(b.name('x'), b.name('y'))), b.expr(b.partial('f', 'x')), b.expr(b.partial('f', 'z'))];
  const { problems } = resolve(statements, builtins);
  assert.deepEqual(problems.map(render), ["'z' is not a parameter of f (its parameters: x, y)"]);
});

test('did-you-mean prefers the same base letter, then close spellings', () => {
  const statements = [b.define('θ₀', b.num(1)), b.expr(b.name('θ'))];
  const { problems } = resolve(statements, builtins);
  assert.deepEqual(problems.map(render), ["'θ' is not defined above this line (did you mean 'θ₀'?)"]);
  assert.equal(suggestName('θ₁', ['θ'], []), 'θ');
  assert.equal(suggestName('x', ['x̄', 'y'], []), 'x̄');
  assert.equal(suggestName('x', ['y'], []), undefined);
  assert.equal(suggestName('sqr', [], ['sqrt', 'sin']), 'sqrt');
  assert.equal(suggestName('P_spma', ['P_spam', 'P_en'], []), 'P_spam');
});
