// @ts-check
/**
 * The import graph of Tenantscope's rooms, checked by `npm run lint` (`depcruise src`). ESLint's
 * `no-restricted-imports` sees one import string at a time; this sees the resolved graph, so it
 * also catches a path that reaches a room the long way round, and any import cycle.
 *
 * Rooms inside src/main: `features/<name>` are the contract sections' services and import neither
 * each other nor `core` (the composition root). What several features share lives below them:
 * `reading` (the inspectors' kernel), `services` (the service types), `stores` (one face per
 * engine), `security`. Renderer features import each other only through their `index.ts`.
 */

/** Pairs of main features still allowed while their shared part moves down; each entry is a debt. */
const MAIN_FEATURE_PAIRS_IN_TRANSITION = [];

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'An import cycle ties its files into one room that cannot be split, loaded or tested apart.',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'main-feature-to-other-feature',
      severity: 'error',
      comment:
        'A main feature imports no other feature: what two features share moves down to src/main/reading, ' +
        'src/main/services or a store face.',
      from: { path: '^src/main/features/([^/]+)/' },
      to: { path: '^src/main/features/([^/]+)/', pathNot: '^src/main/features/$1/' },
    },
    {
      name: 'main-feature-to-core',
      severity: 'error',
      comment: 'core is the composition root: it imports the features, never the other way round.',
      from: { path: '^src/main/features/' },
      to: { path: '^src/main/core/' },
    },
    {
      name: 'main-shared-layer-upwards',
      severity: 'error',
      comment: 'The layers below the features (reading, services, stores) import neither features nor core.',
      from: { path: '^src/main/(reading|services|stores)/' },
      to: { path: '^src/main/(features|core)/' },
    },
    {
      name: 'renderer-feature-internals',
      severity: 'error',
      comment: "A renderer feature reaches another feature only through that feature's index.ts.",
      from: { path: '^src/renderer/src/features/([^/]+)/' },
      to: {
        path: '^src/renderer/src/features/([^/]+)/',
        pathNot: ['^src/renderer/src/features/$1/', '^src/renderer/src/features/[^/]+/index\\.tsx?$'],
      },
    },
    {
      name: 'renderer-outside-feature-internals',
      severity: 'error',
      comment: "Code outside the renderer's features reaches a feature only through its index.ts.",
      from: { path: '^src/renderer/src/', pathNot: '^src/renderer/src/features/' },
      to: { path: '^src/renderer/src/features/[^/]+/.+', pathNot: '^src/renderer/src/features/[^/]+/index\\.tsx?$' },
    },
  ].map((rule) =>
    rule.name === 'main-feature-to-other-feature' && MAIN_FEATURE_PAIRS_IN_TRANSITION.length > 0
      ? { ...rule, from: { ...rule.from, pathNot: MAIN_FEATURE_PAIRS_IN_TRANSITION.map(({ from }) => `^src/main/features/${from}/`) } }
      : rule,
  ).concat(
    // The features in transition keep every other neighbour forbidden.
    MAIN_FEATURE_PAIRS_IN_TRANSITION.map(({ from, to }) => ({
      name: 'main-feature-to-other-feature',
      severity: 'error',
      comment: `${from} may still import ${to} (a pair in transition); no other feature.`,
      from: { path: `^src/main/features/${from}/` },
      to: { path: '^src/main/features/', pathNot: [`^src/main/features/${from}/`, `^src/main/features/${to}/`] },
    })),
  ),
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: ['^src/renderer/src/.*\\.d\\.ts$'] },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.base.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.tsx', '.js', '.mjs', '.cjs', '.json'],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
