/**
 * The `mathnote` command line as a user runs it: the built bin on real files, checking output
 * formats, the JSON contract of DESIGN.md and exit codes. Needs `npm run build` first (npm test
 * builds before it runs the unit tests).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { projectRoot } from '../../support/notes.js';

const bin = join(projectRoot, 'bin', 'mathnote.js');

function mathnote(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [bin, ...args], { cwd: projectRoot, encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function tempNote(name: string, text: string): string {
  const folder = mkdtempSync(join(tmpdir(), 'mathnote-cli-'));
  const file = join(folder, name);
  writeFileSync(file, text);
  return file;
}

test('check prints file:line:col: severity code: message and exits 1 on errors', () => {
  const result = mathnote('check', 'examples/mistakes.md');
  assert.equal(result.status, 1);
  const lines = result.stdout.trim().split('\n');
  assert.ok(lines.includes('examples/mistakes.md:6:1: error shape: A * B: A is 2×3 and B is 2×2; the inner sizes 3 and 2 must match'), result.stdout);
  assert.ok(lines.includes("examples/mistakes.md:17:5: error syntax: expected ')' to close '(' opened at 17:5"), result.stdout);
  for (const line of lines) assert.match(line, /^examples\/mistakes\.md:\d+:\d+: (error|warning|information|hint) [a-z]+: .+/);
  assert.match(result.stderr, /1 note checked: 7 errors, 2 warnings/);
});

test('check exits 0 on a note without errors', () => {
  const result = mathnote('check', 'examples/linear-algebra.md', 'examples/regression.md');
  assert.equal(result.status, 0, result.stdout);
});

test('eval --json follows the contract of DESIGN.md', () => {
  const result = mathnote('eval', '--json', 'examples/linear-algebra.md');
  assert.equal(result.status, 0);
  const report = JSON.parse(result.stdout);
  assert.equal(report.file, 'examples/linear-algebra.md');
  const product = report.statements.find((s: { source: string }) => s.source === 'A B');
  assert.deepEqual(product.value, [[19, 22], [43, 50]]);
  assert.deepEqual(product.shape, [2, 2]);
  assert.deepEqual(product.range, { start: { line: 16, character: 0 }, end: { line: 16, character: 3 } });
  assert.equal(product.text.includes('19'), true);
  assert.match(product.latex, /\\begin\{bmatrix\}/);
  const defined = report.statements.find((s: { source: string }) => s.source.startsWith('A = '));
  assert.deepEqual(defined.names, ['A']);
  const tuple = report.statements.find((s: { source: string }) => s.source.startsWith('λ, Q = eig(S)'));
  assert.deepEqual(tuple.names, ['λ', 'Q']);
  assert.ok(Array.isArray(tuple.value.tuple));
  const truth = report.statements.find((s: { source: string }) => s.source.startsWith('(A B)ᵀ ≈'));
  assert.equal(truth.value, true);
  assert.deepEqual(report.diagnostics, []);
});

test('eval --json reports diagnostics with LSP ranges in document coordinates (UTF-16)', () => {
  // The emoji is two UTF-16 code units, so `y` starts at character 8 of its line.
  const file = tempNote('emoji.md', '# 😀 ノート\n\n😀 `x`\n\n```mathnote\nθ = 1\n"😀" == y\n```\n');
  const result = mathnote('eval', '--json', file);
  assert.equal(result.status, 1);
  const report = JSON.parse(result.stdout);
  const undefinedName = report.diagnostics.find((d: { code: string }) => d.code === 'undefined');
  assert.deepEqual(undefinedName.range, { start: { line: 6, character: 8 }, end: { line: 6, character: 9 } });
  assert.equal(report.diagnostics.every((d: { severity: string }) => ['error', 'warning', 'information', 'hint'].includes(d.severity)), true);
});

test('eval prints each statement with its result', () => {
  const result = mathnote('eval', 'examples/regression.md');
  assert.equal(result.status, 0);
  assert.match(result.stdout, /β̂ ≈ X \\ y\s+⇒ true/);
  assert.match(result.stdout, /R² = 1 - SSE \/ sum\(\(y - mean\(y\)\)\.\^2\)\s+⇒ 0\.997305/);
});

test('a .mathnote file is one block', () => {
  const file = tempNote('sheet.mathnote', 'a = 2\nb = a^10\n');
  const report = JSON.parse(mathnote('eval', '--json', file).stdout);
  assert.deepEqual(report.statements.map((s: { value: unknown }) => s.value), [2, 1024]);
});

test('render writes a standalone page', () => {
  const folder = mkdtempSync(join(tmpdir(), 'mathnote-render-'));
  const output = join(folder, 'regression.html');
  const result = mathnote('render', 'examples/regression.md', '-o', output);
  assert.equal(result.status, 0, result.stderr);
  assert.ok(existsSync(output));
  const html = readFileSync(output, 'utf8');
  assert.match(html, /^<!DOCTYPE html>/);
  assert.match(html, /Content-Security-Policy/);
});

test('usage mistakes exit 2 with a message', () => {
  assert.equal(mathnote().status, 2);
  const unknown = mathnote('frobnicate', 'x.md');
  assert.equal(unknown.status, 2);
  assert.match(unknown.stderr, /unknown command 'frobnicate'/);
  const missing = mathnote('check', 'no/such/note.md');
  assert.equal(missing.status, 2);
  assert.match(missing.stderr, /cannot read no\/such\/note\.md: ENOENT/);
  assert.equal(mathnote('--help').status, 0);
  assert.match(mathnote('--version').stdout, /^mathnote \d+\.\d+\.\d+/);
});
