// What a note writer sees in a real VS Code: results as inlay hints, diagnostics in the Problems
// list, hovers with values, the preview panel, and the copy / insert-result commands.
import * as assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as vscode from 'vscode';
import {
  activateExtension, codeOf, openNote, screenshot, waitFor, waitForDiagnostics, waitForEvaluation,
  workspaceFolder, type MathnoteApi, type PreviewInspection,
} from './harness.js';

/** The 0-based line of the first line of `document` whose text starts with `prefix` (after spaces). */
function lineStartingWith(document: vscode.TextDocument, prefix: string): number {
  for (let line = 0; line < document.lineCount; line++) {
    if (document.lineAt(line).text.trimStart().startsWith(prefix)) return line;
  }
  throw new Error(`No line starts with ${JSON.stringify(prefix)} in ${document.uri.path}`);
}

/** The text of an inlay hint's label. */
function labelText(hint: vscode.InlayHint): string {
  return typeof hint.label === 'string' ? hint.label : hint.label.map((part) => part.value).join('');
}

/** Inlay hints of the whole document, as the editor asks for them. */
async function inlayHints(document: vscode.TextDocument): Promise<vscode.InlayHint[]> {
  const whole = new vscode.Range(0, 0, document.lineCount, 0);
  return await vscode.commands.executeCommand<vscode.InlayHint[]>('vscode.executeInlayHintProvider', document.uri, whole) ?? [];
}

/** The digits of a printed matrix, in reading order (`[19, 22; 43, 50]` → `19 22 43 50`). */
function numbersIn(text: string): string {
  return (text.match(/-?\d+(?:\.\d+)?/g) ?? []).join(' ');
}

/** Moves the cursor of `editor` onto the start of `line`'s text. */
function placeCursor(editor: vscode.TextEditor, line: number): void {
  const column = editor.document.lineAt(line).firstNonWhitespaceCharacterIndex;
  editor.selection = new vscode.Selection(line, column, line, column);
}

/** Process ids of this extension host's children whose command line contains `needle`. */
function childProcessesRunning(needle: string): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // The parent pid is the 4th field of /proc/PID/stat, after the parenthesized command name.
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const commandLine = readFileSync(`/proc/${entry}/cmdline`, 'utf8').replace(/\0/g, ' ');
      if (parent === process.pid && commandLine.includes(needle)) found.push(Number(entry));
    } catch {
      // The process ended while we looked.
    }
  }
  return found;
}

describe('a note in the editor', function () {
  let api: MathnoteApi;

  before(async () => {
    api = await activateExtension();
    // More room for the note and its results in the screenshots.
    await vscode.commands.executeCommand('workbench.action.closeSidebar');
  });

  afterEach(async () => {
    // Leave no edited editor behind: the next test starts from the saved note.
    await vscode.commands.executeCommand('workbench.action.files.revert');
  });

  it('shows results as inlay hints and no errors in linear-algebra.md', async () => {
    const editor = await openNote('linear-algebra.md');
    const document = editor.document;
    await waitForEvaluation(api, document);
    const productLine = lineStartingWith(document, 'A B ');
    const hints = await waitFor('an inlay hint on the line of A B', [], async () => {
      const found = (await inlayHints(document)).filter((hint) => hint.position.line === productLine);
      return found.length > 0 ? found : undefined;
    });
    editor.revealRange(new vscode.Range(productLine, 0, productLine, 0), vscode.TextEditorRevealType.InCenter);
    await screenshot('editor-results');
    const errors = vscode.languages.getDiagnostics(document.uri).filter((d) => d.severity === vscode.DiagnosticSeverity.Error);
    assert.deepEqual(errors.map((d) => `${d.range.start.line + 1}: ${d.message}`), []);
    assert.equal(numbersIn(hints.map(labelText).join(' ')), '19 22 43 50');
    const detLine = lineStartingWith(document, 'det(M)');
    const all = await inlayHints(document);
    assert.match(all.filter((hint) => hint.position.line === detLine).map(labelText).join(' '), /\b17\b/);
    // The status bar shows that the note was evaluated without errors.
    assert.match(api.statusBarText() ?? '', /Mathnote: done/);
  });

  it('reports every expected diagnostic of mistakes.md', async () => {
    const editor = await openNote('mistakes.md');
    const document = editor.document;
    // `# expect-error: shape` or `# expect-warning: type|shape` comments name the codes expected on
    // their line; each must appear among the diagnostics of that line.
    const expected: { line: number; severity: string; codes: string[] }[] = [];
    for (let line = 0; line < document.lineCount; line++) {
      const match = /#\s*expect-(error|warning):\s*([\w|]+)/.exec(document.lineAt(line).text);
      if (match) expected.push({ line, severity: match[1]!, codes: match[2]!.split('|') });
    }
    // mistakes.md expects nine diagnostics: a guard against reading the comments wrongly.
    assert.equal(expected.length, 9, `expectations found: ${JSON.stringify(expected)}`);
    await waitForEvaluation(api, document);
    const missing = (diagnostics: vscode.Diagnostic[]) => expected.filter((expectation) => !diagnostics.some((diagnostic) =>
      diagnostic.range.start.line === expectation.line && expectation.codes.includes(codeOf(diagnostic))));
    const diagnostics = await waitForDiagnostics(document.uri, (current) => missing(current).length === 0,
      'every expected diagnostic of mistakes.md').catch(() => vscode.languages.getDiagnostics(document.uri));
    await vscode.commands.executeCommand('workbench.actions.view.problems');
    await screenshot('editor-diagnostics');
    await vscode.commands.executeCommand('workbench.action.closePanel');
    assert.deepEqual(missing(diagnostics).map((e) => `line ${e.line + 1}: ${e.codes.join('|')}`), [],
      `diagnostics: ${diagnostics.map((d) => `${d.range.start.line + 1}:${codeOf(d)}`).join(', ')}`);
    for (const expectation of expected) {
      const diagnostic = diagnostics.find((d) => d.range.start.line === expectation.line && expectation.codes.includes(codeOf(d)))!;
      const severity = expectation.severity === 'error' ? vscode.DiagnosticSeverity.Error : vscode.DiagnosticSeverity.Warning;
      assert.equal(diagnostic.severity, severity, `severity on line ${expectation.line + 1}`);
      assert.ok(diagnostic.message.length > 10, `a sentence on line ${expectation.line + 1}`);
    }
    // The last line still evaluates after the syntax error above it.
    const lastLine = lineStartingWith(document, 'q2 = 3');
    const hints = await inlayHints(document);
    assert.match(hints.filter((hint) => hint.position.line === lastLine).map(labelText).join(' '), /\b3\b/);
    assert.match(api.statusBarText() ?? '', /error/);
  });

  it('evaluates a whole .mathnote file as one block', async () => {
    const uri = vscode.Uri.joinPath(workspaceFolder(), 'squares.mathnote');
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode('A = [1, 2; 3, 4]\nA A\n'));
    const document = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(document, { viewColumn: vscode.ViewColumn.One, preview: false });
    assert.equal(document.languageId, 'mathnote');
    await waitForEvaluation(api, document);
    const hints = (await inlayHints(document)).filter((hint) => hint.position.line === 1);
    assert.equal(numbersIn(hints.map(labelText).join(' ')), '7 10 15 22');
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  it('shows the value of a matrix on hover', async () => {
    const editor = await openNote('linear-algebra.md');
    const document = editor.document;
    await waitForEvaluation(api, document);
    const line = lineStartingWith(document, 'A B ');
    const position = new vscode.Position(line, document.lineAt(line).firstNonWhitespaceCharacterIndex);
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', document.uri, position);
    const text = hovers.flatMap((hover) => hover.contents.map((content) => typeof content === 'string' ? content : content.value)).join('\n');
    assert.match(text, /1\D+2\D+3\D+4/, `hover: ${text}`);
    assert.match(text, /2\s*×\s*2/, `hover names the shape: ${text}`);
  });

  it('copies a result as text and as LaTeX', async () => {
    const editor = await openNote('linear-algebra.md');
    await waitForEvaluation(api, editor.document);
    placeCursor(editor, lineStartingWith(editor.document, 'B A '));
    const text = await vscode.commands.executeCommand<string>('mathnote.copyResult');
    assert.equal(await vscode.env.clipboard.readText(), text);
    assert.equal(numbersIn(text), '23 34 31 46');
    const latex = await vscode.commands.executeCommand<string>('mathnote.copyResultAsLatex');
    assert.equal(await vscode.env.clipboard.readText(), latex);
    assert.match(latex, /\\begin\{bmatrix\}/);
    assert.equal(numbersIn(latex), '23 34 31 46');
  });

  it('inserts a result as a comment in one undoable edit', async () => {
    const editor = await openNote('linear-algebra.md');
    const document = editor.document;
    await waitForEvaluation(api, document);
    const line = lineStartingWith(document, 'B A ');
    const before = document.getText();
    placeCursor(editor, line);
    assert.equal(await vscode.commands.executeCommand<boolean>('mathnote.insertResultAsComment'), true);
    // The note's own comment on that line is kept; the result follows it on the same line.
    const edited = document.lineAt(line).text;
    assert.ok(edited.startsWith(before.split('\n')[line]!), edited);
    const comment = /# = (.*)$/.exec(edited);
    assert.ok(comment, `no result comment in: ${edited}`);
    assert.equal(numbersIn(comment[1]!), '23 34 31 46');
    assert.equal(document.lineCount, before.split('\n').length);
    await vscode.commands.executeCommand('undo');
    assert.equal(document.getText(), before);
  });

  it('restarts the language server, which evaluates the open note again', async () => {
    const editor = await openNote('linear-algebra.md');
    const document = editor.document;
    await waitForEvaluation(api, document);
    const evaluatedAgain = new Promise<void>((resolve) => {
      const subscription = api.onDidChangeEvaluationStatus((status) => {
        if (status.state === 'done' && vscode.Uri.parse(status.uri).toString() === document.uri.toString()) {
          subscription.dispose();
          resolve();
        }
      });
    });
    await vscode.commands.executeCommand('mathnote.restartServer');
    await evaluatedAgain;
    const line = lineStartingWith(document, 'A B ');
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', document.uri,
      new vscode.Position(line, 0));
    assert.ok(hovers.length > 0, 'the new server answers hovers');
  });

  it('restarts a language server that died and serves the note again', async function () {
    // The server runs as a child of this extension host; /proc tells which (Linux only).
    if (!existsSync('/proc/self/stat')) this.skip();
    const editor = await openNote('linear-algebra.md');
    const document = editor.document;
    await waitForEvaluation(api, document);
    const servers = childProcessesRunning('dist/server.js');
    assert.equal(servers.length, 1, `language server processes: ${servers.join(', ')}`);
    const evaluatedAgain = new Promise<void>((resolve) => {
      const subscription = api.onDidChangeEvaluationStatus((status) => {
        if (status.state === 'done' && vscode.Uri.parse(status.uri).toString() === document.uri.toString()) {
          subscription.dispose();
          resolve();
        }
      });
    });
    process.kill(servers[0]!, 'SIGKILL');
    await evaluatedAgain;
    const replacement = childProcessesRunning('dist/server.js');
    assert.equal(replacement.length, 1);
    assert.notEqual(replacement[0], servers[0]);
    const hints = await inlayHints(document);
    assert.ok(hints.some((hint) => hint.position.line === lineStartingWith(document, 'A B ')), 'results are back');
  });

  it('opens the preview to the side as a webview', async () => {
    await openNote('regression.md');
    const isPreview = (tab: vscode.Tab) => tab.input instanceof vscode.TabInputWebview && /mathnote/i.test(tab.input.viewType);
    const previewTabs = () => vscode.window.tabGroups.all.flatMap((group) => group.tabs).filter(isPreview);
    assert.equal(previewTabs().length, 0);
    await vscode.commands.executeCommand('mathnote.openPreviewToSide');
    const tabs = await waitFor('a Mathnote preview tab', [vscode.window.tabGroups.onDidChangeTabs], () => {
      const found = previewTabs();
      return found.length > 0 ? found : undefined;
    });
    assert.notEqual(tabs[0]!.group.viewColumn, vscode.ViewColumn.One, 'the preview opens beside the note');
    // In code-server the launcher looks into the webview's page: regression.md's formulas are
    // typeset and its plot (scatter plus fitted line) is drawn.
    const inspection = await screenshot('preview') as PreviewInspection | undefined;
    if (inspection) {
      assert.ok(inspection.katex >= 5, `typeset formulas in the preview: ${JSON.stringify(inspection)}`);
      assert.ok(inspection.svg >= 1 && inspection.marks >= 6, `a plot with its points and line: ${JSON.stringify(inspection)}`);
    }
  });
});
