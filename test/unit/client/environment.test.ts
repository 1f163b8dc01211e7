import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SERVER_ENVIRONMENT, serverEnvironment } from '../../../server/src/protocol.js';

test('the server is started with two malloc arenas, beside the rest of the environment', () => {
  const environment = serverEnvironment({ PATH: '/usr/bin', HOME: '/home/someone' });
  assert.equal(environment['MALLOC_ARENA_MAX'], '2');
  assert.equal(environment['PATH'], '/usr/bin');
  assert.equal(environment['HOME'], '/home/someone');
  assert.deepEqual(Object.keys(SERVER_ENVIRONMENT), ['MALLOC_ARENA_MAX']);
});

test('a value the user set already is kept', () => {
  assert.equal(serverEnvironment({ MALLOC_ARENA_MAX: '8' })['MALLOC_ARENA_MAX'], '8');
});
