import { Hourglass } from 'lucide-react';
import type { NavigationEntry, ScreenDefinitions } from '../../lib/screens';
import { RetentionScreen, type RetentionTab } from './RetentionScreen';

declare module '../../lib/screens' {
  interface ScreenParams {
    retention: { tab?: RetentionTab };
  }
}

export const screens: ScreenDefinitions<'retention'> = { retention: { view: RetentionScreen, entry: 'retention' } };

/** Everyone sees retention; the views offer changes only to those who may make them. */
export const navigation: NavigationEntry[] = [{ id: 'retention', label: 'Retention', icon: Hourglass, section: 'workspace', order: 48, target: { name: 'retention' } }];
