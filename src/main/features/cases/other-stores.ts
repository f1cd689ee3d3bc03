import type { TenantScope } from '@shared/model/tenant-scope';
import type { ExecutionOptions } from '../../stores/execution';
import type { ElasticHit, ScopedElastic, ScopedMongo } from '../../reading/stores';
import type { RawTimelineItem } from '../../reading/timeline';
import { isoOf, plainRecord } from '../../reading/values';

/**
 * The parts of a case page that live outside PostgreSQL: MongoDB case notes and audit logs (named
 * `case_notes` and `audit_logs`; the store reaches the tenant's `tenant_<id>_…` collections under
 * the scope's collection prefix) and Elasticsearch documents under the tenant's index pattern. The
 * filters name the case only: the store ANDs the scope's tenant condition into every one of them.
 */

const clip = (text: unknown, length = 120): string => {
  const value = typeof text === 'string' ? text.replace(/\s+/g, ' ').trim() : '';
  return value.length > length ? `${value.slice(0, length - 1)}…` : value;
};

const idOf = (document: Record<string, unknown>, fallback: string): string =>
  typeof document._id === 'string' ? document._id : fallback;

export function noteItem(raw: Record<string, unknown>, index: number): RawTimelineItem {
  const note = plainRecord(raw);
  const internal = note.is_internal === true ? 'Internal note' : 'Note';
  return {
    key: `mongo:note:${idOf(note, String(index))}`,
    at: isoOf(note.created_at) ?? '',
    source: 'mongo',
    kind: 'note',
    title: `${internal}: ${clip(note.content)}`,
    detail: note,
    recordKind: 'mongo:case_notes',
  };
}

export function mongoAuditItem(raw: Record<string, unknown>, index: number): RawTimelineItem {
  const entry = plainRecord(raw);
  const changes = Array.isArray(entry.changes) ? (entry.changes as Array<Record<string, unknown>>) : [];
  const status = changes.find((change) => change.field === 'status');
  return {
    key: `mongo:audit:${idOf(entry, String(index))}`,
    at: isoOf(entry.timestamp) ?? '',
    source: 'mongo',
    kind: status ? 'status_change' : 'audit',
    title: status
      ? `Status ${String(status.old_value ?? '—')} → ${String(status.new_value ?? '—')}`
      : `${String(entry.action ?? 'change')} ${String(entry.entity_type ?? '')}: ${changes.map((c) => String(c.field)).join(', ')}`.trim(),
    detail: entry,
    recordKind: 'mongo:audit_logs',
  };
}

/** `tenant-<id>-audit-logs-2026-03` → `audit-logs`, given the tenant's pattern `tenant-<id>-*`. */
export function indexEntity(index: string, indexPattern: string): string {
  const prefix = indexPattern.replace(/\*$/, '');
  const rest = index.startsWith(prefix) ? index.slice(prefix.length) : index;
  return rest.replace(/-\d{4}[-.]\d{2}$/, '') || rest;
}

export function searchDocumentItem(hit: ElasticHit, indexPattern: string): RawTimelineItem {
  const source = plainRecord(hit.source);
  const entity = indexEntity(hit.index, indexPattern);
  const at = isoOf(source.timestamp) ?? isoOf(source.updated_at) ?? isoOf(source.created_at) ?? '';
  const what = entity === 'cases' ? `case ${String(source.case_number ?? '')}`.trim() : entity === 'interactions' ? `interaction: ${clip(source.content, 80)}` : entity;
  return {
    key: `elastic:${hit.index}:${hit.id}`,
    at,
    source: 'elastic',
    kind: 'search_document',
    title: `Indexed ${what} in ${hit.index}`,
    detail: { _index: hit.index, _id: hit.id, ...source },
    recordKind: `elastic:${entity}`,
  };
}

export async function readCaseNotes(
  mongo: { reader: ScopedMongo; database: string },
  scope: TenantScope,
  caseId: string,
  cap: number,
  exec: ExecutionOptions,
): Promise<{ records: number; items: RawTimelineItem[] }> {
  const documents = await mongo.reader.findExtendedJson(
    { database: mongo.database, collection: 'case_notes' },
    { case_id: caseId },
    { sort: { created_at: 1 }, limit: cap + 1 },
    scope,
    exec,
  );
  return { records: documents.length, items: documents.map(noteItem) };
}

export async function readMongoAudit(
  mongo: { reader: ScopedMongo; database: string },
  scope: TenantScope,
  caseId: string,
  cap: number,
  exec: ExecutionOptions,
): Promise<{ records: number; items: RawTimelineItem[] }> {
  const documents = await mongo.reader.findExtendedJson(
    { database: mongo.database, collection: 'audit_logs' },
    { entity_type: 'case', entity_id: caseId },
    { sort: { timestamp: 1 }, limit: cap + 1 },
    scope,
    exec,
  );
  return { records: documents.length, items: documents.map(mongoAuditItem) };
}

/**
 * The case's own search document, its interactions and its audit entries. The store searches the
 * scope's index pattern and nothing else, so the query names the case only.
 */
export function caseDocumentsQuery(caseId: string, cap: number): Record<string, unknown> {
  return {
    size: cap + 1,
    query: {
      bool: {
        should: [{ term: { id: caseId } }, { term: { case_id: caseId } }, { term: { entity_id: caseId } }],
        minimum_should_match: 1,
      },
    },
  };
}

export async function readSearchDocuments(
  elastic: ScopedElastic,
  scope: TenantScope,
  caseId: string,
  cap: number,
  exec: ExecutionOptions,
): Promise<{ records: number; items: RawTimelineItem[] }> {
  const pattern = scope.elastic?.indexPattern ?? '';
  const reply = await elastic.search(undefined, caseDocumentsQuery(caseId, cap), scope, exec);
  const hits: ElasticHit[] = reply.hits.hits.map((hit) => ({
    index: hit._index,
    id: hit._id ?? '',
    source: hit._source !== null && typeof hit._source === 'object' ? (hit._source as Record<string, unknown>) : {},
  }));
  return { records: hits.length, items: hits.map((hit) => searchDocumentItem(hit, pattern)) };
}
