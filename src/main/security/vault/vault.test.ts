import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AppError } from '@shared/errors';
import { createKeyFileCipher } from './key-file-cipher';
import { DEFAULT_SCRYPT } from './passphrase-cipher';
import { fakeSafeStorage, useTempDirs } from './test-support';
import { createSafeStorageCipher } from './safe-storage-cipher';
import { createPassphraseVault, createVault, PASSPHRASE_FILE_NAME, SECRETS_FILE_NAME } from './vault';

/** Cheap scrypt for tests; the production cost is checked once below. */
const cost = { N: 2 ** 12, r: 8, p: 1 };

async function failure(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof AppError)) throw new Error(`expected an AppError, got ${String(error)}`, { cause: error });
  return error;
}

describe('passphrase vault', () => {
  const tempDir = useTempDirs();

  it('starts locked and refuses to seal or open with code locked', async () => {
    const vault = createPassphraseVault(await tempDir(), { cost });
    await expect(vault.status()).resolves.toEqual({ backend: 'passphrase', locked: true, initialized: false });
    expect((await failure(vault.seal('ws', 'postgres', 'pw'))).code).toBe('locked');
    expect((await failure(vault.open('ws', 'postgres', 'AAAA'))).code).toBe('locked');
  });

  it('sets the passphrase on first unlock and opens the same secrets after a restart', async () => {
    const dir = await tempDir();
    const first = createPassphraseVault(dir, { cost });
    await expect(first.unlock('correct horse battery')).resolves.toEqual({ backend: 'passphrase', locked: false, initialized: true });
    const sealed = await first.seal('ws', 'postgres', 'pg-password');

    const again = createPassphraseVault(dir, { cost });
    await expect(again.status()).resolves.toMatchObject({ locked: true, initialized: true });
    await again.unlock('correct horse battery');
    await expect(again.open('ws', 'postgres', sealed)).resolves.toBe('pg-password');
  });

  it('fails a wrong passphrase with auth_failed and stays locked', async () => {
    const dir = await tempDir();
    await createPassphraseVault(dir, { cost }).unlock('correct horse battery');
    const vault = createPassphraseVault(dir, { cost });
    const error = await failure(vault.unlock('wrong horse battery'));
    expect(error.code).toBe('auth_failed');
    expect(error.message).toMatch(/passphrase is wrong/);
    await expect(vault.status()).resolves.toMatchObject({ locked: true });
  });

  it('keeps a salt and a check value beside the secrets, never the passphrase or the key', async () => {
    const dir = await tempDir();
    await createPassphraseVault(dir, { cost }).unlock('correct horse battery');
    const text = await readFile(join(dir, PASSPHRASE_FILE_NAME), 'utf8');
    const params = JSON.parse(text) as { kdf: { salt: string; N: number } };
    expect(Buffer.from(params.kdf.salt, 'base64').length).toBe(16);
    expect(params.kdf.N).toBe(cost.N);
    expect(text).not.toContain('correct horse');
  });

  it('gives two vaults with the same passphrase different salts', async () => {
    const [a, b] = [await tempDir(), await tempDir()];
    await createPassphraseVault(a, { cost }).unlock('same passphrase');
    await createPassphraseVault(b, { cost }).unlock('same passphrase');
    const salt = async (dir: string) => (JSON.parse(await readFile(join(dir, PASSPHRASE_FILE_NAME), 'utf8')) as { kdf: { salt: string } }).kdf.salt;
    expect(await salt(a)).not.toBe(await salt(b));
  });

  it('refuses a first passphrase shorter than 8 characters', async () => {
    const dir = await tempDir();
    expect((await failure(createPassphraseVault(dir, { cost }).unlock('short'))).code).toBe('invalid_argument');
    await expect(readdir(dir)).resolves.not.toContain(PASSPHRASE_FILE_NAME);
  });

  it('derives the key with scrypt N=2^17, r=8, p=1 by default', async () => {
    const dir = await tempDir();
    await createPassphraseVault(dir).unlock('correct horse battery');
    const params = JSON.parse(await readFile(join(dir, PASSPHRASE_FILE_NAME), 'utf8')) as { kdf: object };
    expect(params.kdf).toMatchObject({ name: 'scrypt', ...DEFAULT_SCRYPT });
    expect(DEFAULT_SCRYPT.N).toBe(131072);
  });

  it('reports a damaged vault.json as internal, naming the file', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, PASSPHRASE_FILE_NAME), '{"version":1}');
    const error = await failure(createPassphraseVault(dir, { cost }).unlock('correct horse battery'));
    expect(error.code).toBe('internal');
    expect(error.message).toContain(join(dir, PASSPHRASE_FILE_NAME));
  });
});

describe('secrets file', () => {
  const tempDir = useTempDirs();

  it('is written with mode 0600 and holds only ciphertexts', async () => {
    const dir = await tempDir();
    const vault = createVault(dir, await createKeyFileCipher(dir));
    await vault.write({ 'murima-prod-abc123': { postgres: await vault.seal('murima-prod-abc123', 'postgres', 'plain-pg-pw') } });
    const path = join(dir, SECRETS_FILE_NAME);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect(await readFile(path, 'utf8')).not.toContain('plain-pg-pw');
    const secrets = await vault.read();
    await expect(vault.open('murima-prod-abc123', 'postgres', secrets['murima-prod-abc123']?.postgres ?? '')).resolves.toBe('plain-pg-pw');
  });

  it('reads a missing file as no secrets and leaves no temporary files behind', async () => {
    const dir = await tempDir();
    const vault = createVault(dir, createSafeStorageCipher(fakeSafeStorage()));
    await expect(vault.read()).resolves.toEqual({});
    await vault.write({ ws: { redis: 'c2VhbGVk' } });
    expect(await readdir(dir)).toEqual([SECRETS_FILE_NAME]);
  });

  it('reports a damaged secrets.json as internal, naming the file', async () => {
    const dir = await tempDir();
    const vault = createVault(dir, createSafeStorageCipher(fakeSafeStorage()));
    await writeFile(join(dir, SECRETS_FILE_NAME), '{"ws": {"postgres": 42}}');
    const error = await failure(vault.read());
    expect(error.code).toBe('internal');
    expect(error.message).toContain(join(dir, SECRETS_FILE_NAME));
    await writeFile(join(dir, SECRETS_FILE_NAME), '{not json');
    expect((await failure(vault.read())).message).toContain(join(dir, SECRETS_FILE_NAME));
  });

  it('says a key-file or safe-storage vault has nothing to unlock', async () => {
    const vault = createVault(await tempDir(), createSafeStorageCipher(fakeSafeStorage()));
    await expect(vault.status()).resolves.toEqual({ backend: 'safe-storage', locked: false, initialized: true });
    expect((await failure(vault.unlock('anything'))).code).toBe('invalid_argument');
  });
});
