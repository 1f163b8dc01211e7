/**
 * Message templates of the syntax pass, keyed by problem kind. The parser records facts in a
 * problem's `args`; these functions are the only place that turns them into words.
 */
import type { Problem } from '../problem.js';

type Args = Problem['args'];

const text = (value: unknown): string => String(value ?? '');

export const syntaxMessages: Record<string, (args: Args) => string> = {
  'syntax.unclosed': (a) =>
    a['found'] !== undefined
      ? `expected '${text(a['close'])}' to close '${text(a['open'])}' opened at ${text(a['openedAt'])}, but found '${text(a['found'])}'`
      : `expected '${text(a['close'])}' to close '${text(a['open'])}' opened at ${text(a['openedAt'])}`,
  'syntax.unexpected': (a) => `unexpected '${text(a['found'])}'; expected ${text(a['expected'])}`,
  'syntax.unexpected-end': (a) => `the line ends too early; expected ${text(a['expected'])}`,
  'syntax.unmatched-close': (a) => `'${text(a['found'])}' closes nothing: no '${text(a['open'])}' is open before it`,
  'syntax.unknown-character': (a) => `'${text(a['found'])}' is not part of the Mathnote language`,
  'syntax.unclosed-string': () => 'this string is not closed: add \'"\' before the end of the line',
  'syntax.cannot-assign': (a) =>
    `cannot assign to '${text(a['target'])}': the left side of '=' must be a name, names separated by commas, or a function head like f(x, y)`,
  'syntax.missing-assign': () => "names separated by commas must be followed by '=' and a value (as in U, S, V = svd(A))",
  'syntax.lambda-parameters': () => "the parameters before '->' must be names, as in x -> x^2 or (x, y) -> x + y",
  'syntax.empty-element': () => "a matrix element is missing before this ','",
  'syntax.too-deep': (a) => `this expression nests more than ${text(a['limit'])} levels deep; split it into smaller definitions`,
};
