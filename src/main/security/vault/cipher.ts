import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { AppError } from '@shared/errors';
import type { VaultBackend } from '@shared/contract/vault';

/**
 * Encrypts one secret at a time into an opaque base64 string. `context` names where the secret
 * belongs (`<workspaceId>/<store>`) and is bound to the ciphertext, so a sealed secret copied to
 * another workspace's slot does not decrypt.
 */
export interface SecretCipher {
  readonly backend: VaultBackend;
  encrypt(plaintext: string, context: string): Promise<string>;
  decrypt(sealed: string, context: string): Promise<string>;
}

const FORMAT_VERSION = 1;
const IV_BYTES = 12;
const TAG_BYTES = 16;
export const KEY_BYTES = 32;

/** The message a person sees when a secret cannot be opened: what it means and what to do. */
export function undecryptable(context: string): AppError {
  return new AppError(
    'auth_failed',
    `The stored secret ${context} could not be decrypted: the vault key does not match or the secret was altered. ` +
      'Enter the password again to replace it.',
  );
}

/** AES-256-GCM: `version ‖ iv ‖ tag ‖ ciphertext`, base64; a fresh random IV for every secret. */
export function sealWithKey(key: Buffer, plaintext: string, context: string): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(Buffer.from(context, 'utf8'));
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return Buffer.concat([Buffer.from([FORMAT_VERSION]), iv, cipher.getAuthTag(), body]).toString('base64');
}

export function openWithKey(key: Buffer, sealed: string, context: string): string {
  const raw = Buffer.from(sealed, 'base64');
  if (raw.length < 1 + IV_BYTES + TAG_BYTES || raw[0] !== FORMAT_VERSION) throw undecryptable(context);
  const iv = raw.subarray(1, 1 + IV_BYTES);
  const tag = raw.subarray(1 + IV_BYTES, 1 + IV_BYTES + TAG_BYTES);
  const body = raw.subarray(1 + IV_BYTES + TAG_BYTES);
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(Buffer.from(context, 'utf8'));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(body), decipher.final()]).toString('utf8');
  } catch {
    throw undecryptable(context);
  }
}

/** A cipher over a 32-byte key held in memory (key-file and passphrase vaults). */
export function createKeyCipher(backend: VaultBackend, key: Buffer): SecretCipher {
  if (key.length !== KEY_BYTES) throw new AppError('internal', `A vault key must be ${KEY_BYTES} bytes`);
  return {
    backend,
    encrypt: async (plaintext, context) => sealWithKey(key, plaintext, context),
    decrypt: async (sealed, context) => openWithKey(key, sealed, context),
  };
}
