/**
 * Every problem kind the evaluator can raise has a sentence: the kinds are read from the
 * evaluator's own source, so a new kind without a template fails here.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { evalMessages, formatCount } from '../../../server/src/language/eval/messages.js';
import { shapeMessages } from '../../../server/src/language/shapes/messages.js';

const evalDir = join(process.cwd(), 'server', 'src', 'language', 'eval');
const sources = ['evaluator.ts', 'operators.ts', 'kernels.ts', 'autodiff.ts', 'symbolic.ts'];

test('every kind raised by the evaluator has a message template', () => {
  const kinds = new Set<string>();
  for (const file of sources) {
    const text = readFileSync(join(evalDir, file), 'utf8');
    for (const m of text.matchAll(/new EvalError\(\s*'[a-z]+',\s*'([a-z.-]+)'/g)) kinds.add(m[1]!);
    for (const m of text.matchAll(/warn\(\s*'(?:singular|domain)',\s*'([a-z.-]+)'/g)) kinds.add(m[1]!);
    for (const m of text.matchAll(/this\.report\('[a-z]+', '[a-z]+', '([a-z.-]+)'/g)) kinds.add(m[1]!);
  }
  assert.ok(kinds.size > 30, `found only ${kinds.size} kinds`);
  const missing = [...kinds].filter((kind) => !evalMessages[kind] && !shapeMessages[kind]);
  assert.deepEqual(missing, []);
});

test('large counts read as powers of ten', () => {
  assert.equal(formatCount(1e10), '10¹⁰');
  assert.equal(formatCount(1e7), '10⁷');
  assert.equal(formatCount(2.5e8), '2.5 × 10⁸');
  assert.equal(formatCount(999999), '999999');
});

test('the size limit reads as LANGUAGE.md §10 shows it', () => {
  const message = evalMessages['eval.too-large']!({ expression: 'zeros(100000, 100000)', rows: null, cols: null, elements: 1e10, limit: 1e7 });
  assert.equal(message, 'zeros(100000, 100000) would hold 10¹⁰ numbers; the limit is 10⁷');
});
