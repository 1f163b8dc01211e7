/**
 * The example notes (bundled in `examples/`, and the shared originals when they are beside the
 * project) must analyse without any error or warning from the resolver and the shape checker,
 * except `mistakes.md`, whose mistakes are checked line by line in the fixtures. Types the notes
 * state in comments are checked here too.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { analyzeNote, lineOf, renderProblem } from './harness.js';

const directories = [join(process.cwd(), 'examples'), join(process.cwd(), '..', 'shared', 'examples')].filter((directory) => existsSync(directory));

test('the bundled examples are present', () => {
  assert.ok(existsSync(join(process.cwd(), 'examples', 'regression.md')));
});

for (const directory of directories) {
  for (const file of readdirSync(directory).filter((name) => name.endsWith('.md') && name !== 'mistakes.md').sort()) {
    test(`example ${file} (${directory.includes('shared') ? 'shared' : 'bundled'}): no static errors or warnings`, () => {
      const analysis = analyzeNote(readFileSync(join(directory, file), 'utf8'));
      assert.ok(analysis.statements.length > 0);
      const serious = analysis.problems
        .filter((problem) => problem.severity === 'error' || problem.severity === 'warning')
        .map((problem) => `${file}:${lineOf(analysis.text, problem.span.start)} ${renderProblem(problem)}`);
      assert.deepEqual(serious, []);
    });
  }
}

test('shapes the example notes state in their comments', () => {
  const expectations: [string, string, string][] = [
    ['regression.md', 'X = [ones(n, 1), x]', '5×2'],
    ['regression.md', 'β̂ = (XᵀX)⁻¹Xᵀy', '2×1'],
    ['regression.md', 'SSE = rᵀr', '1×1'],
    ['pca.md', 'μ = mean(D)', '1×2'],
    ['pca.md', 'Z = D - μ', '10×2'],
    ['pca.md', 'C = Zᵀ Z / (rows(D) - 1)', '2×2'],
    ['pca.md', 'scores = Z w₁', '10×1'],
    ['gradient-descent.md', 'size(trail)', '1×2'],
    ['gradient-descent.md', 'trail = iterate(step, [3; 4], 30)', '2×31'],
    ['gradient-descent.md', '∇f(3, 4)', '2×1'],
    ['probability.md', 'x = 1:10', '1×10'],
    ['probability.md', 'σ² ≈ mean(x.^2) - mean(x)^2', 'bool'],
    ['linear-algebra.md', 'λ, Q = eig(S)', '(2×1, 2×2)'],
    ['linear-algebra.md', 'adj(4, 5, -1, 3) ≈ M⁻¹', 'bool'],
  ];
  for (const [file, source, expected] of expectations) {
    const analysis = analyzeNote(readFileSync(join(process.cwd(), 'examples', file), 'utf8'));
    const statement = analysis.statements.find((candidate) => analysis.text.slice(candidate.span.start, candidate.span.end).startsWith(source));
    assert.ok(statement, `${file}: a statement starting with ${source}`);
    assert.equal(analysis.typeOf(statement), expected, `${file}: ${source}`);
  }
});
