import type { Session } from '@shared/model/session';
import { createSystemService } from '../features/system/service';
import { createWorkspaceRepository } from '../features/workspaces/repository';
import { createWorkspacesService } from '../features/workspaces/service';
import { createVaultService } from '../features/workspaces/vault-service';
import {
  createKeyFileCipher,
  createPassphraseVault,
  createSafeStorageCipher,
  createVault,
  type Vault,
} from '../security/vault';
import { probeEndpoint } from '../stores/probe';
import { createRouter, type Router } from './router';

/** Electron's `safeStorage`, passed in by the shell so core code never imports electron. */
export interface SafeStorageLike {
  isEncryptionAvailable(): boolean;
  encryptString(plainText: string): Buffer;
  decryptString(encrypted: Buffer): string;
  /** Linux only: `basic_text` means a hard-coded key, i.e. no protection. */
  getSelectedStorageBackend?(): string;
}

export interface ConsoleOptions {
  dataDir: string;
  mode: 'desktop' | 'web';
  version: string;
  /** Desktop: Electron's safeStorage. Web mode: absent (a 0600 key file is used). */
  safeStorage?: SafeStorageLike;
  /** A master passphrase, where safeStorage offers no real protection. */
  passphrase?: string;
}

/** The composition root: builds every service from the data dir and wires them into one router. */
export interface ConsoleCore {
  router: Router;
  /** The session of a newly connected renderer. */
  newSession(connectionId: string): Session;
  close(): Promise<void>;
}

/**
 * Picks the vault: the OS keychain through safeStorage on a desktop that has a real one; a master
 * passphrase where safeStorage is missing or is Linux's `basic_text` (a hard-coded key, no
 * protection); a 0600 key file in web mode.
 */
export async function chooseVault(options: ConsoleOptions): Promise<Vault> {
  if (options.mode === 'web') return createVault(options.dataDir, await createKeyFileCipher(options.dataDir));
  const safeStorage = options.safeStorage;
  if (safeStorage?.isEncryptionAvailable() && safeStorage.getSelectedStorageBackend?.() !== 'basic_text') {
    return createVault(options.dataDir, createSafeStorageCipher(safeStorage));
  }
  const vault = createPassphraseVault(options.dataDir);
  if (options.passphrase !== undefined) await vault.unlock(options.passphrase);
  return vault;
}

export async function createConsole(options: ConsoleOptions): Promise<ConsoleCore> {
  const vault = await chooseVault(options);
  const router = createRouter({
    system: createSystemService({ version: options.version, mode: options.mode, dataDir: options.dataDir, vault: vault.backend }),
    workspaces: createWorkspacesService({
      repository: createWorkspaceRepository(options.dataDir),
      vault,
      probe: probeEndpoint,
      onChange: (id, change) => router.broadcast('workspaces.changed', { id, change }),
    }),
    vault: createVaultService(vault),
  });
  return {
    router,
    newSession: (connectionId) => ({ connectionId, operator: { name: 'operator' }, role: 'platform_admin' }),
    close: async () => undefined,
  };
}
