import { TerminalSquare } from 'lucide-react';
import type { NavigationEntry, NoParams, ScreenDefinitions } from '../../lib/screens';
import { WorkbenchScreen } from './WorkbenchScreen';

declare module '../../lib/screens' {
  interface ScreenParams {
    workbench: NoParams;
  }
}

export const screens: ScreenDefinitions<'workbench'> = { workbench: { view: WorkbenchScreen, entry: 'workbench' } };

/** Everyone may query: support one tenant at a time and read-only, the others across tenants and with writes. */
export const navigation: NavigationEntry[] = [
  { id: 'workbench', label: 'Workbench', icon: TerminalSquare, section: 'workspace', order: 25, target: { name: 'workbench' } },
];
