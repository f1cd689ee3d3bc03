import { AppError } from '@shared/errors';
import { undecryptable, type SecretCipher } from './cipher';

/** Electron's safeStorage as the shell hands it over; core code never imports electron. */
export interface SafeStorageApi {
  isEncryptionAvailable(): boolean;
  encryptString(plainText: string): Buffer;
  decryptString(encrypted: Buffer): string;
  getSelectedStorageBackend?(): string;
}

/**
 * The desktop vault: the OS keychain (Keychain, DPAPI, libsecret/kwallet) encrypts. safeStorage
 * has no associated data, so the context travels inside the plaintext and is checked on the way out.
 */
export function createSafeStorageCipher(safeStorage: SafeStorageApi): SecretCipher {
  const separator = '\u0000';
  return {
    backend: 'safe-storage',
    async encrypt(plaintext, context) {
      if (!safeStorage.isEncryptionAvailable()) {
        throw new AppError('locked', 'The system keychain is not available; unlock it and try again.');
      }
      return safeStorage.encryptString(`${context}${separator}${plaintext}`).toString('base64');
    },
    async decrypt(sealed, context) {
      let opened: string;
      try {
        opened = safeStorage.decryptString(Buffer.from(sealed, 'base64'));
      } catch {
        throw undecryptable(context);
      }
      const prefix = `${context}${separator}`;
      if (!opened.startsWith(prefix)) throw undecryptable(context);
      return opened.slice(prefix.length);
    },
  };
}
