import { test } from 'node:test';
import assert from 'node:assert/strict';
import katex from 'katex';
import { parseBlock } from '../../../server/src/language/syntax/parser.js';
import { exprToLatex, statementToLatex } from '../../../server/src/language/print/latex.js';
import { nameToLatex } from '../../../server/src/language/print/names.js';
import { findBlocks } from '../../../server/src/language/markdown/blocks.js';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

function latexOf(source: string): string {
  const result = parseBlock(source, 0, source.length);
  assert.deepEqual(result.problems, [], source);
  assert.equal(result.value.statements.length, 1, source);
  return statementToLatex(result.value.statements[0]!);
}

/** Renders with KaTeX as the preview does (no trust, strict), failing on any error. */
function render(tex: string): string {
  return katex.renderToString(tex, { throwOnError: true, strict: 'error', trust: false });
}

const names: [string, string][] = [
  ['x', 'x'], ['θ', '\\theta'], ['Σ', '\\Sigma'], ['β̂', '\\hat{\\beta}'], ['ŷ', '\\hat{y}'], ['x̄', '\\bar{x}'], ['ỹ', '\\tilde{y}'],
  ['ẋ', '\\dot{x}'], ['x₁', 'x_{1}'], ['x_1', 'x_{1}'], ['θ₀', '\\theta_{0}'], ['xᵢ', 'x_{i}'], ['q2', 'q_{2}'],
  ['β_ridge', '\\beta_{\\mathrm{ridge}}'], ['P_en_given_spam', 'P_{\\mathrm{en\\_given\\_spam}}'], ['SSE', '\\mathrm{SSE}'],
  ['cosθ', '\\mathrm{cos\\theta}'], ['θf', '\\mathrm{\\theta f}'], ['αβ', '\\mathrm{\\alpha\\beta}'], ['σ²', '\\sigma^{2}'], ['R²', 'R^{2}'], ['平均', '\\text{平均}'], ['π', '\\pi'], ['pi', '\\pi'],
  ['∞', '\\infty'], ['Inf', '\\infty'], ['w₁', 'w_{1}'], ['_tmp', '\\mathrm{\\_tmp}'], ['x̂₁', '\\hat{x}_{1}'],
];
for (const [name, expected] of names) {
  test(`nameToLatex(${name})`, () => {
    assert.equal(nameToLatex(name), expected);
    render(expected);
  });
}

/** LANGUAGE.md §11 and the operator forms: source → LaTeX. */
const statements: [string, string][] = [
  ['β̂ = (XᵀX)⁻¹Xᵀy', '\\hat{\\beta} = \\left(X^{\\top} X\\right)^{-1} X^{\\top} y'],
  ['f(x) = 1/(1+e^(-x))', 'f\\left(x\\right) = \\frac{1}{1 + e^{-x}}'],
  ['σ(z) = 1 / (1 + e^-z)', '\\sigma\\left(z\\right) = \\frac{1}{1 + e^{-z}}'],
  ['A = [1, 2; 3, 4]', 'A = \\begin{bmatrix} 1 & 2 \\\\ 3 & 4 \\end{bmatrix}'],
  ['√x', '\\sqrt{x}'], ['√(x + 1)', '\\sqrt{x + 1}'], ['‖x‖', '\\left\\lVert x \\right\\rVert'], ['‖x‖₁', '\\left\\lVert x \\right\\rVert_{1}'],
  ['‖x‖∞', '\\left\\lVert x \\right\\rVert_{\\infty}'], ['‖w‖₂²', '\\left\\lVert w \\right\\rVert_{2}^{2}'], ['|x|', '\\left|x\\right|'],
  ['∑(k = 1:n) k P[k]', '\\sum_{k=1}^{n} k P_{k}'], ['∏(i = 1:3) i', '\\prod_{i=1}^{3} i'], ['sum(k = 1:n, k^2)', '\\sum_{k=1}^{n} k^{2}'],
  ['∂f/∂x', '\\frac{\\partial f}{\\partial x}'], ['∇f', '\\nabla f'], ['∇J(θ)', '\\nabla J\\left(\\theta\\right)'],
  ['a · b', 'a \\cdot b'], ['a ⊙ b', 'a \\odot b'], ['a × b', 'a \\times b'], ['a ≈ b', 'a \\approx b'], ['a ≤ b', 'a \\leq b'],
  ['a >= b', 'a \\geq b'], ['a != b', 'a \\neq b'], ['A \\ b', 'A \\backslash b'], ['a .* b', 'a \\odot b'], ['2 3', '2 \\cdot 3'],
  ['sin(x) + exp(x) + det(A) + softmax(z)', '\\sin\\left(x\\right) + \\exp\\left(x\\right) + \\det\\left(A\\right) + \\operatorname{softmax}\\left(z\\right)'],
  ['sqrt(x)', '\\sqrt{x}'], ['abs(x)', '\\left|x\\right|'], ["σ'(z)", "\\sigma'\\left(z\\right)"], ['x -> x^2', 'x \\mapsto x^{2}'],
  ['U, S, V = svd(A)', 'U, S, V = \\operatorname{svd}\\left(A\\right)'], ['1e-3', '1 \\times 10^{-3}'],
  ['Aᵀ⁻¹', '{A^{\\top}}^{-1}'], ['x²ᵀ', '{x^{2}}^{\\top}'], ['w₁[1]', '{w_{1}}_{1}'], ['θ[1]²', '\\theta_{1}^{2}'], ['A[:, end]', 'A_{:,\\mathrm{end}}'],
  ['n!', 'n!'], ['x = 1:2:9', 'x = 1 : 2 : 9'], ['(x, y) -> x + y', '\\left(x, y\\right) \\mapsto x + y'],
  ['plot(f, title = "a b")', '\\operatorname{plot}\\left(f, \\text{title} = \\text{a b}\\right)'],
];
for (const [source, expected] of statements) {
  test(`LaTeX of ${source}`, () => {
    assert.equal(latexOf(source), expected);
    render(expected);
  });
}

test('strings cannot inject KaTeX commands', () => {
  const hostile = String.raw`s = "\href{javascript:alert(1)}{x} $ & # % _ ^ ~ { } \\"`;
  const tex = latexOf(hostile);
  assert.ok(!tex.includes('\\href'), tex);
  const html = render(tex);
  assert.doesNotMatch(html, /<a\s|href=/, 'no link is rendered');
  assert.ok(html.includes('href'), 'the text is shown literally');
});

test('every statement of the example notes renders with KaTeX', () => {
  const dir = join(process.cwd(), 'test', 'fixtures', 'syntax');
  let count = 0;
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.md'))) {
    const text = readFileSync(join(dir, file), 'utf8');
    for (const block of findBlocks(text, { fenceNames: ['mathnote'], wholeFile: false })) {
      for (const statement of parseBlock(text, block.contentStart, block.contentEnd).value.statements) {
        if (statement.kind === 'error') continue;
        render(statementToLatex(statement));
        if (statement.kind === 'expression') assert.equal(exprToLatex(statement.value), statementToLatex(statement));
        count++;
      }
    }
  }
  assert.ok(count > 80, `rendered ${count} statements`);
});
