import type { NavigationEntry, ScreenTable } from '../lib/screens';
import * as audit from './audit';
import * as backups from './backups';
import * as cases from './cases';
import * as clients from './clients';
import * as explain from './explain';
import * as ilm from './ilm';
import * as indexes from './indexes';
import * as jobs from './jobs';
import * as partitions from './partitions';
import * as retention from './retention';
import * as lifecycle from './lifecycle';
import * as tenants from './tenants';
import * as workbench from './workbench';
import * as workspaces from './workspaces';

/**
 * Every screen of the console, by name, as the features declare them: the shell renders whatever is
 * here. A new capability adds its `screens` (and `navigation`) below; no shell file changes. The
 * compiler refuses a screen declared in `ScreenParams` that no feature defines.
 */
export const screens: ScreenTable = {
  ...workspaces.screens,
  ...tenants.tenantScreens([cases.caseInspector, clients.clientInspector], [backups.BackupTenantButton]),
  ...cases.screens,
  ...clients.screens,
  ...audit.screens,
  ...jobs.screens,
  ...explain.screens,
  ...indexes.screens,
  ...partitions.screens,
  ...ilm.screens,
  ...retention.screens,
  ...lifecycle.screens,
  ...workbench.screens,
  ...backups.screens,
};

/** The navigation bar's entries; each section is shown in `order`. */
export const navigation: readonly NavigationEntry[] = [
  ...workspaces.navigation,
  ...tenants.navigation,
  ...workbench.navigation,
  ...jobs.navigation,
  ...explain.navigation,
  ...indexes.navigation,
  ...partitions.navigation,
  ...ilm.navigation,
  ...retention.navigation,
  ...lifecycle.navigation,
  ...backups.navigation,
  ...audit.navigation,
];
