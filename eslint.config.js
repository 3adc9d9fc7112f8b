import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';
import { builtinModules } from 'node:module';

// The core runs unchanged in Node and in a browser (STYLE.md §12, src/host/host.ts): it reaches
// files, threads and the process only through the host. Node-only code: the Node host and its
// worker entry, the CLI and the server.
const NODE_EDGES = ['src/host/node.ts', 'src/engine/pool_worker.mjs', 'src/cli/**', 'src/serve/**'];
const NODE_BUILTINS = builtinModules.filter((m) => !m.startsWith('_'));
const HOST_HINT = 'the core goes through the host (src/host/host.ts, src/host/fs.ts, pathe)';

export default tseslint.config(
  { ignores: ['dist/', 'build/', 'node_modules/', 'src/engine/wasm/', 'models/', 'data/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  { languageOptions: { globals: { ...globals.node } } },
  // The page's main thread (web/main.ts) runs in a browser window.
  { files: ['web/**'], languageOptions: { globals: { ...globals.browser } } },
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
    },
  },
  {
    // Only the CLI layer talks to the process (STYLE.md §2).
    files: ['src/**/*.ts'],
    ignores: ['src/cli/**'],
    rules: {
      'no-restricted-properties': [
        'error',
        { object: 'process', property: 'exit', message: 'only src/cli may exit the process' },
        { object: 'process', property: 'argv', message: 'only src/cli reads argv' },
      ],
    },
  },
  {
    files: ['src/**/*.ts', 'src/**/*.mjs'],
    ignores: NODE_EDGES,
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: NODE_BUILTINS.map((name) => ({ name, message: HOST_HINT })),
          patterns: [{ group: ['node:*'], message: HOST_HINT }],
        },
      ],
      'no-restricted-globals': [
        'error',
        ...['process', 'Buffer', '__dirname', '__filename', 'require', 'setImmediate'].map(
          (name) => ({ name, message: HOST_HINT }),
        ),
      ],
    },
  },
  {
    // The browser's pool worker entry runs in a Web Worker.
    files: ['src/engine/pool_worker_web.mjs'],
    languageOptions: { globals: { ...globals.worker } },
  },
);
