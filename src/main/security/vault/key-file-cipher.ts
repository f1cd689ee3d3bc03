import { randomBytes } from 'node:crypto';
import { link, mkdir, open, unlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { AppError } from '@shared/errors';
import { createKeyCipher, KEY_BYTES, type SecretCipher } from './cipher';
import { isNodeError } from './files';

export const KEY_FILE_NAME = 'vault.key';

/**
 * The web-mode vault: AES-256-GCM with a random key kept in `<dataDir>/vault.key`, readable by
 * the user only. The key is created on first use; a key file others can read is refused.
 */
export async function createKeyFileCipher(dataDir: string): Promise<SecretCipher> {
  const path = join(dataDir, KEY_FILE_NAME);
  const key = (await readKeyFile(path)) ?? (await createKeyFile(path));
  return createKeyCipher('key-file', key);
}

async function readKeyFile(path: string): Promise<Buffer | undefined> {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    if (isNodeError(error) && error.code === 'ENOENT') return undefined;
    throw new AppError('internal', `Could not read the vault key ${path}: ${isNodeError(error) ? error.code : String(error)}`);
  }
  try {
    // Checked on the open file, so the file read is the file checked.
    const info = await handle.stat();
    assertPrivate(path, info.mode, info.uid);
    const key = await handle.readFile();
    if (key.length !== KEY_BYTES) {
      throw new AppError(
        'internal',
        `The vault key ${path} is ${key.length} bytes instead of ${KEY_BYTES}; restore it from a backup ` +
          '(without it the stored passwords cannot be read).',
      );
    }
    return key;
  } finally {
    await handle.close();
  }
}

/** Refuses a key other users could read or that another user owns (POSIX only). */
export function assertPrivate(path: string, mode: number, uid: number): void {
  if (process.platform === 'win32') return;
  if ((mode & 0o077) !== 0) {
    throw new AppError(
      'forbidden',
      `The vault key ${path} can be read by other users (mode ${(mode & 0o777).toString(8).padStart(3, '0')}); ` +
        `run \`chmod 600 ${path}\` and start again.`,
    );
  }
  const me = process.getuid?.();
  if (me !== undefined && uid !== me) {
    throw new AppError('forbidden', `The vault key ${path} belongs to another user; run \`chown $(id -u) ${path}\` or use another data directory.`);
  }
}

/**
 * Writes the key to a private temporary file and links it into place, so two processes starting
 * at once agree on one key and nobody ever reads a half-written key.
 */
async function createKeyFile(path: string): Promise<Buffer> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const key = randomBytes(KEY_BYTES);
  const temp = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    const handle = await open(temp, 'wx', 0o600);
    try {
      await handle.writeFile(key);
      await handle.sync();
    } finally {
      await handle.close();
    }
    try {
      await link(temp, path);
    } catch (error) {
      if (isNodeError(error) && error.code === 'EEXIST') {
        const existing = await readKeyFile(path);
        if (existing) return existing;
      }
      throw error;
    }
    return key;
  } finally {
    await unlink(temp).catch(() => undefined);
  }
}
