import * as vscode from 'vscode';
import type { MathnoteSettings as ServerSettings } from '../../server/src/protocol.js';

/**
 * The user's Mathnote settings, typed: what the server reads (the protocol's settings) plus the
 * client-only trace level of the LanguageClient.
 */
export interface MathnoteSettings extends ServerSettings {
  readonly trace: { readonly server: 'off' | 'messages' | 'verbose' };
}

/** Default values; the same defaults are declared in package.json's `contributes.configuration`. */
export const defaultSettings: MathnoteSettings = {
  precision: 6,
  inlayHints: { enabled: true, maxLength: 40 },
  evaluation: { timeBudgetMs: 2000, maxElements: 10_000_000 },
  fenceNames: ['mathnote'],
  trace: { server: 'off' },
};

/** The configuration section every Mathnote setting lives under. */
export const configurationSection = 'mathnote';

function clampInteger(value: unknown, fallback: number, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) return fallback;
  return Math.min(max, Math.max(min, Math.round(value)));
}

/**
 * Reads the settings for a resource (or the window), replacing values of the wrong type by their
 * defaults so that a hand-edited settings.json never sends the server something it cannot use.
 */
export function readSettings(scope?: vscode.ConfigurationScope): MathnoteSettings {
  const config = vscode.workspace.getConfiguration(configurationSection, scope);
  const fenceNames = config.get<unknown>('fenceNames');
  const trace = config.get<unknown>('trace.server');
  return {
    precision: clampInteger(config.get('precision'), defaultSettings.precision, 1, 17),
    inlayHints: {
      enabled: config.get<boolean>('inlayHints.enabled') !== false,
      maxLength: clampInteger(config.get('inlayHints.maxLength'), defaultSettings.inlayHints.maxLength, 8, 1000),
    },
    evaluation: {
      timeBudgetMs: clampInteger(config.get('evaluation.timeBudgetMs'), defaultSettings.evaluation.timeBudgetMs, 10, 600_000),
      maxElements: clampInteger(config.get('evaluation.maxElements'), defaultSettings.evaluation.maxElements, 1, 1e9),
    },
    fenceNames: Array.isArray(fenceNames) && fenceNames.every((name) => typeof name === 'string') && fenceNames.length > 0
      ? fenceNames as string[]
      : defaultSettings.fenceNames,
    trace: { server: trace === 'messages' || trace === 'verbose' ? trace : 'off' },
  };
}

/** True when a configuration change touches any Mathnote setting. */
export function affectsMathnote(event: vscode.ConfigurationChangeEvent): boolean {
  return event.affectsConfiguration(configurationSection);
}
