import { Network } from 'lucide-react';
import type { NavigationEntry, ScreenDefinitions } from '../../lib/screens';
import { ExplainScreen } from './ExplainScreen';
import type { ExplainParams } from './params';

declare module '../../lib/screens' {
  interface ScreenParams {
    explain: ExplainParams;
  }
}

export const screens: ScreenDefinitions<'explain'> = { explain: { view: ExplainScreen, entry: 'explain' } };

export const navigation: NavigationEntry[] = [{ id: 'explain', label: 'Explain', icon: Network, section: 'workspace', order: 27, target: { name: 'explain' } }];
