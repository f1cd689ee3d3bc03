import { randomBytes, scrypt } from 'node:crypto';
import { z } from 'zod';
import { AppError } from '@shared/errors';
import { createKeyCipher, KEY_BYTES, openWithKey, sealWithKey, type SecretCipher } from './cipher';
import { MIN_PASSPHRASE_LENGTH } from '@shared/contract/vault';

/** scrypt cost: N = 2^17, r = 8, p = 1 (OWASP's recommendation), about 128 MiB and a fraction of a second. */
export const DEFAULT_SCRYPT = { N: 2 ** 17, r: 8, p: 1 } as const;
export type ScryptCost = { N: number; r: number; p: number };

/** What the passphrase vault keeps beside the secrets: never the key, only how to derive and check it. */
export const PassphraseParams = z.object({
  version: z.literal(1),
  kdf: z.object({
    name: z.literal('scrypt'),
    salt: z.string().min(16),
    N: z.number().int().min(2 ** 10).max(2 ** 22),
    r: z.number().int().min(1).max(32),
    p: z.number().int().min(1).max(16),
  }),
  /** A known text sealed with the derived key: a wrong passphrase fails to open it. */
  check: z.string(),
});
export type PassphraseParams = z.infer<typeof PassphraseParams>;

const CHECK_TEXT = 'tenantscope-vault-check';
const CHECK_CONTEXT = 'vault/check';
export { MIN_PASSPHRASE_LENGTH };

function deriveKey(passphrase: string, salt: Buffer, cost: ScryptCost): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    // maxmem must cover 128·N·r bytes plus slack, or Node refuses the cost.
    const maxmem = 128 * cost.N * cost.r * 2;
    scrypt(passphrase.normalize('NFC'), salt, KEY_BYTES, { ...cost, maxmem }, (error, key) =>
      error ? reject(error) : resolve(key),
    );
  });
}

/** A new vault: a random salt, a key from the passphrase, and the check value. */
export async function initPassphrase(
  passphrase: string,
  cost: ScryptCost = DEFAULT_SCRYPT,
): Promise<{ params: PassphraseParams; cipher: SecretCipher }> {
  if (passphrase.length < MIN_PASSPHRASE_LENGTH) {
    throw new AppError('invalid_argument', `Choose a master passphrase of at least ${MIN_PASSPHRASE_LENGTH} characters.`);
  }
  const salt = randomBytes(16);
  const key = await deriveKey(passphrase, salt, cost);
  const params: PassphraseParams = {
    version: 1,
    kdf: { name: 'scrypt', salt: salt.toString('base64'), ...cost },
    check: sealWithKey(key, CHECK_TEXT, CHECK_CONTEXT),
  };
  return { params, cipher: createKeyCipher('passphrase', key) };
}

/** Opens an existing vault; a wrong passphrase is `auth_failed`. */
export async function openPassphrase(passphrase: string, params: PassphraseParams): Promise<SecretCipher> {
  const { salt, N, r, p } = params.kdf;
  const key = await deriveKey(passphrase, Buffer.from(salt, 'base64'), { N, r, p });
  let check: string;
  try {
    check = openWithKey(key, params.check, CHECK_CONTEXT);
  } catch {
    throw new AppError('auth_failed', 'The master passphrase is wrong.');
  }
  // The tag already authenticated the check; its text only guards against a foreign file.
  if (check !== CHECK_TEXT) {
    throw new AppError('auth_failed', 'The master passphrase is wrong.');
  }
  return createKeyCipher('passphrase', key);
}
