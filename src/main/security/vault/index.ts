export type { SecretCipher } from './cipher';
export { createKeyFileCipher, KEY_FILE_NAME } from './key-file-cipher';
export { createSafeStorageCipher, type SafeStorageApi } from './safe-storage-cipher';
export { DEFAULT_SCRYPT, MIN_PASSPHRASE_LENGTH, type ScryptCost } from './passphrase-cipher';
export {
  createPassphraseVault,
  createVault,
  PASSPHRASE_FILE_NAME,
  SECRETS_FILE_NAME,
  SealedSecrets,
  type Vault,
} from './vault';
