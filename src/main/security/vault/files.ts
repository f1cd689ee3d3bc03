import { randomBytes } from 'node:crypto';
import { open, readFile, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { AppError } from '@shared/errors';

/**
 * Replaces a file so that a crash or a full disk leaves either the old content or the new one,
 * never a torn file: write a temporary file beside it, flush it to disk, then rename over.
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array, mode = 0o600): Promise<void> {
  const temp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  let renamed = false;
  try {
    const handle = await open(temp, 'wx', mode);
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, path);
    renamed = true;
    await syncDirectory(dirname(path));
  } finally {
    if (!renamed) await unlink(temp).catch(() => undefined);
  }
}

/** Makes the rename itself durable; some platforms cannot open a directory, which is fine to skip. */
async function syncDirectory(dir: string): Promise<void> {
  try {
    const handle = await open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // Windows refuses to fsync a directory; the rename is still atomic there.
  }
}

/** Reads a JSON file; `undefined` when it does not exist, `internal` naming the file when it is not JSON. */
export async function readJsonFile(path: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if (isNodeError(error) && error.code === 'ENOENT') return undefined;
    throw new AppError('internal', `Could not read ${path}: ${describe(error)}`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new AppError('internal', `${path} is not valid JSON; restore it from a backup or move it aside to start empty`);
  }
}

export function isNodeError(error: unknown): error is NodeJS.ErrnoException {
  return error instanceof Error && typeof (error as NodeJS.ErrnoException).code === 'string';
}

function describe(error: unknown): string {
  return isNodeError(error) ? (error.code ?? error.message) : String(error);
}
