/**
 * The registry of built-in functions: every table of `eval/builtins/*.ts` merged into one map keyed
 * by name and by every alias.
 *
 * Each table module exports a `readonly Builtin[]`; its owner adds the import and the entry in
 * `TABLES` below. When two tables define the same name the earlier table wins, so the order of
 * `TABLES` is the order of precedence.
 */
import type { Builtin } from '../builtin.js';
import { calculusBuiltins } from './calculus.js';
import { elementaryBuiltins } from './elementary.js';
import { linalgBuiltins } from './linalg.js';
import { mlBuiltins } from './ml.js';
import { plotBuiltins } from './plots.js';
import { probabilityBuiltins } from './probability.js';
import { randomBuiltins } from './random.js';
import { sequenceBuiltins } from './sequences.js';
import { statsBuiltins } from './stats.js';

/** Every table of built-ins, in order of precedence. */
const TABLES: readonly (readonly Builtin[])[] = [
  elementaryBuiltins,
  linalgBuiltins,
  statsBuiltins,
  probabilityBuiltins,
  randomBuiltins,
  mlBuiltins,
  sequenceBuiltins,
  calculusBuiltins,
  plotBuiltins,
];

let registry: ReadonlyMap<string, Builtin> | undefined;

/** All built-ins keyed by name and by alias (built once, then shared: the records are immutable). */
export function builtinRegistry(): ReadonlyMap<string, Builtin> {
  if (registry) return registry;
  const map = new Map<string, Builtin>();
  for (const table of TABLES) {
    for (const builtin of table) {
      for (const name of [builtin.name, ...(builtin.aliases ?? [])]) {
        if (!map.has(name)) map.set(name, builtin);
      }
    }
  }
  registry = map;
  return map;
}

/** The names (and aliases) of every built-in, for the resolver and completion. */
export function builtinNames(): readonly string[] {
  return [...builtinRegistry().keys()];
}

let builtinNameCache: ReadonlySet<string> | undefined;

/** The names of built-in functions as a set (the registry never changes once built). */
export function builtinNameSet(): ReadonlySet<string> {
  builtinNameCache ??= new Set(builtinNames());
  return builtinNameCache;
}
