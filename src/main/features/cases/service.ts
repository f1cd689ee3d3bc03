import { AppError } from '@shared/errors';
import type { ParsedArgsOf, ResultOf } from '@shared/contract/define';
import type { cases as casesSection } from '@shared/contract/cases';
import type { CaseDetail, CaseUser } from '@shared/model/case';
import type { TenantScope } from '@shared/model/tenant-scope';
import { scopeFor } from '@shared/tenancy';
import { creationItem, POSTGRES_PARTS, readCase, type PostgresPartName } from './case-reader';
import { readCaseNotes, readMongoAudit, readSearchDocuments } from './other-stores';
import { recordsOf, type InspectorStores, type ScopedPostgres } from '../../reading/stores';
import { searchCases } from './search';
import { callMasker, type InspectorCallContext, type UnmaskedPaths } from '../../reading/masking';
import { maskTimeline, mergeTimeline, notConfigured, readPart, type Masker, type PartOutcome, type RawTimelineItem } from '../../reading/timeline';

type Methods = typeof casesSection.methods;

export type CasesService = {
  [M in keyof Methods]: (args: ParsedArgsOf<Methods[M]>, context: InspectorCallContext) => Promise<ResultOf<Methods[M]>>;
};

export interface CasesServiceDeps {
  /** The stores of a workspace with its preset, connected or connecting; a store left out is not configured. */
  openStores(workspaceId: string, signal: AbortSignal): Promise<InspectorStores>;
  /** How long one store may take for its part of a case page before it is reported as slow. */
  storeTimeoutMs?: number;
  /** The most items one part of a timeline holds; more is reported as truncated. */
  partLimit?: number;
  unmaskedPaths?: UnmaskedPaths;
}

const DEFAULT_STORE_TIMEOUT_MS = 10_000;
const DEFAULT_PART_LIMIT = 500;

function caseScope(stores: InspectorStores, tenantId: string): { postgres: ScopedPostgres; scope: TenantScope } {
  if (!stores.preset.layout.postgres) {
    throw new AppError('invalid_argument', `The ${stores.preset.title} preset keeps no cases in PostgreSQL; the case inspector is for Murima2025 workspaces.`);
  }
  if (!stores.postgres) throw new AppError('unreachable', 'This workspace has no PostgreSQL endpoint, where cases live; add one in the workspace editor.');
  return { postgres: stores.postgres, scope: scopeFor(stores.preset, tenantId) };
}

const maskUser = (user: CaseUser | null, mask: Masker): CaseUser | null => (user ? mask('postgres:users', user) : null);

/**
 * The case inspector: case search in one tenant's schema and one case page whose timeline merges
 * PostgreSQL, MongoDB and Elasticsearch. Everything leaves masked for the caller's role.
 */
export function createCasesService(deps: CasesServiceDeps): CasesService {
  const timeoutMs = deps.storeTimeoutMs ?? DEFAULT_STORE_TIMEOUT_MS;
  const cap = deps.partLimit ?? DEFAULT_PART_LIMIT;

  return {
    async search(args, context) {
      const stores = await deps.openStores(args.workspaceId, context.signal);
      const { postgres, scope } = caseScope(stores, args.tenantId);
      const { workspaceId: _w, tenantId: _t, ...search } = args;
      const result = await searchCases(postgres, scope, search, { signal: context.signal, timeoutMs });
      const mask = callMasker(deps.unmaskedPaths, context, args.workspaceId, scope.tenantId);
      // Summaries hold no masked fields today; masking them keeps it so if the rules grow.
      return { ...result, cases: result.cases.map((summary) => mask('postgres:cases', summary)) };
    },

    async get(args, context): Promise<CaseDetail> {
      const { signal } = context;
      const stores = await deps.openStores(args.workspaceId, signal);
      const { postgres, scope } = caseScope(stores, args.tenantId);
      // The case itself must be read: without it there is no page, so its failure is the answer.
      const base = await readCase(postgres, scope, args.caseId, { signal, timeoutMs });

      const postgresPart = (name: PostgresPartName): Promise<PartOutcome> =>
        readPart(name, 'postgres', timeoutMs, signal, cap, async (exec) => {
          const part = POSTGRES_PARTS[name];
          const result = await postgres.query(part.sql, [scope.tenantId, args.caseId, cap + 1], scope, exec);
          const rows = recordsOf(result);
          const items: RawTimelineItem[] = rows.flatMap((row) =>
            part.toItems(row).map((item) => ({ ...item, recordKind: `postgres:${name === 'audit_trail' ? 'audit_logs' : name}` as const })),
          );
          return { records: rows.length, items };
        });

      const { mongo, elastic } = stores;
      const outcomes = await Promise.all([
        postgresPart('interactions'),
        postgresPart('tasks'),
        postgresPart('documents'),
        postgresPart('audit_trail'),
        mongo && scope.mongo
          ? readPart('case_notes', 'mongo', timeoutMs, signal, cap, (exec) => readCaseNotes(mongo, scope, args.caseId, cap, exec))
          : notConfigured('case_notes', 'mongo', stores.unavailable?.mongo),
        mongo && scope.mongo
          ? readPart('audit_logs', 'mongo', timeoutMs, signal, cap, (exec) => readMongoAudit(mongo, scope, args.caseId, cap, exec))
          : notConfigured('audit_logs', 'mongo', stores.unavailable?.mongo),
        elastic && scope.elastic
          ? readPart('search_documents', 'elastic', timeoutMs, signal, cap, (exec) => readSearchDocuments(elastic, scope, args.caseId, cap, exec))
          : notConfigured('search_documents', 'elastic', stores.unavailable?.elastic),
      ]);

      const created: RawTimelineItem = { ...creationItem(base), recordKind: 'postgres:cases' };
      const timeline = mergeTimeline([[created], ...outcomes.map((outcome) => outcome.items)]);
      const mask = callMasker(deps.unmaskedPaths, context, args.workspaceId, scope.tenantId);
      return {
        ...base,
        case: mask('postgres:cases', base.case),
        assignee: maskUser(base.assignee, mask),
        createdBy: maskUser(base.createdBy, mask),
        timeline: maskTimeline(timeline, mask),
        sources: [
          { part: 'case', store: 'postgres', state: 'ok', items: 1, truncated: false },
          ...outcomes.map((outcome) => outcome.source),
        ],
      };
    },
  };
}
