/**
 * Words for problems. Every pass records problems as data (`Problem`: a kind and its facts); this is
 * the one place where they become sentences, so wording stays consistent and testable. Each pass
 * keeps its templates beside its code; they are merged here.
 */
import type { Problem } from '../problem.js';
import { syntaxMessages } from '../syntax/messages.js';
import { resolveMessages } from '../resolve/messages.js';
import { shapeMessages } from '../shapes/messages.js';
import { evalMessages } from '../eval/messages.js';

type Template = (args: Problem['args']) => string;

const templates: ReadonlyMap<string, Template> = new Map(
  [syntaxMessages, resolveMessages, shapeMessages, evalMessages].flatMap((table) => Object.entries(table)),
);

/** The plain sentence that explains a problem to the user. */
export function describeProblem(problem: Problem): string {
  const template = templates.get(problem.kind);
  if (template) return template(problem.args);
  // A kind without a template is a bug in the pass that raised it; still say something useful.
  const facts = Object.entries(problem.args)
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => `${key}: ${Array.isArray(value) ? value.join('×') : String(value)}`)
    .join(', ');
  return facts ? `${problem.kind} (${facts})` : problem.kind;
}

/** Whether a template exists for this kind (used by tests that every raised kind has words). */
export function hasMessage(kind: string): boolean {
  return templates.has(kind);
}
