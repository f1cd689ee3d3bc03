import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { open, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { AppError } from '@shared/errors';

/** A pass-through that counts the bytes and hashes them on their way to the file. */
class Digest extends Transform {
  readonly #hash = createHash('sha256');
  bytes = 0;

  override _transform(chunk: Buffer | string, _encoding: BufferEncoding, done: (error?: Error | null, data?: Buffer) => void): void {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
    this.#hash.update(buffer);
    this.bytes += buffer.length;
    done(null, buffer);
  }

  hex(): string {
    return this.#hash.digest('hex');
  }
}

/**
 * Writes an export to the path the operator chose: into a temporary file beside it, flushed to
 * disk, then renamed over, so the chosen path holds either the whole export or what was there
 * before — never half a file. The bytes are counted and hashed as they pass.
 */
export async function writeExportFile(path: string, stages: [Readable, ...Transform[]], signal: AbortSignal): Promise<{ bytes: number; sha256: string }> {
  const temp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.part`);
  const digest = new Digest();
  let renamed = false;
  try {
    await pipeline([...stages, digest, createWriteStream(temp, { flags: 'wx', mode: 0o600 })], { signal });
    const handle = await open(temp, 'r+');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, path);
    renamed = true;
    return { bytes: digest.bytes, sha256: digest.hex() };
  } catch (error) {
    // A folder the operator cannot write, a full disk: said with the path, not as an internal failure.
    const code = (error as NodeJS.ErrnoException | undefined)?.code;
    if (typeof code === 'string' && /^E[A-Z]+$/.test(code)) throw new AppError('invalid_argument', `The export could not be written to ${path} (${code}).`, { code });
    throw error;
  } finally {
    if (!renamed) await unlink(temp).catch(() => undefined);
  }
}
