import type { Session } from '@shared/model/session';
import { createSystemService } from '../features/system/service';
import { createWorkspacesService } from '../features/workspaces/service';
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

export async function createConsole(options: ConsoleOptions): Promise<ConsoleCore> {
  const workspaces = await createWorkspacesService({ dataDir: options.dataDir });
  const router = createRouter({
    system: createSystemService({ version: options.version, mode: options.mode, dataDir: options.dataDir, vault: 'key-file' }),
    workspaces,
  });
  return {
    router,
    newSession: (connectionId) => ({ connectionId, operator: { name: 'operator' }, role: 'platform_admin' }),
    close: async () => undefined,
  };
}
