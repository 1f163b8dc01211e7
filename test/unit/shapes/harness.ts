/**
 * The data-driven harness of the resolver and shape checker tests.
 *
 * A fixture is a Markdown note whose statements carry marker comments:
 *   `A B   # problem: shape: A * B: A is 2×3 and B is 2×2; the inner sizes 3 and 2 must match`
 *   `x = 1:10   # type: 1×10`
 * Every problem the resolver and the checker report must be announced by a marker on the line
 * where it starts (with its code and exact message), and every marker must be matched.
 */
import { findBlocks } from '../../../server/src/language/markdown/blocks.js';
import type { Problem } from '../../../server/src/language/problem.js';
import { resolveMessages } from '../../../server/src/language/resolve/messages.js';
import { resolve } from '../../../server/src/language/resolve/resolver.js';
import { checkShapes } from '../../../server/src/language/shapes/checker.js';
import { formatStaticType } from '../../../server/src/language/shapes/format.js';
import { shapeMessages } from '../../../server/src/language/shapes/messages.js';
import { shapeSignatures } from '../../../server/src/language/shapes/signatures.js';
import { parseBlock } from '../../../server/src/language/syntax/parser.js';
import type { Statement } from '../../../server/src/language/syntax/ast.js';

/** The built-in names the fixtures are resolved against: every name with a static rule. */
export const fixtureBuiltins: ReadonlySet<string> = new Set(shapeSignatures.keys());

export interface FixtureAnalysis {
  readonly text: string;
  readonly statements: readonly Statement[];
  readonly syntaxProblems: readonly Problem[];
  /** Resolver and checker problems, in document order. */
  readonly problems: readonly Problem[];
  readonly typeOf: (statement: Statement) => string;
}

/** Parses every block of a note and runs the resolver and the checker over it. */
export function analyzeNote(text: string): FixtureAnalysis {
  const statements: Statement[] = [];
  const syntaxProblems: Problem[] = [];
  for (const block of findBlocks(text)) {
    const parsed = parseBlock(text, block.contentStart, block.contentEnd);
    statements.push(...parsed.value.statements);
    syntaxProblems.push(...parsed.problems);
  }
  const resolution = resolve(statements, fixtureBuiltins, text);
  const shapes = checkShapes(statements, resolution.value, text);
  const problems = [...resolution.problems, ...shapes.problems].sort((a, b) => a.span.start - b.span.start);
  return {
    text,
    statements,
    syntaxProblems,
    problems,
    typeOf: (statement) => formatStaticType(shapes.value.typeOf(statement)),
  };
}

/** A problem as a marker states it: `code: message`. */
export function renderProblem(problem: Problem): string {
  const template = resolveMessages[problem.kind] ?? shapeMessages[problem.kind];
  return `${problem.code}: ${template ? template(problem.args) : `(no template for ${problem.kind})`}`;
}

/** 1-based line of an offset. */
export function lineOf(text: string, offset: number): number {
  let line = 1;
  for (let index = 0; index < offset && index < text.length; index++) if (text.charCodeAt(index) === 10) line++;
  return line;
}

export interface Mismatch {
  readonly line: number;
  readonly expected: readonly string[];
  readonly actual: readonly string[];
  readonly what: 'problems' | 'type';
}

const MARKER = /#\s*(problem|type):\s*(.*?)(?=\s+#\s*(?:problem|type):|$)/gu;

/** Compares a fixture's markers with what the passes report; returns every disagreement. */
export function compareWithMarkers(analysis: FixtureAnalysis): Mismatch[] {
  const lines = analysis.text.split('\n');
  const expectedProblems = new Map<number, string[]>();
  const expectedTypes = new Map<number, string>();
  lines.forEach((content, index) => {
    for (const match of content.matchAll(MARKER)) {
      if (match[1] === 'problem') {
        const list = expectedProblems.get(index + 1) ?? [];
        list.push(match[2]!.trim());
        expectedProblems.set(index + 1, list);
      } else {
        expectedTypes.set(index + 1, match[2]!.trim());
      }
    }
  });
  const actualProblems = new Map<number, string[]>();
  for (const problem of analysis.problems) {
    const line = lineOf(analysis.text, problem.span.start);
    const list = actualProblems.get(line) ?? [];
    list.push(renderProblem(problem));
    actualProblems.set(line, list);
  }
  const mismatches: Mismatch[] = [];
  const problemLines = new Set([...expectedProblems.keys(), ...actualProblems.keys()]);
  for (const line of [...problemLines].sort((a, b) => a - b)) {
    const expected = [...(expectedProblems.get(line) ?? [])].sort();
    const actual = [...(actualProblems.get(line) ?? [])].sort();
    if (JSON.stringify(expected) !== JSON.stringify(actual)) mismatches.push({ line, expected, actual, what: 'problems' });
  }
  for (const [line, expected] of expectedTypes) {
    const statement = analysis.statements.find((candidate) => lineOf(analysis.text, candidate.span.start) === line);
    const actual = statement ? analysis.typeOf(statement) : '(no statement on this line)';
    if (actual !== expected) mismatches.push({ line, expected: [expected], actual: [actual], what: 'type' });
  }
  return mismatches;
}

/** A readable report of mismatches for assertion messages. */
export function describeMismatches(file: string, mismatches: readonly Mismatch[]): string {
  return mismatches
    .map((mismatch) => `${file}:${mismatch.line} ${mismatch.what}\n  expected: ${JSON.stringify(mismatch.expected)}\n  actual:   ${JSON.stringify(mismatch.actual)}`)
    .join('\n');
}
