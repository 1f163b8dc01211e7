/**
 * The preview panel: a webview beside the editor that draws the server's render model of a note.
 *
 * The panel follows the active note, or stays on one note when locked. It asks the server for the
 * model (`mathnote/preview`) when the note changes (debounced) and posts it to the page, which
 * redraws only what changed. Editor and page scroll together by document line, and clicking a
 * formula reveals its line. The panel comes back after a window reload through a
 * `WebviewPanelSerializer` (activation event `onWebviewPanel:mathnote.preview`).
 */
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import type { PreviewModel, PreviewParams, PreviewResponse } from '../../../server/src/protocol.js';
import { isMathnoteDocument, type MathnoteContext } from '../ctx.js';
import { buildPreviewHtml } from './html.js';
import { parsePageMessage, parsePanelState, type RenderedCounts } from './messages.js';

/** The webview's view type: `package.json` declares `onWebviewPanel:mathnote.preview`. */
export const PREVIEW_VIEW_TYPE = 'mathnote.preview';
/** The command that toggles whether the preview follows the active note. */
export const TOGGLE_LOCK_COMMAND = 'mathnote.togglePreviewLock';
/** Same string as `PREVIEW_METHOD` in protocol.ts (which the client may only import as types). */
const PREVIEW_METHOD = 'mathnote/preview';
/** Wait this long after the last keystroke before asking for a new model. */
const UPDATE_DELAY_MS = 250;
/** How often, and how many times in a row, to ask again for a model that has no results yet. */
const PENDING_RETRY_MS = 500;
const MAX_PENDING_RETRIES = 20;

/** What the rest of the extension (commands, tests) does with the preview. */
export interface PreviewController {
  /** Opens (or reveals) the preview beside the editor, showing `uri` or the active note. */
  openToSide(uri: vscode.Uri | undefined): Promise<void>;
  /** The URI the preview shows, if a panel is open. */
  readonly currentUri: vscode.Uri | undefined;
  /** The last model drawn, for tests. */
  readonly lastModel: PreviewModel | undefined;
  /** What the page reported it shows after drawing the last model, for end-to-end tests. */
  readonly lastRendered: RenderedCounts | undefined;
  /** Fires each time the page has finished drawing a model. */
  readonly onDidRender: vscode.Event<RenderedCounts>;
}

/** A fresh nonce per page: base64 of 16 random bytes, as the CSP's `'nonce-…'` expects. */
function createNonce(): string {
  return randomBytes(16).toString('base64');
}

class PreviewPanel implements PreviewController, vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private uri: vscode.Uri | undefined;
  private locked = false;
  private model: PreviewModel | undefined;
  private pageReady = false;
  private updateTimer: ReturnType<typeof setTimeout> | undefined;
  private requestNumber = 0;
  private pendingRetries = 0;
  /** Until this time, editor scrolling comes from the page and is not sent back to it. */
  private ignoreEditorScrollUntil = 0;
  private rendered: RenderedCounts | undefined;
  private readonly renderEmitter = new vscode.EventEmitter<RenderedCounts>();
  readonly onDidRender = this.renderEmitter.event;
  private readonly disposables: vscode.Disposable[] = [this.renderEmitter];
  private panelDisposables: vscode.Disposable[] = [];

  constructor(private readonly ctx: MathnoteContext) {
    this.disposables.push(
      vscode.window.registerWebviewPanelSerializer(PREVIEW_VIEW_TYPE, {
        deserializeWebviewPanel: async (panel, state) => this.restore(panel, state),
      }),
      vscode.window.onDidChangeActiveTextEditor((editor) => {
        if (!this.panel || this.locked || !editor || !isMathnoteDocument(editor.document)) return;
        if (editor.document.uri.toString() === this.uri?.toString()) return;
        this.show(editor.document.uri);
      }),
      vscode.workspace.onDidChangeTextDocument((event) => {
        if (this.panel && event.document.uri.toString() === this.uri?.toString()) this.scheduleUpdate();
      }),
      vscode.window.onDidChangeTextEditorVisibleRanges((event) => {
        if (!this.panel || event.textEditor.document.uri.toString() !== this.uri?.toString()) return;
        if (Date.now() < this.ignoreEditorScrollUntil) return;
        const top = event.visibleRanges[0]?.start.line ?? 0;
        void this.panel.webview.postMessage({ type: 'scrollToLine', line: top });
      }),
      vscode.commands.registerCommand(TOGGLE_LOCK_COMMAND, () => {
        this.locked = !this.locked;
        this.updateTitle();
        void this.update();
      }),
    );
  }

  get currentUri(): vscode.Uri | undefined {
    return this.panel ? this.uri : undefined;
  }

  get lastModel(): PreviewModel | undefined {
    return this.model;
  }

  get lastRendered(): RenderedCounts | undefined {
    return this.rendered;
  }

  async openToSide(uri: vscode.Uri | undefined): Promise<void> {
    const target = uri ?? vscode.window.activeTextEditor?.document.uri;
    if (!target) {
      void vscode.window.showInformationMessage('Open a Markdown note or a .mathnote file to preview it.');
      return;
    }
    if (this.panel) {
      this.panel.reveal(undefined, true);
    } else {
      const panel = vscode.window.createWebviewPanel(
        PREVIEW_VIEW_TYPE,
        'Mathnote Preview',
        { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
        this.webviewOptions(),
      );
      this.attach(panel);
    }
    this.show(target);
  }

  private webviewOptions(): vscode.WebviewPanelOptions & vscode.WebviewOptions {
    const extensionUri = this.ctx.extension.extensionUri;
    return {
      enableScripts: true,
      enableFindWidget: true,
      // The page may load only the extension's own bundled assets, nothing from the workspace.
      localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist', 'media'), vscode.Uri.joinPath(extensionUri, 'media')],
    };
  }

  private async restore(panel: vscode.WebviewPanel, state: unknown): Promise<void> {
    const saved = parsePanelState(state);
    panel.webview.options = this.webviewOptions();
    this.attach(panel);
    this.locked = saved?.locked ?? false;
    const uri = saved?.uri ? vscode.Uri.parse(saved.uri) : vscode.window.activeTextEditor?.document.uri;
    if (uri) this.show(uri);
  }

  private attach(panel: vscode.WebviewPanel): void {
    this.panel?.dispose();
    this.panel = panel;
    this.pageReady = false;
    const webview = panel.webview;
    const media = vscode.Uri.joinPath(this.ctx.extension.extensionUri, 'dist', 'media');
    webview.html = buildPreviewHtml({
      cspSource: webview.cspSource,
      nonce: createNonce(),
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(media, 'preview.js')).toString(),
      styleUris: [
        webview.asWebviewUri(vscode.Uri.joinPath(media, 'katex', 'katex.min.css')).toString(),
        webview.asWebviewUri(vscode.Uri.joinPath(media, 'preview.css')).toString(),
      ],
    });
    this.panelDisposables.push(
      webview.onDidReceiveMessage((data: unknown) => this.onMessage(data)),
      panel.onDidDispose(() => {
        for (const disposable of this.panelDisposables.splice(0)) disposable.dispose();
        this.panel = undefined;
        this.model = undefined;
        clearTimeout(this.updateTimer);
      }),
      panel.onDidChangeViewState(() => {
        if (panel.visible) this.scheduleUpdate();
      }),
    );
  }

  private show(uri: vscode.Uri): void {
    this.uri = uri;
    this.updateTitle();
    // After a reload the note may have no editor yet; opening the document (without showing it)
    // makes the client send it to the server, which can then answer `mathnote/preview`.
    void Promise.resolve(vscode.workspace.openTextDocument(uri)).then(
      () => this.update(),
      (error: unknown) => this.ctx.output.warn(`The preview could not open ${uri.toString()}: ${String(error)}`),
    );
  }

  private updateTitle(): void {
    if (!this.panel || !this.uri) return;
    const name = this.uri.path.split('/').pop() ?? 'note';
    this.panel.title = `${this.locked ? '[Locked] ' : ''}Preview ${name}`;
  }

  private scheduleUpdate(): void {
    this.pendingRetries = 0;
    clearTimeout(this.updateTimer);
    this.updateTimer = setTimeout(() => void this.update(), UPDATE_DELAY_MS);
  }

  private async update(): Promise<void> {
    const panel = this.panel;
    const uri = this.uri;
    if (!panel || !uri || !this.pageReady) return;
    const request = ++this.requestNumber;
    try {
      const client = await this.ctx.requireClient();
      const params: PreviewParams = { textDocument: { uri: client.code2ProtocolConverter.asUri(uri) } };
      const model = await client.sendRequest<PreviewResponse>(PREVIEW_METHOD, params);
      // A newer request (a later keystroke, another note) wins over this one.
      if (request !== this.requestNumber || this.panel !== panel || !model) return;
      this.model = model;
      this.rendered = undefined;
      await panel.webview.postMessage({ type: 'model', model, locked: this.locked });
      // A model built before evaluation finished has no results yet: ask again shortly (bounded).
      if (model.pending && this.pendingRetries < MAX_PENDING_RETRIES) {
        this.pendingRetries++;
        clearTimeout(this.updateTimer);
        this.updateTimer = setTimeout(() => void this.update(), PENDING_RETRY_MS);
      } else if (!model.pending) {
        this.pendingRetries = 0;
      }
    } catch (error) {
      this.ctx.output.warn(`The preview of ${uri.toString()} could not be updated: ${String(error)}`);
    }
  }

  private onMessage(data: unknown): void {
    const document = vscode.workspace.textDocuments.find((doc) => doc.uri.toString() === this.uri?.toString());
    // Lines are checked against the document (or, when it is closed, the model the page shows).
    const lineCount = document?.lineCount ?? this.modelLineCount();
    const message = parsePageMessage(data, lineCount);
    if (!message) return;
    switch (message.type) {
      case 'ready':
        this.pageReady = true;
        void this.update();
        return;
      case 'reveal':
        void this.reveal(document, message.line);
        return;
      case 'visibleLine':
        if (document) this.scrollEditor(document, message.line);
        return;
      case 'rendered': {
        const { type: _type, ...counts } = message;
        this.rendered = counts;
        this.renderEmitter.fire(counts);
        return;
      }
    }
  }

  private modelLineCount(): number {
    const last = this.model?.segments[this.model.segments.length - 1];
    return last ? last.endLine + 1 : 1;
  }

  private async reveal(open: vscode.TextDocument | undefined, line: number): Promise<void> {
    if (!this.uri) return;
    try {
      const document = open ?? (await vscode.workspace.openTextDocument(this.uri));
      if (line < document.lineCount) await this.revealLine(document, line);
    } catch (error) {
      this.ctx.output.warn(`Could not reveal line ${line + 1} of ${this.uri.toString()}: ${String(error)}`);
    }
  }

  private async revealLine(document: vscode.TextDocument, line: number): Promise<void> {
    const visible = vscode.window.visibleTextEditors.find((editor) => editor.document === document);
    const editor = await vscode.window.showTextDocument(document, { viewColumn: visible?.viewColumn ?? vscode.ViewColumn.One });
    const position = new vscode.Position(line, document.lineAt(line).firstNonWhitespaceCharacterIndex);
    editor.selection = new vscode.Selection(position, position);
    editor.revealRange(new vscode.Range(position, position), vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  }

  private scrollEditor(document: vscode.TextDocument, line: number): void {
    for (const editor of vscode.window.visibleTextEditors) {
      if (editor.document !== document) continue;
      this.ignoreEditorScrollUntil = Date.now() + 300;
      editor.revealRange(new vscode.Range(line, 0, line, 0), vscode.TextEditorRevealType.AtTop);
    }
  }

  dispose(): void {
    clearTimeout(this.updateTimer);
    this.panel?.dispose();
    for (const disposable of this.disposables.splice(0)) disposable.dispose();
  }
}

/**
 * Registers the preview: its panel serializer, the lock command, and the listeners that keep it in
 * step with the editor. Returns the controller the `mathnote.openPreviewToSide` command calls.
 */
export function registerPreview(ctx: MathnoteContext): PreviewController {
  return ctx.track(new PreviewPanel(ctx));
}
