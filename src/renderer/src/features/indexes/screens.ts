import { Gauge } from 'lucide-react';
import type { NavigationEntry, ScreenDefinitions } from '../../lib/screens';
import { IndexesScreen, type IndexesTab } from './IndexesScreen';
import { TableIndexesScreen } from './TableIndexesScreen';

declare module '../../lib/screens' {
  interface ScreenParams {
    indexes: { tab?: IndexesTab };
    indexTable: { tenantId: string; table: string };
  }
}

export const screens: ScreenDefinitions<'indexes' | 'indexTable'> = {
  indexes: { view: IndexesScreen, entry: 'indexes' },
  indexTable: { view: TableIndexesScreen, entry: 'indexes' },
};

/** Everyone sees the indexes; the views offer changes only to those who may make them. */
export const navigation: NavigationEntry[] = [{ id: 'indexes', label: 'Indexes', icon: Gauge, section: 'workspace', order: 40, target: { name: 'indexes' } }];
