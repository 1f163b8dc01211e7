/**
 * Fixture notes with `# problem:` and `# type:` markers (see harness.ts): every problem of the
 * resolver and the checker, with its exact message, and the type of marked statements.
 */
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { analyzeNote, compareWithMarkers, describeMismatches } from './harness.js';

/** Tests run from the project root (npm scripts do), so fixtures are found relative to it. */
const fixtures = join(process.cwd(), 'test', 'fixtures', 'shapes');

for (const file of readdirSync(fixtures).filter((name) => name.endsWith('.md')).sort()) {
  test(`fixture ${file}: problems and types match the markers`, () => {
    const text = readFileSync(join(fixtures, file), 'utf8');
    const analysis = analyzeNote(text);
    assert.ok(analysis.statements.length > 0, 'the fixture has statements');
    const mismatches = compareWithMarkers(analysis);
    assert.equal(mismatches.length, 0, describeMismatches(file, mismatches));
  });
}
