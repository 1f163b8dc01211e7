/**
 * Settings: read from the client under the `mathnote` section (`workspace/configuration`) when it
 * supports that, re-read on `workspace/didChangeConfiguration`, and otherwise taken from the
 * `initializationOptions` or the defaults. Every value is checked: a wrong type falls back to its
 * default rather than reaching the core.
 */
import { DEFAULT_SETTINGS, type MathnoteSettings } from '../protocol.js';

function numberIn(value: unknown, fallback: number, min: number, max: number): number {
  return typeof value === 'number' && Number.isFinite(value) ? Math.min(max, Math.max(min, value)) : fallback;
}

function record(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
}

/** Settings from whatever the client sent (the `mathnote` section's object), with defaults for the rest. */
export function normalizeSettings(raw: unknown): MathnoteSettings {
  const settings = record(raw);
  const inlay = record(settings.inlayHints);
  const evaluation = record(settings.evaluation);
  const fenceNames = Array.isArray(settings.fenceNames)
    ? settings.fenceNames.filter((name): name is string => typeof name === 'string' && name.trim() !== '').map((name) => name.trim())
    : [];
  return {
    precision: Math.round(numberIn(settings.precision, DEFAULT_SETTINGS.precision, 1, 17)),
    inlayHints: {
      enabled: typeof inlay.enabled === 'boolean' ? inlay.enabled : DEFAULT_SETTINGS.inlayHints.enabled,
      maxLength: Math.round(numberIn(inlay.maxLength, DEFAULT_SETTINGS.inlayHints.maxLength, 8, 1000)),
    },
    evaluation: {
      timeBudgetMs: numberIn(evaluation.timeBudgetMs, DEFAULT_SETTINGS.evaluation.timeBudgetMs, 10, 600_000),
      maxElements: Math.round(numberIn(evaluation.maxElements, DEFAULT_SETTINGS.evaluation.maxElements, 1, 1e9)),
    },
    fenceNames: fenceNames.length > 0 ? fenceNames : DEFAULT_SETTINGS.fenceNames,
  };
}
