import { z } from 'zod';
import { method, section } from './define';

export const VaultBackend = z.enum(['safe-storage', 'key-file', 'passphrase']);

/** The shortest master passphrase the vault accepts; the unlock screen says the same. */
export const MIN_PASSPHRASE_LENGTH = 8;
export type VaultBackend = z.infer<typeof VaultBackend>;

export const VaultStatus = z.object({
  backend: VaultBackend,
  /** A passphrase vault is locked until the master passphrase is entered; stored passwords cannot be used. */
  locked: z.boolean(),
  /** False until the first passphrase is chosen: the unlock screen asks to choose rather than enter one. */
  initialized: z.boolean(),
});
export type VaultStatus = z.infer<typeof VaultStatus>;

/** The secrets vault: which backend protects the stored passwords, and unlocking a passphrase vault. */
export const vault = section('vault', {
  status: method({
    access: 'app',
    summary: 'Which backend protects stored passwords, and whether the vault is locked.',
    args: z.object({}).strict(),
    result: VaultStatus,
  }),
  unlock: method({
    access: 'app',
    summary: 'Unlocks a passphrase vault, or on first use sets its master passphrase (8 characters or more).',
    args: z.object({ passphrase: z.string().min(1, 'enter the master passphrase').max(1024) }).strict(),
    result: VaultStatus,
  }),
});
