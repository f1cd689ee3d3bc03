import { describe, expect, it } from 'vitest';
import { CaseDetail } from '@shared/model/case';
import { murima2025, scopeFor } from '@shared/tenancy';
import type { TenantScope } from '@shared/model/tenant-scope';
import { indexEntity, noteItem, searchDocumentItem } from './other-stores';
import type { ElasticHit, InspectorStores, ScopedMongo } from '../../reading/stores';
import { scopedTarget } from '../../stores/mongo/scope';
import type { QueryResult } from '../../stores/postgres/face';
import { createCasesService } from './service';

/**
 * The case page's merge and masking, with the stores replaced by their recorded replies: rows as
 * PostgresStore returns them, MongoDB documents as canonical Extended JSON (what mongosh's
 * EJSON.stringify prints for seed 003's shapes), Elasticsearch hits as `_search` returns them.
 */

const TENANT = '3f2c1a9e-7b4d-4e21-9c55-0a1b2c3d4e5f';
const CASE = '11111111-2222-4333-8444-555555555555';
const context = { signal: new AbortController().signal, session: { role: 'support' as const, operator: { name: 'Ada Admin' } } };

const rows = (columns: string[], values: unknown[][]): QueryResult => ({ columns: columns.map((name) => ({ name, dataTypeId: 25 })), rows: values, rowCount: values.length, command: 'SELECT' });

const CASE_ROW = rows(
  ['id', 'case_number', 'title', 'description', 'status', 'priority', 'created_at', 'updated_at', 'due_date', 'tags', 'custom_fields', 'metadata', 'version', 'current_stage_id',
    'type_id', 'type_name', 'type_description', 'workflow_id', 'workflow_name', 'workflow_stages',
    'assignee_id', 'assignee_username', 'assignee_first', 'assignee_last', 'assignee_email', 'assignee_role',
    'creator_id', 'creator_username', 'creator_first', 'creator_last', 'creator_email', 'creator_role'],
  [[CASE, 'CASE-2026-000042', 'Router keeps rebooting', null, 'open', 'high', new Date('2026-03-01T08:00:00Z'), new Date('2026-03-02T08:00:00Z'), null, ['outage'],
    { customer_id: 'CUST-9', dob: '1980-01-01' }, null, 2, null,
    'aaaaaaaa-0000-4000-8000-000000000001', 'Technical support', null, null, null, null,
    'bbbbbbbb-0000-4000-8000-000000000002', 'wanjiru', 'Wanjiru', 'Kamau', 'wanjiru@corp.example', 'agent',
    null, null, null, null, null, null]],
);

const INTERACTION_ROWS = rows(
  ['id', 'at', 'direction', 'content', 'user_id', 'external_id', 'tags', 'metadata', 'channel_name', 'channel_type'],
  [['cccccccc-0000-4000-8000-000000000003', new Date('2026-03-01T09:00:00Z'), 'inbound', 'It rebooted again', null, null, [], { sentiment_score: -0.4 }, 'SMS', 'sms']],
);

const NOTE = {
  _id: { $oid: '6650f1c2e9b1d4a0012ab34c' },
  tenant_id: TENANT,
  case_id: CASE,
  user_id: 'bbbbbbbb-0000-4000-8000-000000000002',
  content: 'Customer called to follow up on their request.',
  created_at: { $date: { $numberLong: String(Date.parse('2026-03-01T10:00:00Z')) } },
  is_internal: true,
  tags: ['follow-up'],
  attachments: [{ id: 'x', filename: 'call_recording.mp3', size: { $numberLong: '2048576' } }],
};

const MONGO_AUDIT = {
  _id: { $oid: '6650f1c2e9b1d4a0012ab34d' },
  tenant_id: TENANT,
  entity_type: 'case',
  entity_id: CASE,
  action: 'update',
  timestamp: { $date: '2026-03-01T09:30:00.000Z' },
  changes: [{ field: 'status', old_value: 'open', new_value: 'in_progress' }],
  context: { session_id: '9e6a1b1c-0000-4000-8000-00000000abcd', request_id: 'req-7' },
};

const HITS: ElasticHit[] = [
  { index: `tenant-${TENANT}-cases-2026-03`, id: CASE, source: { tenant_id: TENANT, id: CASE, case_number: 'CASE-2026-000042', updated_at: '2026-03-02T08:00:00.000Z' } },
  {
    index: `tenant-${TENANT}-audit-logs-2026-03`,
    id: 'a1',
    source: { tenant_id: TENANT, entity_id: CASE, timestamp: '2026-03-01T09:30:00.000Z', context: { session_id: '9e6a1b1c-0000-4000-8000-00000000abcd' } },
  },
];

type MongoCall = { named: string; collection: string; filter: Record<string, unknown>; scope: TenantScope | undefined };

function storesWith(overrides: Partial<InspectorStores> = {}): InspectorStores & { mongoCalls: MongoCall[] } {
  const mongoCalls: MongoCall[] = [];
  const mongo: ScopedMongo = {
    async findExtendedJson(target, filter, _options, scope) {
      // The collection MongoStore reaches: a logical name resolved under the scope, as the store does.
      const collection = scopedTarget(target, scope).collection;
      mongoCalls.push({ named: target.collection, collection, filter, scope });
      return collection.endsWith('_case_notes') ? [NOTE] : [MONGO_AUDIT];
    },
  };
  return {
    preset: murima2025,
    postgres: {
      async query(sql) {
        if (sql.includes('FROM cases c')) return CASE_ROW;
        if (sql.includes('FROM interactions')) return INTERACTION_ROWS;
        return rows(['id'], []);
      },
    },
    mongo: { reader: mongo, database: 'murima2025' },
    elastic: { search: async () => ({ hits: { hits: HITS.map((hit) => ({ _index: hit.index, _id: hit.id, _source: hit.source })) } }) },
    mongoCalls,
    ...overrides,
  };
}

describe('case page merged across stores', () => {
  it('merges PostgreSQL rows, MongoDB notes and audit logs and Elasticsearch hits into one ordered, masked timeline', async () => {
    const stores = storesWith();
    const service = createCasesService({ openStores: async () => stores });
    const detail = await service.get({ workspaceId: 'w', tenantId: TENANT, caseId: CASE }, context);
    expect(CaseDetail.safeParse(detail).success).toBe(true);
    expect(detail.timeline.map((i) => [i.source, i.kind, i.at])).toEqual([
      ['postgres', 'case_created', '2026-03-01T08:00:00.000Z'],
      ['postgres', 'interaction', '2026-03-01T09:00:00.000Z'],
      ['mongo', 'status_change', '2026-03-01T09:30:00.000Z'],
      ['elastic', 'search_document', '2026-03-01T09:30:00.000Z'],
      ['mongo', 'note', '2026-03-01T10:00:00.000Z'],
      ['elastic', 'search_document', '2026-03-02T08:00:00.000Z'],
    ]);
    const note = detail.timeline.find((i) => i.kind === 'note')!;
    expect(note.detail._id).toBe('6650f1c2e9b1d4a0012ab34c');
    expect((note.detail.attachments as Array<Record<string, unknown>>)[0]!.size).toBe(2048576);
    const text = JSON.stringify(detail);
    expect(text).not.toContain('9e6a1b1c-0000-4000-8000-00000000abcd');
    expect(text).not.toContain('wanjiru@corp.example');
    expect(text).not.toContain('1980-01-01');
    expect(detail.case.customFields?.customer_id).toBe('CUST-9');
    expect(detail.sources.every((s) => s.state === 'ok')).toBe(true);
  });

  it('reads the tenant’s own collections with its scope, leaving the tenant condition to the store', async () => {
    const stores = storesWith();
    await createCasesService({ openStores: async () => stores }).get({ workspaceId: 'w', tenantId: TENANT, caseId: CASE }, context);
    expect(stores.mongoCalls.map((c) => c.collection).sort()).toEqual([`tenant_${TENANT}_audit_logs`, `tenant_${TENANT}_case_notes`]);
    expect(stores.mongoCalls.map((c) => c.named).sort()).toEqual(['audit_logs', 'case_notes']);
    for (const call of stores.mongoCalls) {
      expect(call.scope?.tenantId).toBe(TENANT);
      expect(call.filter).not.toHaveProperty('tenant_id');
    }
  });

  it('leaves out stores that are not configured and names them in sources', async () => {
    const stores = storesWith({ mongo: undefined, elastic: undefined });
    const detail = await createCasesService({ openStores: async () => stores }).get({ workspaceId: 'w', tenantId: TENANT, caseId: CASE }, context);
    expect(detail.timeline.map((i) => i.source)).toEqual(['postgres', 'postgres']);
    expect(detail.sources.filter((s) => s.state === 'not_configured').map((s) => s.part)).toEqual(['case_notes', 'audit_logs', 'search_documents']);
  });

  it('shows a field in clear after an unmask the policy recorded for this workspace and tenant', async () => {
    const asked: string[] = [];
    const service = createCasesService({
      openStores: async () => storesWith(),
      unmaskedPaths: (_session, workspaceId, tenantId, kind) => {
        asked.push(`${workspaceId}/${tenantId}/${kind}`);
        return kind === 'postgres:users' ? ['email'] : [];
      },
    });
    const admin = { ...context, session: { role: 'platform_admin' as const, operator: { name: 'Ada Admin' } } };
    expect((await service.get({ workspaceId: 'w', tenantId: TENANT, caseId: CASE }, admin)).assignee?.email).toBe('wanjiru@corp.example');
    expect(asked).toContain(`w/${TENANT}/postgres:users`);
    expect((await service.get({ workspaceId: 'w', tenantId: TENANT, caseId: CASE }, context)).assignee?.email).not.toBe('wanjiru@corp.example');
  });

  it('tells a configured store the console could not open from one that is not configured', async () => {
    const stores = storesWith({ mongo: undefined, elastic: undefined, unavailable: { mongo: 'MongoDB is configured, but the console does not open it yet.' } });
    const detail = await createCasesService({ openStores: async () => stores }).get({ workspaceId: 'w', tenantId: TENANT, caseId: CASE }, context);
    expect(detail.sources.find((s) => s.part === 'case_notes')).toMatchObject({ state: 'unavailable', reason: 'MongoDB is configured, but the console does not open it yet.' });
    expect(detail.sources.find((s) => s.part === 'search_documents')).toMatchObject({ state: 'not_configured' });
  });

  it('says a case is not found when the tenant’s schema has no such row', async () => {
    const stores = storesWith({ postgres: { query: async () => rows(['id'], []) } });
    await expect(createCasesService({ openStores: async () => stores }).get({ workspaceId: 'w', tenantId: TENANT, caseId: CASE }, context)).rejects.toMatchObject({ code: 'not_found' });
  });
});

describe('items from recorded replies', () => {
  it('reads the entity out of a monthly index name', () => {
    const pattern = scopeFor(murima2025, TENANT).elastic!.indexPattern;
    expect(indexEntity(`tenant-${TENANT}-audit-logs-2026-03`, pattern)).toBe('audit-logs');
    expect(indexEntity(`tenant-${TENANT}-interactions-2025-12`, pattern)).toBe('interactions');
    expect(searchDocumentItem(HITS[1]!, pattern).recordKind).toBe('elastic:audit-logs');
  });

  it('turns a note with Extended JSON ids and dates into plain JSON', () => {
    const item = noteItem(NOTE, 0);
    expect(item.key).toBe('mongo:note:6650f1c2e9b1d4a0012ab34c');
    expect(item.at).toBe('2026-03-01T10:00:00.000Z');
    expect(item.title).toBe('Internal note: Customer called to follow up on their request.');
  });
});
