// Packages the extension as a .vsix: a production (minified, no source maps) build of every bundle,
// then `vsce package`. Everything the extension runs is bundled by esbuild, so the package holds no
// node_modules (see .vscodeignore); the list of files is printed for review.
//
//   node scripts/package.mjs           build and package → mathnote-<version>.vsix
//   node scripts/package.mjs --icon    also re-render images/icon.png from images/icon.svg
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const run = (command, args) => execFileSync(command, args, { cwd: root, stdio: 'inherit' });

if (process.argv.includes('--icon')) {
  // The icon is drawn as SVG and rendered to the 256×256 PNG the Marketplace wants by headless
  // Chromium (Debian's, through playwright-core).
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ['--no-sandbox', '--disable-gpu'] });
  const page = await browser.newPage({ viewport: { width: 256, height: 256 } });
  const svg = readFileSync(join(root, 'images', 'icon.svg'), 'utf8');
  await page.setContent(`<html><body style="margin:0;background:transparent">${svg}</body></html>`);
  await page.locator('svg').screenshot({ path: join(root, 'images', 'icon.png'), omitBackground: true });
  await browser.close();
  console.log('rendered images/icon.png');
}

// A clean production build: stale development bundles (with source maps) must not be packaged.
rmSync(join(root, 'dist'), { recursive: true, force: true });
run(process.execPath, [join(root, 'scripts', 'build.mjs'), '--production']);
const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const out = `mathnote-${version}.vsix`;
run(process.execPath, [join(root, 'node_modules', '@vscode', 'vsce', 'vsce'), 'package', '--no-dependencies', '--allow-missing-repository',
  // README links stay relative: VS Code shows the README from the installed package, where they resolve.
  '--no-rewrite-relative-links', '--out', out]);
run(process.execPath, [join(root, 'node_modules', '@vscode', 'vsce', 'vsce'), 'ls', '--no-dependencies', '--tree']);
console.log(`packaged ${out}`);
