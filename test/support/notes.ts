/**
 * Shared helpers for tests that run whole notes through the language service: reading fixture
 * notes, and a compact view of problems for assertions.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/** The project root (tests live two or three folders below it). */
export const projectRoot = join(__dirname, '..', '..');

/** The example notes bundled with the project (`examples/*.md`), by file name. */
export function exampleNotes(): Map<string, string> {
  const folder = join(projectRoot, 'examples');
  const notes = new Map<string, string>();
  for (const name of readdirSync(folder).filter((f) => f.endsWith('.md')).sort()) {
    notes.set(name, readFileSync(join(folder, name), 'utf8'));
  }
  return notes;
}

/** Reads a fixture file below `test/fixtures/`. */
export function fixture(path: string): string {
  return readFileSync(join(projectRoot, 'test', 'fixtures', path), 'utf8');
}
