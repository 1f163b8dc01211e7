/**
 * Checks of what the page drew, measured in the browser: fractions and matrices by their boxes
 * (not by class names), KaTeX fonts by `document.fonts`, and each plot's marks counted in its SVG
 * against what the model's plot spec says they must be.
 */
import type { Page } from 'playwright-core';
import type { PlotSpec } from '../../server/src/language/eval/value.js';
import type { PreviewModel } from '../../server/src/language/features/preview.js';

export interface FractionCheck {
  readonly count: number;
  /** Descriptions of fractions whose numerator is not above the bar or denominator not below. */
  readonly bad: string[];
}

/** Every KaTeX fraction on the page: numerator above the fraction bar, denominator below it. */
export async function checkFractions(page: Page): Promise<FractionCheck> {
  return page.evaluate(() => {
    const bad: string[] = [];
    const fractions = Array.from(document.querySelectorAll('.mfrac'));
    for (const fraction of fractions) {
      const vlist = fraction.querySelector('.vlist');
      if (!vlist) {
        bad.push('no vlist');
        continue;
      }
      const rows = Array.from(vlist.children) as HTMLElement[];
      const lineRow = rows.find((row) => row.querySelector('.frac-line'));
      if (!lineRow) continue; // \binom and friends have no bar
      const line = lineRow.querySelector('.frac-line')!.getBoundingClientRect();
      const parts = rows.filter((row) => row !== lineRow).map((row) => (row.lastElementChild as HTMLElement).getBoundingClientRect());
      // Inline boxes include the font's whole ascent and descent, so they may touch the bar; their
      // centres may not: the numerator's lies above the bar, the denominator's below it.
      const centre = (box: DOMRect): number => (box.top + box.bottom) / 2;
      const above = parts.filter((box) => centre(box) < line.top && box.height > 0);
      const below = parts.filter((box) => centre(box) > line.bottom && box.height > 0);
      const overlaps = (box: DOMRect): boolean => box.left < line.right && box.right > line.left;
      if (above.length !== 1 || below.length !== 1 || !overlaps(above[0]!) || !overlaps(below[0]!) || line.width <= 0) {
        bad.push((fraction.textContent ?? '').slice(0, 40));
      }
    }
    return { count: fractions.length, bad };
  });
}

export interface MatrixCheck {
  readonly count: number;
  /** Shapes found, as `rows×cols`. */
  readonly shapes: string[];
  readonly bad: string[];
}

/**
 * Every KaTeX matrix on the page: its cells form a grid (columns left to right without overlap,
 * rows top to bottom without overlap, and each row's cells on one line across the columns).
 */
export async function checkMatrices(page: Page): Promise<MatrixCheck> {
  return page.evaluate(() => {
    const bad: string[] = [];
    const shapes: string[] = [];
    const tables = Array.from(document.querySelectorAll('.mtable'));
    for (const table of tables) {
      const columns = Array.from(table.children).filter((child) => child.className.includes('col-align'));
      const cells = columns.map((column) => {
        const vlist = column.querySelector('.vlist');
        return (vlist ? (Array.from(vlist.children) as HTMLElement[]) : [])
          .map((row) => (row.lastElementChild as HTMLElement).getBoundingClientRect())
          .filter((box) => box.height > 0);
      });
      const rowCount = cells[0]?.length ?? 0;
      shapes.push(`${rowCount}×${columns.length}`);
      const describe = (table.textContent ?? '').slice(0, 40);
      if (rowCount === 0 || cells.some((column) => column.length !== rowCount)) {
        bad.push(`ragged: ${describe}`);
        continue;
      }
      for (let c = 0; c < cells.length; c++) {
        // Inline boxes carry the font's full ascent and descent, so neighbouring rows' boxes may
        // touch; their centres must be at least half a row apart, top to bottom.
        for (let r = 1; r < rowCount; r++) {
          const upper = cells[c]![r - 1]!;
          const lower = cells[c]![r]!;
          if ((lower.top + lower.bottom) / 2 - (upper.top + upper.bottom) / 2 < upper.height / 2) bad.push(`rows overlap in ${describe}`);
        }
        if (c > 0) {
          const leftEdge = Math.min(...cells[c]!.map((box) => box.left));
          const rightOfPrevious = Math.max(...cells[c - 1]!.map((box) => box.right));
          if (leftEdge < rightOfPrevious - 0.5) bad.push(`columns overlap in ${describe}`);
          for (let r = 0; r < rowCount; r++) {
            const a = cells[c]![r]!;
            const b = cells[c - 1]![r]!;
            if (Math.abs((a.top + a.bottom) / 2 - (b.top + b.bottom) / 2) > 3) bad.push(`row ${r + 1} not aligned in ${describe}`);
          }
        }
      }
    }
    return { count: tables.length, shapes, bad };
  });
}

/** Whether the KaTeX fonts the page uses were loaded (by `document.fonts`). */
export async function katexFontsLoaded(page: Page): Promise<{ main: boolean; math: boolean; families: string[] }> {
  return page.evaluate(async () => {
    await document.fonts.ready;
    const loaded: string[] = [];
    document.fonts.forEach((face) => {
      if (face.status === 'loaded') loaded.push(face.family.replace(/["']/g, ''));
    });
    return { main: loaded.includes('KaTeX_Main'), math: loaded.includes('KaTeX_Math'), families: [...new Set(loaded)] };
  });
}

/** The marks a plot spec must produce, as CSS selectors in Plot's SVG with their expected counts. */
export function expectedMarks(spec: PlotSpec): { selector: string; min: number; max: number }[] {
  const expectations: { selector: string; min: number; max: number }[] = [];
  const add = (selector: string, count: number, exact = true): void => {
    const existing = expectations.find((e) => e.selector === selector);
    if (existing) {
      existing.min += exact ? count : 1;
      existing.max = exact && existing.max !== Infinity ? existing.max + count : Infinity;
    } else {
      expectations.push({ selector, min: exact ? count : 1, max: exact ? count : Infinity });
    }
  };
  for (const mark of spec.marks) {
    switch (mark.type) {
      case 'scatter':
        add('g[aria-label="dot"] circle', mark.x.length);
        break;
      case 'curve':
      case 'line':
      case 'path':
        add('g[aria-label="line"] path', 1);
        break;
      case 'bar':
        add('g[aria-label="rect"] rect', mark.x.length, false);
        break;
      case 'hist':
        add('g[aria-label="rect"] rect', 1, false);
        break;
      case 'contour':
        add('g[aria-label="contour"] path', 1, false);
        break;
      case 'heatmap':
        add('g[aria-label="cell"] rect', mark.z.reduce((n, row) => n + row.length, 0));
        break;
      case 'vectors':
        add('g[aria-label="arrow"] path', mark.x.length);
        break;
    }
  }
  return expectations;
}

/** For each plot of the model (in order), the counts of its expected marks as drawn. */
export async function checkPlots(page: Page, model: PreviewModel): Promise<string[]> {
  const specs = model.segments.flatMap((segment) => (segment.kind === 'block' ? segment.statements.flatMap((s) => (s.plot ? [s.plot] : [])) : []));
  const problems: string[] = [];
  const figures = await page.$$('figure.mn-plot');
  if (figures.length !== specs.length) problems.push(`expected ${specs.length} plots, found ${figures.length}`);
  for (let i = 0; i < Math.min(figures.length, specs.length); i++) {
    const spec = specs[i]!;
    const hasSvg = await figures[i]!.evaluate((figure) => figure.querySelector('svg g[aria-label]') !== null);
    if (!hasSvg) problems.push(`plot ${i + 1}: no SVG`);
    for (const expectation of expectedMarks(spec)) {
      const count = await figures[i]!.evaluate((figure, selector) => figure.querySelectorAll(selector).length, expectation.selector);
      if (count < expectation.min || count > expectation.max) {
        problems.push(`plot ${i + 1} (${spec.title ?? 'untitled'}): ${expectation.selector} × ${count}, expected ${expectation.min}${expectation.max === expectation.min ? '' : '+'}`);
      }
    }
    if (spec.title) {
      const title = await figures[i]!.evaluate((figure) => figure.querySelector('h2')?.textContent ?? '');
      if (title !== spec.title) problems.push(`plot ${i + 1}: title ${JSON.stringify(title)} instead of ${JSON.stringify(spec.title)}`);
    }
  }
  return problems;
}
