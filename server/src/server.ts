/**
 * Entry of the Mathnote language server (bundled to `dist/server.js`, started by
 * `mathnote-lsp --stdio`). The evaluation worker bundle lies beside this one.
 */
// First, so that it runs before the other modules load.
import './lsp/startup.js';
import { startServer } from './lsp/server.js';

startServer(__dirname);
