// ESLint for the project's own code (`npm run lint`, part of `npm test`; zero warnings allowed).
// typescript-eslint's recommended rules without type information (fast enough for two cores; `tsc` under
// strict already checks types), and the Rules of Hooks for the webview's React code. react-hooks' React
// Compiler rules (refs, immutability, ...) are left off: the webview reads "latest value" refs in
// callbacks on purpose, which those rules refuse, and it is not compiled by the React Compiler.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';

/** What plain Node scripts (scripts/*.mjs, bin/*.js) may use without importing it. */
const NODE_GLOBALS = Object.fromEntries(
  [
    'process',
    'console',
    'Buffer',
    'URL',
    'setTimeout',
    'clearTimeout',
    'setInterval',
    'clearInterval',
    'setImmediate',
    'structuredClone',
    'fetch',
    'TextEncoder',
    'TextDecoder',
    'AbortController',
  ].map((name) => [name, 'readonly']),
);

export default tseslint.config(
  {
    ignores: [
      'node_modules/**',
      'dist/**',
      'out/**',
      'build/**',
      'test-results/**',
      'runs/**',
      '.tools/**',
      '.vscode-test/**',
      // AssemblyScript, not TypeScript: its own compiler checks it (scripts/build-wasm.mjs).
      'engine/kernels/assembly/**',
      'test/fixtures/**',
      'examples/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.{ts,tsx,mts,cts}'],
    rules: {
      // `_`-prefixed names are deliberately unused (a callback's leading parameters, say).
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },
  {
    files: ['webview/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'error',
    },
  },
  {
    files: ['**/*.{js,mjs,cjs}'],
    languageOptions: { globals: { ...NODE_GLOBALS, require: 'readonly', module: 'writable', __dirname: 'readonly', __filename: 'readonly' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
