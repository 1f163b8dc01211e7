// Runs the end-to-end suite (dist/e2e/suite/index.js) in a real VS Code 1.100: code-server serves
// the workbench, headless Debian Chromium (playwright-core) opens it with the extension under
// development and the suite as `extensionTestsPath`, and VS Code reports the suite's exit code to
// the page through `window.codeAutomationExit`, exactly as microsoft/vscode's browser integration
// tests and @vscode/test-web do.
//
//   node scripts/e2e-code-server.mjs              the extension from this folder (dist/)
//   node scripts/e2e-code-server.mjs --vsix FILE  the packaged extension, installed into code-server
//   options: --grep TEXT (only matching tests), --keep (leave the temporary folder)
//
// Prerequisites: scripts/e2e-install.sh (code-server) and the builds (npm run build, e2e build).
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, watch, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const option = (name) => {
  const index = args.indexOf(name);
  return index >= 0 ? args[index + 1] : undefined;
};
const vsix = option('--vsix') ? resolve(option('--vsix')) : undefined;
const grep = option('--grep');
const keep = args.includes('--keep');
const overallTimeoutMs = 8 * 60_000;

const codeServer = join(root, 'test/e2e/.code-server/node_modules/.bin/code-server');
const suite = join(root, 'dist/e2e/suite/index.js');
for (const [file, hint] of [[codeServer, 'sh scripts/e2e-install.sh'], [suite, 'node scripts/e2e-build.mjs'], [join(root, 'dist/client/extension.js'), 'npm run build']]) {
  if (!existsSync(file)) {
    console.error(`missing ${file}: run \`${hint}\` first`);
    process.exit(2);
  }
}

/** A TCP port nobody listens on right now. */
function freePort() {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolvePort(port));
    });
  });
}

// A fresh folder per run: the notes (tests edit them), VS Code's user data, extensions, output.
const temp = mkdtempSync(join(tmpdir(), 'mathnote-e2e-'));
const workspace = join(temp, 'workspace');
const userData = join(temp, 'user-data');
const extensionsDir = join(temp, 'extensions');
const outDir = join(temp, 'out');
for (const dir of [workspace, userData, extensionsDir, outDir]) mkdirSync(dir, { recursive: true });
for (const file of readdirSync(join(root, 'examples'))) {
  if (file.endsWith('.md') || file.endsWith('.mathnote')) cpSync(join(root, 'examples', file), join(workspace, file));
}
// The suite checks that the extension it tests was loaded from where this run put it: this folder
// for a development run, code-server's extensions folder for a packaged one.
const extensionRoot = vsix ? extensionsDir : root;
writeFileSync(join(workspace, '.mathnote-e2e.json'), JSON.stringify({ outDir, screenshots: true, grep, extensionRoot }));
// User settings: no welcome page, no trust prompt, no telemetry, a stable look for screenshots.
mkdirSync(join(userData, 'User'), { recursive: true });
writeFileSync(join(userData, 'User', 'settings.json'), JSON.stringify({
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.colorTheme': 'Default Light Modern',
  'security.workspace.trust.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'update.mode': 'none',
  'editor.fontSize': 15,
  'editor.minimap.enabled': false,
  'window.commandCenter': false,
  'chat.commandCenter.enabled': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  // The first evaluation runs while code-server, the extension host and the server's worker are
  // all starting on a small shared machine; the default budget (2 s) is meant for a warm editor.
  'mathnote.evaluation.timeBudgetMs': 10000,
}, null, 2));
const configFile = join(temp, 'code-server.yaml');
writeFileSync(configFile, 'auth: none\n');

const baseArgs = ['--config', configFile, '--user-data-dir', userData, '--extensions-dir', extensionsDir];
// A packaged run installs the .vsix the way a user does and loads, as the "extension under
// development", only an empty harness extension (VS Code runs extension tests only in the
// extension host of a development extension).
let developmentPath = root;
if (vsix) {
  const install = spawnSync(codeServer, [...baseArgs, '--install-extension', vsix], { encoding: 'utf8' });
  process.stdout.write(install.stdout);
  process.stderr.write(install.stderr);
  if (install.status !== 0) {
    console.error(`installing ${vsix} failed`);
    process.exit(1);
  }
  developmentPath = join(temp, 'harness');
  mkdirSync(developmentPath);
  writeFileSync(join(developmentPath, 'package.json'), JSON.stringify({
    name: 'mathnote-e2e-harness', publisher: 'mathnote', version: '0.0.0', engines: { vscode: '^1.100.0' },
  }));
}

const port = await freePort();
const host = `127.0.0.1:${port}`;
// `detached` makes code-server the leader of a new session and process group (setsid(2)), so the
// whole tree (server, extension hosts, language servers) is killed together at the end.
const server = spawn(codeServer, [
  ...baseArgs, '--auth', 'none', '--bind-addr', host, '--disable-telemetry', '--disable-update-check',
  '--disable-workspace-trust', '--disable-getting-started-override', '--ignore-last-opened', '--log', 'info',
], { detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, MATHNOTE_E2E_OUT: outDir } });
const serverLog = [];
const listening = new Promise((resolveListening, reject) => {
  const onData = (chunk) => {
    const text = chunk.toString();
    serverLog.push(text);
    if (/HTTP server listening on/.test(text)) resolveListening();
  };
  server.stdout.on('data', onData);
  server.stderr.on('data', onData);
  server.once('exit', (code) => reject(new Error(`code-server exited early (${code}):\n${serverLog.join('')}`)));
});

let browser;
let watcher;
function cleanUp() {
  watcher?.close();
  try {
    process.kill(-server.pid, 'SIGKILL');
  } catch {
    // The group is already gone.
  }
  if (!keep) rmSync(temp, { recursive: true, force: true });
  else console.log(`kept ${temp}`);
}

const timeout = setTimeout(() => {
  console.error(`end-to-end run timed out after ${overallTimeoutMs / 1000} s`);
  printSuiteLog();
  void browser?.close();
  cleanUp();
  process.exit(1);
}, overallTimeoutMs);

function printSuiteLog() {
  const log = join(outDir, 'mocha.log');
  if (existsSync(log)) process.stdout.write(readFileSync(log, 'utf8'));
  else console.log('(the suite wrote no log)');
}

let exitCode = 1;
try {
  await listening;
  console.log(`code-server listening on ${host}${vsix ? `, with ${basename(vsix)} installed` : ''}`);
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  page.on('pageerror', (error) => console.log(`[page error] ${error.message}`));
  await page.exposeFunction('codeAutomationLog', (type, logArgs) => {
    if (process.env.MATHNOTE_E2E_VERBOSE) console.log(`[vscode ${type}]`, ...(logArgs ?? []));
  });
  const exited = new Promise((resolveExit) => {
    void page.exposeFunction('codeAutomationExit', (code) => resolveExit(code));
  });

  // Screenshots on request: the suite writes NAME.request into outDir and waits for NAME.done.
  // Screenshots of the development run illustrate the README (images/); those of the packaged run
  // are kept apart for inspection (test-results/, git-ignored).
  const images = vsix ? join(root, 'test-results', 'e2e-vsix') : join(root, 'images');
  mkdirSync(images, { recursive: true });
  const handled = new Set();
  const takeScreenshot = async (name) => {
    const result = name === 'preview' ? await inspectPreview(page) : {};
    await page.screenshot({ path: join(images, `${name}.png`) });
    // Written then renamed, so the suite (watching the folder) never reads a half-written file.
    writeFileSync(join(outDir, `${name}.tmp`), JSON.stringify(result));
    renameSync(join(outDir, `${name}.tmp`), join(outDir, `${name}.done`));
  };
  watcher = watch(outDir, (_event, file) => {
    if (!file?.endsWith('.request') || handled.has(file)) return;
    handled.add(file);
    takeScreenshot(file.slice(0, -'.request'.length)).catch((error) => console.log(`[screenshot] ${error}`));
  });

  const remote = (path) => `vscode-remote://${host}${path}`;
  const payload = [
    ['extensionDevelopmentPath', remote(developmentPath)],
    ['extensionTestsPath', remote(suite)],
  ];
  const url = `http://${host}/?folder=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
  await page.goto(url);
  exitCode = await exited;
  printSuiteLog();
  console.log(`VS Code reported exit code ${exitCode}`);
} catch (error) {
  console.error(error);
  printSuiteLog();
} finally {
  clearTimeout(timeout);
  await browser?.close();
  cleanUp();
}
process.exit(exitCode === 0 ? 0 : 1);

/**
 * Waits (up to 20 s) until the preview webview shows typeset formulas and a plot (`.mn-plot`, the
 * preview's plot figure), and reports what it found, for the suite to assert. A webview is an
 * iframe in an iframe of the workbench, out of reach of the extension host, hence this look from
 * the browser side.
 */
async function inspectPreview(page) {
  const deadline = Date.now() + 20_000;
  let found = { katex: 0, svg: 0, marks: 0, text: '' };
  while (Date.now() < deadline) {
    for (const frame of page.frames()) {
      const counts = await frame.evaluate(() => ({
        katex: document.querySelectorAll('.katex').length,
        svg: document.querySelectorAll('.mn-plot svg').length,
        marks: document.querySelectorAll('.mn-plot svg circle, .mn-plot svg path').length,
        text: document.body?.innerText.slice(0, 2000) ?? '',
      })).catch(() => undefined);
      // The preview's frame is the one with the most formulas; a later look at it counts too when
      // only its plot has appeared since (the formulas are typeset before the plot is drawn).
      const better = counts && (counts.katex > found.katex || (counts.katex === found.katex && counts.svg + counts.marks > found.svg + found.marks));
      if (better) found = counts;
    }
    if (found.katex > 0 && found.svg > 0) break;
    await page.waitForTimeout(250);
  }
  // Bring the plot into view for the screenshot (it sits below the formulas).
  for (const frame of page.frames()) {
    await frame.evaluate(() => document.querySelector('.mn-plot')?.scrollIntoView({ block: 'end' })).catch(() => undefined);
  }
  return found;
}
