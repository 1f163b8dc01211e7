#!/usr/bin/env node
'use strict';
// The language server is bundled by `npm run build`; this shim gives a clear message when it was not built yet.
const path = require('node:path');
const fs = require('node:fs');
const bundle = path.join(__dirname, '..', 'dist', 'server.js');
if (!fs.existsSync(bundle)) {
  process.stderr.write('mathnote-lsp: the language server is not built yet; run `npm run build` first.\n');
  process.exit(2);
}
require(bundle);
