/**
 * Printing of values as text, LaTeX and JSON, with exact expected strings. Values come from
 * evaluating small notes, so the printer is tested on what the evaluator really produces.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Value } from '../../../server/src/language/eval/value.js';
import { formatNumber, shapeOf, valueToInlineText, valueToJson, valueToLatex, valueToText } from '../../../server/src/language/print/value.js';
import { runNote } from '../eval/harness.js';

/** The value of the last statement of a one-block note. */
function valueOf(source: string): Value {
  const run = runNote('```mathnote\n' + source + '\n```\n');
  const last = run.statements[run.statements.length - 1]!;
  const value = run.evaluation.results.get(last)?.value;
  assert.ok(value, `no value for ${source}: ${JSON.stringify(run.problems.map((p) => p.kind))}`);
  return value;
}

const numbers: [number, string][] = [
  [0, '0'],
  [-0, '0'],
  [42, '42'],
  [-3, '-3'],
  [12345678, '12345678'],
  [0.1, '0.1'],
  [1 / 3, '0.333333'],
  [2 / 3, '0.666667'],
  [123456.7, '123457'],
  [0.000123456789, '0.000123457'],
  [5.35218e-5, '5.35218e-5'],
  [1e-7, '1e-7'],
  [1e21, '1e21'],
  [NaN, 'NaN'],
  [Infinity, 'Inf'],
  [-Infinity, '-Inf'],
];

for (const [x, text] of numbers) {
  test(`the number ${x} prints as ${text}`, () => assert.equal(formatNumber(x), text));
}

test('precision is a setting: 3 significant digits', () => {
  assert.equal(valueToText(valueOf('1/3'), 3), '0.333');
  assert.equal(valueToText(valueOf('pi'), 10), '3.141592654');
});

test('a matrix prints as an aligned grid', () => {
  assert.equal(valueToText(valueOf('[1, 2; 3, 4] [5, 6; 7, 8]')), '[19  22\n 43  50]');
  assert.equal(valueToText(valueOf('[1, -0.25; 10, 2.5]')), '[ 1  -0.25\n 10    2.5]');
});

test('a column vector prints one number per line', () => {
  assert.equal(valueToText(valueOf('X = [1, 1; 1, 2; 1, 3; 1, 4]\ny = [6; 5; 7; 10]\n(XᵀX)⁻¹Xᵀy')), '[3.5\n 1.4]');
});

test('a long matrix is elided in the middle and says its shape', () => {
  const text = valueToText(valueOf('(1:100)ᵀ + [0, 100, 200]'));
  const lines = text.split('\n');
  assert.equal(lines[0], '100×3 matrix, first and last rows:');
  assert.equal(lines[1], '[  1  101  201');
  assert.ok(lines.includes('   ⋮    ⋮    ⋮'));
  assert.equal(lines[lines.length - 1], ' 100  200  300]');
  assert.equal(lines.length, 1 + 6 + 1 + 2);
});

test('a wide row is elided in the middle of its columns', () => {
  assert.equal(valueToInlineText(valueOf('1:20')), '[1, 2, 3, 4, 5, …, 19, 20] (1×20)');
});

test('inline text of a matrix', () => {
  assert.equal(valueToInlineText(valueOf('[1, 2; 3, 4]')), '[1, 2; 3, 4]');
  assert.equal(valueToInlineText(valueOf('[1, 2, 3] > 1')), '[false, true, true]');
});

test('complex numbers, booleans and strings', () => {
  assert.equal(valueToText(valueOf('(1 + 2im) * (1 + 2im)')), '-3 + 4i');
  assert.equal(valueToText(valueOf('1 - 2im')), '1 - 2i');
  assert.equal(valueToText(valueOf('im')), 'i');
  assert.equal(valueToText(valueOf('3 > 2')), 'true');
  assert.equal(valueToText(valueOf('"least squares"')), '"least squares"');
});

test('functions print their definition, derivatives their formula', () => {
  const source = '```mathnote\nf(x) = x² + 1\n```\n';
  const run = runNote(source);
  const f = run.evaluation.results.get(run.statements[0]!)!.value!;
  assert.equal(valueToText(f, 6, source), 'f(x) = x² + 1');
  assert.equal(valueToText(valueOf('g(x, y) = x² + y²\n∂g/∂x')), '∂g/∂x = 2 * x');
  assert.equal(valueToText(valueOf('sin')), 'sin (built-in)');
});

test('LaTeX of numbers and matrices', () => {
  assert.equal(valueToLatex(valueOf('[1, 2; 3, 4] [5, 6; 7, 8]')), '\\begin{bmatrix}19 & 22 \\\\ 43 & 50\\end{bmatrix}');
  assert.equal(valueToLatex(valueOf('1e-7')), '1 \\times 10^{-7}');
  assert.equal(valueToLatex(valueOf('-1/0')), '-\\infty');
  assert.equal(valueToLatex(valueOf('0/0')), '\\text{NaN}');
  assert.equal(valueToLatex(valueOf('2 > 1')), '\\text{true}');
  assert.equal(valueToLatex(valueOf('1 + 2im')), '1 + 2i');
});

test('LaTeX of a long matrix elides with \\vdots and names the shape', () => {
  const tex = valueToLatex(valueOf('(1:100)ᵀ + [0, 100, 200]'));
  assert.ok(tex.startsWith('\\begin{bmatrix}1 & 101 & 201 \\\\ 2 & 102 & 202'));
  assert.ok(tex.includes('\\vdots & \\vdots & \\vdots'));
  assert.ok(tex.endsWith('100 & 200 & 300\\end{bmatrix}_{100\\times 3}'));
});

test('LaTeX of a wide matrix elides with \\cdots', () => {
  assert.equal(
    valueToLatex(valueOf('1:20')),
    '\\begin{bmatrix}1 & 2 & 3 & 4 & 5 & \\cdots & 19 & 20\\end{bmatrix}_{1\\times 20}',
  );
});

test('JSON follows the command-line contract', () => {
  assert.deepEqual(valueToJson(valueOf('[1, 2; 3, 4]')), [[1, 2], [3, 4]]);
  assert.deepEqual(valueToJson(valueOf('[1; 2]')), [[1], [2]]);
  assert.equal(valueToJson(valueOf('2 + 3')), 5);
  assert.equal(valueToJson(valueOf('2 > 3')), false);
  assert.deepEqual(valueToJson(valueOf('1 + 2im')), { re: 1, im: 2 });
  assert.deepEqual(valueToJson(valueOf('[1, 2] + 1im')), [[{ re: 1, im: 1 }, { re: 2, im: 1 }]]);
  assert.deepEqual(valueToJson(valueOf('[0/0, 1/0, -1/0, -0]')), [['NaN', 'Infinity', '-Infinity', 0]]);
  assert.equal(valueToJson(valueOf('"title"')), 'title');
  const json = valueToJson(valueOf('f(x, y) = x² + y²\n∂f/∂x'));
  assert.deepEqual(json, { function: '2\\cdot x' });
  assert.equal(JSON.stringify(valueToJson(valueOf('0/0'))), '"NaN"');
});

test('shapes', () => {
  assert.deepEqual(shapeOf(valueOf('[1, 2, 3]')), [1, 3]);
  assert.deepEqual(shapeOf(valueOf('7')), [1, 1]);
  assert.deepEqual(shapeOf(valueOf('x -> x')), null);
});

test('LaTeX and JSON of user functions and lambdas', () => {
  assert.equal(valueToLatex(valueOf('σ(z) = 1 / (1 + e^-z)')), '\\sigma(z) = \\frac{1}{1 + e^{-z}}');
  assert.deepEqual(valueToJson(valueOf('sq = x -> x^2')), { function: 'x \\mapsto x^{2}' });
  assert.equal(valueToLatex(valueOf('sin')), '\\operatorname{sin}');
});
