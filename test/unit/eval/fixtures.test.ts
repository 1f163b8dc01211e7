/**
 * Data-driven evaluator tests: every fixture note in `test/fixtures/eval/` and every bundled example
 * note (`examples/*.md`, copies of the notes every implementation must get right) is evaluated, and
 * each `# expect…` comment must hold.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { checkExpectations } from './harness.js';

const root = process.cwd();
const fixtureDir = join(root, 'test', 'fixtures', 'eval');
const exampleDir = join(root, 'examples');

function notesIn(dir: string): string[] {
  return existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.md')).sort().map((f) => join(dir, f)) : [];
}

for (const file of [...notesIn(fixtureDir), ...notesIn(exampleDir)]) {
  const name = file.slice(root.length + 1);
  test(`expectations of ${name} hold`, () => {
    const text = readFileSync(file, 'utf8');
    const { failures, total } = checkExpectations(text);
    assert.ok(total > 0, `${name} has no expectations`);
    assert.deepEqual(failures, [], `${name}: ${failures.length} of ${total} expectations failed`);
  });
}
