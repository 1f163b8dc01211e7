/**
 * docs/builtins.md is generated from the built-ins' `doc` fields; this test fails when the committed
 * file differs from what the generator produces now (a built-in or its doc changed without
 * regenerating: run `npm run docs:builtins`).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { BUILTINS_DOC_PATH, renderBuiltinsDoc } from '../../../scripts/gen-builtins-doc.js';
import { builtinRegistry } from '../../../server/src/language/eval/builtins/index.js';

describe('docs/builtins.md', () => {
  // Beside this file under CommonJS; from the working directory (the root, as npm runs tests) otherwise.
  const root = typeof __dirname === 'string' ? join(__dirname, '..', '..', '..') : process.cwd();
  const committed = readFileSync(join(root, BUILTINS_DOC_PATH), 'utf8');

  it('is up to date with the doc fields of the registry', () => {
    assert.ok(
      committed === renderBuiltinsDoc(),
      `${BUILTINS_DOC_PATH} is stale: run npm run docs:builtins and commit it`,
    );
  });

  it('documents every built-in of the registry', () => {
    for (const builtin of new Set(builtinRegistry().values())) {
      assert.ok(committed.includes(`### \`${builtin.name}\``), `${builtin.name} is missing`);
    }
  });

  it('states the conventions users rely on', () => {
    assert.match(committed, /var\(x\), var\(x, "sample"\)/);
    assert.match(committed, /Divides by n \(population\), like numpy/);
    assert.match(committed, /Divides by n − 1 \(sample\), like numpy/);
  });
});
