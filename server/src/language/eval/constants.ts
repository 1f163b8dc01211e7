/**
 * The predefined constants of LANGUAGE.md §3: `pi` = `π`, `e`, `Inf` = `∞`, `NaN` and the imaginary
 * unit `im`. A note may redefine any of them; the resolver then binds later uses to the new
 * definition, so the evaluator only consults this table for uses resolved to a constant binding.
 */
import type { Value } from './value.js';

const CONSTANTS: ReadonlyMap<string, Value> = new Map<string, Value>([
  ['pi', { kind: 'number', value: Math.PI }],
  ['π', { kind: 'number', value: Math.PI }],
  ['e', { kind: 'number', value: Math.E }],
  ['Inf', { kind: 'number', value: Infinity }],
  ['∞', { kind: 'number', value: Infinity }],
  ['NaN', { kind: 'number', value: NaN }],
  ['im', { kind: 'complex', re: 0, im: 1 }],
]);

/** The value of each predefined constant, keyed by every spelling. */
export function constantValues(): ReadonlyMap<string, Value> {
  return CONSTANTS;
}

/** The names of the predefined constants (for the resolver's table of predefined names). */
export const constantNames: readonly string[] = [...CONSTANTS.keys()];
