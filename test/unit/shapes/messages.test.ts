/**
 * Every problem kind the resolver and the checker can raise has a message template, and every
 * template copes with missing facts (it still returns a sentence).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { resolveMessages } from '../../../server/src/language/resolve/messages.js';
import { shapeMessages } from '../../../server/src/language/shapes/messages.js';

const sources = [
  'server/src/language/resolve/resolver.ts',
  'server/src/language/shapes/checker.ts',
  'server/src/language/shapes/signatures.ts',
].map((file) => readFileSync(join(process.cwd(), file), 'utf8'));

test('every raised kind has a template', () => {
  const raised = new Set<string>();
  for (const source of sources) {
    for (const match of source.matchAll(/'((?:resolve|shape|type|arity)\.[a-z-]+)'/g)) raised.add(match[1]!);
  }
  assert.ok(raised.size >= 15, `found ${raised.size} kinds`);
  const templates = { ...resolveMessages, ...shapeMessages };
  assert.deepEqual([...raised].filter((kind) => !(kind in templates)), []);
});

test('templates still produce a sentence when facts are missing', () => {
  for (const [kind, template] of Object.entries({ ...resolveMessages, ...shapeMessages })) {
    const sentence = template({});
    assert.equal(typeof sentence, 'string', kind);
    assert.ok(sentence.length > 10, kind);
  }
});
