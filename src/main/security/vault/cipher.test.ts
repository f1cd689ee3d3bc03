import { chmod, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AppError } from '@shared/errors';
import { createKeyFileCipher, KEY_FILE_NAME } from './key-file-cipher';
import { createSafeStorageCipher } from './safe-storage-cipher';
import { fakeSafeStorage, useTempDirs } from './test-support';

async function codeOf(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof AppError)) throw new Error(`expected an AppError, got ${String(error)}`, { cause: error });
  return error.code;
}

function tamper(sealed: string): string {
  const raw = Buffer.from(sealed, 'base64');
  const last = raw.length - 1;
  raw[last] = (raw[last] ?? 0) ^ 0x01;
  return raw.toString('base64');
}

describe('key-file cipher (web mode)', () => {
  const tempDir = useTempDirs();

  it('round-trips a secret and never stores the plaintext', async () => {
    const dir = await tempDir();
    const cipher = await createKeyFileCipher(dir);
    const sealed = await cipher.encrypt('hunter2-päss', 'ws/postgres');
    expect(sealed).not.toContain('hunter2');
    expect(Buffer.from(sealed, 'base64').toString('latin1')).not.toContain('hunter2');
    await expect(cipher.decrypt(sealed, 'ws/postgres')).resolves.toBe('hunter2-päss');
  });

  it('uses a fresh IV for every secret', async () => {
    const cipher = await createKeyFileCipher(await tempDir());
    const [a, b] = await Promise.all([cipher.encrypt('same', 'ws/redis'), cipher.encrypt('same', 'ws/redis')]);
    expect(a).not.toBe(b);
    expect(Buffer.from(a, 'base64').subarray(1, 13)).not.toEqual(Buffer.from(b, 'base64').subarray(1, 13));
  });

  it('creates a 32-byte key readable by the user only, and reuses it on the next start', async () => {
    const dir = await tempDir();
    const sealed = await (await createKeyFileCipher(dir)).encrypt('kept', 'ws/redis');
    const info = await stat(join(dir, KEY_FILE_NAME));
    expect(info.mode & 0o777).toBe(0o600);
    expect((await readFile(join(dir, KEY_FILE_NAME))).length).toBe(32);
    await expect((await createKeyFileCipher(dir)).decrypt(sealed, 'ws/redis')).resolves.toBe('kept');
  });

  it('agrees on one key when two starts race to create it', async () => {
    const dir = await tempDir();
    const [a, b] = await Promise.all([createKeyFileCipher(dir), createKeyFileCipher(dir)]);
    await expect(b.decrypt(await a.encrypt('x', 'ws/redis'), 'ws/redis')).resolves.toBe('x');
  });

  it('refuses a secret sealed with another key with auth_failed', async () => {
    const sealed = await (await createKeyFileCipher(await tempDir())).encrypt('secret', 'ws/postgres');
    const other = await createKeyFileCipher(await tempDir());
    expect(await codeOf(other.decrypt(sealed, 'ws/postgres'))).toBe('auth_failed');
  });

  it('refuses a tampered ciphertext, a truncated one and one moved to another slot', async () => {
    const cipher = await createKeyFileCipher(await tempDir());
    const sealed = await cipher.encrypt('secret', 'ws/postgres');
    expect(await codeOf(cipher.decrypt(tamper(sealed), 'ws/postgres'))).toBe('auth_failed');
    expect(await codeOf(cipher.decrypt(sealed.slice(0, 12), 'ws/postgres'))).toBe('auth_failed');
    expect(await codeOf(cipher.decrypt(sealed, 'other/postgres'))).toBe('auth_failed');
  });

  it('refuses a key file others can read and says how to fix it', async () => {
    const dir = await tempDir();
    await createKeyFileCipher(dir);
    await chmod(join(dir, KEY_FILE_NAME), 0o644);
    const error = await createKeyFileCipher(dir).catch((e: unknown) => e);
    expect(AppError.is(error, 'forbidden')).toBe(true);
    expect((error as AppError).message).toContain(`chmod 600 ${join(dir, KEY_FILE_NAME)}`);
  });

  it('refuses a key file of the wrong size instead of generating a new key over it', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, KEY_FILE_NAME), Buffer.alloc(16), { mode: 0o600 });
    expect(await codeOf(createKeyFileCipher(dir))).toBe('internal');
    expect((await readFile(join(dir, KEY_FILE_NAME))).length).toBe(16);
  });
});

describe('safe-storage cipher (desktop)', () => {
  it('round-trips through safeStorage and binds the secret to its slot', async () => {
    const cipher = createSafeStorageCipher(fakeSafeStorage());
    const sealed = await cipher.encrypt('pw', 'ws/mongo');
    await expect(cipher.decrypt(sealed, 'ws/mongo')).resolves.toBe('pw');
    expect(await codeOf(cipher.decrypt(sealed, 'other/mongo'))).toBe('auth_failed');
  });

  it('reports a secret safeStorage cannot decrypt as auth_failed', async () => {
    const sealed = await createSafeStorageCipher(fakeSafeStorage({ key: 1 })).encrypt('pw', 'ws/mongo');
    expect(await codeOf(createSafeStorageCipher(fakeSafeStorage({ key: 2 })).decrypt('AAAA', 'ws/mongo'))).toBe('auth_failed');
    expect(await codeOf(createSafeStorageCipher(fakeSafeStorage({ key: 2 })).decrypt(sealed, 'ws/mongo'))).toBe('auth_failed');
  });

  it('refuses to seal while the keychain is unavailable', async () => {
    expect(await codeOf(createSafeStorageCipher(fakeSafeStorage({ available: false })).encrypt('pw', 'ws/mongo'))).toBe('locked');
  });
});
