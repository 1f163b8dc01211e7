// Bundles the end-to-end mocha suite (test/e2e/suite/*.ts) into dist/e2e/suite/index.js, the file
// VS Code loads as `extensionTestsPath`. 'vscode' is provided by the extension host and mocha is
// loaded from the repository's node_modules at run time (mocha does not survive bundling: it
// requires its reporters dynamically).
import { build } from 'esbuild';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
await build({
  absWorkingDir: root,
  entryPoints: ['test/e2e/suite/index.ts'],
  outfile: 'dist/e2e/suite/index.js',
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: 'inline',
  external: ['vscode', 'mocha'],
  logLevel: 'warning',
});
