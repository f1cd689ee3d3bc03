import { Recycle } from 'lucide-react';
import type { NavigationEntry, ScreenDefinitions } from '../../lib/screens';
import { IlmScreen, type IlmTab } from './IlmScreen';

declare module '../../lib/screens' {
  interface ScreenParams {
    ilm: { tab?: IlmTab };
  }
}

export const screens: ScreenDefinitions<'ilm'> = {
  ilm: { view: IlmScreen, entry: 'ilm' },
};

/** Everyone sees lifecycles; the views offer changes only to those who may make them. */
export const navigation: NavigationEntry[] = [{ id: 'ilm', label: 'Lifecycle (ILM)', icon: Recycle, section: 'workspace', order: 46, target: { name: 'ilm' } }];
