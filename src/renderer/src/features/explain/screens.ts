import { Network } from 'lucide-react';
import type { NavigationEntry, ScreenDefinitions } from '../../lib/screens';
import { ExplainScreen } from './ExplainScreen';

/**
 * What opens the explain screen: the workbench's Explain button passes the statement and where it
 * runs; a kept plan opens by its id. Everything is optional: the screen alone offers run and paste.
 */
export interface ExplainParams {
  workspaceId?: string;
  tenantId?: string;
  engine?: 'postgres' | 'mongo' | 'elastic';
  statement?: string;
  collection?: string;
  operation?: 'find' | 'aggregate';
  index?: string;
  planId?: string;
}

declare module '../../lib/screens' {
  interface ScreenParams {
    explain: ExplainParams;
  }
}

export const screens: ScreenDefinitions<'explain'> = { explain: { view: ExplainScreen, entry: 'explain' } };

export const navigation: NavigationEntry[] = [{ id: 'explain', label: 'Explain', icon: Network, section: 'workspace', order: 27, target: { name: 'explain' } }];
