import type * as vscode from 'vscode';
import { registerCommands } from './commands.js';
import { MathnoteContext } from './ctx.js';
import { registerPreview } from './preview/panel.js';
import { EvaluationStatusBar } from './status.js';

let context: MathnoteContext | undefined;

/**
 * What the extension returns from `activate`: a small surface for the end-to-end tests (and other
 * extensions) to observe the server without reaching into its internals.
 */
export interface MathnoteApi {
  /** Resolves once the language server has started and answered `initialize`. */
  readonly ready: Promise<void>;
  /** Fires whenever the server reports the evaluation state of a note. */
  readonly onDidChangeEvaluationStatus: EvaluationStatusBar['onDidChangeStatus'];
  /** The last evaluation state reported for a note. */
  evaluationStatus(uri: vscode.Uri): ReturnType<EvaluationStatusBar['statusOf']>;
  /** The text the status bar item shows now (undefined when hidden). */
  statusBarText(): string | undefined;
}

/** Starts the Mathnote client: language server, commands, status bar and preview. */
export function activate(extension: vscode.ExtensionContext): MathnoteApi {
  const ctx = new MathnoteContext(extension);
  context = ctx;
  extension.subscriptions.push(ctx);
  const statusBar = ctx.track(new EvaluationStatusBar(ctx));
  const preview = registerPreview(ctx);
  registerCommands(ctx, (uri) => preview.openToSide(uri));
  const ready = ctx.start().then(
    () => undefined,
    (error: unknown) => {
      ctx.output.error(`The Mathnote language server failed to start: ${String(error)}`);
      throw error;
    },
  );
  return {
    ready,
    onDidChangeEvaluationStatus: statusBar.onDidChangeStatus,
    evaluationStatus: (uri) => statusBar.statusOf(uri),
    statusBarText: () => statusBar.text,
  };
}

/** Stops the language server; VS Code waits for the returned promise. */
export async function deactivate(): Promise<void> {
  const ctx = context;
  context = undefined;
  await ctx?.stop();
}
