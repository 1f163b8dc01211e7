/**
 * Seeded random numbers (LANGUAGE.md §8). Every draw comes from the note's own deterministic source
 * (`CallContext.random`), so the same note always shows the same numbers; `seed(n)` restarts that
 * source, so what follows it depends only on n.
 *
 * Sizes follow MATLAB: one size argument n means an n×n matrix, two mean rows × columns.
 */
import { BuiltinProblem, type Builtin, type CallContext } from '../builtin.js';
import type { Value } from '../value.js';
import { matrixValue, numberValue, toInteger, toNumber, valueError } from './stdlibValues.js';

/** Reads the optional size arguments starting at `first` (0-based): none → scalar, n → n×n, r, c → r×c. */
function sizeArguments(fn: string, args: readonly Value[], first: number): { rows: number; cols: number } | undefined {
  if (args.length <= first) return undefined;
  const rows = toInteger(args[first]!, fn, first + 1, 0, 'a number of rows');
  const cols = args.length > first + 1 ? toInteger(args[first + 1]!, fn, first + 2, 0, 'a number of columns') : rows;
  return { rows, cols };
}

/** Fills a scalar or a matrix of the requested size with draws. */
function draws(fn: string, args: readonly Value[], first: number, ctx: CallContext, draw: () => number): Value {
  const size = sizeArguments(fn, args, first);
  if (!size) return numberValue(draw());
  ctx.checkSize(size.rows * size.cols);
  const out = new Float64Array(size.rows * size.cols);
  for (let i = 0; i < out.length; i++) out[i] = draw();
  return matrixValue(size.rows, size.cols, out);
}

/** A standard normal draw by the Box–Muller transform (two uniforms per draw, no hidden state). */
export function normalDraw(random: () => number): number {
  // 1 − u lies in (0, 1], so the logarithm is finite.
  const u1 = 1 - random();
  const u2 = random();
  return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
}

export const randomBuiltins: Builtin[] = [
  {
    name: 'seed',
    minArgs: 1,
    maxArgs: 1,
    doc: {
      signature: 'seed(n)',
      summary: 'Restarts the note’s random numbers from the seed n; returns n.',
      example: 'seed(42)',
      conventions: 'A note’s numbers are reproducible even without seed; seed makes the draws after it independent of the draws before it.',
    },
    call(args, _named, ctx) {
      const n = toNumber(args[0]!, 'seed', 1, 'a whole number');
      if (!Number.isInteger(n)) throw valueError('seed', 1, 'a whole number', n);
      if (!ctx.reseed) throw new BuiltinProblem('type', 'eval.seed-unavailable', { fn: 'seed' });
      ctx.reseed(n);
      return numberValue(n);
    },
  },
  {
    name: 'rand',
    minArgs: 0,
    maxArgs: 2,
    doc: {
      signature: 'rand(), rand(n), rand(r, c)',
      summary: 'Uniform random numbers in [0, 1): a scalar, an n×n or an r×c matrix.',
      formula: 'U \\sim \\mathcal{U}[0, 1)',
      example: 'rand(3, 1)',
      conventions: 'rand(n) is n×n, like MATLAB (numpy’s rand(n) is a 1-D array of n); use rand(n, 1) for a column. Seeded per note (see seed).',
    },
    call(args, _named, ctx) {
      return draws('rand', args, 0, ctx, () => ctx.random());
    },
  },
  {
    name: 'randn',
    minArgs: 0,
    maxArgs: 2,
    doc: {
      signature: 'randn(), randn(n), randn(r, c)',
      summary: 'Standard normal random numbers: a scalar, an n×n or an r×c matrix.',
      formula: 'Z \\sim \\mathcal{N}(0, 1)',
      example: '2 + 0.5 randn(100, 1)   # 100 draws from N(2, 0.25)',
      conventions: 'randn(n) is n×n, like MATLAB. Box–Muller from the note’s seeded uniform source.',
    },
    call(args, _named, ctx) {
      return draws('randn', args, 0, ctx, () => normalDraw(() => ctx.random()));
    },
  },
  {
    name: 'randint',
    minArgs: 2,
    maxArgs: 4,
    doc: {
      signature: 'randint(lo, hi), randint(lo, hi, n), randint(lo, hi, r, c)',
      summary: 'Uniform random whole numbers from lo to hi INCLUSIVE: a scalar, n×n or r×c.',
      formula: 'K \\sim \\mathcal{U}\\{lo, \\dots, hi\\}',
      example: 'randint(1, 6, 10, 1)   # ten dice',
      conventions: 'Both ends are included, like MATLAB’s randi([lo, hi]) (numpy’s randint excludes hi).',
    },
    call(args, _named, ctx) {
      const lo = toNumber(args[0]!, 'randint', 1, 'a whole number');
      const hi = toNumber(args[1]!, 'randint', 2, 'a whole number');
      if (!Number.isInteger(lo)) throw valueError('randint', 1, 'a whole number', lo);
      if (!Number.isInteger(hi) || hi < lo) throw valueError('randint', 2, `a whole number ≥ ${lo}`, hi);
      const span = hi - lo + 1;
      return draws('randint', args, 2, ctx, () => lo + Math.floor(ctx.random() * span));
    },
  },
  {
    name: 'randperm',
    minArgs: 1,
    maxArgs: 1,
    doc: {
      signature: 'randperm(n)',
      summary: 'A random permutation of 1…n as a 1×n row.',
      example: 'randperm(5)',
      conventions: 'Fisher–Yates shuffle from the note’s seeded source; 1-based like indexing.',
    },
    call(args, _named, ctx) {
      const n = toInteger(args[0]!, 'randperm', 1, 0, 'a count');
      ctx.checkSize(n);
      const out = new Float64Array(n);
      for (let i = 0; i < n; i++) out[i] = i + 1;
      for (let i = n - 1; i > 0; i--) {
        const j = Math.floor(ctx.random() * (i + 1));
        const t = out[i]!;
        out[i] = out[j]!;
        out[j] = t;
      }
      return matrixValue(1, n, out);
    },
  },
];
