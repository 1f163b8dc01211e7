/**
 * Draws a Mathnote plot spec (LANGUAGE.md §9) with Observable Plot.
 *
 * Every mark maps onto one Plot mark: curves, lines and paths onto `line`, scatter onto `dot`, bars
 * and histograms onto `rectY`, contours onto `contour`, heatmaps onto `cell`, vectors onto `arrow`.
 * Series colours are CSS variables (`--mn-series-N`, defined in preview.css from VS Code's
 * `--vscode-charts-*`), so a theme change recolours a plot without drawing it again. Text from the
 * note (title, labels, legend entries) only ever reaches the page as text nodes: Plot sets titles
 * and axis labels with `textContent`, and the legend below is built the same way.
 */
import type * as PlotLibrary from '@observablehq/plot';

/**
 * Observable Plot, loaded on first use. Evaluating the library (and the d3 modules under it)
 * creates `Intl` formatters, which costs tens of milliseconds; a page without plots, or whose
 * plots are off screen, should not pay that before its first paint. The bundler turns the dynamic
 * import into a lazily initialised module of the same bundle (nothing is fetched).
 */
let Plot: typeof import('./plotLibrary.js');
let loading: Promise<void> | undefined;

/** Loads Observable Plot once; `drawPlot` may be called after this resolves. */
export function loadPlot(): Promise<void> {
  loading ??= import('./plotLibrary.js').then((library) => {
    Plot = library;
  });
  return loading;
}

/** True once `loadPlot` has resolved. */
export function plotLoaded(): boolean {
  return Plot !== undefined;
}
import type { PlotMark, PlotSpec } from '../../server/src/language/eval/value.js';

const seriesCount = 6;

function seriesColor(index: number): string {
  return `var(--mn-series-${(index % seriesCount) + 1})`;
}

interface Point {
  readonly x: number;
  readonly y: number;
  readonly series: string;
}

function points(xs: readonly number[], ys: readonly number[], series: string): Point[] {
  const result: Point[] = [];
  const n = Math.min(xs.length, ys.length);
  for (let i = 0; i < n; i++) result.push({ x: xs[i]!, y: ys[i]!, series });
  return result;
}

/** A name for each mark in the legend: its label, or its kind numbered when unlabeled. */
function seriesNames(marks: readonly PlotMark[]): string[] {
  const seen = new Map<string, number>();
  return marks.map((mark) => {
    const base = mark.label && mark.label.trim() !== '' ? mark.label : mark.type;
    const count = (seen.get(base) ?? 0) + 1;
    seen.set(base, count);
    return count === 1 ? base : `${base} ${count}`;
  });
}

/** Half the smallest gap between neighbouring x values: the half-width of a bar. */
function halfBarWidth(xs: readonly number[]): number {
  const sorted = [...xs].sort((a, b) => a - b);
  let gap = Infinity;
  for (let i = 1; i < sorted.length; i++) {
    const d = sorted[i]! - sorted[i - 1]!;
    if (d > 0 && d < gap) gap = d;
  }
  return Number.isFinite(gap) ? gap * 0.4 : 0.4;
}

function stepOf(values: readonly number[]): number {
  return values.length > 1 ? (values[values.length - 1]! - values[0]!) / (values.length - 1) : 1;
}

function finite(value: number): boolean {
  return Number.isFinite(value);
}

/** The Plot marks for one Mathnote mark, plus the points a tooltip may point at. */
function marksFor(mark: PlotMark, color: string, series: string): { marks: PlotLibrary.Markish[]; tipPoints: Point[] } {
  switch (mark.type) {
    case 'curve':
    case 'line': {
      const data = points(mark.x, mark.y, series);
      return { marks: [Plot.line(data, { x: 'x', y: 'y', stroke: color, strokeWidth: 2})], tipPoints: data };
    }
    case 'path': {
      const data = points(mark.x, mark.y, series);
      return {
        marks: [
          Plot.line(data, { x: 'x', y: 'y', stroke: color, strokeWidth: 1.5, marker: 'circle-stroke' }),
        ],
        tipPoints: data,
      };
    }
    case 'scatter': {
      const data = points(mark.x, mark.y, series);
      return { marks: [Plot.dot(data, { x: 'x', y: 'y', fill: color, r: 4 })], tipPoints: data };
    }
    case 'bar': {
      const data = points(mark.x, mark.y, series);
      const half = halfBarWidth(mark.x);
      return {
        marks: [Plot.rectY(data, { x1: (d: Point) => d.x - half, x2: (d: Point) => d.x + half, y: 'y', fill: color, fillOpacity: 0.85 }), Plot.ruleY([0])],
        tipPoints: data,
      };
    }
    case 'hist': {
      const values = mark.values.filter(finite);
      return {
        marks: [
          Plot.rectY(
            values,
            Plot.binX({ y: 'count' }, { x: (d: number) => d, thresholds: Math.max(1, Math.floor(mark.bins)), fill: color, fillOpacity: 0.85, inset: 0.5, tip: true } as Parameters<typeof Plot.binX>[1]),
          ),
          Plot.ruleY([0]),
        ],
        tipPoints: [],
      };
    }
    case 'contour': {
      const width = mark.x.length;
      const height = mark.y.length;
      const flat: number[] = [];
      for (let j = 0; j < height; j++) for (let i = 0; i < width; i++) flat.push(mark.z[j]?.[i] ?? NaN);
      // Plot samples pixel centres, so the grid's nodes lie half a step inside its bounds.
      const dx = stepOf(mark.x) / 2;
      const dy = stepOf(mark.y) / 2;
      return {
        marks: [
          Plot.contour(flat, {
            width,
            height,
            x1: mark.x[0]! - dx,
            x2: mark.x[width - 1]! + dx,
            y1: mark.y[0]! - dy,
            y2: mark.y[height - 1]! + dy,
            // The datum is the sampled value; filling by it colours each band by its level.
            fill: Plot.identity,
            fillOpacity: 0.35,
            stroke: 'currentColor',
            strokeOpacity: 0.35,
            thresholds: 12,
          }),
        ],
        tipPoints: [],
      };
    }
    case 'heatmap': {
      const cells: { row: number; col: number; value: number }[] = [];
      mark.z.forEach((row, i) => row.forEach((value, j) => cells.push({ row: i + 1, col: j + 1, value })));
      return {
        marks: [Plot.cell(cells, { x: 'col', y: 'row', fill: 'value', inset: 0.5, tip: true })],
        tipPoints: [],
      };
    }
    case 'vectors': {
      const arrows = mark.x.map((x, i) => ({ x, y: mark.y[i]!, u: mark.u[i]!, v: mark.v[i]! }));
      return {
        marks: [
          Plot.arrow(arrows, {
            x1: 'x',
            y1: 'y',
            x2: (d: { x: number; u: number }) => d.x + d.u,
            y2: (d: { y: number; v: number }) => d.y + d.v,
            stroke: color,
            strokeWidth: 2,
          }),
        ],
        tipPoints: arrows.map((a) => ({ x: a.x, y: a.y, series })),
      };
    }
  }
}

function tipTitle(point: Point): string {
  return `${point.series}\nx = ${formatNumber(point.x)}\ny = ${formatNumber(point.y)}`;
}

function formatNumber(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toPrecision(6).replace(/\.?0+$/, '');
}

/** The range of every x and y the marks cover (arrow heads included). */
function extents(spec: PlotSpec): { x: number; y: number } {
  let x0 = Infinity, x1 = -Infinity, y0 = Infinity, y1 = -Infinity;
  const add = (x: number, y: number): void => {
    if (finite(x)) {
      x0 = Math.min(x0, x);
      x1 = Math.max(x1, x);
    }
    if (finite(y)) {
      y0 = Math.min(y0, y);
      y1 = Math.max(y1, y);
    }
  };
  for (const mark of spec.marks) {
    if (mark.type === 'hist' || mark.type === 'heatmap') continue;
    mark.x.forEach((x, i) => {
      if (mark.type === 'contour') return add(x, mark.y[Math.min(i, mark.y.length - 1)]!);
      add(x, mark.y[i]!);
      if (mark.type === 'vectors') add(x + mark.u[i]!, mark.y[i]! + mark.v[i]!);
    });
    if (mark.type === 'contour') mark.y.forEach((y) => add(mark.x[0]!, y));
  }
  return { x: x1 - x0, y: y1 - y0 };
}

/**
 * Contours, arrows and paths are geometry: they read right only with equal units on both axes
 * (a circle stays round, a gradient stays perpendicular to its level line). Other plots, or
 * geometry whose ranges differ wildly, fill the usual 5:3 frame.
 */
function wantsEqualAxes(spec: PlotSpec): boolean {
  if (!spec.marks.some((mark) => mark.type === 'contour' || mark.type === 'vectors' || mark.type === 'path')) return false;
  if (spec.marks.some((mark) => mark.type === 'heatmap' || mark.type === 'hist' || mark.type === 'bar')) return false;
  const { x, y } = extents(spec);
  return x > 0 && y > 0 && y / x <= 1.25 && x / y <= 3;
}

/**
 * Draws a spec into a new `<figure>`: the Plot chart, and a legend of the series when there are
 * several. `width` is the room available in CSS pixels. Call `loadPlot` first.
 */
export function drawPlot(spec: PlotSpec, width: number): HTMLElement {
  if (!plotLoaded()) throw new Error('the plot library is not loaded yet');
  const figure = document.createElement('figure');
  figure.className = 'mn-plot';
  const names = seriesNames(spec.marks);
  const plotMarks: PlotLibrary.Markish[] = [];
  const tipPoints: Point[] = [];
  spec.marks.forEach((mark, index) => {
    const result = marksFor(mark, seriesColor(index), names[index]!);
    plotMarks.push(...result.marks);
    tipPoints.push(...result.tipPoints);
  });
  if (tipPoints.length > 0) {
    plotMarks.push(Plot.tip(tipPoints, Plot.pointer({ x: 'x', y: 'y', title: tipTitle })));
  }
  const hasHeatmap = spec.marks.some((mark) => mark.type === 'heatmap');
  const plotWidth = Math.max(320, Math.min(width, 720));
  const equal = wantsEqualAxes(spec);
  // Points and arrows keep clear of the frame; bars, histograms and cells stand on their axes.
  const grounded = spec.marks.some((mark) => mark.type === 'bar' || mark.type === 'hist' || mark.type === 'heatmap' || mark.type === 'contour');
  const chart = Plot.plot({
    width: plotWidth,
    ...(grounded ? {} : { inset: 10 }),
    ...(equal ? { aspectRatio: 1 } : { height: Math.round(plotWidth * 0.6) }),
    marginLeft: 56,
    title: spec.title ?? null,
    style: { background: 'transparent', color: 'var(--mn-fg)', fontSize: '12px', fontFamily: 'var(--mn-font)' },
    x: hasHeatmap ? { label: spec.xlabel ?? 'column' } : { label: spec.xlabel ?? null, grid: true },
    y: hasHeatmap ? { label: spec.ylabel ?? 'row' } : { label: spec.ylabel ?? null, grid: true },
    color: { type: 'linear', scheme: 'viridis', legend: hasHeatmap },
    marks: plotMarks,
  });
  figure.append(chart);
  // Contours and heatmaps are coloured by value (their own colour scale), not as a series.
  const series = spec.marks.map((mark, index) => ({ mark, index, name: names[index]! })).filter(({ mark }) => mark.type !== 'contour' && mark.type !== 'heatmap');
  if (series.length > 1) figure.append(legend(series));
  return figure;
}

/** A legend of coloured swatches, built from text nodes only. */
function legend(series: readonly { name: string; index: number }[]): HTMLElement {
  const list = document.createElement('div');
  list.className = 'mn-legend';
  series.forEach(({ name, index }) => {
    const item = document.createElement('span');
    item.className = 'mn-legend-item';
    const swatch = document.createElement('span');
    swatch.className = 'mn-swatch';
    swatch.style.background = seriesColor(index);
    const label = document.createElement('span');
    label.textContent = name;
    item.append(swatch, label);
    list.append(item);
  });
  return list;
}
