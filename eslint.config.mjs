// Lint rules that keep the architecture honest: the language core is a pure library (no vscode*,
// no node:* imports), and the LSP adapter, CLI and client reach the core only through its index.
import tseslint from 'typescript-eslint';

const nodeBuiltins = ['fs', 'path', 'os', 'child_process', 'worker_threads', 'url', 'util', 'crypto', 'process', 'http', 'https', 'net', 'events', 'stream', 'buffer', 'readline', 'module', 'perf_hooks'];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'out/**', '**/*.mjs', '**/*.js'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  {
    files: ['server/src/language/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: ['vscode', 'vscode-*', '!vscode-languageserver-types'], message: 'The language core must not depend on an editor API (only vscode-languageserver-types).' },
          { group: ['node:*', ...nodeBuiltins], message: 'The language core is pure: no Node built-ins.' },
          { group: ['**/lsp/**', '**/cli', '**/protocol'], message: 'The language core must not import its adapters.' },
        ],
      }],
    },
  },
  {
    files: ['server/src/lsp/**/*.ts', 'server/src/cli.ts', 'server/src/server.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [{ group: ['**/language/*/**', '**/language/*', '!**/language/index', '!**/language/index.js'], message: 'Adapters import the language core only through language/index.ts.' }],
      }],
    },
  },
  {
    files: ['client/src/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [{ group: ['**/server/src/**', '!**/server/src/protocol', '!**/server/src/protocol.js'], message: 'The client imports only the typed protocol from the server (type-only).' }],
      }],
    },
  },
);
