import { CalendarRange } from 'lucide-react';
import type { NavigationEntry, ScreenDefinitions } from '../../lib/screens';
import { PartitionsScreen } from './PartitionsScreen';

declare module '../../lib/screens' {
  interface ScreenParams {
    partitions: { tenantId?: string };
  }
}

export const screens: ScreenDefinitions<'partitions'> = { partitions: { view: PartitionsScreen, entry: 'partitions' } };

/** Everyone sees the partitions; the screen offers premake, retention and moves only to those who may change the schema. */
export const navigation: NavigationEntry[] = [{ id: 'partitions', label: 'Partitions', icon: CalendarRange, section: 'workspace', order: 42, target: { name: 'partitions' } }];
