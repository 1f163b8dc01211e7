/**
 * Message templates of the shape checker, keyed by problem kind (LANGUAGE.md §10 style: both
 * operands named as written, both shapes, and the rule). A problem found inside a function body
 * while checking a call carries `inFunction`/`calledFunction`, and its message says so.
 */
import type { Problem, ProblemArg } from '../problem.js';

type Args = Problem['args'];

function text(value: ProblemArg | undefined): string {
  return typeof value === 'string' ? value : String(value ?? '');
}

function part(value: string | number | null | undefined): string {
  return value === null || value === undefined ? '?' : String(value);
}

/** `[2, 3]` → `2×3`. */
export function formatShape(value: ProblemArg | undefined): string {
  if (!Array.isArray(value)) return '?×?';
  return `${part(value[0])}×${part(value[1])}`;
}

function dimension(value: ProblemArg | undefined, index: number): string {
  return Array.isArray(value) ? part(value[index]) : '?';
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

/** Where the problem happened when it was found while checking a call of a user function. */
function context(args: Args): string {
  if (typeof args.inFunction !== 'string') return '';
  const called = text(args.calledFunction);
  return args.inFunction === called || called === ''
    ? ` (in the body of ${args.inFunction}, called here)`
    : ` (in the body of ${args.inFunction}, reached through this call of ${called})`;
}

function both(args: Args): string {
  return `${text(args.left)} is ${formatShape(args.leftShape)} and ${text(args.right)} is ${formatShape(args.rightShape)}`;
}

function infix(args: Args, fallback: string): string {
  const op = args.op === 'implicit' || args.op === undefined ? fallback : text(args.op);
  return `${text(args.left)} ${op} ${text(args.right)}`;
}

function broadcastDetail(args: Args): string {
  const parts: string[] = [];
  const rowsLeft = dimension(args.leftShape, 0);
  const rowsRight = dimension(args.rightShape, 0);
  const colsLeft = dimension(args.leftShape, 1);
  const colsRight = dimension(args.rightShape, 1);
  const clash = (a: string, b: string): boolean => a !== b && a !== '1' && b !== '1' && a !== '?' && b !== '?';
  if (clash(rowsLeft, rowsRight)) parts.push(`the row counts ${rowsLeft} and ${rowsRight}`);
  if (clash(colsLeft, colsRight)) parts.push(`the column counts ${colsLeft} and ${colsRight}`);
  return parts.length > 0 ? parts.join(' and ') : 'the sizes';
}

function callOrInfix(args: Args, symbol: string): string {
  const name = text(args.op ?? args.what);
  return name === symbol || name === '' ? infix({ ...args, op: symbol }, symbol) : `${name}(${text(args.left)}, ${text(args.right)})`;
}

function argumentCount(args: Args): string {
  const min = typeof args.min === 'number' ? args.min : 0;
  const max = typeof args.max === 'number' ? args.max : null;
  if (max === null) return `at least ${plural(min, 'argument')}`;
  if (min === max) return plural(min, 'argument');
  return `${min} to ${max} arguments`;
}

export const shapeMessages: Record<string, (args: Args) => string> = {
  'shape.matmul-inner': (args) =>
    `${infix(args, '*')}: ${both(args)}; the inner sizes ${dimension(args.leftShape, 1)} and ${dimension(args.rightShape, 0)} must match` +
    context(args),
  'shape.broadcast': (args) =>
    `${infix(args, '+')}: ${both(args)}; element-wise, each dimension must be equal or 1, but ${broadcastDetail(args)} differ` +
    context(args),
  'shape.concat-rows': (args) =>
    `${text(args.matrix)}: ${both(args)}; blocks side by side need the same number of rows (${dimension(args.leftShape, 0)} and ${dimension(args.rightShape, 0)})` +
    context(args),
  'shape.concat-cols': (args) =>
    `${text(args.matrix)}: ${both(args)}; stacked blocks need the same number of columns (${dimension(args.leftShape, 1)} and ${dimension(args.rightShape, 1)})` +
    context(args),
  'shape.solve-rows': (args) =>
    `${callOrInfix(args, '\\')}: ${both(args)}; solving needs the same number of rows (${dimension(args.leftShape, 0)} and ${dimension(args.rightShape, 0)})` +
    context(args),
  'shape.divide-cols': (args) =>
    `${infix(args, '/')}: ${both(args)}; A / B means A B⁻¹, so the column counts ${dimension(args.leftShape, 1)} and ${dimension(args.rightShape, 1)} must match` +
    context(args),
  'shape.dot-length': (args) =>
    `${callOrInfix(args, '·')}: ${both(args)}; a dot product needs two vectors of the same length` + context(args),
  'shape.cross-length': (args) =>
    `${callOrInfix(args, '×')}: ${both(args)}; the cross product needs two vectors of length 3` + context(args),
  'shape.reshape-count': (args) =>
    `reshape(${text(args.operand)}, …): ${text(args.operand)} is ${formatShape(args.shape)} with ${text(args.elements)} elements, but a ${formatShape(args.target)} matrix holds ${text(args.needed)}` +
    context(args),
  'shape.iterate-step': (args) =>
    `iterate(${text(args.step)}, ${text(args.start)}, …): ${text(args.step)} turns the ${formatShape(args.startShape)} start into a ${formatShape(args.stepShape)} value; every step must keep the shape of ${text(args.start)}` +
    context(args),
  'type.not-square': (args) =>
    `${text(args.what)} needs a square matrix, but ${text(args.operand)} is ${formatShape(args.shape)}` + context(args),
  'type.power-exponent': (args) =>
    `${text(args.what)}: ${text(args.operand)} is ${formatShape(args.shape)}, and a matrix power needs a whole-number exponent, not ${text(args.exponent)} (use .^ for element-wise powers)` +
    context(args),
  'type.derivative-arity': (args) =>
    `${text(args.name)}' is the derivative of a function of one variable, but ${text(args.name)} takes ${plural(typeof args.arity === 'number' ? args.arity : 0, 'argument')}; use ∂${text(args.name)}/∂… or ∇${text(args.name)}` +
    context(args),
  'type.not-a-matrix': (args) => {
    const operand = text(args.operand);
    switch (args.what) {
      case 'function':
        return `${operand} is a function, not a number or matrix; call it, as in ${operand}(x)` + context(args);
      case 'tuple': {
        const count = typeof args.values === 'number' ? args.values : 2;
        const names = Array.from({ length: Math.max(2, Math.min(count, 6)) }, (_, index) => String.fromCharCode(97 + index)).join(', ');
        return `${operand} gives ${plural(count, 'value')}, not one matrix; unpack them first, as in ${names} = ${operand}` + context(args);
      }
      default:
        return `${operand} is a ${text(args.what) || 'value'}, not a number or matrix` + context(args);
    }
  },
  'type.abs-of-matrix': (args) =>
    `|${text(args.operand)}|: ${text(args.operand)} is ${formatShape(args.shape)}, and |…| of a matrix is ambiguous; write det(${text(args.operand)}) or norm(${text(args.operand)})` +
    context(args),
  'type.not-callable': (args) => {
    const given = typeof args.given === 'number' ? args.given : 0;
    const what = args.what === 'value' ? `a ${formatShape(args.shape)} value` : `a ${text(args.what)}`;
    return `${text(args.callee)} is ${what}, not a function, so it cannot be called with ${plural(given, 'argument')}` + context(args);
  },
  'arity.count': (args) => {
    const given = typeof args.given === 'number' ? args.given : 0;
    return `${text(args.name)} takes ${argumentCount(args)}, but ${given} ${given === 1 ? 'was' : 'were'} given` + context(args);
  },
  'arity.callback': (args) => {
    const given = typeof args.given === 'number' ? args.given : 0;
    const takes = typeof args.takes === 'number' ? args.takes : 0;
    return `${text(args.name)} calls ${text(args.fn)} with ${plural(given, 'argument')}, but ${text(args.fn)} takes ${takes}` + context(args);
  },
  'arity.destructure': (args) => {
    const values = typeof args.values === 'number' ? args.values : 0;
    return `${text(args.names)} names cannot be filled from ${text(args.value)}, which gives ${plural(values, 'value')}` + context(args);
  },
};
