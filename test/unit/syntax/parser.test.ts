import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseBlock, parseExpressionAt } from '../../../server/src/language/syntax/parser.js';
import { syntaxMessages } from '../../../server/src/language/syntax/messages.js';
import { MathnoteGrammar } from '../../../server/src/language/syntax/grammar.js';
import type { Problem } from '../../../server/src/language/problem.js';
import { sexprStatement } from './sexpr.js';

/** Parses a block and returns each statement's s-expression. */
function parse(source: string): { statements: string[]; problems: readonly Problem[] } {
  const result = parseBlock(source, 0, source.length);
  return { statements: result.value.statements.map(sexprStatement), problems: result.problems };
}

function message(problem: Problem): string {
  return syntaxMessages[problem.kind]!(problem.args);
}

/** One line of source and its expected s-expression: every operator form of LANGUAGE.md §6. */
const forms: [string, string][] = [
  // literals and names
  ['1', '1'], ['0.5', '0.5'], ['.5', '.5'], ['1e-3', '1e-3'], ['2.5E+3', '2.5E+3'], ['"a \\"b\\""', '"a \\"b\\""'],
  ['θ₀', 'θ₀'], ['x_1', 'x_1'], ['β̂', 'β̂'], ['x̄', 'x̄'], ['ỹ', 'ỹ'], ['ẋ', 'ẋ'], ['ŷ', 'ŷ'], ['xᵢ', 'xᵢ'], ['cosθ', 'cosθ'],
  ['π', 'π'], ['∞', '∞'], ['平均', '平均'], ['_tmp', '_tmp'],
  // comparison, range, additive
  ['a == b', '(== a b)'], ['a != b', '(!= a b)'], ['a ≠ b', '(!= a b)'], ['a ≤ b', '(<= a b)'], ['a >= b', '(>= a b)'],
  ['a ≥ b', '(>= a b)'], ['a < b', '(< a b)'], ['a > b', '(> a b)'], ['a ≈ b', '(≈ a b)'],
  ['1:10', '(range 1 10)'], ['1:2:10', '(range 1 2 10)'], ['a+1:n-1', '(range (+ a 1) (- n 1))'],
  ['a - b + c', '(+ (- a b) c)'], ['a − b', '(- a b)'],
  // multiplicative and juxtaposition
  ['a * b / c', '(/ (* a b) c)'], ['a · b', '(· a b)'], ['A \\ b', '(\\ A b)'], ['a .* b', '(.* a b)'], ['a ⊙ b', '(⊙ a b)'],
  ['a ./ b', '(./ a b)'], ['a × b', '(× a b)'], ['2x', '(⋅ 2 x)'], ['XᵀX', '(⋅ (postᵀ X) X)'], ['Xᵀy', '(⋅ (postᵀ X) y)'],
  ['α ∇J(θ)', '(⋅ α (call (∇ J) θ))'], ['2(a+b)', '(⋅ 2 (paren (+ a b)))'], ['A B', '(⋅ A B)'], ['k P[k]', '(⋅ k (index P k))'],
  ['n / 2 (a + b)', '(⋅ (/ n 2) (paren (+ a b)))'], ['2√x', '(⋅ 2 (√ x))'], ['M⁻¹ [14; 5]', '(⋅ (post⁻¹ M) [14; 5])'],
  // prefix and power
  ['-x^2', '(- (^ x 2))'], ['-x²', '(- (sup x 2 :name x²))'], ['√x', '(√ x)'], ['+x', '(+ x)'], ['- -x', '(- (- x))'],
  ['a^b^c', '(^ a (^ b c))'], ['e^-z', '(^ e (- z))'], ['e^-z^2', '(^ e (- (^ z 2)))'], ['1 + e^-z', '(+ 1 (^ e (- z)))'],
  ['x.^2', '(.^ x 2)'], ['x²', '(sup x 2 :name x²)'], ['x³⁴', '(sup x 34 :name x³⁴)'], ['x⁻²', '(sup x -2)'], ['θ[1]²', '(sup (index θ 1) 2)'],
  ['‖w‖₂²', '(sup (norm_2 w) 2)'], ['2^-1', '(^ 2 (- 1))'],
  // postfix, call, index
  ["f'", "(post' f)"], ["σ'(z)", "(call (post' σ) z)"], ['Aᵀ', '(postᵀ A)'], ['A⁻¹', '(post⁻¹ A)'], ['n!', '(post! n)'],
  ["A''", "(post' (post' A))"], ['f(x, y)', '(call f x y)'], ['f()', '(call f)'], ['P_ham (1 - P_spam)', '(call_ P_ham (- 1 P_spam))'],
  ['plot(f, title = "t")', '(call plot f :title "t")'], ['f(x)(y)', '(call (call f x) y)'], ['(XᵀX)⁻¹', '(post⁻¹ (paren (⋅ (postᵀ X) X)))'],
  ['A[i, j]', '(index A i j)'], ['A[2, :]', '(index A 2 :)'], ['A[:, 1]', '(index A : 1)'], ['A[1:2, :]', '(index A (range 1 2) :)'],
  ['x[end]', '(index x end)'], ['x[end-1]', '(index x (- end 1))'], ['x[end - 1]', '(index x (- end 1))'],
  // calculus and reductions
  ['∇f', '(∇ f)'], ['∇J(θ)', '(call (∇ J) θ)'], ['∂f/∂x₁', '(∂ f x₁)'], ['∂f/∂x(1, 2)', '(call (∂ f x) 1 2)'],
  ['∑(k = 1:n) k P[k] + 1', '(+ (sum ∑ k (range 1 n) (⋅ k (index P k))) 1)'], ['∏(i = 1:3) i', '(product ∏ i (range 1 3) i)'],
  ['Σ(k = 1:6) k', '(sum Σ k (range 1 6) k)'], ['U Σ Vᵀ', '(⋅ (⋅ U Σ) (postᵀ V))'], ['Σ(2)', '(call Σ 2)'], ['Σ⁻¹', '(post⁻¹ Σ)'],
  ['sum(k = 1:n, k^2)', '(sum call k (range 1 n) (^ k 2))'], ['sum(x)', '(call sum x)'],
  // lambdas
  ['x -> x^2', '(-> (x) (^ x 2))'], ['(x, y) -> x + y', '(-> (x y) (+ x y))'], ['() -> 1', '(-> () 1)'], ['x → 2x', '(-> (x) (⋅ 2 x))'],
  ['map(v, t -> t + 1)', '(call map v (-> (t) (+ t 1)))'],
  // absolute values and norms
  ['|x|', '(abs x)'], ['|a| + |b|', '(+ (abs a) (abs b))'], ['2|x|', '(⋅ 2 (abs x))'], ['|a - b|', '(abs (- a b))'], ['|a| |b|', '(⋅ (abs a) (abs b))'],
  ['‖x‖', '(norm x)'], ['||x||', '(norm x)'], ['‖x‖₁', '(norm_1 x)'], ['‖x‖∞', '(norm_inf x)'], ['‖x‖₂', '(norm_2 x)'], ['||x||₁', '(norm_1 x)'],
  ['‖A‖_F', '(norm_fro A)'], ['‖α‖ ‖β‖', '(⋅ (norm α) (norm β))'], ['‖x - y‖', '(norm (- x y))'],
  // matrices
  ['[1, 2; 3, 4]', '[1 2; 3 4]'], ['[1 2; 3 4]', '[1 2; 3 4]'], ['[1 -2]', '[1 (- 2)]'], ['[1 - 2]', '[(- 1 2)]'], ['[1 -  2]', '[(- 1 2)]'],
  ['[1-2]', '[(- 1 2)]'], ['[a -b]', '[a (- b)]'], ['[a b]', '[a b]'], ['[2x 3]', '[(⋅ 2 x) 3]'], ['[ones(n, 1), x]', '[(call ones n 1) x]'],
  ['[A; B]', '[A; B]'], ['[]', '[]'], ['[f(a -b)]', '[(call f (- a b))]'], ['[a (b)]', '[a (paren b)]'], ['[x[1] x[2]]', '[(index x 1) (index x 2)]'],
  ["[a' b']", "[(post' a) (post' b)]"], ['[1, 2;]', '[1 2]'], ['[-1 -2]', '[(- 1) (- 2)]'], ['[1 + 2]', '[(+ 1 2)]'], ['[1 +2]', '[1 (+ 2)]'],
  ['[|a| |b|]', '[(abs a) (abs b)]'], ['[1:3]', '[(range 1 3)]'],
];

for (const [source, expected] of forms) {
  test(`parses ${source}`, () => {
    const { statements, problems } = parse(source);
    assert.deepEqual(problems.map(message), []);
    assert.deepEqual(statements, [expected]);
  });
}

/**
 * Comparisons, ranges, sums and products are parsed by one precedence-climbing loop: mixed
 * chains must keep each level's precedence and associativity, and a range its three parts.
 */
const chains: [string, string][] = [
  ['a < b + c * d', '(< a (+ b (* c d)))'], ['a * b + c < d - e / f', '(< (+ (* a b) c) (- d (/ e f)))'],
  ['a:b:c < d', '(< (range a b c) d)'], ['1:2 == 1:2', '(== (range 1 2) (range 1 2))'], ['a < b < c', '(< (< a b) c)'],
  ['a + b:c * d', '(range (+ a b) (* c d))'], ['2x + 3y', '(+ (⋅ 2 x) (⋅ 3 y))'], ['-a * b', '(* (- a) b)'], ['a - -b', '(- a (- b))'],
  ['a ≈ b - c d ./ e', '(≈ a (- b (./ (⋅ c d) e)))'], ['∑(k = 1:n) k + 1 < 2', '(< (+ (sum ∑ k (range 1 n) k) 1) 2)'],
];
for (const [source, expected] of chains) {
  test(`chain ${source}`, () => {
    const { statements, problems } = parse(source);
    assert.deepEqual(problems.map(message), []);
    assert.deepEqual(statements, [expected]);
  });
}

test('a range has at most three parts: the fourth is unexpected where the range ended', () => {
  const { problems } = parse('x = 1:2:3:4');
  assert.deepEqual(problems.map((problem) => [problem.kind, problem.span, problem.args]), [
    ['syntax.unexpected', { start: 9, end: 10 }, { found: ':', expected: 'the end of the statement' }],
  ]);
});

const statements: [string, string][] = [
  ['x = 1', '(= x 1)'], ['f(x, y) = x + y', '(def f (x y) (+ x y))'], ['σ² = var(x)', '(= σ² (call var x))'], ['R² = 1', '(= R² 1)'],
  ['U, S, V = svd(A)', '(= (U S V) (call svd A))'], ['x == 1', '(== x 1)'], ['g = x -> x^2', '(= g (-> (x) (^ x 2)))'],
  ['f (x) = x', '(def f (x) x)'], ['x = 1  # a comment', '(= x 1)'], ['s = "# not a comment"', '(= s "# not a comment")'],
];
for (const [source, expected] of statements) {
  test(`statement ${source}`, () => {
    const { statements: parsed, problems } = parse(source);
    assert.deepEqual(problems.map(message), []);
    assert.deepEqual(parsed, [expected]);
  });
}

test('newlines separate matrix rows, and are ignored inside parentheses', () => {
  assert.deepEqual(parse('A = [1, 2\n     3, 4]\nB = [\n  1 2\n  3 4\n]\nf(1,\n  2)\nC = [1, 2,\n 3]').statements, [
    '(= A [1 2; 3 4])', '(= B [1 2; 3 4])', '(call f 1 2)', '(= C [1 2 3])',
  ]);
  assert.deepEqual(parse('x = (1 +\n  2)\ny = x').statements, ['(= x (paren (+ 1 2)))', '(= y x)']);
  assert.deepEqual(parse('M = [f(1,\n 2) 3\n 4 5]').statements, ['(= M [(call f 1 2) 3; 4 5])']);
});

test('comments and blank lines are not statements; CRLF works', () => {
  assert.deepEqual(parse('# heading\n\nx = 1 # one\r\n\r\ny = 2\r').statements, ['(= x 1)', '(= y 2)']);
});

test('spans are document offsets', () => {
  const text = 'prose 😀\n```mathnote\nβ̂ = (XᵀX)⁻¹Xᵀy\n```\n';
  const start = text.indexOf('β̂');
  const end = text.indexOf('\n```\n');
  const result = parseBlock(text, start, end);
  const [statement] = result.value.statements;
  assert.equal(statement!.kind, 'definition');
  if (statement!.kind !== 'definition') return;
  assert.deepEqual(statement.span, { start, end });
  assert.equal(text.slice(statement.target.span.start, statement.target.span.end), 'β̂');
  assert.equal(text.slice(statement.value.span.start, statement.value.span.end), '(XᵀX)⁻¹Xᵀy');
  assert.deepEqual(result.value.contentStart, start);
});

test('a bad line in the middle: exactly one problem, the other lines parse', () => {
  const { statements: parsed, problems } = parse('a = 1\nb = 2 +* 3\nc = a');
  assert.deepEqual(parsed, ['(= a 1)', '(error)', '(= c a)']);
  assert.equal(problems.length, 1);
  assert.equal(problems[0]!.code, 'syntax');
  assert.equal(problems[0]!.severity, 'error');
  assert.equal(message(problems[0]!), "unexpected '*'; expected an expression");
});

test('an unclosed parenthesis is reported where it opens, and the next line still parses', () => {
  const text = 'A = 1\nB = 2\nq = (1 + 2\nq2 = 3\nr = f(4)';
  const { statements: parsed, problems } = parse(text);
  assert.deepEqual(parsed, ['(= A 1)', '(= B 2)', '(error)', '(= q2 3)', '(= r (call f 4))']);
  assert.equal(problems.length, 1);
  assert.equal(message(problems[0]!), "expected ')' to close '(' opened at 3:5");
  assert.deepEqual(problems[0]!.span, { start: text.indexOf('('), end: text.indexOf('(') + 1 });
});

test('unclosed bracket on the last line and inside a block of a larger document', () => {
  const text = 'line one\n```mathnote\nx = 1\ny = [1, 2\n```\n';
  const start = text.indexOf('x = 1');
  const result = parseBlock(text, start, text.indexOf('\n```\n'));
  assert.deepEqual(result.problems.map(message), ["expected ']' to close '[' opened at 4:5"]);
  assert.deepEqual(result.value.statements.map(sexprStatement), ['(= x 1)', '(error)']);
});

test('openedAt counts UTF-16 columns: CJK and astral letters before the bracket', () => {
  const text = '# 笔记 😀\n```mathnote\n平均 = (1 + 2\n𠀀 = [1, 2\n```\n';
  const start = text.indexOf('平均');
  const result = parseBlock(text, start, text.indexOf('\n```\n'));
  const messages = result.problems.map(message);
  assert.deepEqual(messages, ["expected ')' to close '(' opened at 3:6", "expected ']' to close '[' opened at 4:6"]);
  assert.equal(text.slice(result.problems[1]!.span.start, result.problems[1]!.span.end), '[');
});

test('an error inside a closed multi-line matrix is one problem for the whole statement', () => {
  const { statements: parsed, problems } = parse('A = [1, 2\n     3 +, 4\n     5, 6]\nB = A');
  assert.deepEqual(parsed, ['(error)', '(= B A)']);
  assert.deepEqual(problems.map(message), ["unexpected ','; expected an expression"]);
});

test('a definition inside an open bracket means the bracket was forgotten', () => {
  const { statements: parsed, problems } = parse('d = (1 + 2\ne = 3\nk = 1)');
  assert.deepEqual(parsed, ['(error)', '(= e 3)', '(error)']);
  assert.deepEqual(problems.map(message), ["expected ')' to close '(' opened at 1:5", "')' closes nothing: no '(' is open before it"]);
});

test('syntax problems and their messages', () => {
  const cases: [string, string][] = [
    ['f(1, 2]', "expected ')' to close '(' opened at 1:2, but found ']'"],
    ['x = 1)', "')' closes nothing: no '(' is open before it"],
    ['x = ', 'the line ends too early; expected an expression'],
    ['x = 1 @ 2', "'@' is not part of the Mathnote language"],
    ['s = "abc', 'this string is not closed: add \'"\' before the end of the line'],
    ['f(x + 1) = 2', "cannot assign to 'f(x + 1)': the left side of '=' must be a name, names separated by commas, or a function head like f(x, y)"],
    ['a, b', "names separated by commas must be followed by '=' and a value (as in U, S, V = svd(A))"],
    ['a, 2 = f(x)', "cannot assign to '2': the left side of '=' must be a name, names separated by commas, or a function head like f(x, y)"],
    ['[1, , 2]', "unexpected ','; expected an expression"],
    ['[, 2]', "a matrix element is missing before this ','"],
    ['x = 1 = 2', "unexpected '='; expected the end of the statement"],
    ['|x', "expected '|' to close '|' opened at 1:1"],
    ['x[]', "unexpected ']'; expected an expression"],
    ['y = : + 1', "unexpected ':'; expected an expression"],
    ['(x + 1) -> x', "the parameters before '->' must be names, as in x -> x^2 or (x, y) -> x + y"],
    ['f(2 -> 3)', "the parameters before '->' must be names, as in x -> x^2 or (x, y) -> x + y"],
  ];
  for (const [source, expected] of cases) {
    const { statements: parsed, problems } = parse(source);
    assert.deepEqual(problems.map(message), [expected], source);
    assert.deepEqual(parsed, ['(error)'], source);
  }
});

test('deep nesting is a syntax problem, not a stack overflow', () => {
  const depth = 10_000;
  const source = `x = ${'('.repeat(depth)}1${')'.repeat(depth)}\ny = 2`;
  const { statements: parsed, problems } = parse(source);
  assert.deepEqual(problems.map((p) => p.kind), ['syntax.too-deep']);
  assert.deepEqual(parsed, ['(error)', '(= y 2)']);
  for (const prefix of ['-', '√']) {
    const deepPrefix = parse(`${prefix.repeat(depth)}x`);
    assert.deepEqual(deepPrefix.problems.map((p) => p.kind), ['syntax.too-deep']);
  }
  assert.deepEqual(parse(`${'x^'.repeat(depth)}x`).problems.map((p) => p.kind), ['syntax.too-deep']);
  assert.deepEqual(parse(`${'[1, '.repeat(depth)}1${']'.repeat(depth)}`).problems.map((p) => p.kind), ['syntax.too-deep']);
  assert.deepEqual(parse(`${'x -> '.repeat(depth)}x`).problems.map((p) => p.kind), ['syntax.too-deep']);
  // Sixty levels of every bracket are fine.
  for (const [open, close] of [['(', ')'], ['[', ']'], ['f(', ')'], ['x[', ']'], ['‖', '‖']]) {
    assert.deepEqual(parse(`${open!.repeat(60)}1${close!.repeat(60)}`).problems, [], open);
  }
});

test('operator chains are loops for the parser but bounded as trees', () => {
  const sum = (terms: number) => Array.from({ length: terms }, (_, i) => String(i % 10)).join(' + ');
  assert.deepEqual(parse(`s = ${sum(400)}`).problems, []);
  const long = parse(`s = ${sum(600)}\nt = 1`);
  assert.deepEqual(long.problems.map(message), ['this expression nests more than 500 levels deep; split it into smaller definitions']);
  assert.deepEqual(long.statements.slice(1), ['(= t 1)']);
  // Chains inside parentheses add up: the tree depth counts, not the chain length alone.
  assert.deepEqual(parse(`s = (${sum(300)}) + (${sum(300)})`).problems, []);
  assert.deepEqual(parse(`s = (${sum(300)}) ${'* 2 '.repeat(300)}`).problems.map((p) => p.kind), ['syntax.too-deep']);
});

test('megabyte lines do not hang', () => {
  // Long inputs stop early (nesting limit) or are consumed by loops, never by recursion.
  const megabyte = 1_000_000;
  const sum = parse(`x = ${'1 + '.repeat(megabyte / 4)}1`);
  assert.deepEqual(sum.problems.map((p) => p.kind), ['syntax.too-deep']);
  const comment = parse(`x = 1 # ${'c'.repeat(megabyte)}\ny = 2`);
  assert.deepEqual(comment.statements, ['(= x 1)', '(= y 2)']);
  const string = parse(`s = "${'s'.repeat(megabyte)}`);
  assert.deepEqual(string.problems.map((p) => p.kind), ['syntax.unclosed-string']);
  const name = parse(`${'n'.repeat(megabyte)} = 1`);
  assert.equal(name.problems.length, 0);
  const wide = parse(`v = [${Array.from({ length: 20_000 }, (_, i) => String(i % 10)).join(' ')}]`);
  assert.equal(wide.problems.length, 0);
  assert.match(wide.statements[0]!, /^\(= v \[0 1 2 3/);
});

test('parseExpressionAt parses a cited expression', () => {
  const text = 'The fit is `= (XᵀX)⁻¹Xᵀy` here.';
  const start = text.indexOf('(');
  const end = text.indexOf('` here');
  const result = parseExpressionAt(text, start, end);
  assert.deepEqual(result.problems, []);
  assert.equal(result.value.kind, 'binary');
  assert.deepEqual(result.value.span, { start, end });
  const bad = parseExpressionAt('x = 1', 0, 5);
  assert.equal(bad.value.kind, 'error');
  assert.equal(bad.problems.length, 1);
});

// The server builds its grammar without chevrotain's validations (they cost half of its start-up);
// this is where they run: an ambiguous or left-recursive edit of the grammar throws here.
test('the grammar passes chevrotain\'s grammar validations', () => {
  assert.doesNotThrow(() => new MathnoteGrammar({ validate: true }));
});
