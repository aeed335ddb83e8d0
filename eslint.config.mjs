// Flat config: typescript-eslint's recommended rules, plus the one architectural rule that matters
// most: workflow code stays deterministic (no node built-ins, pg, network or connector code).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'coverage/', '.forgeworks/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { module: 'writable', require: 'readonly', process: 'readonly', console: 'readonly', Buffer: 'readonly', __dirname: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', setInterval: 'readonly', clearInterval: 'readonly', fetch: 'readonly', URL: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // Tests read JSON bodies of many shapes; `any` there is the honest type.
    files: ['test/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    files: ['workflows/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: ['node:*', 'fs', 'net', 'http', 'https', 'crypto', 'child_process'], message: 'workflows must be deterministic: no I/O' },
          { group: ['pg', 'undici', 'node-vault', 'pino', '**/connectors/**', '**/platform/db/**', '**/platform/http*', '**/platform/credentials/**'], message: 'workflows call activities for I/O' },
        ],
      }],
    },
  },
);
