import { TerminalSquare } from 'lucide-react';
import type { WorkbenchEngine } from '@shared/model/workbench';
import type { NavigationEntry, ScreenDefinitions } from '../../lib/screens';
import { WorkbenchScreen } from './WorkbenchScreen';

/** A tab another screen asks the workbench to open: explain's suggested index, for one tenant, to be run there. */
export interface WorkbenchOpenRequest {
  engine: WorkbenchEngine;
  text: string;
  /** The tab's tenant; without one the tab asks for it. */
  tenantId?: string;
}

/** The workbench alone shows its tabs; with `open` it adds that tab to them, once, and shows it. */
export interface WorkbenchParams {
  open?: WorkbenchOpenRequest;
}

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
