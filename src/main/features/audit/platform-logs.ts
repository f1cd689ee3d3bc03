import type { ResultOf } from '@shared/contract/define';
import type { audit, PlatformLogEntry } from '@shared/contract/audit';
import type { TenantScope } from '@shared/model/tenant-scope';
import { scopeFor, tenantCollectionName, tenantIndexPattern } from '@shared/tenancy';
import { recordsOf, type InspectorStores } from '../../reading/stores';
import type { Masker } from '../../reading/timeline';
import { isoOf, plainRecord } from '../../reading/values';

type PlatformLogs = ResultOf<(typeof audit)['methods']['platformLogs']>;
type Source = PlatformLogs['sources']['postgres'];

const text = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : value == null ? null : String(value));

const reasonOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** `tenant_id = $1` repeats RLS's predicate for roles RLS does not bind (see cases/case-reader.ts). */
const POSTGRES_AUDIT = `
SELECT a.id::text AS id, a.entity_type, a.entity_id::text AS entity_id, a.action, a.user_id::text AS user_id, a.changes, a.occurred_at
  FROM audit_logs a
 WHERE a.tenant_id = $1::uuid
 ORDER BY a.occurred_at DESC, a.id DESC LIMIT $2::int`;

/**
 * A platform's own audit logs for one tenant, each store read in the tenant's scope and masked
 * for the caller: the tenant schema's `audit_logs` (PostgreSQL), `tenant_<id>_audit_logs`
 * (MongoDB) and the tenant's `audit-logs` indices (Elasticsearch). A store that is missing or
 * failing is said so, and the others still answer.
 */
export async function readPlatformLogs(
  stores: InspectorStores,
  tenantId: string,
  limit: number,
  mask: Masker,
  exec: { signal: AbortSignal; timeoutMs: number },
): Promise<PlatformLogs> {
  const scope: TenantScope = scopeFor(stores.preset, tenantId);
  const entries: PlatformLogEntry[] = [];

  async function part(run: () => Promise<{ where: string; found: PlatformLogEntry[] }>): Promise<Source> {
    try {
      const { where, found } = await run();
      entries.push(...found.slice(0, limit));
      return { state: 'ok', where, truncated: found.length > limit };
    } catch (error) {
      return { state: 'unavailable', message: reasonOf(error) };
    }
  }

  const postgresStore = stores.preset.layout.postgres ? stores.postgres : undefined;
  const postgres: Promise<Source> = postgresStore
    ? part(async () => {
        const result = await postgresStore.query(POSTGRES_AUDIT, [scope.tenantId, limit + 1], scope, exec);
        const found = recordsOf(result).map((row): PlatformLogEntry => {
          const record = mask('postgres:audit_logs', plainRecord({ ...row, occurred_at: isoOf(row.occurred_at) }));
          return { store: 'postgres', at: isoOf(row.occurred_at), action: text(row.action), actor: text(row.user_id), target: `${String(row.entity_type)} ${String(row.entity_id)}`, record: record as PlatformLogEntry['record'] };
        });
        return { where: `audit_logs of tenant ${scope.tenantId}`, found };
      })
    : Promise.resolve({ state: 'not_configured', message: 'This workspace has no PostgreSQL endpoint.' });

  const mongoStore = stores.mongo;
  const mongo: Promise<Source> = mongoStore
    ? part(async () => {
        const documents = await mongoStore.reader.findExtendedJson(
          // The logical name: under a collection-prefix scope the store reaches the tenant's own.
          { database: mongoStore.database, collection: 'audit_logs' },
          // The store ANDs the scope's tenant condition in; the filter adds nothing of its own.
          {},
          { sort: { timestamp: -1 }, limit: limit + 1 },
          scope,
          exec,
        );
        const found = documents.map((raw): PlatformLogEntry => {
          const record = mask('mongo:audit_logs', plainRecord(raw));
          return { store: 'mongo', at: isoOf(record.timestamp), action: text(record.action), actor: text(record.user_id), target: `${String(record.entity_type ?? '')} ${String(record.entity_id ?? '')}`.trim() || null, record: record as PlatformLogEntry['record'] };
        });
        const layout = stores.preset.layout.mongo;
        // Said as the operator finds it on the server; the preset's naming rule, not a scope.
        const where = layout ? tenantCollectionName(layout, scope.tenantId, 'audit_logs') : 'audit_logs';
        return { where: `${mongoStore.database}.${where}`, found };
      })
    : Promise.resolve({ state: stores.unavailable?.mongo ? 'unavailable' : 'not_configured', message: stores.unavailable?.mongo ?? 'This workspace has no MongoDB endpoint.' });

  const elasticStore = stores.elastic;
  const elasticLayout = stores.preset.layout.elastic;
  const elastic: Promise<Source> = elasticStore && scope.elastic && elasticLayout
    ? part(async () => {
        const response = await elasticStore.search(
          // A logical pattern: the store reads it among the tenant's indices (`tenant-<id>-audit-logs*`).
          'audit-logs*',
          { size: limit + 1, sort: [{ timestamp: { order: 'desc', unmapped_type: 'date' } }] },
          scope,
          exec,
        );
        const found = response.hits.hits.map((hit): PlatformLogEntry => {
          const source = typeof hit._source === 'object' && hit._source !== null ? (hit._source as Record<string, unknown>) : {};
          const record = mask('elastic:audit-logs', plainRecord({ _index: hit._index, _id: hit._id ?? null, ...source }));
          return { store: 'elastic', at: isoOf(record.timestamp), action: text(record.action), actor: text(record.user_id), target: `${String(record.entity_type ?? '')} ${String(record.entity_id ?? '')}`.trim() || null, record: record as PlatformLogEntry['record'] };
        });
        // Said as the operator finds it on the server; the preset's naming rule, not a scope.
        return { where: `${tenantIndexPattern(elasticLayout, scope.tenantId).replace(/\*$/, '')}audit-logs-*`, found };
      })
    : Promise.resolve({ state: stores.unavailable?.elastic ? 'unavailable' : 'not_configured', message: stores.unavailable?.elastic ?? 'This workspace has no Elasticsearch endpoint.' });

  const [pg, mg, es] = await Promise.all([postgres, mongo, elastic]);
  entries.sort((a, b) => (b.at ?? '').localeCompare(a.at ?? ''));
  return { entries: entries.slice(0, limit * 3), sources: { postgres: pg, mongo: mg, elastic: es } };
}
