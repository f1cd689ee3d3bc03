import type { SectionService } from '../../services/section';
import { generateSampleRows } from './sample-rows';

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
    sampleRows: async ({ count, seed }, { signal }) => generateSampleRows(count, seed ?? 1, signal),
  };
}
