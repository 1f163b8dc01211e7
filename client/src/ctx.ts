import * as vscode from 'vscode';
import {
  LanguageClient,
  TransportKind,
  type LanguageClientOptions,
  type ServerOptions,
} from 'vscode-languageclient/node';
import { configurationSection, readSettings } from './config.js';
import { serverEnvironment } from '../../server/src/protocol.js';

/** The documents the language server analyses: Markdown notes and whole `.mathnote` files. */
export const documentSelector = [
  { language: 'markdown', scheme: 'file' },
  { language: 'markdown', scheme: 'untitled' },
  { language: 'mathnote', scheme: 'file' },
  { language: 'mathnote', scheme: 'untitled' },
];

/** True for the documents Mathnote works on (the same set as {@link documentSelector}). */
export function isMathnoteDocument(document: vscode.TextDocument): boolean {
  return vscode.languages.match(documentSelector, document) > 0;
}

/** Called for every language client, before it starts; used to subscribe to its notifications. */
export type ClientListener = (client: LanguageClient) => vscode.Disposable | void;

/**
 * Everything the running extension owns: the language client, the output channel, and every
 * disposable that must go when the extension deactivates. Restarting the server replaces the
 * client and re-runs the listeners registered with {@link onClientStarted}.
 */
export class MathnoteContext implements vscode.Disposable {
  /** The Output channel the client and server log to (the "Mathnote" entry of the Output view). */
  readonly output: vscode.LogOutputChannel;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly clientListeners: ClientListener[] = [];
  private clientSubscriptions: vscode.Disposable[] = [];
  private currentClient: LanguageClient | undefined;
  private starting: Promise<LanguageClient> | undefined;

  constructor(readonly extension: vscode.ExtensionContext) {
    // The client reads `mathnote.trace.server` itself (its id is `mathnote`); every other setting is
    // forwarded to the server through `synchronize.configurationSection`.
    this.output = vscode.window.createOutputChannel('Mathnote', { log: true });
    this.disposables.push(this.output);
  }

  /** Keeps a disposable until the extension deactivates. */
  track<T extends vscode.Disposable>(disposable: T): T {
    this.disposables.push(disposable);
    return disposable;
  }

  /** The running client, or undefined before the first start or after a failed one. */
  get client(): LanguageClient | undefined {
    return this.currentClient;
  }

  /**
   * Registers a listener that runs for the current client (if any) and for every client created
   * later, before it starts; whatever it returns is disposed when that client stops.
   */
  onClientStarted(listener: ClientListener): void {
    this.clientListeners.push(listener);
    if (this.currentClient) this.runListener(listener, this.currentClient);
  }

  /** Starts the language server (once; concurrent callers share the same start). */
  start(): Promise<LanguageClient> {
    this.starting ??= this.startClient().finally(() => {
      this.starting = undefined;
    });
    return this.starting;
  }

  /** Stops the running server and starts a new one with the current settings. */
  async restart(): Promise<LanguageClient> {
    await this.stop();
    return this.start();
  }

  /** Stops the language server if it runs. */
  async stop(): Promise<void> {
    const client = this.currentClient;
    this.currentClient = undefined;
    for (const subscription of this.clientSubscriptions) subscription.dispose();
    this.clientSubscriptions = [];
    if (client) {
      try {
        await client.stop(5000);
      } catch (error) {
        this.output.warn(`The Mathnote server did not stop cleanly: ${String(error)}`);
      }
      await client.dispose();
    }
  }

  /** Returns the running client, starting it when needed. */
  async requireClient(): Promise<LanguageClient> {
    if (this.currentClient?.isRunning()) return this.currentClient;
    return this.start();
  }

  dispose(): void {
    void this.stop();
    for (const disposable of this.disposables.splice(0).reverse()) disposable.dispose();
  }

  private async startClient(): Promise<LanguageClient> {
    const serverModule = this.extension.asAbsolutePath('dist/server.js');
    const serverOptions: ServerOptions = {
      run: { module: serverModule, transport: TransportKind.ipc, options: { env: serverEnvironment(process.env) } },
      debug: {
        module: serverModule,
        transport: TransportKind.ipc,
        options: { env: serverEnvironment(process.env), execArgv: ['--nolazy', '--inspect=6019'] },
      },
    };
    const settings = readSettings();
    const clientOptions: LanguageClientOptions = {
      documentSelector,
      outputChannel: this.output,
      traceOutputChannel: this.output,
      initializationOptions: { settings },
      synchronize: { configurationSection },
      markdown: { isTrusted: false, supportHtml: false },
    };
    const client = new LanguageClient('mathnote', 'Mathnote Language Server', serverOptions, clientOptions);
    // Listeners subscribe before the start: the server may notify about the notes already open as
    // soon as it is initialized, before `start()` resolves.
    for (const listener of this.clientListeners) this.runListener(listener, client);
    try {
      await client.start();
    } catch (error) {
      for (const subscription of this.clientSubscriptions.splice(0)) subscription.dispose();
      throw error;
    }
    this.currentClient = client;
    this.output.info('Mathnote language server started.');
    return client;
  }

  private runListener(listener: ClientListener, client: LanguageClient): void {
    const subscription = listener(client);
    if (subscription) this.clientSubscriptions.push(subscription);
  }
}
