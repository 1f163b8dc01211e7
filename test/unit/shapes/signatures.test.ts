/**
 * The static rules and the evaluator's built-ins must agree on how many arguments each built-in
 * takes, or a call would be flagged statically that runs fine (or the reverse).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { builtinRegistry } from '../../../server/src/language/eval/builtins/index.js';
import { shapeSignatures } from '../../../server/src/language/shapes/signatures.js';

test('argument counts agree with the evaluator for every built-in both know', () => {
  const disagreements: string[] = [];
  let compared = 0;
  for (const [name, builtin] of builtinRegistry()) {
    const signature = shapeSignatures.get(name);
    if (!signature) continue;
    compared++;
    if (signature.minArgs !== builtin.minArgs || signature.maxArgs !== builtin.maxArgs) {
      disagreements.push(`${name}: static ${signature.minArgs}..${signature.maxArgs}, evaluator ${builtin.minArgs}..${builtin.maxArgs}`);
    }
  }
  assert.ok(compared > 0, 'some built-ins are known to both');
  assert.deepEqual(disagreements, []);
});
