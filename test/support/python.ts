/**
 * Finds a Python 3 interpreter that can import numpy, for the oracle tests that compare Mathnote's
 * numbers with numpy's. CI installs Debian's python3-numpy, which belongs to /usr/bin/python3; a
 * developer's PATH may put another python3 first, so several candidates are tried in order.
 */
import { spawnSync } from 'node:child_process';

let cached: string | undefined;

/** The command of a python3 with numpy; throws a clear error when none is installed. */
export function pythonWithNumpy(): string {
  if (cached) return cached;
  const candidates = [process.env.MATHNOTE_PYTHON, 'python3', '/usr/bin/python3'].filter((c): c is string => !!c);
  for (const candidate of candidates) {
    const probe = spawnSync(candidate, ['-c', 'import numpy'], { encoding: 'utf8' });
    if (probe.status === 0) {
      cached = candidate;
      return candidate;
    }
  }
  throw new Error('The numpy oracle tests need python3 with numpy: install Debian\'s python3-numpy (see .ci/run).');
}

/** Runs a Python script with numpy, passing `input` as JSON on stdin and parsing JSON from stdout. */
export function runNumpy<T>(script: string, input: unknown): T {
  const result = spawnSync(pythonWithNumpy(), ['-c', script], {
    input: JSON.stringify(input),
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  if (result.status !== 0) throw new Error(`python3 failed: ${result.stderr}`);
  return JSON.parse(result.stdout) as T;
}
