/**
 * Message templates of the resolver, keyed by problem kind. The lead merges them with the other
 * passes' templates in `features/messages.ts`; tests render through them to check exact wording.
 */
import type { Problem } from '../problem.js';

function text(value: unknown): string {
  return typeof value === 'string' ? value : String(value ?? '');
}

function list(value: unknown): string {
  return Array.isArray(value) ? value.map((item) => text(item)).join(', ') : text(value);
}

export const resolveMessages: Record<string, (args: Problem['args']) => string> = {
  'resolve.undefined': (args) =>
    `'${text(args.name)}' is not defined above this line` +
    (typeof args.definedBelow === 'number'
      ? ` (it is defined below, on line ${args.definedBelow})`
      : typeof args.suggestion === 'string' && args.suggestion !== ''
        ? ` (did you mean '${args.suggestion}'?)`
        : ''),
  'resolve.shadow': (args) =>
    args.what === 'constant'
      ? `'${text(args.name)}' hides the predefined constant ${text(args.name)} from here on`
      : `'${text(args.name)}' hides the built-in function ${text(args.name)} from here on`,
  'resolve.failed-definition': (args) =>
    typeof args.line === 'number'
      ? `'${text(args.name)}' has no value because line ${args.line} failed`
      : `'${text(args.name)}' has no value because its definition above failed`,
  'resolve.not-a-parameter': (args) =>
    Array.isArray(args.parameters) && args.parameters.length > 0
      ? `'${text(args.variable)}' is not a parameter of ${text(args.name)} (its parameters: ${list(args.parameters)})`
      : `'${text(args.variable)}' is not a parameter of ${text(args.name)}`,
};
