/**
 * Behaviour of the probability, random, machine-learning, sequence, calculus and plot built-ins
 * that an oracle comparison cannot show: seeded reproducibility, stability at extreme inputs,
 * orientation of results, error estimates, plot marks and their summaries, argument problems.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BuiltinProblem } from '../../../server/src/language/eval/builtin.js';
import type { PlotSpec, Value } from '../../../server/src/language/eval/value.js';
import { CONTOUR_GRID, CURVE_SAMPLES, summarizePlot } from '../../../server/src/language/eval/builtins/plots.js';
import { builtinRegistry } from '../../../server/src/language/eval/builtins/index.js';
import { functionName } from '../../../server/src/language/eval/builtins/stdlibValues.js';
import { valueToMarkdown } from '../../../server/src/language/features/results.js';
import { parseExpressionAt } from '../../../server/src/language/syntax/parser.js';
import { printExpr } from '../../../server/src/language/syntax/print.js';
import { call, col, fn, makeContext, mat, num, row, rowsOf, scalarOf, stdlibTables, str } from './context.js';

function specOf(value: Value): PlotSpec {
  assert.equal(value.kind, 'plot');
  return (value as { spec: PlotSpec }).spec;
}

function isProblem(code: string, kind?: string) {
  return (e: unknown) => e instanceof BuiltinProblem && e.code === code && (kind === undefined || e.kind === kind);
}

describe('seeded random numbers', () => {
  it('the same seed gives the same numbers; a different seed different ones', () => {
    const ctx = makeContext(7);
    call('seed', [num(42)], ctx);
    const first = rowsOf(call('rand', [num(3), num(2)], ctx));
    call('seed', [num(42)], ctx);
    const again = rowsOf(call('rand', [num(3), num(2)], ctx));
    assert.deepEqual(again, first);
    call('seed', [num(43)], ctx);
    assert.notDeepEqual(rowsOf(call('rand', [num(3), num(2)], ctx)), first);
  });

  it('a fresh context with the same start gives the same draws without seed (same note, same numbers)', () => {
    assert.deepEqual(rowsOf(call('randn', [num(4), num(1)], makeContext(3))), rowsOf(call('randn', [num(4), num(1)], makeContext(3))));
  });

  it('sizes follow MATLAB: rand() scalar, rand(n) n×n, rand(r, c) r×c', () => {
    assert.equal(call('rand', []).kind, 'number');
    const square = call('rand', [num(3)]);
    assert.deepEqual([rowsOf(square).length, rowsOf(square)[0]!.length], [3, 3]);
    const tall = call('randn', [num(5), num(1)]);
    assert.deepEqual([rowsOf(tall).length, rowsOf(tall)[0]!.length], [5, 1]);
  });

  it('uniform and normal draws have the right moments', () => {
    const ctx = makeContext(11);
    const u = call('rand', [num(20000), num(1)], ctx);
    assert.ok(Math.abs(scalarOf(call('mean', [u])) - 0.5) < 0.01);
    assert.ok(Math.abs(scalarOf(call('var', [u])) - 1 / 12) < 0.003);
    const z = call('randn', [num(20000), num(1)], ctx);
    assert.ok(Math.abs(scalarOf(call('mean', [z]))) < 0.03);
    assert.ok(Math.abs(scalarOf(call('std', [z])) - 1) < 0.03);
  });

  it('randint includes both ends and nothing outside', () => {
    const draws = rowsOf(call('randint', [num(1), num(6), num(1), num(3000)], makeContext(5)))[0]!;
    assert.equal(Math.min(...draws), 1);
    assert.equal(Math.max(...draws), 6);
    assert.ok(draws.every((d) => Number.isInteger(d)));
  });

  it('bernoulli draws 0/1 with the given probability; randperm permutes 1…n', () => {
    const draws = call('bernoulli', [num(0.3), num(5000), num(1)], makeContext(9));
    assert.ok(Math.abs(scalarOf(call('mean', [draws])) - 0.3) < 0.03);
    const perm = rowsOf(call('randperm', [num(8)], makeContext(2)))[0]!;
    assert.deepEqual([...perm].sort((a, b) => a - b), [1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it('seed needs a whole number', () => {
    assert.throws(() => call('seed', [num(1.5)]), isProblem('type'));
  });
});

describe('probability functions', () => {
  it('normcdf keeps relative accuracy in the far tail', () => {
    const tail = scalarOf(call('normcdf', [num(-30)]));
    assert.ok(tail > 4.9e-198 && tail < 4.91e-198, String(tail));
  });

  it('norminv inverts normcdf', () => {
    for (const p of [1e-12, 0.01, 0.5, 0.8, 0.999999]) {
      const x = scalarOf(call('norminv', [num(p)]));
      assert.ok(Math.abs(scalarOf(call('normcdf', [num(x)])) - p) <= 1e-14 * Math.max(p, 1e-300) + 1e-16, `p = ${p}`);
    }
  });

  it('a non-positive σ gives NaN with one domain warning', () => {
    const ctx = makeContext();
    const result = rowsOf(call('normpdf', [row([0, 1, 2]), num(0), num(-1)], ctx))[0]!;
    assert.ok(result.every(Number.isNaN));
    assert.equal(ctx.warnings.length, 1);
    assert.equal(ctx.warnings[0]!.code, 'domain');
  });

  it('normcdf(3) − normcdf(−3) is the 3σ rule of probability.md', () => {
    const inside = scalarOf(call('normcdf', [num(3)])) - scalarOf(call('normcdf', [num(-3)]));
    assert.ok(Math.abs(inside - 0.997300203937) < 1e-12);
  });

  it('element-wise functions of one argument carry scalar and derivative for autodiff', () => {
    const normcdf = builtinRegistry().get('normcdf')!;
    assert.ok(Math.abs(normcdf.derivative!(0) - 1 / Math.sqrt(2 * Math.PI)) < 1e-15);
    for (const table of [stdlibTables.elementary!, stdlibTables['machine learning']!]) {
      for (const b of table) {
        if (!b.scalar) continue;
        // The derivative agrees with a central difference where the function is smooth.
        const x = b.name === 'acos' || b.name === 'asin' ? 0.3 : 0.7;
        const h = 1e-6;
        const numeric = (b.scalar(x + h) - b.scalar(x - h)) / (2 * h);
        assert.ok(Math.abs(b.derivative!(x) - numeric) < 1e-6 * Math.max(1, Math.abs(numeric)), b.name);
      }
    }
  });
});

describe('machine-learning helpers', () => {
  it('softmax of [1000, 1001] is finite and sums to 1', () => {
    const p = rowsOf(call('softmax', [row([1000, 1001])]))[0]!;
    assert.ok(p.every(Number.isFinite));
    assert.ok(Math.abs(p[0]! + p[1]! - 1) < 1e-15);
    assert.ok(Math.abs(p[0]! - 0.2689414213699951) < 1e-15);
  });

  it('softmax of a column is a column; of a matrix, each column sums to 1', () => {
    const c = call('softmax', [col([1, 2, 3])]);
    assert.equal(c.kind === 'matrix' && c.rows === 3 && c.cols === 1, true);
    const m = rowsOf(call('softmax', [mat([[1, 5], [2, 5], [3, 5]])]));
    for (let j = 0; j < 2; j++) assert.ok(Math.abs(m.reduce((s, r) => s + r[j]!, 0) - 1) < 1e-15);
    assert.ok(Math.abs(m[0]![1]! - 1 / 3) < 1e-15);
  });

  it('sigmoid saturates without overflow or NaN', () => {
    assert.deepEqual(rowsOf(call('sigmoid', [row([-1000, 0, 1000])])), [[0, 0.5, 1]]);
  });

  it('logsumexp of a matrix is a 1×d row', () => {
    const r = rowsOf(call('logsumexp', [mat([[0, 1000], [0, 1000]])]));
    assert.ok(Math.abs(r[0]![0]! - Math.LN2) < 1e-15);
    assert.ok(Math.abs(r[0]![1]! - (1000 + Math.LN2)) < 1e-12);
  });

  it('onehot rejects labels that are not classes 1…K', () => {
    assert.throws(() => call('onehot', [row([0, 1])]), isProblem('type'));
    assert.throws(() => call('onehot', [row([1, 3]), num(2)]), isProblem('type'));
  });
});

describe('sequences and higher-order functions', () => {
  it('map passes only the element (no index) and keeps the shape', () => {
    const seen: number[] = [];
    const f = { ...fn('record', 1, (x) => x), call: (args: readonly Value[]) => { assert.equal(args.length, 1); seen.push(scalarOf(args[0]!)); return args[0]!; } };
    call('map', [mat([[1, 2], [3, 4]]), f]);
    assert.deepEqual(seen, [1, 2, 3, 4]);
  });

  it('map with an element-wise built-in applies it to the whole matrix (one domain warning)', () => {
    const ctx = makeContext();
    const result = rowsOf(call('map', [row([1, -1, -2]), { kind: 'function', type: 'builtin', name: 'log' }], ctx));
    assert.equal(result[0]![0], 0);
    assert.equal(ctx.warnings.length, 1);
  });

  it('filter keeps the orientation', () => {
    const kept = call('filter', [col([3, -1, 4]), fn('pos', 1, (x) => (x > 0 ? 1 : 0))]);
    assert.equal(kept.kind === 'matrix' && kept.rows === 2 && kept.cols === 1, true);
  });

  it('iterate returns x₀ and the n iterates as n + 1 columns (gradient-descent.md)', () => {
    const step = { ...fn('step', 1, () => 0), call: (args: readonly Value[]) => { const m = args[0]!; assert.equal(m.kind, 'matrix'); const d = (m as { data: Float64Array }).data; return col([0.8 * d[0]!, 0.8 * d[1]!]); } };
    const trail = call('iterate', [step, col([3, 4]), num(30)]);
    assert.equal(trail.kind === 'matrix' && trail.rows === 2 && trail.cols === 31, true);
    const last = rowsOf(call('last', [trail]));
    assert.ok(Math.abs(last[0]![0]! - 3 * 0.8 ** 30) < 1e-15);
    assert.ok(Math.abs(last[1]![0]! - 4 * 0.8 ** 30) < 1e-15);
    assert.deepEqual(rowsOf(trail).map((r) => r[0]), [3, 4]);
  });

  it('iterate reports a step that changes the size', () => {
    const grow = { ...fn('grow', 1, () => 0), call: () => col([1, 2, 3]) };
    assert.throws(() => call('iterate', [grow, col([1, 2]), num(2)]), isProblem('type'));
  });

  it('range is inclusive like MATLAB and argmax is 1-based', () => {
    assert.deepEqual(rowsOf(call('range', [num(1), num(9), num(2)])), [[1, 3, 5, 7, 9]]);
    assert.deepEqual(rowsOf(call('range', [num(5), num(1)])), [[]], 'an empty 1×0 row');
    assert.deepEqual(call('argmax', [row([3, 9, 2])]), num(2));
  });

  it('linspace defaults to 100 points ending exactly at b', () => {
    const r = rowsOf(call('linspace', [num(0), num(0.3)]))[0]!;
    assert.equal(r.length, 100);
    assert.equal(r[99], 0.3);
  });

  it('sort descending keeps NaN last', () => {
    const r = rowsOf(call('sort', [row([2, NaN, 5, 1]), str('descend')]))[0]!;
    assert.deepEqual(r.slice(0, 3), [5, 2, 1]);
    assert.ok(Number.isNaN(r[3]!));
  });
});

describe('integral', () => {
  it('∫ normpdf over the real line is 1 to 1e-9, with an error estimate (probability.md)', () => {
    const normpdf = { kind: 'function', type: 'builtin', name: 'normpdf' } as const;
    const result = call('integral', [normpdf, num(-Infinity), num(Infinity)]);
    assert.equal(result.kind, 'number');
    assert.ok(Math.abs(scalarOf(result) - 1) < 1e-9);
    const estimate = (result as { errorEstimate?: number }).errorEstimate;
    assert.ok(estimate !== undefined && estimate > 0 && estimate < 1e-9, String(estimate));
  });

  it('warns when the accuracy cannot be reached', () => {
    const ctx = makeContext();
    call('integral', [fn('wild', 1, (x) => Math.sin(1 / x) / x), num(0), num(1)], ctx);
    assert.equal(ctx.warnings.length, 1);
    assert.equal(ctx.warnings[0]!.kind, 'eval.integral-accuracy');
  });

  it('needs a function returning one number', () => {
    assert.throws(() => call('integral', [num(1), num(0), num(1)]), isProblem('type', 'type.argument'));
    const vectorValued = { ...fn('v', 1, () => 0), call: () => col([1, 2]) };
    assert.throws(() => call('integral', [vectorValued, num(0), num(1)]), isProblem('type'));
  });
});

describe('plots', () => {
  const fit = fn('fit', 1, (t) => 0.1 + 1.99 * t);

  it('curve samples 200 points with the function name as label, NaN kept', () => {
    const spec = specOf(call('curve', [fn('f', 1, (t) => (t < 0 ? NaN : Math.sqrt(t))), num(-1), num(1)]));
    const mark = spec.marks[0]!;
    assert.equal(mark.type, 'curve');
    if (mark.type !== 'curve') return;
    assert.equal(mark.label, 'f');
    assert.equal(mark.x.length, CURVE_SAMPLES);
    assert.equal(mark.x[0], -1);
    assert.equal(mark.x[CURVE_SAMPLES - 1], 1);
    assert.ok(Number.isNaN(mark.y[0]!));
    assert.ok(Array.isArray(mark.y));
  });

  it('plot overlays marks with a title and summarizes them (regression.md)', () => {
    const spec = specOf(
      call('plot', [call('scatter', [col([1, 2, 3, 4, 5]), col([2.1, 3.9, 6.2, 7.8, 10.1])]), call('curve', [fit, num(0), num(6)])], makeContext(), {
        title: str('least squares'),
      }),
    );
    assert.deepEqual(spec.marks.map((m) => m.type), ['scatter', 'curve']);
    assert.equal(spec.title, 'least squares');
    assert.equal(summarizePlot(spec), "plot 'least squares': scatter of 5 points, curve of fit on [0, 6]");
  });

  it('plot(f, g, h, a, b) draws one labelled curve per function (activations.md)', () => {
    const spec = specOf(
      call('plot', [fn('σ', 1, (z) => 1 / (1 + Math.exp(-z))), { kind: 'function', type: 'builtin', name: 'tanh' }, { kind: 'function', type: 'builtin', name: 'relu' }, num(-5), num(5)], makeContext(), { title: str('activations') }),
    );
    assert.deepEqual(spec.marks.map((m) => (m.type === 'curve' ? m.label : m.type)), ['σ', 'tanh', 'relu']);
    assert.equal(summarizePlot(spec), "plot 'activations': curve of σ on [-5, 5], curve of tanh on [-5, 5], curve of relu on [-5, 5]");
  });

  it('contour samples a 40×40 grid, row j at y[j] (gradient-descent.md)', () => {
    const spec = specOf(call('contour', [fn('bowl', 2, (x, y) => x * x + y * y), row([-5, 5]), row([-4, 4])]));
    const mark = spec.marks[0]!;
    if (mark.type !== 'contour') throw new Error('not a contour');
    assert.equal(mark.z.length, CONTOUR_GRID);
    assert.equal(mark.z[0]!.length, CONTOUR_GRID);
    assert.equal(mark.z[0]![0], 25 + 16);
    assert.equal(mark.y[0], -4);
    assert.ok(Math.abs(mark.z[CONTOUR_GRID - 1]![0]! - (25 + 16)) < 1e-12);
  });

  it('path takes the columns of a 2×n matrix as points', () => {
    const mark = specOf(call('path', [mat([[3, 2.4, 1.92], [4, 3.2, 2.56]])])).marks[0]!;
    assert.deepEqual(mark.type === 'path' ? [mark.x, mark.y] : null, [[3, 2.4, 1.92], [4, 3.2, 2.56]]);
  });

  it('vectors(μ, w₁ᵀ) draws one arrow from a 1×2 point (pca.md)', () => {
    const mark = specOf(call('vectors', [row([1.81, 1.91]), row([0.677, 0.735])])).marks[0]!;
    assert.deepEqual(mark.type === 'vectors' ? [mark.x, mark.y, mark.u, mark.v] : null, [[1.81], [1.91], [0.677], [0.735]]);
    const many = specOf(call('vectors', [row([0, 0]), mat([[1, 0], [0, 1]])])).marks[0]!;
    assert.equal(many.type === 'vectors' ? many.x.length : 0, 2);
  });

  it('hist, bar, heatmap carry their data', () => {
    const h = specOf(call('hist', [col([1, 2, 2, 3])], makeContext(), { bins: num(3) })).marks[0]!;
    assert.deepEqual(h.type === 'hist' ? [h.values, h.bins] : null, [[1, 2, 2, 3], 3]);
    assert.equal(summarizePlot(specOf(call('bar', [row([1, 2]), row([0.4, 0.6])]))), 'bar chart of 2 bars');
    const hm = specOf(call('heatmap', [mat([[1, 2], [3, 4]])])).marks[0]!;
    assert.deepEqual(hm.type === 'heatmap' ? hm.z : null, [[1, 2], [3, 4]]);
  });

  it('x and y of different lengths are a shape problem; a non-string title a type problem', () => {
    assert.throws(() => call('scatter', [row([1, 2, 3]), row([1, 2])]), isProblem('shape'));
    assert.throws(() => call('plot', [call('line', [row([1, 2])])], makeContext(), { title: num(3) }), isProblem('type'));
  });
});

describe('documentation', () => {
  it('every built-in of the area has a signature, summary, example and no duplicate name', () => {
    const seen = new Set<string>();
    for (const table of Object.values(stdlibTables)) {
      for (const b of table) {
        for (const name of [b.name, ...(b.aliases ?? [])]) {
          assert.ok(!seen.has(name), `${name} is defined twice`);
          seen.add(name);
        }
        assert.ok(b.doc.signature.includes(b.name), `${b.name}: signature`);
        assert.ok(b.doc.summary.length > 10, `${b.name}: summary`);
        assert.ok(b.doc.example.length > 0, `${b.name}: example`);
        assert.ok(b.minArgs <= b.maxArgs, `${b.name}: arity`);
      }
    }
  });
});

describe('function labels', () => {
  it('a lambda is labelled by its source, a named function by its name', () => {
    const text = 't^2 + 1';
    const body = parseExpressionAt(text, 0, text.length).value;
    const lambda: Value = { kind: 'function', type: 'user', params: [{ name: 't', span: { start: 0, end: 1 } }], body, closure: undefined };
    assert.equal(functionName(lambda as never), `t -> ${printExpr(body)}`);
    assert.equal(functionName({ ...(lambda as object), name: 'fit' } as never), 'fit');
    assert.equal(functionName({ kind: 'function', type: 'builtin', name: 'tanh' }), 'tanh');
  });
});

describe('complex numbers and special functions', () => {
  const z: Value = { kind: 'complex', re: 3, im: -4 };
  const Z: Value = { kind: 'matrix', rows: 1, cols: 2, data: Float64Array.of(1, 0), imag: Float64Array.of(2, -1) };

  it('real, imag, conj and abs take complex numbers apart', () => {
    assert.deepEqual(call('real', [z]), num(3));
    assert.deepEqual(call('imag', [z]), num(-4));
    assert.deepEqual(call('conj', [z]), { kind: 'complex', re: 3, im: 4 });
    assert.deepEqual(call('abs', [z]), num(5));
    assert.deepEqual(rowsOf(call('imag', [Z])), [[2, -1]]);
    assert.deepEqual(rowsOf(call('abs', [Z])), [[Math.sqrt(5), 1]]);
  });

  it('exp, log and sqrt follow the principal branch on complex numbers', () => {
    const e = call('exp', [{ kind: 'complex', re: 0, im: Math.PI }]);
    assert.ok(e.kind === 'complex' && Math.abs(e.re + 1) < 1e-15 && Math.abs(e.im) < 1e-15);
    assert.deepEqual(call('sqrt', [{ kind: 'complex', re: -4, im: 0 }]), { kind: 'complex', re: 0, im: 2 });
    const l = call('log', [{ kind: 'complex', re: -1, im: 0 }]);
    assert.ok(l.kind === 'complex' && l.re === 0 && Math.abs(l.im - Math.PI) < 1e-15);
  });

  it('functions without a complex form say so', () => {
    assert.throws(() => call('floor', [z]), isProblem('type', 'type.argument'));
  });

  it('gamma and factorial warn at the poles and are exact on whole numbers', () => {
    const ctx = makeContext();
    assert.ok(Number.isNaN(scalarOf(call('gamma', [num(-2)], ctx))));
    assert.ok(Number.isNaN(scalarOf(call('factorial', [num(-1)], ctx))));
    assert.equal(ctx.warnings.length, 2);
    assert.equal(scalarOf(call('factorial', [num(20)])), 2432902008176640000);
    assert.equal(scalarOf(call('gamma', [num(6)])), 120);
  });
});

describe('hover text of library results', () => {
  it('an integral shows its error estimate and a plot its summary', () => {
    const normpdf = { kind: 'function', type: 'builtin', name: 'normpdf' } as const;
    const integral = call('integral', [normpdf, num(-Infinity), num(Infinity)]);
    assert.match(valueToMarkdown(integral, 6), /^`1` ± [\d.e-]+ \(estimated error\)$/);
    const plot = call('plot', [call('scatter', [row([1, 2]), row([3, 4])])], makeContext(), { title: str('t') });
    assert.equal(valueToMarkdown(plot, 6), "plot 't': scatter of 2 points");
  });
});

describe('hostile sizes', () => {
  it('cumulative distributions stop once the tail no longer changes the sum', () => {
    assert.ok(Math.abs(scalarOf(call('poisscdf', [num(1e12), num(3)])) - 1) < 1e-14);
    assert.ok(Math.abs(scalarOf(call('binocdf', [num(1e9), num(1e12), num(1e-11)])) - 1) < 1e-12);
  });

  it('a histogram asks for at most 1000 bins', () => {
    assert.throws(() => call('hist', [row([1, 2, 3]), num(1e9)]), isProblem('type', 'type.argument-value'));
  });

  it('sizes above the limit are limit problems before anything is allocated', () => {
    for (const [name, args] of [
      ['linspace', [num(0), num(1), num(1e9)]],
      ['rand', [num(1e5), num(1e5)]],
      ['range', [num(0), num(1e12)]],
      ['iterate', [fn('id', 1, (x) => x), num(1), num(1e9)]],
    ] as const) {
      assert.throws(() => call(name, [...args]), isProblem('limit'), name);
    }
  });
});

describe('integral near an integrable singularity', () => {
  it('1/√(1 − x²) on [−1, 1] stays finite and close to π, with a warning that the accuracy is limited', () => {
    const ctx = makeContext();
    const value = scalarOf(call('integral', [fn('arcsine', 1, (x) => 1 / Math.sqrt(1 - x * x)), num(-1), num(1)], ctx));
    assert.ok(Math.abs(value - Math.PI) < 1e-6, String(value));
    assert.equal(ctx.warnings.length, 1);
  });
});
