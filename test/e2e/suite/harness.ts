// Helpers shared by the end-to-end suites: where the launcher wants output, waiting on VS Code
// events (never on timers), and screenshots taken by the launcher on request.
import * as vscode from 'vscode';
import { existsSync, readFileSync, watch, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The identifier of the extension under test (publisher.name in package.json). */
export const extensionId = 'mathnote.mathnote';

/** What the launcher tells the suite, through `.mathnote-e2e.json` in the workspace folder. */
export interface E2eOptions {
  /** Folder for the mocha log and screenshots. */
  outDir: string;
  /** Whether the launcher takes screenshots on request (code-server with a browser). */
  screenshots: boolean;
  /** Only run tests whose title matches. */
  grep?: string;
  /** The folder the extension under test must be loaded from (the repository, or the folder the .vsix was installed into). */
  extensionRoot?: string;
}

/** The workspace folder the launcher prepared (a fresh copy of the example notes). */
export function workspaceFolder(): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error('The end-to-end tests need a workspace folder (the launcher opens one).');
  return folder.uri;
}

/** Reads the launcher's options. */
export function e2eOptions(): E2eOptions {
  const file = join(workspaceFolder().fsPath, '.mathnote-e2e.json');
  if (!existsSync(file)) throw new Error(`Missing ${file}: start the tests through scripts/e2e-*.mjs.`);
  return JSON.parse(readFileSync(file, 'utf8')) as E2eOptions;
}

/** The activated extension's API (see client/src/extension.ts). */
export interface MathnoteApi {
  ready: Promise<void>;
  onDidChangeEvaluationStatus: vscode.Event<{ uri: string; version: number; state: string; errors: number; warnings: number; elapsedMs?: number }>;
  evaluationStatus(uri: vscode.Uri): { uri: string; version: number; state: string; errors: number; warnings: number; elapsedMs?: number } | undefined;
  statusBarText(): string | undefined;
}

/** Activates the extension (if needed) and waits until its language server runs. */
export async function activateExtension(): Promise<MathnoteApi> {
  const extension = vscode.extensions.getExtension<MathnoteApi>(extensionId);
  if (!extension) throw new Error(`Extension ${extensionId} is not installed.`);
  const api = await extension.activate();
  await api.ready;
  return api;
}

/**
 * Resolves with the first value `probe` returns that is not undefined, checking now and again each
 * time one of `events` fires; rejects after `timeoutMs` with `what` in the message.
 */
export function waitFor<T>(what: string, events: vscode.Event<unknown>[], probe: () => T | undefined | Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const subscriptions: vscode.Disposable[] = [];
    let settled = false;
    const finish = (action: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      for (const subscription of subscriptions) subscription.dispose();
      action();
    };
    const check = async () => {
      try {
        const value = await probe();
        if (value !== undefined) finish(() => resolve(value));
      } catch (error) {
        finish(() => reject(error));
      }
    };
    const timer = setTimeout(() => finish(() => reject(new Error(`Timed out after ${timeoutMs} ms waiting for ${what}.`))), timeoutMs);
    for (const event of events) subscriptions.push(event(() => void check()));
    void check();
  });
}

/** Opens a note of the workspace in an editor (column one) and returns the editor. */
export async function openNote(name: string): Promise<vscode.TextEditor> {
  const uri = vscode.Uri.joinPath(workspaceFolder(), name);
  const document = await vscode.workspace.openTextDocument(uri);
  return vscode.window.showTextDocument(document, { viewColumn: vscode.ViewColumn.One, preview: false });
}

/** Waits until the server reports that the current version of `document` has been evaluated. */
export function waitForEvaluation(api: MathnoteApi, document: vscode.TextDocument, timeoutMs = 60_000): Promise<NonNullable<ReturnType<MathnoteApi['evaluationStatus']>>> {
  return waitFor(`the evaluation of ${document.uri.path}`, [api.onDidChangeEvaluationStatus], () => {
    const status = api.evaluationStatus(document.uri);
    return status && status.state !== 'evaluating' && status.version === document.version ? status : undefined;
  }, timeoutMs);
}

/** The diagnostics of a document once `accept` is satisfied by them. */
export function waitForDiagnostics(uri: vscode.Uri, accept: (diagnostics: vscode.Diagnostic[]) => boolean, what: string, timeoutMs = 30_000): Promise<vscode.Diagnostic[]> {
  return waitFor(what, [vscode.languages.onDidChangeDiagnostics], () => {
    const diagnostics = vscode.languages.getDiagnostics(uri);
    return accept(diagnostics) ? diagnostics : undefined;
  }, timeoutMs);
}

/** A diagnostic's code as a string (LSP codes may arrive as `{ value, target }`). */
export function codeOf(diagnostic: vscode.Diagnostic): string {
  const code = diagnostic.code;
  if (code === undefined) return '';
  return typeof code === 'object' ? String(code.value) : String(code);
}

/** What the launcher found in the preview webview's page when it took the `preview` screenshot. */
export interface PreviewInspection {
  /** Elements rendered by KaTeX (`.katex`). */
  katex: number;
  /** SVG elements inside the preview's plot figures (`.mn-plot`). */
  svg: number;
  /** Circles and paths inside those SVGs: scatter dots, line and curve paths, axes' ticks. */
  marks: number;
  /** The start of the page's text. */
  text: string;
}

/**
 * Asks the launcher for a screenshot of the whole VS Code window, saved as `images/NAME.png`, and
 * waits until it is written. Returns what the launcher reported with it (for `preview`: a
 * {@link PreviewInspection}), or undefined when the launcher cannot take screenshots.
 */
export async function screenshot(name: string): Promise<Record<string, unknown> | undefined> {
  const options = e2eOptions();
  if (!options.screenshots) return undefined;
  // Toasts from earlier tests would cover the editor in the picture.
  await vscode.commands.executeCommand('notifications.clearAll');
  const done = join(options.outDir, `${name}.done`);
  await new Promise<void>((resolve, reject) => {
    const watcher = watch(options.outDir, () => {
      if (existsSync(done)) finish();
    });
    const timer = setTimeout(() => finish(new Error(`The launcher did not take screenshot ${name}.`)), 30_000);
    function finish(error?: Error) {
      watcher.close();
      clearTimeout(timer);
      if (error) reject(error);
      else resolve();
    }
    writeFileSync(join(options.outDir, `${name}.request`), name);
    if (existsSync(done)) finish();
  });
  return JSON.parse(readFileSync(done, 'utf8')) as Record<string, unknown>;
}
