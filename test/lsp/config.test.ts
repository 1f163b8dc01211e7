/**
 * Settings from the client are checked before they reach the core: defaults for what is missing,
 * clamping for numbers out of range, and no wrong types.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { normalizeSettings } from '../../server/src/lsp/config.js';
import { DEFAULT_SETTINGS } from '../../server/src/protocol.js';

describe('settings', () => {
  it('falls back to the defaults for nothing or garbage', () => {
    assert.deepEqual(normalizeSettings(undefined), DEFAULT_SETTINGS);
    assert.deepEqual(normalizeSettings(null), DEFAULT_SETTINGS);
    assert.deepEqual(normalizeSettings({ precision: 'six', inlayHints: 3, evaluation: { timeBudgetMs: NaN }, fenceNames: 'mathnote' }), DEFAULT_SETTINGS);
  });

  it('keeps valid values and clamps numbers into their ranges', () => {
    const settings = normalizeSettings({
      precision: 40,
      inlayHints: { enabled: false, maxLength: 2 },
      evaluation: { timeBudgetMs: 5000, maxElements: 1000.4 },
      fenceNames: [' math-eval ', '', 7, 'mathnote'],
    });
    assert.deepEqual(settings, {
      precision: 17,
      inlayHints: { enabled: false, maxLength: 8 },
      evaluation: { timeBudgetMs: 5000, maxElements: 1000 },
      fenceNames: ['math-eval', 'mathnote'],
    });
  });
});
