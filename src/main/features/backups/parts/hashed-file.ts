import { createHash, type Hash } from 'node:crypto';
import { open, rm, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { AppError } from '@shared/errors';
import type { BundleFile } from '@shared/model/backup';

/**
 * A file a part writes into its folder, hashed as it is written, so the digest in the manifest
 * is of exactly the bytes on disk without reading them back. Writes queue in order; `append`
 * never waits, and a failed write (a full disk) is kept and thrown by `close`, while `failed`
 * lets a producer stop early.
 */
export class HashedFile {
  readonly #hash: Hash = createHash('sha256');
  readonly #path: string;
  readonly #relative: string;
  #handle: FileHandle;
  #queue: Promise<void> = Promise.resolve();
  #bytes = 0;
  #error: unknown;

  private constructor(handle: FileHandle, path: string, relative: string) {
    this.#handle = handle;
    this.#path = path;
    this.#relative = relative;
  }

  /** Creates `<folder>/<name>`; a file already there is an error, never overwritten. */
  static async create(folder: string, relativeFolder: string, name: string): Promise<HashedFile> {
    const path = join(folder, name);
    try {
      return new HashedFile(await open(path, 'wx'), path, `${relativeFolder}/${name}`);
    } catch (error) {
      throw writeError(error, path);
    }
  }

  get failed(): boolean {
    return this.#error !== undefined;
  }

  /** Bytes queued so far (what the file will hold once written). */
  get bytes(): number {
    return this.#bytes;
  }

  append(chunk: Buffer | string): void {
    const data = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
    if (data.length === 0 || this.#error !== undefined) return;
    this.#hash.update(data);
    this.#bytes += data.length;
    this.#queue = this.#queue.then(async () => {
      if (this.#error !== undefined) return;
      try {
        await this.#handle.write(data);
      } catch (error) {
        this.#error = error;
      }
    });
  }

  /** Waits for the queued writes, syncs and closes; the file as the manifest lists it. */
  async close(): Promise<BundleFile> {
    await this.#queue;
    try {
      if (this.#error !== undefined) throw this.#error;
      await this.#handle.sync();
    } catch (error) {
      await this.#handle.close().catch(() => undefined);
      throw writeError(error, this.#path);
    }
    await this.#handle.close();
    return { path: this.#relative, bytes: this.#bytes, sha256: this.#hash.digest('hex') };
  }

  /** Closes and deletes the file: what a failed or cancelled part leaves behind is nothing. */
  async discard(): Promise<void> {
    await this.#queue;
    await this.#handle.close().catch(() => undefined);
    await rm(this.#path, { force: true });
  }
}

function writeError(error: unknown, path: string): AppError {
  if (AppError.is(error)) return error;
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOSPC') return new AppError('internal', `The disk is full: ${path} could not be written.`, { code });
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') return new AppError('forbidden', `${path} cannot be written (${code}); choose a backup folder this account may write.`, { code });
  if (code === 'EEXIST') return new AppError('conflict', `${path} already exists; a part never writes over a file.`);
  return new AppError('internal', `${path} could not be written: ${error instanceof Error ? error.message : String(error)}`);
}
