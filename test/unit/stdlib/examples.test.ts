/**
 * Every doc example of the standard library runs through the real parser, resolver, shape checker
 * and evaluator without a problem, and where its comment states a value (`# 2.5`, `# [1, 3, 6]`)
 * the result equals it to the 6 significant digits the comment is written with. This keeps hovers
 * honest. The static shape the checker infers for a call agrees with the shape of its value, so
 * the checker never reports a shape the library does not produce.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { evaluateProgram } from '../../../server/src/language/eval/evaluator.js';
import { builtinNames } from '../../../server/src/language/eval/builtins/index.js';
import { constantNames } from '../../../server/src/language/eval/constants.js';
import type { Value } from '../../../server/src/language/eval/value.js';
import { resolve } from '../../../server/src/language/resolve/resolver.js';
import { checkShapes } from '../../../server/src/language/shapes/checker.js';
import { parseBlock } from '../../../server/src/language/syntax/parser.js';
import { stdlibTables } from './context.js';

/** The value a comment states: a number or a matrix literal `[a, b; c, d]`; undefined for prose. */
function statedValue(comment: string): number[][] | undefined {
  const text = comment.trim();
  if (/^-?\d+(\.\d+)?(e-?\d+)?$/.test(text)) return [[Number(text)]];
  const literal = /^\[([-\d.,;\se]+)\]$/.exec(text);
  if (!literal) return undefined;
  return literal[1]!.split(';').map((r) => r.split(',').map((x) => Number(x.trim())));
}

function rowsOfValue(value: Value | undefined): number[][] | undefined {
  if (value?.kind === 'number') return [[value.value]];
  if (value?.kind !== 'matrix') return undefined;
  return Array.from({ length: value.rows }, (_, i) => Array.from(value.data.subarray(i * value.cols, (i + 1) * value.cols)));
}

const names = new Set<string>([...builtinNames(), ...constantNames]);

/** Runs a line of Mathnote through every pass; returns the last statement's value and static type. */
function run(code: string) {
  const parsed = parseBlock(code, 0, code.length);
  const resolution = resolve(parsed.value.statements, names, code);
  const shapes = checkShapes(parsed.value.statements, resolution.value, code);
  const evaluation = evaluateProgram(parsed.value.statements, resolution.value, code);
  const problems = [...parsed.problems, ...resolution.problems, ...shapes.problems, ...evaluation.problems].filter(
    (p) => p.severity === 'error' || p.severity === 'warning',
  );
  const statement = parsed.value.statements.at(-1)!;
  return {
    problems: problems.map((p) => `${p.kind} ${JSON.stringify(p.args)}`),
    value: evaluation.results.get(statement)?.value,
    staticType: shapes.value.typeOf(statement),
  };
}

/** The static shape agrees with the value's shape in every dimension the checker claims to know. */
function assertShapesAgree(code: string, value: Value | undefined, staticType: ReturnType<typeof run>['staticType']): void {
  if (!value || !staticType || staticType.kind !== 'matrix') return;
  const actual = value.kind === 'number' ? [1, 1] : value.kind === 'matrix' ? [value.rows, value.cols] : undefined;
  assert.ok(actual, `${code}: the checker says a matrix, the value is a ${value.kind}`);
  const claimed = [staticType.rows, staticType.cols];
  claimed.forEach((dim, k) => {
    if (typeof dim === 'number') assert.equal(actual[k], dim, `${code}: static ${claimed.join('×')} but the value is ${actual.join('×')}`);
  });
}

describe('doc examples of the standard library', () => {
  for (const [section, table] of Object.entries(stdlibTables)) {
    for (const builtin of table) {
      const example = builtin.doc.example;
      it(`${section}: ${example}`, () => {
        const [code, comment] = example.split(/\s+#\s+/);
        const { problems, value, staticType } = run(code!);
        assert.deepEqual(problems, []);
        assert.ok(value, 'the example has a value');
        assertShapesAgree(code!, value, staticType);
        const stated = comment === undefined ? undefined : statedValue(comment);
        if (!stated) return;
        const actual = rowsOfValue(value);
        assert.ok(actual, `expected ${comment}, got a ${value.kind}`);
        assert.deepEqual([actual.length, actual[0]!.length], [stated.length, stated[0]!.length], `shape of ${comment}`);
        actual.forEach((r, i) =>
          r.forEach((x, j) => {
            const want = stated[i]![j]!;
            assert.ok(Math.abs(x - want) <= 5e-6 * Math.max(Math.abs(want), 1e-3), `${x} ≠ ${want} in ${comment}`);
          }),
        );
      });
    }
  }
});

describe('static shapes of standard-library calls agree with their values', () => {
  const calls = [
    'sum([1, 2; 3, 4])', 'sum([1; 2; 3])', 'mean([1, 2, 3])', 'median([1, 2; 3, 4])', 'std([1, 2; 3, 4], "sample")',
    'var([1, 2; 3, 5])', 'min([1, 2; 3, 4])', 'max([1; 2], [1, 2, 3])', 'prod([1, 2; 3, 4])', 'mode([1, 2; 1, 4])',
    'cumsum([1, 2; 3, 4])', 'cov([1, 2; 3, 4; 5, 7])', 'cov([1; 2; 4])', 'corr([1, 2; 3, 4; 5, 7])', 'quantile([1, 2; 3, 4], 0.5)',
    'quantile([1, 2, 3], 0.5)', 'zscore([1, 2; 3, 5])', 'minmax([1; 2; 4])', 'logsumexp([1, 2; 3, 4])', 'logsumexp([1; 2])',
    'argmax([1, 2; 3, 0])', 'argmin([4, 2, 3])', 'last([1; 2; 3])', 'last([1, 2, 3])', 'last([1, 2; 3, 4])',
    'bernoulli([0.5, 0.5])', 'bernoulli(0.5)', 'bernoulli(0.5, 2, 3)', 'softmax([1, 2; 3, 4])', 'softmax([1; 2])',
    'onehot([1; 2])', 'iterate(x -> x / 2, [1; 2], 3)', 'iterate(x -> x / 2, 8, 3)', 'linspace(0, 1, 7)', 'linspace(0, 1)',
    'range(1, 5)', 'rand(2, 3)', 'rand()', 'randn(3, 1)', 'randint(1, 6, 2, 2)', 'randint(1, 6)', 'randperm(4)',
    'normpdf([1; 2], [0, 1])', 'normcdf([1, 2, 3])', 'binopdf([0, 1, 2], 2, 0.5)', 'poisspdf([0; 1], 2)',
    'atan2([1; 2], [1, 2])', 'mod([1, 2, 3], 2)', 'exp([1, 2; 3, 4])', 'sigmoid([1; 2])', 'relu([-1, 1])',
    'sort([3, 1; 2, 4])', 'map([1, 2; 3, 4], t -> t^2)', 'filter([1; -2; 3], t -> t > 0)', 'integral(t -> t, 0, 1)',
    'length([1, 2; 3, 4; 5, 6])', 'numel([1, 2; 3, 4])',
  ];
  for (const code of calls) {
    it(code, () => {
      const { problems, value, staticType } = run(code);
      assert.deepEqual(problems, []);
      assert.equal(staticType?.kind, 'matrix', 'the checker infers a numeric type');
      assertShapesAgree(code, value, staticType);
    });
  }
});
