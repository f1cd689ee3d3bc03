import { DatabaseBackup } from 'lucide-react';
import type { NavigationEntry, ScreenDefinitions } from '../../lib/screens';
import { BackupsScreen } from './BackupsScreen';
import { BundleScreen } from './BundleScreen';

declare module '../../lib/screens' {
  interface ScreenParams {
    /** The catalog, filtered to one tenant when opened from that tenant. */
    backups: { tenantId?: string };
    backupBundle: { bundleId: string };
  }
}

export const screens: ScreenDefinitions<'backups' | 'backupBundle'> = {
  backups: { view: BackupsScreen, entry: 'backups' },
  backupBundle: { view: BundleScreen, entry: 'backups' },
};

/** Everyone sees the catalog; the screens offer backups, restores and holds only to those who may. */
export const navigation: NavigationEntry[] = [
  { id: 'backups', label: 'Backups', icon: DatabaseBackup, section: 'workspace', order: 50, target: { name: 'backups' } },
];
