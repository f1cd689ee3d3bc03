// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

const NODE_BUILTINS = [
  'assert', 'buffer', 'child_process', 'cluster', 'crypto', 'dgram', 'dns', 'events', 'fs', 'fs/promises',
  'http', 'http2', 'https', 'net', 'os', 'path', 'process', 'readline', 'stream', 'tls', 'url', 'util',
  'v8', 'vm', 'worker_threads', 'zlib',
];
const DRIVERS = ['pg', 'pg-*', 'mongodb', 'ioredis', '@elastic/elasticsearch', '@elastic/elasticsearch/*'];

const nodeBuiltins = { group: ['node:*', ...NODE_BUILTINS], message: 'This folder runs in the renderer or is shared: no Node built-ins.' };
const electron = { group: ['electron', 'electron/*'], message: 'Only src/main/index.ts, src/main/window, src/main/ipc and src/preload may import electron.' };
const drivers = { group: DRIVERS, message: 'Store drivers are imported only under src/main/stores.' };
const mainCode = { group: ['**/main/**', '@main/*'], message: 'The renderer and shared code never import main-process code.' };
const rendererCode = { group: ['**/renderer/**'], message: 'Only the renderer imports renderer code.' };

/** Per-folder import rules: the architecture's rooms, enforced so a wrong import fails lint. */
const rooms = [
  { files: ['src/shared/**/*.{ts,tsx}'], patterns: [nodeBuiltins, electron, drivers, mainCode, rendererCode, { group: ['react', 'react-dom', 'zustand'], message: 'Shared code is UI-free.' }] },
  { files: ['src/renderer/**/*.{ts,tsx}'], patterns: [nodeBuiltins, electron, drivers, mainCode] },
  { files: ['src/preload/**/*.ts'], patterns: [drivers, mainCode, rendererCode] },
  { files: ['src/main/stores/**/*.ts'], patterns: [electron, rendererCode] },
  { files: ['src/main/index.ts', 'src/main/window/**/*.ts', 'src/main/ipc/**/*.ts'], patterns: [drivers, rendererCode] },
  {
    files: ['src/main/**/*.ts'],
    ignores: ['src/main/stores/**', 'src/main/index.ts', 'src/main/window/**', 'src/main/ipc/**'],
    patterns: [electron, drivers, rendererCode],
  },
];

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'test-results/**', 'test/bench/results/**', '.tenantscope/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node }, ecmaVersion: 2023, sourceType: 'module' },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/ban-ts-comment': ['error', { 'ts-expect-error': 'allow-with-description' }],
      'no-console': 'off',
    },
  },
  {
    files: ['src/renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: { 'react-hooks/rules-of-hooks': 'error', 'react-hooks/exhaustive-deps': 'warn' },
  },
  ...rooms.map((room) => ({
    files: room.files,
    ...(room.ignores ? { ignores: room.ignores } : {}),
    rules: { 'no-restricted-imports': ['error', { patterns: room.patterns }] },
  })),
);
