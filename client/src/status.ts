import * as vscode from 'vscode';
import type { EVALUATION_STATUS_METHOD, EvaluationStatusParams } from '../../server/src/protocol.js';
import { isMathnoteDocument, type MathnoteContext } from './ctx.js';
import { statusText, statusTooltip } from './format.js';

/** The server's notification of a note's evaluation state (type-checked copy of the protocol's name). */
const evaluationStatusMethod: typeof EVALUATION_STATUS_METHOD = 'mathnote/evaluationStatus';

/**
 * The status bar item that shows the evaluation state of the active note, fed by the server's
 * `mathnote/evaluationStatus` notifications. Clicking it opens the Problems view.
 */
export class EvaluationStatusBar implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;
  private readonly statusByUri = new Map<string, EvaluationStatusParams>();
  private readonly disposables: vscode.Disposable[] = [];
  private readonly changed = new vscode.EventEmitter<EvaluationStatusParams>();
  /** Fires after a status for any note arrived (tests wait on it). */
  readonly onDidChangeStatus = this.changed.event;

  constructor(ctx: MathnoteContext) {
    this.item = vscode.window.createStatusBarItem('mathnote.evaluationStatus', vscode.StatusBarAlignment.Left, 10);
    this.item.name = 'Mathnote Evaluation';
    this.item.command = 'workbench.actions.view.problems';
    this.disposables.push(this.item, this.changed);
    this.disposables.push(vscode.window.onDidChangeActiveTextEditor(() => this.refresh()));
    this.disposables.push(vscode.workspace.onDidCloseTextDocument((document) => {
      this.statusByUri.delete(document.uri.toString());
    }));
    ctx.onClientStarted((client) => client.onNotification(evaluationStatusMethod, (status: EvaluationStatusParams) => {
      const uri = client.protocol2CodeConverter.asUri(status.uri).toString();
      this.statusByUri.set(uri, status);
      this.refresh();
      this.changed.fire(status);
    }));
    this.refresh();
  }

  /** The last status received for a note, if any. */
  statusOf(uri: vscode.Uri): EvaluationStatusParams | undefined {
    return this.statusByUri.get(uri.toString());
  }

  /** The text the item currently shows (undefined while hidden). */
  get text(): string | undefined {
    return this.visible ? this.item.text : undefined;
  }

  private visible = false;

  private refresh(): void {
    const document = vscode.window.activeTextEditor?.document;
    const status = document && isMathnoteDocument(document) ? this.statusByUri.get(document.uri.toString()) : undefined;
    if (!status) {
      this.item.hide();
      this.visible = false;
      return;
    }
    this.item.text = statusText(status);
    this.item.tooltip = statusTooltip(status);
    this.item.backgroundColor = status.state !== 'evaluating' && status.errors > 0
      ? new vscode.ThemeColor('statusBarItem.errorBackground')
      : undefined;
    this.item.show();
    this.visible = true;
  }

  dispose(): void {
    for (const disposable of this.disposables) disposable.dispose();
  }
}
