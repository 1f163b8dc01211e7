/**
 * Render models of real notes, built by the real language core (analysis, evaluation, citations),
 * exactly as the language server and `mathnote render` build them.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  analyzeNote,
  buildPreviewModel,
  evaluateCitations,
  evaluateNote,
  type PreviewModel,
} from '../../server/src/language/index.js';
import { repoRoot } from './harness.js';

/** The example notes bundled with the project (`examples/*.md`), by file name. */
export function exampleNotes(): { name: string; text: string }[] {
  const folder = join(repoRoot, 'examples');
  return readdirSync(folder)
    .filter((file) => file.endsWith('.md'))
    .sort()
    .map((name) => ({ name, text: readFileSync(join(folder, name), 'utf8') }));
}

/** The preview model of a note's text. */
export function modelOf(text: string, name = 'note.md'): PreviewModel {
  const analysis = analyzeNote(text, { wholeFile: name.endsWith('.mathnote') });
  const evaluation = evaluateNote(analysis);
  const citations = evaluateCitations(analysis, { analyzeNote, evaluateNote }, { precision: 6 });
  return buildPreviewModel(analysis, evaluation, { precision: 6, citations, fallbackTitle: name, uri: `file:///notes/${name}` });
}
