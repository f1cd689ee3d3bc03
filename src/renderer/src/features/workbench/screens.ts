import { TerminalSquare } from 'lucide-react';
import type { NavigationEntry, ScreenDefinitions } from '../../lib/screens';
import type { WorkbenchParams } from './params';
import { WorkbenchScreen } from './WorkbenchScreen';

declare module '../../lib/screens' {
  interface ScreenParams {
    workbench: WorkbenchParams;
  }
}

export const screens: ScreenDefinitions<'workbench'> = { workbench: { view: WorkbenchScreen, entry: 'workbench' } };

/** Everyone may query: support one tenant at a time and read-only, the others across tenants and with writes. */
export const navigation: NavigationEntry[] = [
  { id: 'workbench', label: 'Workbench', icon: TerminalSquare, section: 'workspace', order: 25, target: { name: 'workbench' } },
];
