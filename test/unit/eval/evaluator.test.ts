/**
 * Evaluator behaviour beyond single values: gradients against analytic formulas, how derivatives
 * are computed, budgets and limits, failures that do not cascade, hovers on sub-expressions, and
 * the sentences problems read as.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { evaluateProgram } from '../../../server/src/language/eval/evaluator.js';
import { evalMessages } from '../../../server/src/language/eval/messages.js';
import type { Resolution } from '../../../server/src/language/resolve/types.js';
import type { DerivedFunctionValue, MatrixValue, Value } from '../../../server/src/language/eval/value.js';
import type { Problem } from '../../../server/src/language/problem.js';
import { shapeMessages } from '../../../server/src/language/shapes/messages.js';
import type { Expr, Statement } from '../../../server/src/language/syntax/ast.js';
import { runNote, type RunResult } from './harness.js';

const note = (body: string): string => '```mathnote\n' + body + '\n```\n';

function valueAt(run: RunResult, index: number): Value | undefined {
  return run.evaluation.results.get(run.statements[index]!)?.value;
}

function lastValue(run: RunResult): Value {
  const value = valueAt(run, run.statements.length - 1);
  assert.ok(value, `no value: ${JSON.stringify(run.problems.map((p) => [p.kind, p.args]))}`);
  return value;
}

function numbersOf(v: Value): number[] {
  if (v.kind === 'number') return [v.value];
  assert.equal(v.kind, 'matrix');
  return Array.from((v as MatrixValue).data);
}

function describe(problem: Problem): string {
  const template = evalMessages[problem.kind] ?? shapeMessages[problem.kind];
  assert.ok(template, `no message for ${problem.kind}`);
  return template(problem.args);
}

/** A deterministic stream of test inputs in [-2, 2]. */
function inputs(seed: number, count: number): number[] {
  let state = seed >>> 0;
  return Array.from({ length: count }, () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return (state / 2 ** 32) * 4 - 2;
  });
}

const gradientCases: { name: string; body: string; analytic: (x: number[]) => number[] }[] = [
  { name: 'sum of squares', body: 'J(θ) = θ[1]² + θ[2]² + θ[3]²', analytic: (x) => x.map((t) => 2 * t) },
  { name: 'quadratic form', body: 'J(w) = wᵀ [2, 1, 0; 1, 3, 1; 0, 1, 4] w', analytic: ([a, b, c]) => [4 * a! + 2 * b!, 2 * a! + 6 * b! + 2 * c!, 2 * b! + 8 * c!] },
  {
    name: 'logistic loss',
    body: 'σ(z) = 1 / (1 + e^-z)\nX = [1, 2, -1; 0.5, -1, 2]\ny = [1; 0]\nJ(w) = -sum(y .* ln(σ(X w)) + (1 - y) .* ln(1 - σ(X w)))',
    analytic: (w) => {
      const X = [[1, 2, -1], [0.5, -1, 2]];
      const y = [1, 0];
      const g = [0, 0, 0];
      X.forEach((row, i) => {
        const z = row.reduce((s, x, j) => s + x * w[j]!, 0);
        const p = 1 / (1 + Math.exp(-z));
        row.forEach((x, j) => (g[j]! += (p - y[i]!) * x));
      });
      return g;
    },
  },
  { name: 'norm', body: 'J(w) = ‖w‖', analytic: (w) => { const n = Math.hypot(...w); return w.map((t) => t / n); } },
  { name: 'products and sines', body: 'J(θ) = sin(θ[1]) θ[2] + exp(θ[3] / 2) θ[1]', analytic: ([a, b, c]) => [Math.cos(a!) * b! + Math.exp(c! / 2), Math.sin(a!), 0.5 * Math.exp(c! / 2) * a!] },
];

for (const { name, body, analytic } of gradientCases) {
  test(`∇ by automatic differentiation matches the analytic gradient to 1e-12: ${name}`, () => {
    for (let trial = 0; trial < 5; trial++) {
      const x = inputs(trial * 7 + name.length, 3);
      const run = runNote(note(`${body}\n∇J([${x.join('; ')}])`));
      const got = numbersOf(lastValue(run));
      const want = analytic(x);
      got.forEach((g, i) => assert.ok(Math.abs(g - want[i]!) <= 1e-12 * Math.max(1, Math.abs(want[i]!)), `${name}: ∂${i + 1} ${g} vs ${want[i]}`));
      const gradient = valueAt(run, run.statements.length - 1 - 0);
      assert.ok(gradient);
    }
  });
}

function derived(run: RunResult, index: number): DerivedFunctionValue {
  const v = valueAt(run, index);
  assert.ok(v && v.kind === 'function' && v.type === 'derived', `statement ${index} is not a derived function`);
  return v;
}

test('how a derivative is computed is recorded for hovers', () => {
  const run = runNote(note('f(x, y) = x² + y²\n∇f\nJ(θ) = θ[1]² + θ[2]²\n∇J\ng(x) = x²\ng\''));
  assert.equal(derived(run, 1).method, 'symbolic');
  assert.equal(derived(run, 1).formula, '\\begin{bmatrix}2\\cdot x \\\\ 2\\cdot y\\end{bmatrix}');
  assert.equal(derived(run, 3).method, 'autodiff');
  assert.equal(derived(run, 5).method, 'symbolic');
  assert.equal(derived(run, 5).formulaText, '2 * x');
});

test('a gradient through an operation without a dual rule falls back to central differences', () => {
  const run = runNote(note('J(θ) = max(θ)² + θ[1]\ng = ∇J\ng([1; 3])'));
  const g = numbersOf(lastValue(run));
  assert.ok(Math.abs(g[0]! - 1) < 1e-6 && Math.abs(g[1]! - 6) < 1e-6, `got ${g}`);
  assert.equal(derived(run, 1).method, 'numeric');
});

test('σ\'(0) is 0.25 and the formula of σ\' is the symbolic derivative', () => {
  const run = runNote(note('σ(z) = 1 / (1 + e^-z)\nd = σ\'\nσ\'(0)'));
  assert.equal(numbersOf(lastValue(run))[0], 0.25);
  assert.equal(derived(run, 1).formulaText, 'e ^ (-z) / (1 + e ^ (-z)) ^ 2');
});

test('a line that runs past the time budget is stopped, and the rest of the note still evaluates', () => {
  const run = runNote(note('a = 1\nslow = ∑(i = 1:100000) ∑(j = 1:1000) i j\nb = 2'), { timeBudgetMs: 30 });
  assert.equal(run.evaluation.complete, true);
  assert.equal(valueAt(run, 0)?.kind, 'number');
  assert.equal(valueAt(run, 1), undefined);
  assert.deepEqual(valueAt(run, 2), { kind: 'number', value: 2 });
  const limit = run.evaluation.problems.find((p) => p.kind === 'eval.time-budget');
  assert.ok(limit);
  assert.equal(limit.code, 'limit');
  assert.deepEqual(limit.span, run.statements[1]!.span);
  assert.equal(describe(limit), "this line was stopped: it ran past the note's time budget of 30 ms");
});

test('when the lines after a stopped one use up the grace period too, evaluation stops there', () => {
  const slow = '∑(i = 1:100000) ∑(j = 1:1000) i j';
  const run = runNote(note(`s1 = ${slow}\ns2 = ${slow}\nc = 3`), { timeBudgetMs: 30 });
  assert.equal(run.evaluation.complete, false);
  assert.deepEqual(run.evaluation.problems.map((p) => p.kind), ['eval.time-budget', 'eval.time-budget-rest']);
  assert.deepEqual(run.evaluation.problems[1]!.span, run.statements[1]!.span);
  assert.equal(describe(run.evaluation.problems[1]!), 'evaluation stopped here: the note used up its time budget of 30 ms; the lines below were not evaluated');
  assert.equal(valueAt(run, 2), undefined);
  assert.equal(run.evaluation.results.size, 3, 'every statement still has a result');
});

test('cancellation stops early without a problem', () => {
  let asked = 0;
  const run = runNote(note('slow = ∑(i = 1:100000) i\nb = 2'), { isCancelled: () => ++asked > 2 });
  assert.equal(run.evaluation.complete, false);
  assert.equal(run.evaluation.problems.length, 0);
  assert.equal(valueAt(run, 1), undefined);
});

test('recursion deeper than the limit is a limit problem on the call', () => {
  const run = runNote(note('down(n) = down(n - 1) + 1\ndown(3)\nok = 1'), { maxRecursionDepth: 25 });
  const problem = run.evaluation.problems.find((p) => p.kind === 'eval.recursion-depth');
  assert.ok(problem);
  assert.equal(problem.code, 'limit');
  assert.equal(run.text.slice(problem.span.start, problem.span.end), 'down(3)');
  assert.equal(describe(problem), 'down called itself more than 25 times deep; a recursion needs a case that stops it (the limit is 25 calls)');
  assert.equal(numbersOf(lastValue(run))[0], 1);
});

test('a result larger than the element limit is refused with a sentence', () => {
  const run = runNote(note('r = 1:1e8'));
  const problem = run.evaluation.problems[0]!;
  assert.equal(problem.kind, 'eval.too-large');
  assert.equal(describe(problem), '1:1e8 would hold 10⁸ numbers; the limit is 10⁷');
  const small = runNote(note('r = 1:1000'), { maxElements: 100 });
  assert.equal(describe(small.evaluation.problems[0]!), '1:1000 would hold 1000 numbers; the limit is 100');
});

test('a failed line leaves its name undefined, and later lines say so once, as a warning', () => {
  const run = runNote(note('A = [1, 2, 3]\nbad = A A\nbad + 1\nbad * 2\nc = 3'));
  const kinds = run.evaluation.problems.map((p) => p.kind);
  assert.deepEqual(kinds, ['shape.matmul-inner', 'eval.failed-dependency']);
  assert.equal(run.evaluation.problems[1]!.severity, 'warning');
  assert.equal(describe(run.evaluation.problems[0]!), 'A * A: A is 1×3 and A is 1×3; the inner sizes 3 and 1 must match');
  assert.equal(describe(run.evaluation.problems[1]!), "'bad' has no value because its definition above failed");
  assert.equal(numbersOf(lastValue(run))[0], 3);
});

test('an error inside a function body is reported at the call that causes it', () => {
  const run = runNote(note('A = [1, 2, 3; 4, 5, 6]\nh(x) = A x\nh([1; 2])'));
  const problem = run.evaluation.problems[0]!;
  assert.equal(problem.kind, 'shape.matmul-inner');
  assert.equal(run.text.slice(problem.span.start, problem.span.end), 'h([1; 2])');
});

test('warnings keep the value: singular inverse and log of a negative number', () => {
  const run = runNote(note('C = [1, 2; 2, 4]\nC⁻¹\n(-8)^(1/3)'));
  const singular = run.evaluation.problems.find((p) => p.code === 'singular')!;
  assert.equal(singular.severity, 'warning');
  assert.equal(describe(singular), 'C is singular to working precision (condition number infinite), so the inverse is unreliable');
  assert.ok(valueAt(run, 1));
  assert.ok(Number.isNaN(numbersOf(valueAt(run, 2)!)[0]!));
});

test('evaluating never throws, even on deeply nested input', () => {
  const depth = 3000;
  const run = runNote(note(`x = ${'('.repeat(depth)}1${')'.repeat(depth)}\ny = 2`));
  assert.equal(run.evaluation.results.size, run.statements.length);
});

function findExpr(expr: Expr, source: string, text: string): Expr | undefined {
  if (text.slice(expr.span.start, expr.span.end) === source) return expr;
  for (const child of Object.values(expr)) {
    const candidates = Array.isArray(child) ? child.flat() : [child];
    for (const c of candidates) {
      if (c && typeof c === 'object' && 'kind' in c && 'span' in c) {
        const found = findExpr(c as Expr, source, text);
        if (found) return found;
      }
    }
  }
  return undefined;
}

function subexpression(run: RunResult, statement: Statement, source: string): Value | undefined {
  const root = (statement as { value?: Expr; body?: Expr }).value ?? (statement as { body?: Expr }).body;
  assert.ok(root);
  const expr = findExpr(root, source, run.text);
  assert.ok(expr, `no sub-expression ${source}`);
  return run.evaluation.valueOfSubexpression(expr, statement);
}

test('hovers: any sub-expression evaluates in the scope of its statement', () => {
  const run = runNote(note('X = [1, 1; 1, 2; 1, 3; 1, 4]\ny = [6; 5; 7; 10]\nβ̂ = (XᵀX)⁻¹Xᵀy\nf(x) = x² + X[1, 1]'));
  const gram = subexpression(run, run.statements[2]!, 'XᵀX');
  assert.deepEqual(numbersOf(gram!), [4, 10, 10, 30]);
  assert.equal(subexpression(run, run.statements[3]!, 'x²'), undefined, 'a parameter has no value outside a call');
  assert.deepEqual(numbersOf(subexpression(run, run.statements[3]!, 'X[1, 1]')!), [1]);
  assert.equal(run.evaluation.problems.length, 0, 'hovers report no problems');
});

test('closures see the bindings above their definition, not later redefinitions', () => {
  const run = runNote(note('k = 10\naddk(x) = x + k\nk = 100\naddk(1)'));
  assert.equal(numbersOf(lastValue(run))[0], 11);
});

test('a 1×1 product is a scalar: rᵀr prints and compares as a number', () => {
  const run = runNote(note('r = [1; 2; 3]\nrᵀr'));
  assert.deepEqual(lastValue(run), { kind: 'number', value: 14 });
});

test('a problem in a body reached through calls names the body and the call', () => {
  const run = runNote(note('A = [1, 2, 3; 4, 5, 6]\nh(x) = A x\ng(y) = h(y) + 1\ng([1; 2])\nh([1; 2])'));
  const [through, direct] = run.evaluation.problems;
  assert.equal(run.text.slice(through!.span.start, through!.span.end), 'g([1; 2])');
  assert.equal(describe(through!), 'A * x: A is 2×3 and x is 2×1; the inner sizes 3 and 2 must match (in the body of h, reached through this call of g)');
  assert.equal(describe(direct!), 'A * x: A is 2×3 and x is 2×1; the inner sizes 3 and 2 must match (in the body of h, called here)');
});

test('a chain of 200,000 additions evaluates without overflowing the stack', () => {
  const span = { start: 0, end: 1 };
  let expr: Expr = { kind: 'number', span, value: 0, raw: '0' };
  for (let i = 1; i < 200_000; i++) {
    expr = { kind: 'binary', span, op: '+', left: expr, right: { kind: 'number', span, value: i % 10, raw: String(i % 10) } };
  }
  const statement: Statement = { kind: 'expression', span, value: expr };
  const resolution: Resolution = {
    bindings: [],
    uses: new Map(),
    references: new Map(),
    definitions: new Map(),
    dependencies: new Map(),
    builtin: () => undefined,
  };
  const evaluation = evaluateProgram([statement], resolution, '0', { timeBudgetMs: 60_000 });
  assert.deepEqual(evaluation.results.get(statement)?.value, { kind: 'number', value: 900_000 });
});

test('derivative formulas are tidied: constants folded, a + (−b) written a − b', () => {
  const run = runNote(note('p(x) = 3x³ - 2x + 1\nd = p\'\nq(t) = sin(t) cos(t)\nd2 = q\''));
  assert.equal(derived(run, 1).formulaText, '9 * x ^ 2 - 2');
  assert.equal(derived(run, 3).formulaText, 'cos(t) * cos(t) - sin(t) * sin(t)');
  assert.equal(derived(run, 3).formula, '\\cos\\left(t\\right)\\cdot\\cos\\left(t\\right)-\\sin\\left(t\\right)\\cdot\\sin\\left(t\\right)');
});

test('an unexpected exception becomes an eval.internal problem and the next statement still runs', () => {
  const span = { start: 0, end: 1 };
  const strange = { kind: 'expression', span, value: { kind: 'hologram', span } } as unknown as Statement;
  const fine: Statement = { kind: 'expression', span: { start: 2, end: 3 }, value: { kind: 'number', span: { start: 2, end: 3 }, value: 5, raw: '5' } };
  const resolution: Resolution = { bindings: [], uses: new Map(), references: new Map(), definitions: new Map(), dependencies: new Map(), builtin: () => undefined };
  const evaluation = evaluateProgram([strange, fine], resolution, '1 5', {});
  assert.deepEqual(evaluation.problems.map((p) => p.kind), ['eval.internal']);
  assert.match(describe(evaluation.problems[0]!), /internal error \(unknown expression kind 'hologram'\)/);
  assert.deepEqual(evaluation.results.get(fine)?.value, { kind: 'number', value: 5 });
});

test('a derivative called after the evaluation ended still computes (a preview sampling it)', () => {
  // The note evaluates well within its budget; the derived functions are then called after that
  // budget has run out, as the preview does when it samples them later.
  const budgetMs = 300;
  const started = performance.now();
  const run = runNote(note('σ(z) = 1 / (1 + e^-z)\nd = σ\'\nJ(θ) = θ[1]² + θ[2]²\ng = ∇J'), { timeBudgetMs: budgetMs });
  while (performance.now() - started < 2 * budgetMs) {
    // The document's budget must have lapsed before the calls below.
  }
  const d = derived(run, 1);
  assert.deepEqual(d.call([{ kind: 'number', value: 0 }]), { kind: 'number', value: 0.25 });
  const g = derived(run, 3);
  const column = { kind: 'matrix', rows: 2, cols: 1, data: Float64Array.of(3, 4) } as const;
  assert.deepEqual(numbersOf(g.call([column])), [6, 8]);
});
