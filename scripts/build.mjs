// Bundles every entry point with esbuild: one file each for the client, the server, its evaluation
// worker, the command line and the webview. Entry points that do not exist yet are skipped, so the
// build works while the project grows.
import { build } from 'esbuild';
import { existsSync, mkdirSync, cpSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');

const nodeEntries = [
  { in: 'server/src/cli.ts', out: 'dist/cli.js' },
  // The language server and its worker keep their bundle's source in memory for as long as they
  // run (V8 compiles functions lazily from it), in every thread. Comments with a non-ASCII character
  // (·, −, …) made it a two-byte string of twice the file's size: without whitespace and comments it
  // is ASCII and about 5 MB smaller in all (the source maps keep stack traces readable).
  { in: 'server/src/server.ts', out: 'dist/server.js', minifyWhitespace: true },
  { in: 'server/src/lsp/evalWorker.ts', out: 'dist/evalWorker.js', minifyWhitespace: true },
  { in: 'client/src/extension.ts', out: 'dist/client/extension.js', external: ['vscode'] },
];
const browserEntries = [{ in: 'media/src/preview.ts', out: 'dist/media/preview.js' }];

const version = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version;
const common = {
  define: { MATHNOTE_VERSION: JSON.stringify(version) },
  bundle: true,
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
  absWorkingDir: root,
  legalComments: 'none',
};

const jobs = [];
for (const entry of nodeEntries) {
  if (!existsSync(join(root, entry.in))) continue;
  jobs.push(build({
    ...common,
    entryPoints: [entry.in],
    outfile: entry.out,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: entry.external ?? [],
    ...(entry.minifyWhitespace ? { minifyWhitespace: true } : {}),
  }));
}
for (const entry of browserEntries) {
  if (!existsSync(join(root, entry.in))) continue;
  jobs.push(build({
    ...common,
    entryPoints: [entry.in],
    outfile: entry.out,
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    // Always minified: the standalone page of `mathnote render` inlines this script, and half the
    // bytes to parse and compile is a faster first paint (the source map keeps it debuggable).
    minify: true,
    loader: { '.woff2': 'file', '.woff': 'file', '.ttf': 'file' },
  }));
}
await Promise.all(jobs);

// KaTeX's stylesheet and fonts are copied beside the webview bundle; the page loads them from there.
const katexDist = join(root, 'node_modules', 'katex', 'dist');
if (existsSync(katexDist)) {
  mkdirSync(join(root, 'dist', 'media', 'katex'), { recursive: true });
  cpSync(join(katexDist, 'katex.min.css'), join(root, 'dist', 'media', 'katex', 'katex.min.css'));
  cpSync(join(katexDist, 'fonts'), join(root, 'dist', 'media', 'katex', 'fonts'), { recursive: true });
}
if (watch) console.log('watch mode is not supported by this script; rerun `npm run build`.');
