import { AppError } from '@shared/errors';
import type { ParsedArgsOf, ResultOf } from '@shared/contract/define';
import type { clients as clientsSection } from '@shared/contract/clients';
import type { TenantScope } from '@shared/model/tenant-scope';
import { scopeFor } from '@shared/tenancy';
import type { InspectorStores, ScopedMongo } from '../../reading/stores';
import { callMasker, type InspectorCallContext, type UnmaskedPaths } from '../../reading/masking';
import { clientPage, readClientDocuments } from './client-page';
import { searchClients } from './search';

type Methods = typeof clientsSection.methods;

export type ClientsService = {
  [M in keyof Methods]: (args: ParsedArgsOf<Methods[M]>, context: InspectorCallContext) => Promise<ResultOf<Methods[M]>>;
};

export interface ClientsServiceDeps {
  /** The stores of a workspace, `mongo.database` being the preset's customer database. */
  openStores(workspaceId: string, signal: AbortSignal): Promise<InspectorStores>;
  timeoutMs?: number;
  /** The most contacts, documents and notes one client page holds; more is reported as truncated. */
  sectionLimit?: number;
  unmaskedPaths?: UnmaskedPaths;
}

const DEFAULT_TIMEOUT_MS = 15_000;
const DEFAULT_SECTION_LIMIT = 200;

function clientScope(stores: InspectorStores, tenantId: string): { mongo: { reader: ScopedMongo; database: string }; scope: TenantScope } {
  const layout = stores.preset.layout.mongo;
  if (!layout || layout.mode !== 'field' || !stores.preset.blueprint.mongo?.collections.some((c) => c.name === 'clients')) {
    throw new AppError('invalid_argument', `The ${stores.preset.title} preset has no clients; the client inspector is for Client Management workspaces.`);
  }
  if (!stores.mongo) throw new AppError('unreachable', 'This workspace has no MongoDB endpoint, where clients live; add one in the workspace editor.');
  return { mongo: stores.mongo, scope: scopeFor(stores.preset, tenantId) };
}

/** The client inspector: MongoDB only, every read with the tenant's scope, everything masked for the role. */
export function createClientsService(deps: ClientsServiceDeps): ClientsService {
  const timeoutMs = deps.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const cap = deps.sectionLimit ?? DEFAULT_SECTION_LIMIT;
  return {
    async search(args, context) {
      const stores = await deps.openStores(args.workspaceId, context.signal);
      const { mongo, scope } = clientScope(stores, args.tenantId);
      const { workspaceId: _w, tenantId: _t, ...search } = args;
      const result = await searchClients(mongo, scope, search, { signal: context.signal, timeoutMs });
      const mask = callMasker(deps.unmaskedPaths, context, args.workspaceId, scope.tenantId);
      return { ...result, clients: result.clients.map((summary) => mask('mongo:clients', summary)) };
    },

    async get(args, context) {
      const stores = await deps.openStores(args.workspaceId, context.signal);
      const { mongo, scope } = clientScope(stores, args.tenantId);
      const raw = await readClientDocuments(mongo, scope, args.clientId, cap, { signal: context.signal, timeoutMs });
      return clientPage(raw, callMasker(deps.unmaskedPaths, context, args.workspaceId, scope.tenantId), cap);
    },
  };
}
