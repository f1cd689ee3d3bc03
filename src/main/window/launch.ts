import { resolve } from 'node:path';

/**
 * The data directory, first found of: `--data-dir DIR` / `--data-dir=DIR` on the command line,
 * `TENANTSCOPE_DATA_DIR`, the platform's per-user app data folder. Always absolute.
 */
export function resolveDataDir(argv: readonly string[], env: NodeJS.ProcessEnv, userData: () => string): string {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg.startsWith('--data-dir=') && arg.length > '--data-dir='.length) return resolve(arg.slice('--data-dir='.length));
    const next = argv[i + 1];
    if (arg === '--data-dir' && next && !next.startsWith('--')) return resolve(next);
  }
  const fromEnv = env.TENANTSCOPE_DATA_DIR?.trim();
  return resolve(fromEnv ? fromEnv : userData());
}
