/**
 * Entry of the Mathnote language server (bundled to `dist/server.js`, started by
 * `mathnote-lsp --stdio`). The evaluation worker bundle lies beside this one.
 */
import { startServer } from './lsp/server.js';

startServer(__dirname);
