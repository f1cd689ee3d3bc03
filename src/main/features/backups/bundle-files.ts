import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, readdir, rename, rm, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { AppError } from '@shared/errors';
import type { BundleFile } from '@shared/model/backup';

/**
 * The files of a bundle on disk: digests, listings, and JSON written so that a crash leaves the
 * old file or the new one, never half of one (temp file, fsync, rename, fsync of the folder).
 */

/** `20261203T021500Z-acme-7f3a9c`: the time the backup started, the tenant, a random suffix. */
export function newBundleId(tenantId: string, at = new Date()): string {
  const stamp = at.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}Z$/, 'Z');
  return `${stamp}-${tenantId}-${randomBytes(3).toString('hex')}`;
}

/** The tenant and time written into a bundle id, for a folder whose manifest is missing. */
export function parseBundleId(bundleId: string): { tenantId: string; startedAt: string } | undefined {
  const match = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z-(.+)-[a-z0-9]{4,12}$/.exec(bundleId);
  if (!match) return undefined;
  const [, y, mo, d, h, mi, s, tenantId] = match;
  return { tenantId: tenantId as string, startedAt: `${y}-${mo}-${d}T${h}:${mi}:${s}.000Z` };
}

export async function sha256File(path: string, signal?: AbortSignal): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(createReadStream(path), hash, signal ? { signal } : {});
  return hash.digest('hex');
}

/** Every file under `folder`, as paths relative to the bundle (`postgres/tenant.dump`), with sizes and digests. */
export async function listFiles(folder: string, relativeFolder: string, signal?: AbortSignal): Promise<BundleFile[]> {
  const entries = await readdir(folder, { recursive: true, withFileTypes: true });
  const files: BundleFile[] = [];
  for (const entry of entries) {
    if (!entry.isFile()) continue;
    const full = join(entry.parentPath, entry.name);
    const path = [relativeFolder, ...relative(folder, full).split(sep)].join('/');
    files.push({ path, bytes: (await stat(full)).size, sha256: await sha256File(full, signal) });
  }
  return files.sort((a, b) => a.path.localeCompare(b.path));
}

/** Bytes of every file under a folder (0 when it is gone). */
export async function folderBytes(folder: string): Promise<number> {
  try {
    const entries = await readdir(folder, { recursive: true, withFileTypes: true });
    let total = 0;
    for (const entry of entries) if (entry.isFile()) total += (await stat(join(entry.parentPath, entry.name)).catch(() => ({ size: 0 }))).size;
    return total;
  } catch {
    return 0;
  }
}

async function fsyncFolder(folder: string): Promise<void> {
  const handle = await open(folder, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Writes JSON atomically and durably: a temp name, fsync, rename over the final name, fsync of the folder. */
export async function writeJsonDurably(folder: string, name: string, value: unknown): Promise<void> {
  const temp = join(folder, `.${name}.${randomBytes(4).toString('hex')}.tmp`);
  const handle = await open(temp, 'wx', 0o644);
  try {
    await handle.writeFile(`${JSON.stringify(value, null, 2)}\n`);
    await handle.sync();
  } catch (error) {
    await handle.close().catch(() => undefined);
    await rm(temp, { force: true });
    throw error;
  }
  await handle.close();
  await rename(temp, join(folder, name));
  await fsyncFolder(folder);
}

/** A file system failure as the job reports it: the folder and what the system said, with a stable code. */
export function fileFailure(error: unknown, what: string): AppError {
  if (error instanceof AppError) return error;
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const detail = error instanceof Error ? error.message : String(error);
  if (code === 'ENOSPC') return new AppError('internal', `${what}: the disk is full (${detail}).`);
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') return new AppError('forbidden', `${what}: the folder cannot be written (${detail}).`);
  return new AppError('internal', `${what}: ${detail}`);
}
