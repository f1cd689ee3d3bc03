import type { SectionService } from '../../core/router';

export interface SystemInfo {
  version: string;
  mode: 'desktop' | 'web';
  dataDir: string;
  vault: 'safe-storage' | 'key-file' | 'passphrase';
}

export function createSystemService(info: SystemInfo): SectionService<'system'> {
  return {
    info: async () => info,
    ping: async ({ echo }) => ({ echo, at: new Date().toISOString() }),
  };
}
