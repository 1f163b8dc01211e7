/**
 * Message templates of the evaluator and of the built-ins it runs, keyed by problem kind
 * (LANGUAGE.md §10: one plain sentence naming the operands, their shapes and the rule). Runtime shape
 * problems reuse the shape checker's kinds and arguments (`shape.matmul-inner`, …), so a mistake
 * reads the same whether the checker or the evaluator found it; those templates live in
 * `shapes/messages.ts`. The standard library's templates are merged in here.
 */
import type { Problem, ProblemArg } from '../problem.js';
import { stdlibProblemMessages } from './builtins/stdlibValues.js';
import { linalgMessages } from './linalg/messages.js';

type Args = Problem['args'];

function text(value: ProblemArg | undefined): string {
  if (Array.isArray(value)) return value.join(', ');
  return typeof value === 'string' ? value : String(value ?? '');
}

function shape(value: ProblemArg | undefined): string {
  if (!Array.isArray(value)) return '?×?';
  return `${value[0] ?? '?'}×${value[1] ?? '?'}`;
}

const SUPERSCRIPT_DIGITS = '⁰¹²³⁴⁵⁶⁷⁸⁹';

function superscript(n: number): string {
  return String(n)
    .split('')
    .map((c) => (c === '-' ? '⁻' : SUPERSCRIPT_DIGITS[Number(c)] ?? c))
    .join('');
}

/** A large count the way a person reads it: `10¹⁰`, `2.5 × 10⁸`, or plainly below a million. */
export function formatCount(value: ProblemArg | undefined): string {
  if (typeof value !== 'number' || !Number.isFinite(value)) return text(value);
  if (Math.abs(value) < 1e6) return String(value);
  const exponent = Math.floor(Math.log10(Math.abs(value)));
  const mantissa = value / 10 ** exponent;
  const rounded = Number(mantissa.toPrecision(3));
  return rounded === 1 ? `10${superscript(exponent)}` : `${rounded} × 10${superscript(exponent)}`;
}

function ordinal(dimension: ProblemArg | undefined): string {
  return dimension === 'row' ? 'row' : dimension === 'column' ? 'column' : 'element';
}

function formatCondition(value: ProblemArg | undefined): string {
  if (typeof value !== 'number') return 'infinite';
  return value >= 1e6 ? formatCount(Number(value.toPrecision(2))) : String(Number(value.toPrecision(3)));
}

/** Every kind the evaluator raises itself, plus the standard library's. */
export const evalMessages: Record<string, (args: Args) => string> = {
  ...(stdlibProblemMessages as Record<string, (args: Args) => string>),
  ...linalgMessages,
  'eval.failed-dependency': (a) => `'${text(a.name)}' has no value because its definition above failed`,
  'eval.internal': (a) => `this line could not be evaluated because of an internal error (${text(a.message)}); please report it`,
  'eval.not-numeric': (a) =>
    a.operand ? `${text(a.operand)} is ${text(a.found)}, but the ${text(a.role)} here must be a number or a matrix` : `the ${text(a.role)} is ${text(a.found)}, but it must be a number or a matrix`,
  'eval.expected-scalar': (a) => `the ${text(a.role)} must be a single number, but it is ${text(a.found)}`,
  'eval.power-exponent': (a) =>
    `${text(a.base)}^${text(a.exponent)}: the exponent is ${shape(a.shape)}, but ^ needs a single number; for element-wise powers write .^`,
  'eval.matrix-power-integer': (a) =>
    `${text(a.operand)}^${text(a.exponent)}: a matrix power needs an integer exponent; for element-wise powers write .^`,
  'eval.negative-power': () => 'a negative number to a fractional power has no real value: the result is NaN (use a complex base, like (x + 0im), for the complex root)',
  'eval.zero-over-zero': () => '0/0 is undefined: the result is NaN',
  'eval.sqrt-negative': () => 'the square root of a negative real number is not real: the result is NaN',
  'eval.factorial-negative': () => 'the factorial of a negative integer is undefined: the result is NaN',
  'eval.singular': (a) =>
    `${a.operand ? `${text(a.operand)} is` : 'the matrix is'} singular to working precision (condition number ${formatCondition(a.condition)}), so the ${text(a.operation)} is unreliable`,
  'eval.complex-unsupported': (a) => `${text(a.operation)} of a complex matrix is not supported`,
  'eval.index-out-of-range': (a) =>
    `${text(a.target)}[${text(a.index)}]: index ${text(a.value)} is outside 1…${text(a.size)} (${text(a.target)} is ${shape(a.shape)}, ${ordinal(a.dimension)} ${ordinal(a.dimension) === 'element' ? 'indices' : 'indices'} run from 1 to ${text(a.size)})`,
  'eval.index-not-integer': (a) => `${text(a.target)}[${text(a.index)}]: the index ${text(a.value)} is not a whole number; indices count from 1`,
  'eval.index-type': (a) => `${text(a.target)}[${text(a.index)}]: an index must be a number, a vector of numbers or a range, but it is ${text(a.found)}`,
  'eval.index-mask': (a) => `${text(a.target)}[…]: the true/false mask has ${text(a.maskLength)} entries, but there are ${text(a.size)} to choose from`,
  'eval.index-count': (a) => `${text(a.target)}[…]: give one index (an element) or two (row, column), not ${text(a.count)}`,
  'eval.not-indexable': (a) => `${text(a.target)} is ${text(a.found)}, which cannot be indexed`,
  'eval.colon-outside-index': () => "a bare ':' only means 'all' inside an index like A[:, 1]",
  'eval.end-outside-index': () => "'end' only means 'the last position' inside an index like x[end]",
  'eval.matrix-element': (a) => `[…]: the element ${text(a.element)} is ${text(a.found)}; matrix elements must be numbers or matrices`,
  'eval.reduce-range': (a) => `the index of a sum or product must run over numbers (a range like 1:n), not ${text(a.found)}`,
  'eval.not-callable': (a) => `${text(a.callee)} needs a function here, but got ${text(a.found)}`,
  'eval.named-argument': (a) => `${text(a.name)} has no option named '${text(a.argument)}'`,
  'eval.unknown-builtin': (a) => `the built-in function ${text(a.name)} is not available`,
  'eval.unknown-operator': (a) => `the operator ${text(a.op)} cannot be evaluated here`,
  'eval.not-a-tuple': (a) => `${text(a.targets)} names need a function with several results (like svd or eig), but the right side is ${text(a.found)}`,
  'eval.recursion-depth': (a) =>
    `${text(a.name)} called itself more than ${text(a.limit)} times deep; a recursion needs a case that stops it (the limit is ${text(a.limit)} calls)`,
  'eval.too-deep': () => 'this expression is nested too deeply to evaluate',
  'eval.too-large': (a) => `${text(a.expression)} would hold ${formatCount(a.elements)} numbers; the limit is ${formatCount(a.limit)}`,
  'eval.time-budget': (a) => `this line was stopped: it ran past the note's time budget of ${text(a.budgetMs)} ms`,
  'eval.time-budget-rest': (a) =>
    `evaluation stopped here: the note used up its time budget of ${text(a.budgetMs)} ms; the lines below were not evaluated`,
  'eval.transpose-function': (a) => `${text(a.operand)} is a function; ᵀ transposes matrices (for the derivative write ${text(a.operand)}')`,
  'eval.derivative-arity': (a) =>
    `${text(a.name)}' needs a function of one variable, but ${text(a.name)} takes ${text(a.arity ?? 'an unknown number of')} arguments; use ∂${text(a.name)}/∂x or ∇${text(a.name)}`,
  'eval.partial-not-function': (a) => `∂${text(a.name)}/∂…: ${text(a.name)} must be a function defined in the note`,
  'eval.partial-unknown-variable': (a) =>
    `∂${text(a.name)}/∂${text(a.variable)}: ${text(a.variable)} is not a parameter of ${text(a.name)} (its parameters: ${text(a.params)})`,
  'eval.gradient-not-function': (a) => `∇${text(a.name)}: ${text(a.name)} is ${text(a.found)}, but ∇ needs a function`,
  'eval.gradient-not-scalar': (a) => `∇ needs a function with a single number as its value, but this one gives ${shape(a.shape)}`,
  'type.integer-power': (a) => `${text(a.fn)}: a matrix power needs an integer exponent, not ${text(a.value)}; for element-wise powers write .^`,
  'shape.right-divide': (a) =>
    `A / B means A B⁻¹, so the column counts must match, but the operands are ${shape(a.left)} and ${shape(a.right)}`,
  'eval.seed-unavailable': () => 'seed(n) is not available here',
};
