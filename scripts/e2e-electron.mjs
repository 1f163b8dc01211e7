// Runs the end-to-end suite in a desktop VS Code downloaded by @vscode/test-electron (machines with
// internet access; CI here uses scripts/e2e-code-server.mjs instead, the same suite in code-server).
//
//   node scripts/e2e-electron.mjs [--vscode-version 1.100.3] [--grep TEXT]
//
// Prerequisites: npm run build && node scripts/e2e-build.mjs. Screenshots need a browser page and
// are only taken by the code-server launcher.
import { runTests } from '@vscode/test-electron';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const option = (name) => {
  const index = args.indexOf(name);
  return index >= 0 ? args[index + 1] : undefined;
};

const temp = mkdtempSync(join(tmpdir(), 'mathnote-e2e-'));
const workspace = join(temp, 'workspace');
const outDir = join(temp, 'out');
mkdirSync(workspace, { recursive: true });
mkdirSync(outDir, { recursive: true });
for (const file of readdirSync(join(root, 'examples'))) {
  if (file.endsWith('.md') || file.endsWith('.mathnote')) cpSync(join(root, 'examples', file), join(workspace, file));
}
writeFileSync(join(workspace, '.mathnote-e2e.json'), JSON.stringify({ outDir, screenshots: false, grep: option('--grep'), extensionRoot: root }));

let exitCode = 1;
try {
  exitCode = await runTests({
    version: option('--vscode-version') ?? '1.100.3',
    extensionDevelopmentPath: root,
    extensionTestsPath: join(root, 'dist', 'e2e', 'suite', 'index.js'),
    launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust', '--skip-welcome', '--skip-release-notes',
      '--user-data-dir', join(temp, 'user-data')],
  });
} catch (error) {
  console.error(error);
} finally {
  rmSync(temp, { recursive: true, force: true });
}
process.exit(exitCode === 0 ? 0 : 1);
