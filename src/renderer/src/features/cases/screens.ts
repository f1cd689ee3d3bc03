import type { ScreenDefinitions } from '../../lib/screens';
import type { TenantInspector } from '../tenants';
import { CasePage } from './CasePage';
import { CaseSearch } from './CaseSearch';

declare module '../../lib/screens' {
  interface ScreenParams {
    case: { tenantId: string; caseId: string };
  }
}

// A case is read below its tenant, so the Tenants entry stays lit.
export const screens: ScreenDefinitions<'case'> = {
  case: { view: CasePage, entry: 'tenants' },
};

/** The case search in a Murima2025 tenant's page, when the workspace has its PostgreSQL. */
export const caseInspector: TenantInspector = {
  tab: 'cases',
  label: 'Cases',
  appliesTo: (workspace) => workspace.preset === 'murima2025' && workspace.endpoints.postgres !== undefined,
  view: CaseSearch,
};
