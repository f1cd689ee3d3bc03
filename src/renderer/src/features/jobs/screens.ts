import { ListChecks } from 'lucide-react';
import type { NavigationEntry, NoParams, ScreenDefinitions } from '../../lib/screens';
import { JobsPanel } from './JobsPanel';

declare module '../../lib/screens' {
  interface ScreenParams {
    jobs: NoParams;
  }
}

export const screens: ScreenDefinitions<'jobs'> = { jobs: { view: JobsPanel, entry: 'jobs' } };

/** Everyone sees the workspace's jobs; the panel itself offers start and cancel only to those who may. */
export const navigation: NavigationEntry[] = [{ id: 'jobs', label: 'Jobs', icon: ListChecks, section: 'workspace', order: 30, target: { name: 'jobs' } }];
