// The extension activates in a real VS Code, contributes its language and commands, and its
// language server starts.
import * as assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as vscode from 'vscode';
import { activateExtension, e2eOptions, extensionId, openNote } from './harness.js';

describe('activation', () => {
  it('activates on a Markdown note and starts the language server', async () => {
    const editor = await openNote('linear-algebra.md');
    assert.equal(editor.document.languageId, 'markdown');
    await activateExtension();
    const extension = vscode.extensions.getExtension(extensionId)!;
    assert.equal(extension.isActive, true);
    // The packaged run must test the installed .vsix, not the sources next to the suite.
    const { extensionRoot } = e2eOptions();
    if (extensionRoot) {
      assert.ok(extension.extensionUri.fsPath.startsWith(extensionRoot), `loaded from ${extension.extensionUri.fsPath}, expected under ${extensionRoot}`);
    }
  });

  it('starts the language server with its environment (two malloc arenas)', async function () {
    // The server is a child process of this extension host; Linux shows its environment in /proc.
    if (!existsSync('/proc/self/environ')) this.skip();
    await activateExtension();
    const servers = readdirSync('/proc')
      .filter((entry) => /^\d+$/.test(entry))
      .filter((pid) => {
        try {
          const parent = /^PPid:\s+(\d+)$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
          return Number(parent) === process.pid && readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('server.js');
        } catch {
          return false; // the process ended while the list was read
        }
      });
    assert.equal(servers.length, 1, `language server processes under the extension host: ${servers.length}`);
    const environment = readFileSync(`/proc/${servers[0]}/environ`, 'utf8').split('\0');
    assert.ok(environment.includes('MALLOC_ARENA_MAX=2'), 'MALLOC_ARENA_MAX=2 is missing from the server environment');
  });

  it('contributes the mathnote language for .mathnote files', async () => {
    const languages = await vscode.languages.getLanguages();
    assert.ok(languages.includes('mathnote'), `languages: ${languages.join(', ')}`);
    const document = await vscode.workspace.openTextDocument({ language: 'mathnote', content: 'x = 1\n' });
    assert.equal(document.languageId, 'mathnote');
    await vscode.window.showTextDocument(document);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  it('registers every command', async () => {
    const commands = await vscode.commands.getCommands(true);
    for (const id of ['mathnote.openPreviewToSide', 'mathnote.copyResult', 'mathnote.copyResultAsLatex',
      'mathnote.insertResultAsComment', 'mathnote.restartServer', 'mathnote.showOutput']) {
      assert.ok(commands.includes(id), `command ${id} is missing`);
    }
  });
});
