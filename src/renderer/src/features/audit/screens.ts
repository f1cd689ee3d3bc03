import { ScrollText } from 'lucide-react';
import type { NavigationEntry, NoParams, ScreenDefinitions } from '../../lib/screens';
import { AuditViewer } from './AuditViewer';

declare module '../../lib/screens' {
  interface ScreenParams {
    audit: NoParams;
  }
}

export const screens: ScreenDefinitions<'audit'> = {
  audit: { view: AuditViewer, entry: 'audit' },
};

export const navigation: NavigationEntry[] = [
  // The audit trail is a platform admin's to read.
  { id: 'audit', label: 'Audit', icon: ScrollText, section: 'workspace', order: 90, target: { name: 'audit' }, visible: ({ role }) => role === 'platform_admin' },
];
