/**
 * Generates docs/builtins.md, the reference of every built-in function, from the `doc` fields of
 * the registry, so the reference and the hovers can never disagree.
 *
 *   npm run docs:builtins           # rewrite docs/builtins.md
 *   npm run docs:builtins -- --check   # exit 1 when the committed file is stale
 *
 * test/unit/stdlib/builtins-doc.test.ts runs the check as part of `npm test`.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Builtin } from '../server/src/language/eval/builtin.js';
import { builtinRegistry } from '../server/src/language/eval/builtins/index.js';
import { calculusBuiltins } from '../server/src/language/eval/builtins/calculus.js';
import { elementaryBuiltins } from '../server/src/language/eval/builtins/elementary.js';
import { mlBuiltins } from '../server/src/language/eval/builtins/ml.js';
import { plotBuiltins } from '../server/src/language/eval/builtins/plots.js';
import { probabilityBuiltins } from '../server/src/language/eval/builtins/probability.js';
import { randomBuiltins } from '../server/src/language/eval/builtins/random.js';
import { sequenceBuiltins } from '../server/src/language/eval/builtins/sequences.js';
import { statsBuiltins } from '../server/src/language/eval/builtins/stats.js';

/** Where the reference lives, relative to the repository root. */
export const BUILTINS_DOC_PATH = join('docs', 'builtins.md');

/** Sections in reading order; built-ins of the registry in none of them go to the first section. */
const SECTIONS: readonly { readonly title: string; readonly table?: readonly Builtin[] }[] = [
  { title: 'Matrices and linear algebra' },
  { title: 'Elementary functions', table: elementaryBuiltins },
  { title: 'Statistics', table: statsBuiltins },
  { title: 'Probability', table: probabilityBuiltins },
  { title: 'Random numbers', table: randomBuiltins },
  { title: 'Machine learning', table: mlBuiltins },
  { title: 'Sequences and higher-order functions', table: sequenceBuiltins },
  { title: 'Calculus', table: calculusBuiltins },
  { title: 'Plots', table: plotBuiltins },
];

const INTRODUCTION = `# Built-in functions

This reference is generated from the same records that editor hovers show
(\`scripts/gen-builtins-doc.ts\`; do not edit it by hand: run
\`npm run docs:builtins\`).

Conventions that hold across the library:

- **Element-wise.** Elementary functions (\`exp\`, \`log\`, \`sqrt\`, \`sin\`, …), the
  probability functions and the activations apply entry by entry to a matrix, as in
  numpy; functions of several arguments broadcast like the element-wise operators (sizes
  equal or 1 in each dimension). \`expm\` and \`sqrtm\` are the matrix versions.
- **Column-wise reductions.** On a vector (1×n or n×1) \`sum mean median var std min max\`
  and friends return a scalar; on a matrix with more than one row and column they work down
  the columns and return a 1×d row (MATLAB, numpy \`axis=0\`): rows are observations.
- **Population variance, sample covariance.** \`var\` and \`std\` divide by n, like numpy
  (pass \`"sample"\` for n − 1); \`cov\` and \`corr\` divide by n − 1, like numpy.
- **1-based positions.** \`argmin\`, \`argmax\`, \`onehot\` labels and \`randperm\` count from 1,
  like indexing; \`range(a, b)\` includes b, like \`a:b\`.
- **Domain.** A real function outside its real domain (\`log(-1)\`, \`sqrt(-4)\`) gives NaN
  and a \`domain\` warning.
- **Seeded randomness.** \`rand randn randint bernoulli randperm\` draw from the note's own
  seeded source: the same note shows the same numbers; \`seed(n)\` restarts it.
`;

function escapeTableless(text: string): string {
  return text.replace(/\r?\n/g, ' ');
}

function renderBuiltin(builtin: Builtin): string {
  const { doc } = builtin;
  const lines = [`### \`${builtin.name}\``, '', `\`${doc.signature}\``, '', escapeTableless(doc.summary), ''];
  if (doc.formula) lines.push('$$', doc.formula, '$$', '');
  lines.push(`Example: \`${doc.example}\``, '');
  if (doc.conventions) lines.push(`**Conventions.** ${escapeTableless(doc.conventions)}`, '');
  if (builtin.aliases && builtin.aliases.length > 0) {
    lines.push(`**Also spelled** ${builtin.aliases.map((a) => `\`${a}\``).join(', ')}.`, '');
  }
  return lines.join('\n');
}

/** The whole reference as Markdown. */
export function renderBuiltinsDoc(): string {
  const registry = builtinRegistry();
  // Each built-in once, as the registry resolves its name (a table earlier in precedence wins).
  const unique = new Set<Builtin>(registry.values());
  const placed = new Set<Builtin>();
  for (const section of SECTIONS) for (const b of section.table ?? []) if (unique.has(b)) placed.add(b);
  const parts = [INTRODUCTION];
  const index: string[] = [];
  const bodies: string[] = [];
  for (const section of SECTIONS) {
    const members = section.table ? section.table.filter((b) => unique.has(b)) : [...unique].filter((b) => !placed.has(b));
    if (members.length === 0) continue;
    const sorted = section.table ? members : [...members].sort((a, b) => a.name.localeCompare(b.name));
    index.push(`- **${section.title}:** ${sorted.map((b) => `\`${b.name}\``).join(' ')}`);
    bodies.push(`## ${section.title}\n`, ...sorted.map(renderBuiltin));
  }
  parts.push('## Index\n', index.join('\n'), '', ...bodies);
  return `${parts.join('\n').trimEnd()}\n`;
}

/**
 * The repository root: beside this script's folder under CommonJS, else the working directory
 * (npm runs scripts from the root), so the script works whichever module system runs it.
 */
function repositoryRoot(): string {
  return typeof __dirname === 'string' ? join(__dirname, '..') : process.cwd();
}

function main(): void {
  const root = repositoryRoot();
  const target = join(root, BUILTINS_DOC_PATH);
  const text = renderBuiltinsDoc();
  if (process.argv.includes('--check')) {
    let current = '';
    try {
      current = readFileSync(target, 'utf8');
    } catch {
      current = '';
    }
    if (current !== text) {
      console.error(`${BUILTINS_DOC_PATH} is stale: run npm run docs:builtins`);
      process.exit(1);
    }
    return;
  }
  writeFileSync(target, text);
  console.log(`wrote ${BUILTINS_DOC_PATH}`);
}

// Run only as a command, not when a test imports renderBuiltinsDoc.
if (/gen-builtins-doc\.[cm]?[jt]s$/.test(process.argv[1] ?? '')) main();
