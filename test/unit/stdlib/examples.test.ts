/**
 * Every doc example of the standard library runs through the real parser, resolver and evaluator
 * without a problem, and where its comment states a value (`# 2.5`, `# [1, 3, 6]`) the result
 * equals it to the 6 significant digits the comment is written with. This keeps hovers honest.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { evaluateProgram } from '../../../server/src/language/eval/evaluator.js';
import { builtinNames } from '../../../server/src/language/eval/builtins/index.js';
import { constantNames } from '../../../server/src/language/eval/constants.js';
import type { Value } from '../../../server/src/language/eval/value.js';
import { resolve } from '../../../server/src/language/resolve/resolver.js';
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

describe('doc examples of the standard library', () => {
  for (const [section, table] of Object.entries(stdlibTables)) {
    for (const builtin of table) {
      const example = builtin.doc.example;
      it(`${section}: ${example}`, () => {
        const [code, comment] = example.split(/\s+#\s+/);
        const parsed = parseBlock(code!, 0, code!.length);
        const resolution = resolve(parsed.value.statements, names, code);
        const evaluation = evaluateProgram(parsed.value.statements, resolution.value, code!);
        const problems = [...parsed.problems, ...resolution.problems, ...evaluation.problems].filter((p) => p.severity === 'error' || p.severity === 'warning');
        assert.deepEqual(problems.map((p) => `${p.kind} ${JSON.stringify(p.args)}`), []);
        const statement = parsed.value.statements.at(-1)!;
        const value = evaluation.results.get(statement)?.value;
        assert.ok(value, 'the example has a value');
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
