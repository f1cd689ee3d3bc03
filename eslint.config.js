// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import { readdirSync } from 'node:fs';

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
    ignores: ['src/main/stores/**', 'src/main/index.ts', 'src/main/window/**', 'src/main/ipc/**', 'src/main/features/**', 'src/main/reading/**', 'src/main/services/**'],
    patterns: [electron, drivers, rendererCode],
  },
];

/*
 * Main rooms. A main feature (src/main/features/<name>) is one contract section's service: it
 * imports no other feature and not core (the composition root, which imports the features). What
 * features share lives below them in src/main/reading, src/main/services and the store faces, and
 * those layers import neither features nor core. `.dependency-cruiser.cjs` checks the same rooms
 * on the resolved graph.
 */
const mainCore = { regex: '^(\\.\\./)+core(/|$)', message: 'A main feature or shared layer never imports core: core builds the features, not the other way round.' };
const anyFeature = { regex: '^(\\.\\./)+features(/|$)', message: 'The layers below the features (reading, services) import no feature.' };
/**
 * A relative import that climbs out of feature `name` into a sibling: from a file `depth` folders
 * below the feature folder, `depth + 1` times `../` and then another feature's folder, or the
 * `features` folder itself reached from further up.
 */
const otherFeature = (name, depth, allowed = []) => {
  const own = [name, ...allowed].map((n) => `${n}(/|$)`).join('|');
  return {
    regex: `^(\\.\\./){${depth + 1}}(?!${own}|\\.\\.)[^/]+|^(\\.\\./)+features/(?!${own})`,
    message: 'A main feature imports no other feature: move what both need to src/main/reading, src/main/services or a store face.',
  };
};
/** Feature folders nest this deep at most (tenants/redis/…); a deeper file still gets the other rules. */
const FEATURE_DEPTHS = [0, 1, 2, 3];
/** Pairs of main features still allowed while their shared part moves down (see .dependency-cruiser.cjs). */
const MAIN_FEATURE_PAIRS_IN_TRANSITION = {};
const MAIN_FEATURES = readdirSync(new URL('./src/main/features', import.meta.url), { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name);
const mainRooms = [
  // A feature folder not listed yet (being created) still gets every rule but the sibling one.
  { files: ['src/main/features/**/*.ts'], patterns: [electron, drivers, rendererCode, mainCore] },
  ...MAIN_FEATURES.flatMap((name) =>
    FEATURE_DEPTHS.map((depth) => ({
      files: [`src/main/features/${name}/${'*/'.repeat(depth)}*.ts`],
      patterns: [electron, drivers, rendererCode, mainCore, otherFeature(name, depth, MAIN_FEATURE_PAIRS_IN_TRANSITION[name])],
    })),
  ),
  { files: ['src/main/reading/**/*.ts', 'src/main/services/**/*.ts'], patterns: [electron, drivers, rendererCode, mainCore, anyFeature] },
];

/**
 * The renderer's own rooms. Features reach each other only through their index.ts and never the
 * shell (the shell renders what features register); lib and components know no feature. These
 * run as `@typescript-eslint/no-restricted-imports`, a second instance of the same rule, so they add
 * to the process rooms above instead of replacing them (a flat config replaces a rule's options
 * for the files two blocks share).
 */
const otherFeatureInternals = {
  // From a feature's own folder `../<name>/…` is a sibling feature; `../../features/<name>/…` too.
  regex: String.raw`^(\.\./[\w-]+|(\.\./)+features/[\w-]+)/(?!index(\.tsx?)?$)`,
  message: "A renderer feature reaches another feature only through that feature's index.ts.",
};
const otherFeatureInternalsBelow = {
  // The same from a folder one level inside a feature.
  regex: String.raw`^\.\./\.\./[\w-]+/(?!index(\.tsx?)?$)`,
  message: otherFeatureInternals.message,
};
const shellFromFeature = {
  regex: String.raw`^(\.\./)+shell(/|$)`,
  message: 'A renderer feature never imports the shell: it registers its screens and navigation entries (lib/screens) and the shell renders them.',
};
const featureAssembly = {
  regex: String.raw`^\.\.(/index(\.tsx?)?|/slices(\.ts)?)?/?$`,
  message: 'A renderer feature does not import the features’ assembly (features/index.ts, features/slices.ts): they import every feature, so this makes a cycle.',
};
const featureAssemblyBelow = {
  regex: String.raw`^\.\./\.\.(/index(\.tsx?)?|/slices(\.ts)?)?/?$`,
  message: featureAssembly.message,
};
const featureKnowledge = {
  regex: String.raw`^(\.\./)+(features|shell|store)(/|$)`,
  message: 'lib and components know no feature, the shell or the store: features import them, never the other way round.',
};

const rendererRooms = [
  { files: ['src/renderer/src/features/*/*.{ts,tsx}'], patterns: [otherFeatureInternals, shellFromFeature, featureAssembly] },
  { files: ['src/renderer/src/features/*/*/**/*.{ts,tsx}'], patterns: [otherFeatureInternalsBelow, shellFromFeature, featureAssemblyBelow] },
  { files: ['src/renderer/src/lib/**/*.{ts,tsx}', 'src/renderer/src/components/**/*.{ts,tsx}'], patterns: [featureKnowledge] },
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
  ...[...rooms, ...mainRooms].map((room) => ({
    files: room.files,
    ...(room.ignores ? { ignores: room.ignores } : {}),
    rules: { 'no-restricted-imports': ['error', { patterns: room.patterns }] },
  })),
  ...rendererRooms.map((room) => ({
    files: room.files,
    rules: { '@typescript-eslint/no-restricted-imports': ['error', { patterns: room.patterns }] },
  })),
);
