import type { SectionService } from '../../services/section';
import type { Vault } from '../../security/vault';

/** `vault.status` and `vault.unlock`: the unlock screen of a passphrase vault. */
export function createVaultService(vault: Vault): SectionService<'vault'> {
  return {
    status: () => vault.status(),
    unlock: ({ passphrase }) => vault.unlock(passphrase),
  };
}
