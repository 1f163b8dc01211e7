/**
 * The render model built from real notes by the real core: segments partition the note, lines point
 * at the statements' source, keys change only with content, problems sit on their statements, and
 * the model is plain JSON.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { analyzeNote, buildPreviewModel, type BlockSegment, type PreviewModel, type ProseSegment } from '../../server/src/language/index.js';
import { restoreEmbeddedModel } from '../../media/src/embedded.js';
import { compactModel } from '../../server/src/render.js';
import { exampleNotes, modelOf } from './notes.js';

const blocks = (model: PreviewModel): BlockSegment[] => model.segments.filter((s): s is BlockSegment => s.kind === 'block');
const proses = (model: PreviewModel): ProseSegment[] => model.segments.filter((s): s is ProseSegment => s.kind === 'prose');

describe('preview model of the example notes', () => {
  for (const note of exampleNotes()) {
    test(note.name, () => {
      const model = modelOf(note.text, note.name);
      const lines = note.text.split(/\r?\n/);
      assert.equal(model.version, 1);
      assert.deepEqual(JSON.parse(JSON.stringify(model)), model, 'plain JSON');

      // Segments come in document order, do not overlap, and every fence is in a block segment.
      let previousEnd = -1;
      for (const segment of model.segments) {
        assert.ok(segment.startLine > previousEnd, `${segment.kind} at ${segment.startLine} after ${previousEnd}`);
        assert.ok(segment.endLine >= segment.startLine);
        previousEnd = segment.endLine;
      }
      const fenceCount = lines.filter((line) => /^ {0,3}```mathnote\s*$/.test(line)).length;
      assert.equal(blocks(model).length, fenceCount);
      for (const block of blocks(model)) {
        assert.match(lines[block.startLine]!, /^ {0,3}```mathnote/);
        assert.equal(block.contentLine, block.startLine + 1);
        assert.equal(block.source, lines.slice(block.contentLine, block.endLine).join('\n'));
        for (const statement of block.statements) {
          // Each statement's line holds its source, and it lies inside its block.
          assert.ok(lines[statement.line]!.includes(statement.source.split('\n')[0]!), `line ${statement.line}: ${statement.source}`);
          assert.ok(statement.line > block.startLine && statement.endLine < block.endLine);
          assert.ok(statement.latex.length > 0);
        }
      }
      // Prose keeps its Markdown as written (the webview renders it).
      for (const prose of proses(model)) {
        assert.equal(prose.markdown.split(/\r?\n/)[0], lines[prose.startLine]);
      }
      // Every `# expect-error: code` comment has a problem of that code on its statement.
      lines.forEach((line, index) => {
        const expected = /#\s*expect-(error|warning):\s*([\w|]+)/.exec(line);
        if (!expected) return;
        const statement = blocks(model).flatMap((b) => b.statements).find((s) => s.line === index);
        assert.ok(statement, `a statement on line ${index}`);
        const codes = expected[2]!.split('|');
        assert.ok(
          statement.problems.some((p) => codes.includes(p.code) && p.severity === expected[1]),
          `line ${index}: expected ${expected[1]} ${expected[2]}, got ${JSON.stringify(statement.problems)}`,
        );
      });
      // `# expect: true` comparisons show their verdict.
      lines.forEach((line, index) => {
        if (!/#\s*expect:\s*true\s*$/.test(line)) return;
        const statement = blocks(model).flatMap((b) => b.statements).find((s) => s.line === index)!;
        if (statement.comparison) assert.equal(statement.result?.text, 'true', `line ${index}: ${statement.source}`);
      });
      assert.equal(model.errorCount, blocks(model).flatMap((b) => [...b.problems, ...b.statements.flatMap((s) => s.problems)]).filter((p) => p.severity === 'error').length);
    });
  }
});

describe('preview model details', () => {
  test('a definition by a literal is marked as an echo; a computed one is not', () => {
    const model = modelOf('```mathnote\nλ = 0.5\nA = [1, 2; 3, 4]\nB = A A\n```\n');
    const [lambda, a, b] = blocks(model)[0]!.statements;
    assert.equal(lambda!.lhs, '\\lambda');
    assert.equal(lambda!.result?.echo, true);
    assert.equal(a!.result?.echo, true);
    assert.equal(b!.result?.echo, false);
    assert.match(b!.result!.latex, /\\begin\{bmatrix\}\s*7 & 10 \\\\ 15 & 22\s*\\end\{bmatrix\}/);
    assert.deepEqual(b!.result!.shape, [2, 2]);
  });

  test('a comparison is split at its relation and shows its verdict', () => {
    const model = modelOf('```mathnote\nx = 2\nx + 1 ≈ 3\n```\n');
    const comparison = blocks(model)[0]!.statements[1]!;
    assert.equal(comparison.comparison, true);
    assert.equal(comparison.relation, '\\approx');
    assert.equal(comparison.lhs, 'x + 1');
    assert.equal(comparison.latex, '3');
    assert.equal(comparison.result?.text, 'true');
  });

  test('keys change only for the segments whose content changed', () => {
    const before = modelOf('# T\n\nSome prose.\n\n```mathnote\na = 1\n```\n\nMore prose.\n\n```mathnote\nb = 2\n```\n');
    const after = modelOf('# T\n\nSome prose,\nnow longer.\n\n```mathnote\na = 1\n```\n\nMore prose.\n\n```mathnote\nb = 3\n```\n');
    const keys = (m: PreviewModel): string[] => m.segments.map((s) => s.key);
    const [p1, b1, p2, b2] = keys(before);
    const [q1, c1, q2, c2] = keys(after);
    assert.notEqual(p1, q1, 'edited prose');
    assert.equal(b1, c1, 'moved block');
    assert.equal(p2, q2, 'moved prose');
    assert.notEqual(b2, c2, 'edited block');
    assert.equal(after.segments[1]!.startLine, before.segments[1]!.startLine + 1);
  });

  test('citations in prose carry their values, in the scope of the blocks above', () => {
    const model = modelOf('```mathnote\nA = [1, 2; 3, 4]\n```\n\nThe determinant is `= A[1, 1] A[2, 2] - A[1, 2] A[2, 1]` and `= nope` fails.\n');
    const prose = proses(model)[0]!;
    assert.equal(prose.citations.length, 2);
    assert.equal(prose.citations[0]!.expression, 'A[1, 1] A[2, 2] - A[1, 2] A[2, 1]');
    assert.equal(prose.citations[0]!.result?.text, '-2');
    assert.equal(prose.citations[1]!.result, undefined);
    assert.match(prose.citations[1]!.problem ?? '', /nope/);
  });

  test('a plot statement carries its spec as plain arrays', () => {
    const model = modelOf('```mathnote\nx = [1; 2; 3]\nplot(scatter(x, x), title = "t")\n```\n');
    const plot = blocks(model)[0]!.statements[1]!.plot;
    assert.ok(plot, 'plot present');
    assert.equal(plot.title, 't');
    assert.equal(plot.marks[0]!.type, 'scatter');
    const mark = plot.marks[0] as { x: number[]; y: number[] };
    assert.ok(Array.isArray(mark.x) && Array.isArray(mark.y));
    assert.deepEqual(mark.x, [1, 2, 3]);
  });

  test('a model built before evaluation says so and has no results', () => {
    const analysis = analyzeNote('```mathnote\na = 1\n```\n');
    const model = buildPreviewModel(analysis, undefined);
    assert.equal(model.pending, true);
    assert.equal(blocks(model)[0]!.statements[0]!.result, undefined);
    assert.equal(modelOf('```mathnote\na = 1\n```\n').pending, undefined);
  });

  test('a .mathnote file is one block with no prose', () => {
    const model = modelOf('a = 1\nb = a + 1\n', 'sheet.mathnote');
    assert.deepEqual(model.segments.map((s) => s.kind), ['block']);
    const block = blocks(model)[0]!;
    assert.deepEqual(block.statements.map((s) => [s.line, s.result?.text]), [[0, '1'], [1, '2']]);
    assert.equal(modelOf('a = 1\n', 'note.md').segments[0]!.kind, 'prose', 'in Markdown the same text is prose');
  });
});

describe('the model a standalone page embeds', () => {
  test('leaves out default-valued fields and the page restores the same model', () => {
    const notes = exampleNotes();
    assert.ok(notes.length > 0);
    for (const note of notes) {
      const model = modelOf(note.text, note.name);
      const embedded = JSON.stringify(compactModel(model));
      assert.deepEqual(restoreEmbeddedModel(JSON.parse(embedded)), JSON.parse(JSON.stringify(model)), note.name);
      assert.ok(embedded.length < JSON.stringify(model).length, `${note.name}: the embedded copy is smaller`);
    }
  });

  test('keeps the fields that differ from their defaults', () => {
    const notes = exampleNotes().map((note) => modelOf(note.text, note.name));
    const statements = notes.flatMap((model) => blocks(model).flatMap((block) => block.statements));
    // The examples exercise every field that may be left out, with and without its default.
    assert.ok(statements.some((s) => s.comparison) && statements.some((s) => s.broken || s.problems.length > 0), 'examples have comparisons and problems');
    const compact = notes.map((model) => compactModel(model) as PreviewModel);
    const kept = compact.flatMap((model) => blocks(model).flatMap((block) => block.statements));
    assert.equal(kept.filter((s) => s.comparison === true).length, statements.filter((s) => s.comparison).length);
    assert.equal(kept.filter((s) => s.problems !== undefined).length, statements.filter((s) => s.problems.length > 0).length);
    assert.ok(kept.every((s) => s.comparison !== false && s.broken !== false), 'defaults left out');
    // Anything that is not a model passes through unchanged, for validation to reject.
    assert.equal(restoreEmbeddedModel('no'), 'no');
    assert.deepEqual(restoreEmbeddedModel({ segments: 3 }), { segments: 3 });
  });
});
