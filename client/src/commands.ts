import * as vscode from 'vscode';
import type { RESULT_AT_METHOD, ResultAtParams, ResultAtResponse, ResultAtResult } from '../../server/src/protocol.js';
import { isMathnoteDocument, type MathnoteContext } from './ctx.js';
import { resultCommentEdit } from './format.js';

/** Command identifiers contributed in package.json. */
export const commandIds = {
  openPreviewToSide: 'mathnote.openPreviewToSide',
  copyResult: 'mathnote.copyResult',
  copyResultAsLatex: 'mathnote.copyResultAsLatex',
  insertResultAsComment: 'mathnote.insertResultAsComment',
  restartServer: 'mathnote.restartServer',
  showOutput: 'mathnote.showOutput',
} as const;

/**
 * The custom request for the result at a position. The protocol is imported type-only (no server
 * code in the extension bundle); `typeof` makes the compiler check this copy of the method name.
 */
const resultAtMethod: typeof RESULT_AT_METHOD = 'mathnote/resultAt';

/**
 * Asks the server for the result of the statement under the cursor of `editor`. Shows a message and
 * returns undefined when there is no statement there or it has no value yet.
 */
export async function resultAtCursor(ctx: MathnoteContext, editor: vscode.TextEditor): Promise<ResultAtResponse | undefined> {
  if (!isMathnoteDocument(editor.document)) {
    void vscode.window.showInformationMessage('Mathnote: the active editor is not a Markdown or Mathnote note.');
    return undefined;
  }
  const client = await ctx.requireClient();
  const params: ResultAtParams = {
    textDocument: { uri: client.code2ProtocolConverter.asUri(editor.document.uri) },
    position: client.code2ProtocolConverter.asPosition(editor.selection.active),
  };
  const result = await client.sendRequest<ResultAtResult>(resultAtMethod, params);
  if (!result) {
    void vscode.window.showInformationMessage('Mathnote: no evaluated statement at the cursor.');
    return undefined;
  }
  return result;
}

async function insertResultAsComment(ctx: MathnoteContext, editor: vscode.TextEditor): Promise<boolean> {
  const result = await resultAtCursor(ctx, editor);
  if (!result) return false;
  // The comment goes on the statement's last line (a matrix literal may span several lines).
  const line = editor.document.lineAt(result.range.end.line);
  const edit = resultCommentEdit(line.text, result);
  // A TextEditor edit is one undo step, exactly like typing the comment by hand.
  return editor.edit((builder) => builder.replace(new vscode.Range(line.range.start.translate(0, edit.start), line.range.end), edit.text));
}

/** Registers every Mathnote command. `openPreview` opens the preview panel beside the editor. */
export function registerCommands(ctx: MathnoteContext, openPreview: (uri: vscode.Uri | undefined) => unknown): void {
  const register = (id: string, handler: (...args: any[]) => unknown) =>
    ctx.track(vscode.commands.registerCommand(id, handler));

  register(commandIds.openPreviewToSide, (uri?: vscode.Uri) =>
    openPreview(uri instanceof vscode.Uri ? uri : vscode.window.activeTextEditor?.document.uri));

  register(commandIds.copyResult, async () => {
    const editor = vscode.window.activeTextEditor;
    const result = editor && await resultAtCursor(ctx, editor);
    if (!result) return undefined;
    await vscode.env.clipboard.writeText(result.text);
    vscode.window.setStatusBarMessage('Mathnote: result copied', 3000);
    return result.text;
  });

  register(commandIds.copyResultAsLatex, async () => {
    const editor = vscode.window.activeTextEditor;
    const result = editor && await resultAtCursor(ctx, editor);
    if (!result) return undefined;
    await vscode.env.clipboard.writeText(result.latex);
    vscode.window.setStatusBarMessage('Mathnote: result copied as LaTeX', 3000);
    return result.latex;
  });

  register(commandIds.insertResultAsComment, async () => {
    const editor = vscode.window.activeTextEditor;
    return editor ? insertResultAsComment(ctx, editor) : false;
  });

  register(commandIds.restartServer, async () => {
    await ctx.restart();
    vscode.window.setStatusBarMessage('Mathnote: language server restarted', 3000);
  });

  register(commandIds.showOutput, () => ctx.output.show(true));
}
