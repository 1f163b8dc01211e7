// The entry point VS Code loads as `extensionTestsPath`: it runs the mocha suites inside the
// extension host and resolves when they pass (VS Code then reports exit code 0 to the launcher).
import Mocha from 'mocha';
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { format } from 'node:util';
import { e2eOptions } from './harness.js';

/** Called by VS Code's extension host; rejects when any test failed. */
export async function run(): Promise<void> {
  const options = e2eOptions();
  const logFile = join(options.outDir, 'mocha.log');
  // Mocha's reporters print through Base.consoleLog; the extension host's stdout goes nowhere a
  // launcher can read, so every line is also appended to a log file the launcher prints.
  const base = Mocha.reporters.Base as unknown as { consoleLog: (...args: unknown[]) => void };
  base.consoleLog = (...args: unknown[]) => {
    const line = format(...args);
    appendFileSync(logFile, line.replace(/\u001b\[[0-9;]*m/g, '') + '\n');
    console.log(line);
  };
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 60_000, reporter: 'spec' });
  if (options.grep) mocha.grep(options.grep);
  // The suites are bundled into this file; they are imported after mocha installed its globals
  // (describe/it) on the 'pre-require' event, which the dynamic imports below make lazy.
  mocha.suite.emit('pre-require', globalThis, 'bundle', mocha);
  await import('./activation.test.js');
  await import('./features.test.js');
  const failures = await new Promise<number>((resolve) => mocha.run(resolve));
  appendFileSync(logFile, `MATHNOTE_E2E_DONE failures=${failures}\n`);
  if (failures > 0) throw new Error(`${failures} end-to-end test(s) failed.`);
}
