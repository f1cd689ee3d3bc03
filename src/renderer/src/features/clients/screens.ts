import type { ScreenDefinitions } from '../../lib/screens';
import type { TenantInspector } from '../tenants';
import { ClientPage } from './ClientPage';
import { ClientSearch } from './ClientSearch';

declare module '../../lib/screens' {
  interface ScreenParams {
    client: { tenantId: string; clientId: string };
  }
}

// A client is read below its tenant, so the Tenants entry stays lit.
export const screens: ScreenDefinitions<'client'> = {
  client: { view: ClientPage, entry: 'tenants' },
};

/** The client search in a Client Management tenant's page, when the workspace has its MongoDB. */
export const clientInspector: TenantInspector = {
  tab: 'clients',
  label: 'Clients',
  appliesTo: (workspace) => workspace.preset === 'client-management' && workspace.endpoints.mongo !== undefined,
  view: ClientSearch,
};
