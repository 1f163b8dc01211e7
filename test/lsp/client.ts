/**
 * A small LSP client for the tests: starts the real `node bin/mathnote-lsp.js --stdio` process and
 * speaks JSON-RPC to it with vscode-languageserver-protocol's client side. Notifications are kept
 * and can be awaited (`waitFor`), so tests wait on events, never on timers.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  createProtocolConnection,
  StreamMessageReader,
  StreamMessageWriter,
  type Diagnostic,
  type ProtocolConnection,
  type PublishDiagnosticsParams,
} from 'vscode-languageserver-protocol/node';
import type { EvaluationStatusParams, MathnoteSettings } from '../../server/src/protocol.js';

export const root = join(__dirname, '..', '..');

interface Waiter {
  readonly predicate: () => boolean;
  readonly resolve: () => void;
}

/** A notification as received, in order. */
export type Received =
  | { readonly kind: 'diagnostics'; readonly params: PublishDiagnosticsParams }
  | { readonly kind: 'status'; readonly params: EvaluationStatusParams };

export class TestClient {
  readonly connection: ProtocolConnection;
  readonly received: Received[] = [];
  private readonly versions = new Map<string, number>();
  private waiters: Waiter[] = [];
  private stderr = '';

  private constructor(private readonly child: ChildProcessWithoutNullStreams) {
    this.connection = createProtocolConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
    child.stderr.on('data', (chunk: Buffer) => (this.stderr += chunk.toString()));
    this.connection.onNotification('textDocument/publishDiagnostics', (params: PublishDiagnosticsParams) => this.push({ kind: 'diagnostics', params }));
    this.connection.onNotification('mathnote/evaluationStatus', (params: EvaluationStatusParams) => this.push({ kind: 'status', params }));
    this.connection.onNotification('window/logMessage', () => undefined);
    this.connection.onRequest('workspace/inlayHint/refresh', () => null);
    this.connection.listen();
  }

  /** The server's process id (the benchmark reads its memory). */
  get pid(): number {
    return this.child.pid ?? -1;
  }

  /**
   * Starts the server and initializes it with the given settings (as initializationOptions);
   * `environment` adds variables to the server's environment (the fault tests' test hooks).
   */
  static async start(settings: Partial<MathnoteSettings> = {}, environment: Record<string, string> = {}): Promise<TestClient> {
    const child = spawn(process.execPath, [join(root, 'bin', 'mathnote-lsp.js'), '--stdio'], { cwd: root, stdio: 'pipe', env: { ...process.env, ...environment } });
    const client = new TestClient(child);
    await client.connection.sendRequest('initialize', {
      processId: process.pid,
      rootUri: null,
      capabilities: { workspace: { inlayHint: { refreshSupport: true } }, textDocument: { hover: { contentFormat: ['markdown'] } } },
      initializationOptions: settings,
    });
    await client.connection.sendNotification('initialized', {});
    return client;
  }

  private push(message: Received): void {
    this.received.push(message);
    const ready = this.waiters.filter((waiter) => waiter.predicate());
    this.waiters = this.waiters.filter((waiter) => !ready.includes(waiter));
    for (const waiter of ready) waiter.resolve();
  }

  /** Resolves once `predicate` holds (checked now and after every notification). */
  waitFor(predicate: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
    if (predicate()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      // A safety net only, so a broken server fails the test instead of hanging the run.
      const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}; server stderr:\n${this.stderr}`)), timeoutMs);
      this.waiters.push({ predicate, resolve: () => (clearTimeout(timer), resolve()) });
    });
  }

  /** The last evaluation status of a document version, if any. */
  status(uri: string, version = this.versions.get(uri)): EvaluationStatusParams | undefined {
    for (let index = this.received.length - 1; index >= 0; index--) {
      const message = this.received[index]!;
      if (message.kind === 'status' && message.params.uri === uri && message.params.version === version) return message.params;
    }
    return undefined;
  }

  /** Waits until the current version of the document has been evaluated (or stopped). */
  async evaluated(uri: string): Promise<EvaluationStatusParams> {
    await this.waitFor(() => {
      const state = this.status(uri)?.state;
      return state === 'done' || state === 'stopped';
    }, `evaluation of ${uri}`);
    return this.status(uri)!;
  }

  /** The latest diagnostics published for a document. */
  diagnostics(uri: string): Diagnostic[] {
    for (let index = this.received.length - 1; index >= 0; index--) {
      const message = this.received[index]!;
      if (message.kind === 'diagnostics' && message.params.uri === uri) return message.params.diagnostics;
    }
    return [];
  }

  async open(uri: string, text: string, languageId = 'markdown'): Promise<void> {
    this.versions.set(uri, 1);
    await this.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId, version: 1, text } });
  }

  /** Applies one incremental edit and returns the new version. */
  async edit(uri: string, range: { start: { line: number; character: number }; end: { line: number; character: number } }, text: string): Promise<number> {
    const version = (this.versions.get(uri) ?? 0) + 1;
    this.versions.set(uri, version);
    await this.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ range, text }] });
    return version;
  }

  async stop(): Promise<void> {
    try {
      await this.connection.sendRequest('shutdown');
      await this.connection.sendNotification('exit');
    } finally {
      this.connection.dispose();
      this.child.kill();
    }
  }
}

/** Reads an example note bundled with the project. */
export function exampleNote(name: string): { uri: string; text: string } {
  const path = join(root, 'examples', name);
  return { uri: pathToFileURL(path).href, text: readFileSync(path, 'utf8') };
}

/** Reads a fixture note of the LSP tests. */
export function fixtureNote(name: string): { uri: string; text: string } {
  const path = join(root, 'test', 'fixtures', 'lsp', name);
  return { uri: pathToFileURL(path).href, text: readFileSync(path, 'utf8') };
}

/** The 0-based line and UTF-16 column of the first occurrence of `needle` on the line containing `lineMarker`. */
export function positionOf(text: string, lineMarker: string, needle: string, occurrence = 0): { line: number; character: number } {
  const lines = text.split('\n');
  const line = lines.findIndex((candidate) => candidate.includes(lineMarker));
  if (line < 0) throw new Error(`no line contains ${lineMarker}`);
  let character = -1;
  for (let index = 0; index <= occurrence; index++) character = lines[line]!.indexOf(needle, character + 1);
  if (character < 0) throw new Error(`line ${line} has no ${needle}`);
  return { line, character };
}
