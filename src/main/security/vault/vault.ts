import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { AppError } from '@shared/errors';
import type { VaultBackend, VaultStatus } from '@shared/contract/vault';
import { StoreKind, WorkspaceId } from '@shared/model/workspace';
import type { SecretCipher } from './cipher';
import { readJsonFile, writeFileAtomic } from './files';
import {
  DEFAULT_SCRYPT,
  initPassphrase,
  openPassphrase,
  PassphraseParams,
  type ScryptCost,
} from './passphrase-cipher';

export const SECRETS_FILE_NAME = 'secrets.json';
export const PASSPHRASE_FILE_NAME = 'vault.json';

/** `secrets.json`: `{ [workspaceId]: { [store]: ciphertext } }`, never a plaintext. */
export const SealedSecrets = z.record(WorkspaceId, z.partialRecord(StoreKind, z.string().min(1)));
export type SealedSecrets = z.infer<typeof SealedSecrets>;

/**
 * The vault: seals and opens the secrets of workspaces and keeps them, sealed, in
 * `<dataDir>/secrets.json` (mode 0600). Whether a secret exists is known without opening it, so
 * lists work while a passphrase vault is locked; opening or sealing one needs it unlocked.
 */
export interface Vault {
  readonly backend: VaultBackend;
  status(): Promise<VaultStatus>;
  /** Passphrase vaults only: opens the vault, or on first use sets the master passphrase. */
  unlock(passphrase: string): Promise<VaultStatus>;
  /** The sealed secrets as stored now. */
  read(): Promise<SealedSecrets>;
  /** Replaces the stored secrets (atomically). */
  write(secrets: SealedSecrets): Promise<void>;
  seal(workspaceId: string, store: StoreKind, plaintext: string): Promise<string>;
  open(workspaceId: string, store: StoreKind, sealed: string): Promise<string>;
}

const contextOf = (workspaceId: string, store: StoreKind): string => `${workspaceId}/${store}`;

/** A vault whose cipher is ready from the start (safe-storage, key-file). */
export function createVault(dataDir: string, cipher: SecretCipher): Vault {
  return buildVault(dataDir, cipher.backend, {
    cipher: () => cipher,
    status: async () => ({ backend: cipher.backend, locked: false, initialized: true }),
    unlock: async () => {
      throw new AppError('invalid_argument', `The ${cipher.backend} vault has no passphrase to unlock.`);
    },
  });
}

/**
 * A vault keyed by a master passphrase (scrypt), for desktops where safeStorage gives no real
 * protection. It starts locked; `unlock` derives the key, or creates the vault on first use.
 */
export function createPassphraseVault(dataDir: string, options: { cost?: ScryptCost } = {}): Vault {
  const paramsPath = join(dataDir, PASSPHRASE_FILE_NAME);
  let cipher: SecretCipher | undefined;
  let unlocking: Promise<unknown> = Promise.resolve();

  async function readParams(): Promise<PassphraseParams | undefined> {
    const raw = await readJsonFile(paramsPath);
    if (raw === undefined) return undefined;
    const parsed = PassphraseParams.safeParse(raw);
    if (!parsed.success) {
      throw new AppError('internal', `${paramsPath} is damaged; restore it from a backup (without it the stored passwords cannot be read).`);
    }
    return parsed.data;
  }

  const status = async (): Promise<VaultStatus> => ({
    backend: 'passphrase',
    locked: cipher === undefined,
    initialized: (await readParams()) !== undefined,
  });

  return buildVault(dataDir, 'passphrase', {
    cipher: () => cipher,
    status,
    unlock(passphrase) {
      // One at a time, so two first unlocks cannot each create a vault with its own salt.
      const run = unlocking.then(() => unlockNow(passphrase));
      unlocking = run.catch(() => undefined);
      return run;
    },
  });

  async function unlockNow(passphrase: string): Promise<VaultStatus> {
    const params = await readParams();
    if (params) {
      cipher = await openPassphrase(passphrase, params);
    } else {
      const created = await initPassphrase(passphrase, options.cost ?? DEFAULT_SCRYPT);
      await mkdir(dataDir, { recursive: true, mode: 0o700 });
      await writeFileAtomic(paramsPath, `${JSON.stringify(created.params, null, 2)}\n`);
      cipher = created.cipher;
    }
    return status();
  }
}

interface CipherSource {
  cipher(): SecretCipher | undefined;
  status(): Promise<VaultStatus>;
  unlock(passphrase: string): Promise<VaultStatus>;
}

function buildVault(dataDir: string, backend: VaultBackend, source: CipherSource): Vault {
  const secretsPath = join(dataDir, SECRETS_FILE_NAME);

  const unlocked = (): SecretCipher => {
    const cipher = source.cipher();
    if (!cipher) throw new AppError('locked', 'The vault is locked: enter the master passphrase to use stored passwords.');
    return cipher;
  };

  return {
    backend,
    status: source.status,
    unlock: source.unlock,
    async read() {
      const raw = await readJsonFile(secretsPath);
      if (raw === undefined) return {};
      const parsed = SealedSecrets.safeParse(raw);
      if (!parsed.success) {
        throw new AppError('internal', `${secretsPath} is damaged (${z.prettifyError(parsed.error)}); restore it from a backup.`);
      }
      return parsed.data;
    },
    async write(secrets) {
      await mkdir(dataDir, { recursive: true, mode: 0o700 });
      await writeFileAtomic(secretsPath, `${JSON.stringify(secrets, null, 2)}\n`, 0o600);
    },
    seal: async (workspaceId, store, plaintext) => unlocked().encrypt(plaintext, contextOf(workspaceId, store)),
    open: async (workspaceId, store, sealed) => unlocked().decrypt(sealed, contextOf(workspaceId, store)),
  };
}
