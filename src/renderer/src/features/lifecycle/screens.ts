import { CalendarRange } from 'lucide-react';
import type { NavigationEntry, NoParams, ScreenDefinitions } from '../../lib/screens';
import { LifecycleScreen } from './LifecycleScreen';
import { TenantLifecycleScreen } from './TenantLifecycleScreen';

declare module '../../lib/screens' {
  interface ScreenParams {
    lifecycle: NoParams;
    tenantLifecycle: { tenantId: string };
  }
}

export const screens: ScreenDefinitions<'lifecycle' | 'tenantLifecycle'> = {
  lifecycle: { view: LifecycleScreen, entry: 'lifecycle' },
  tenantLifecycle: { view: TenantLifecycleScreen, entry: 'tenants' },
};

/** Everyone sees the lifecycle; premaking partitions is offered only to those who may change schemas. */
export const navigation: NavigationEntry[] = [{ id: 'lifecycle', label: 'Lifecycle', icon: CalendarRange, section: 'workspace', order: 41, target: { name: 'lifecycle' } }];
