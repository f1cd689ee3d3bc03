import { AppError } from '@shared/errors';
import type { CaseDetail, CaseUser, JsonRecord, TimelineItem, WorkflowStage } from '@shared/model/case';
import type { TenantScope } from '@shared/model/tenant-scope';
import type { ExecutionOptions } from '../../stores/execution';
import { recordsOf, type ScopedPostgres } from '../../reading/stores';
import { isoOf, isPlainObject, textOrNull } from '../../reading/values';

/**
 * The PostgreSQL side of a case page. Tables are unqualified (the store's search_path is the
 * tenant's schema); values are parameters.
 *
 * Why every statement repeats `tenant_id = $1` beside RLS, here, in the case search and in the
 * platform logs: the blueprint ENABLEs row-level security without FORCE, so it binds only a role
 * that neither owns the tables nor bypasses RLS. For such a role the policy's stable predicate
 * alone gets the same tenant-prefixed index scans (EXPLAIN on PostgreSQL 15: the audit log reads
 * `idx_audit_logs_occurred_at` with `tenant_id = NULLIF(current_setting(…))::uuid` as its index
 * condition). A workspace that connects as the owner or a superuser (the demo platform does) gets
 * no policy at all: without the repeated condition the platform logs became a sequential scan and
 * sort of the whole audit_logs, and the case search lost its tenant prefix. The schema the store
 * sets still confines the rows; the condition is what the planner keys the indexes on.
 */

const USER_COLUMNS = (alias: string, prefix: string): string =>
  [`${alias}.id::text AS ${prefix}_id`, `${alias}.username AS ${prefix}_username`, `${alias}.first_name AS ${prefix}_first`,
    `${alias}.last_name AS ${prefix}_last`, `${alias}.email AS ${prefix}_email`, `${alias}.role AS ${prefix}_role`].join(', ');

export const CASE_SQL = `
SELECT c.id::text AS id, c.case_number, c.title, c.description, c.status, c.priority, c.created_at, c.updated_at,
       c.due_date, c.tags, c.custom_fields, c.metadata, c.version, c.current_stage_id::text AS current_stage_id,
       ct.id::text AS type_id, ct.name AS type_name, ct.description AS type_description,
       w.id::text AS workflow_id, w.name AS workflow_name, w.stages AS workflow_stages,
       ${USER_COLUMNS('ua', 'assignee')}, ${USER_COLUMNS('uc', 'creator')}
  FROM cases c
  LEFT JOIN case_types ct ON ct.id = c.case_type_id
  LEFT JOIN workflows w ON w.id = COALESCE(c.workflow_id, ct.workflow_id)
  LEFT JOIN users ua ON ua.id = c.assigned_to
  LEFT JOIN users uc ON uc.id = c.created_by
 WHERE c.tenant_id = $1::uuid AND c.id = $2::uuid`;

/** One timeline part read from PostgreSQL: capped at `limit`, oldest first. */
export interface PostgresPart {
  sql: string;
  toItems(row: Record<string, unknown>): TimelineItem[];
}

function userOf(row: Record<string, unknown>, prefix: string): CaseUser | null {
  const id = textOrNull(row[`${prefix}_id`]);
  if (!id) return null;
  const username = String(row[`${prefix}_username`] ?? '');
  const name = [row[`${prefix}_first`], row[`${prefix}_last`]].filter((p) => typeof p === 'string' && p !== '').join(' ');
  return { id, username, name: name || username, email: textOrNull(row[`${prefix}_email`]), role: String(row[`${prefix}_role`] ?? '') };
}

function parsedJson(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return undefined;
  }
}

/** A workflow's `stages` (jsonb): `[{ id, name, order }]`; anything else shows as no stages. */
function stagesOf(value: unknown): WorkflowStage[] {
  const list = parsedJson(value);
  if (!Array.isArray(list)) return [];
  return list.filter(isPlainObject).map((stage, index) => ({
    id: String(stage.id ?? index),
    name: String(stage.name ?? stage.id ?? `Stage ${index + 1}`),
    order: typeof stage.order === 'number' ? stage.order : null,
  }));
}

const jsonOrNull = (value: unknown): JsonRecord | null => (isPlainObject(value) ? value : null);

/** The case row with its type, workflow (its own, else its type's), current stage and people; unmasked. */
export async function readCase(
  postgres: ScopedPostgres,
  scope: TenantScope,
  caseId: string,
  options: ExecutionOptions,
): Promise<Omit<CaseDetail, 'timeline' | 'sources'>> {
  const [row] = recordsOf(await postgres.query(CASE_SQL, [scope.tenantId, caseId], scope, options));
  if (!row) throw new AppError('not_found', `Tenant ${scope.tenantId} has no case ${caseId}.`);
  const stages = stagesOf(row.workflow_stages);
  const currentStageId = textOrNull(row.current_stage_id);
  return {
    case: {
      id: String(row.id),
      caseNumber: String(row.case_number),
      title: String(row.title),
      description: textOrNull(row.description),
      status: String(row.status),
      priority: String(row.priority),
      createdAt: isoOf(row.created_at) ?? '',
      updatedAt: isoOf(row.updated_at) ?? '',
      dueDate: isoOf(row.due_date),
      tags: Array.isArray(row.tags) ? row.tags.map(String) : [],
      customFields: jsonOrNull(row.custom_fields),
      metadata: jsonOrNull(row.metadata),
      version: Number(row.version ?? 1),
    },
    caseType: row.type_id ? { id: String(row.type_id), name: String(row.type_name), description: textOrNull(row.type_description) } : null,
    workflow: row.workflow_id ? { id: String(row.workflow_id), name: String(row.workflow_name), stages } : null,
    currentStage: currentStageId ? (stages.find((s) => s.id === currentStageId) ?? { id: currentStageId, name: currentStageId, order: null }) : null,
    assignee: userOf(row, 'assignee'),
    createdBy: userOf(row, 'creator'),
  };
}

const clip = (text: unknown, length = 120): string => {
  const value = typeof text === 'string' ? text.replace(/\s+/g, ' ').trim() : '';
  return value.length > length ? `${value.slice(0, length - 1)}…` : value;
};

/** `$1` is the tenant, `$2` the case, `$3` the cap (one more than kept, to know it was cut). */
export const POSTGRES_PARTS = {
  interactions: {
    sql: `
SELECT i.id::text AS id, i.timestamp AS at, i.direction, i.content, i.user_id::text AS user_id, i.external_id, i.tags,
       i.metadata, ch.name AS channel_name, ch.type AS channel_type
  FROM interactions i LEFT JOIN channels ch ON ch.id = i.channel_id
 WHERE i.tenant_id = $1::uuid AND i.case_id = $2::uuid
 ORDER BY i.timestamp, i.id LIMIT $3::int`,
    toItems: (row) => [
      {
        key: `postgres:interaction:${String(row.id)}`,
        at: isoOf(row.at) ?? '',
        source: 'postgres',
        kind: 'interaction',
        title: `${row.direction === 'outbound' ? 'Outbound' : 'Inbound'} ${String(row.channel_type ?? 'message')}: ${clip(row.content)}`,
        detail: { ...row, at: isoOf(row.at) },
      },
    ],
  },
  tasks: {
    sql: `
SELECT t.id::text AS id, t.title, t.description, t.status, t.priority, t.assigned_to::text AS assigned_to,
       t.created_by::text AS created_by, t.created_at, t.updated_at, t.due_date, t.completed_at, t.metadata
  FROM tasks t
 WHERE t.tenant_id = $1::uuid AND t.case_id = $2::uuid
 ORDER BY t.created_at, t.id LIMIT $3::int`,
    toItems: (row) => {
      const detail = { ...row, created_at: isoOf(row.created_at), updated_at: isoOf(row.updated_at), due_date: isoOf(row.due_date), completed_at: isoOf(row.completed_at) };
      const items: TimelineItem[] = [
        { key: `postgres:task:${String(row.id)}`, at: detail.created_at ?? '', source: 'postgres', kind: 'task', title: `Task (${String(row.status)}): ${clip(row.title)}`, detail },
      ];
      if (detail.completed_at) {
        items.push({ key: `postgres:task_completed:${String(row.id)}`, at: detail.completed_at, source: 'postgres', kind: 'task_completed', title: `Task completed: ${clip(row.title)}`, detail });
      }
      return items;
    },
  },
  documents: {
    sql: `
SELECT d.id::text AS id, d.filename, d.mime_type, d.size, d.storage_path, d.uploaded_by::text AS uploaded_by,
       d.uploaded_at, d.is_deleted, d.metadata
  FROM documents d
 WHERE d.tenant_id = $1::uuid AND d.case_id = $2::uuid
 ORDER BY d.uploaded_at, d.id LIMIT $3::int`,
    toItems: (row) => [
      {
        key: `postgres:document:${String(row.id)}`,
        at: isoOf(row.uploaded_at) ?? '',
        source: 'postgres',
        kind: 'document',
        title: `Document ${String(row.filename)}${row.is_deleted === true ? ' (deleted)' : ''}`,
        detail: { ...row, size: Number(row.size), uploaded_at: isoOf(row.uploaded_at) },
      },
    ],
  },
  // The audit trail covers the case and the tasks and documents that belong to it.
  audit_trail: {
    sql: `
SELECT a.id::text AS id, a.entity_type, a.entity_id::text AS entity_id, a.action, a.user_id::text AS user_id, a.changes, a.occurred_at
  FROM audit_logs a
 WHERE a.tenant_id = $1::uuid
   AND (a.entity_id = $2::uuid
        OR a.entity_id IN (SELECT t.id FROM tasks t WHERE t.tenant_id = $1::uuid AND t.case_id = $2::uuid)
        OR a.entity_id IN (SELECT d.id FROM documents d WHERE d.tenant_id = $1::uuid AND d.case_id = $2::uuid))
 ORDER BY a.occurred_at, a.id LIMIT $3::int`,
    toItems: (row) => {
      const changes = isPlainObject(row.changes) ? row.changes : null;
      const status = changes && isPlainObject(changes.status) ? changes.status : null;
      const entity = String(row.entity_type).replace(/s$/, '');
      return [
        {
          key: `postgres:audit:${String(row.id)}`,
          at: isoOf(row.occurred_at) ?? '',
          source: 'postgres',
          kind: status && row.entity_type === 'cases' ? 'status_change' : 'audit',
          title: status && row.entity_type === 'cases'
            ? `Status ${String(status.old ?? '—')} → ${String(status.new ?? '—')}`
            : `${String(row.action)} ${entity}${changes ? `: ${Object.keys(changes).join(', ')}` : ''}`,
          detail: { ...row, occurred_at: isoOf(row.occurred_at) },
        },
      ];
    },
  },
} satisfies Record<string, PostgresPart>;

export type PostgresPartName = keyof typeof POSTGRES_PARTS;

/** The `case_created` event every timeline starts with. */
export function creationItem(detail: Omit<CaseDetail, 'timeline' | 'sources'>): TimelineItem {
  const who = detail.createdBy ? ` by ${detail.createdBy.name}` : '';
  return {
    key: `postgres:case_created:${detail.case.id}`,
    at: detail.case.createdAt,
    source: 'postgres',
    kind: 'case_created',
    title: `Case ${detail.case.caseNumber} opened${who}: ${clip(detail.case.title)}`,
    detail: { case_number: detail.case.caseNumber, status: detail.case.status, priority: detail.case.priority, case_type: detail.caseType?.name ?? null },
  };
}
