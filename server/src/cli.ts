/**
 * The `mathnote` command line: checks, evaluates and renders notes without an editor, over the same
 * language service as the language server.
 *
 *   mathnote check FILE…            file:line:col: severity code: message; exit 1 on any error
 *   mathnote eval FILE [--json]     every statement's result (the JSON schema is in DESIGN.md)
 *   mathnote render FILE -o OUT     a standalone HTML page that looks like the preview
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { basename, extname } from 'node:path';
import {
  analyzeNote,
  evaluateNote,
  evalReport,
  type EvalReport,
  type ReportDiagnostic,
} from './language/index.js';
import { renderNoteFile } from './render.js';

const USAGE = `Usage:
  mathnote check FILE...                 report problems as file:line:col: severity code: message
  mathnote eval FILE [--json]            print every statement's result
  mathnote render FILE -o OUT.html       write a standalone page that looks like the preview

Options:
  --precision N      significant digits of printed numbers (default 6)
  --time-budget MS   evaluation time budget per note in milliseconds (default 5000)
  -h, --help         show this help
  --version          show the version

Exit codes: 0 success, 1 the note has errors, 2 bad usage or unreadable file.`;

interface CliOptions {
  readonly command: string;
  readonly files: string[];
  readonly json: boolean;
  readonly output?: string;
  readonly precision: number;
  readonly timeBudgetMs: number;
}

class UsageError extends Error {}

function parseArguments(argv: readonly string[]): CliOptions {
  const [command, ...rest] = argv;
  const files: string[] = [];
  let json = false;
  let output: string | undefined;
  let precision = 6;
  let timeBudgetMs = 5000;
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i];
    const needValue = (): string => {
      const value = rest[++i];
      if (value === undefined) throw new UsageError(`${arg} needs a value`);
      return value;
    };
    if (arg === '--json') json = true;
    else if (arg === '-o' || arg === '--output') output = needValue();
    else if (arg === '--precision') precision = positiveInteger(arg, needValue());
    else if (arg === '--time-budget') timeBudgetMs = positiveInteger(arg, needValue());
    else if (arg.startsWith('-')) throw new UsageError(`unknown option ${arg}`);
    else files.push(arg);
  }
  return { command: command ?? '', files, json, output, precision, timeBudgetMs };
}

function positiveInteger(option: string, text: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value <= 0) throw new UsageError(`${option} needs a positive whole number, not '${text}'`);
  return value;
}

function readNote(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
}

function reportFor(file: string, options: CliOptions): EvalReport {
  const text = readNote(file);
  const analysis = analyzeNote(text, { wholeFile: extname(file) === '.mathnote' });
  const evaluation = evaluateNote(analysis, { precision: options.precision, timeBudgetMs: options.timeBudgetMs });
  return evalReport(file, analysis, evaluation, { precision: options.precision });
}

function formatDiagnostic(file: string, diagnostic: ReportDiagnostic): string {
  const { line, character } = diagnostic.range.start;
  return `${file}:${line + 1}:${character + 1}: ${diagnostic.severity} ${diagnostic.code}: ${diagnostic.message}`;
}

function runCheck(options: CliOptions): number {
  if (options.files.length === 0) throw new UsageError('check needs at least one FILE');
  let errors = 0;
  let warnings = 0;
  for (const file of options.files) {
    const report = reportFor(file, options);
    for (const diagnostic of report.diagnostics) {
      process.stdout.write(formatDiagnostic(file, diagnostic) + '\n');
      if (diagnostic.severity === 'error') errors++;
      else if (diagnostic.severity === 'warning') warnings++;
    }
  }
  const files = options.files.length === 1 ? '1 note' : `${options.files.length} notes`;
  process.stderr.write(`${files} checked: ${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}\n`);
  return errors > 0 ? 1 : 0;
}

function runEval(options: CliOptions): number {
  if (options.files.length !== 1) throw new UsageError('eval needs exactly one FILE');
  const file = options.files[0];
  const report = reportFor(file, options);
  if (options.json) {
    process.stdout.write(JSON.stringify(report) + '\n');
  } else {
    process.stdout.write(formatEvalText(file, report));
  }
  return report.diagnostics.some((d) => d.severity === 'error') ? 1 : 0;
}

/**
 * A readable listing in document order: each statement with its result (on one line when it is
 * short, as an aligned grid otherwise), and every problem under the line it starts on.
 */
function formatEvalText(file: string, report: EvalReport): string {
  type Entry = { line: number; order: number; render: () => string[] };
  const entries: Entry[] = [];
  const width = Math.min(48, Math.max(8, ...report.statements.map((s) => displayWidth(firstLine(s.source)))));
  for (const statement of report.statements) {
    entries.push({
      line: statement.range.start.line,
      order: 0,
      render: () => {
        const source = firstLine(statement.source);
        const prefix = `${String(statement.range.start.line + 1).padStart(4)}  ${source}${' '.repeat(Math.max(0, width - displayWidth(source)))}`;
        if (statement.text === null) return [prefix.trimEnd()];
        const oneLine = statement.inline ?? statement.text;
        if (!oneLine.includes('\n') && oneLine.length <= 60) return [`${prefix}  ⇒ ${oneLine}`];
        const [head, ...tail] = statement.text.split('\n');
        const indent = ' '.repeat(displayWidth(prefix) + 4);
        return [`${prefix}  ⇒ ${head}`, ...tail.map((more) => indent + more)];
      },
    });
  }
  for (const diagnostic of report.diagnostics) {
    const owned = report.statements.some((s) => s.range.start.line === diagnostic.range.start.line);
    entries.push({
      line: diagnostic.range.start.line,
      order: 1,
      render: () => [owned ? `        ${diagnostic.severity} ${diagnostic.code}: ${diagnostic.message}` : formatDiagnostic(file, diagnostic)],
    });
  }
  entries.sort((a, b) => a.line - b.line || a.order - b.order);
  return entries.flatMap((entry) => entry.render()).join('\n') + '\n';
}

/**
 * Columns a string takes in a terminal: combining accents (β̂) take none, CJK and full-width
 * characters two, so results line up under notes written in Chinese or Japanese.
 */
function displayWidth(text: string): number {
  let width = 0;
  for (const char of text) {
    if (/\p{M}/u.test(char)) continue;
    const code = char.codePointAt(0)!;
    const wide =
      (code >= 0x1100 && code <= 0x115f) || (code >= 0x2e80 && code <= 0xa4cf) || (code >= 0xac00 && code <= 0xd7a3) ||
      (code >= 0xf900 && code <= 0xfaff) || (code >= 0xfe30 && code <= 0xfe4f) || (code >= 0xff00 && code <= 0xff60) ||
      (code >= 0xffe0 && code <= 0xffe6) || code >= 0x20000;
    width += wide ? 2 : 1;
  }
  return width;
}

function firstLine(text: string): string {
  const line = text.split(/\r?\n/)[0];
  return text.includes('\n') ? `${line} …` : line;
}

function runRender(options: CliOptions): number {
  if (options.files.length !== 1) throw new UsageError('render needs exactly one FILE');
  const file = options.files[0];
  const output = options.output ?? file.replace(/\.(md|markdown|mathnote)$/i, '') + '.html';
  const text = readNote(file);
  const html = renderNoteFile(text, {
    title: basename(file),
    wholeFile: extname(file) === '.mathnote',
    precision: options.precision,
    timeBudgetMs: options.timeBudgetMs,
  });
  writeFileSync(output, html);
  process.stderr.write(`wrote ${output}\n`);
  return 0;
}

function main(argv: readonly string[]): number {
  if (argv.length === 0 || argv.includes('-h') || argv.includes('--help')) {
    process.stdout.write(USAGE + '\n');
    return argv.length === 0 ? 2 : 0;
  }
  if (argv[0] === '--version') {
    process.stdout.write(`mathnote ${MATHNOTE_VERSION}\n`);
    return 0;
  }
  try {
    const options = parseArguments(argv);
    switch (options.command) {
      case 'check':
        return runCheck(options);
      case 'eval':
        return runEval(options);
      case 'render':
        return runRender(options);
      default:
        throw new UsageError(`unknown command '${options.command}'`);
    }
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`mathnote: ${error.message}\n\n${USAGE}\n`);
      return 2;
    }
    throw error;
  }
}

declare const MATHNOTE_VERSION: string;

process.exitCode = main(process.argv.slice(2));
