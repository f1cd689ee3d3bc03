import type { CaseSearchResult, CaseSummary } from '@shared/model/case';
import type { TenantScope } from '@shared/model/tenant-scope';
import type { ExecutionOptions } from '../../stores/execution';
import { decodeCursor, encodeCursor } from './cursor';
import { recordsOf, type ScopedPostgres } from '../../reading/stores';
import { isoOf, textOrNull } from '../../reading/values';

export interface CaseSearch {
  text?: string;
  caseNumber?: string;
  status?: string;
  priority?: string;
  assigneeId?: string;
  limit: number;
  cursor?: string;
}

export interface SqlQuery {
  text: string;
  values: unknown[];
}

/** PostgreSQL prints the creation time to the microsecond, so the keyset never skips a tie. */
const CURSOR_AT = `to_char(c.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
const RANK = 'ts_rank(c.search_vector, q.query)';

/**
 * The one statement a case search runs, tables unqualified so they resolve in the tenant's schema
 * (the store sets search_path). Every value is a parameter; the tenant condition is repeated beside
 * RLS so the tenant-prefixed indexes serve it even for a role RLS does not bind (why: case-reader.ts).
 * Fetches one row more than the page to know whether another page follows.
 */
export function buildCaseSearch(search: CaseSearch, tenantId: string): SqlQuery {
  const values: unknown[] = [];
  const param = (value: unknown, cast = ''): string => {
    values.push(value);
    return `$${values.length}${cast}`;
  };
  const ranked = search.text !== undefined;
  const where = [`c.tenant_id = ${param(tenantId, '::uuid')}`];
  const from = ['cases c'];
  if (ranked) {
    from.push(`CROSS JOIN websearch_to_tsquery('english', ${param(search.text)}) AS q(query)`);
    where.push('c.search_vector @@ q.query');
  }
  if (search.caseNumber !== undefined) where.push(`c.case_number = ${param(search.caseNumber)}`);
  if (search.status !== undefined) where.push(`c.status = ${param(search.status)}`);
  if (search.priority !== undefined) where.push(`c.priority = ${param(search.priority)}`);
  if (search.assigneeId !== undefined) where.push(`c.assigned_to = ${param(search.assigneeId, '::uuid')}`);
  if (search.cursor !== undefined) {
    const after = decodeCursor(search.cursor, ranked);
    // Every key sorts descending, so one row comparison is the whole keyset condition.
    where.push(
      ranked
        ? `(${RANK}, c.created_at, c.id) < (${param(after.rank, '::real')}, ${param(after.at, '::timestamptz')}, ${param(after.id, '::uuid')})`
        : `(c.created_at, c.id) < (${param(after.at, '::timestamptz')}, ${param(after.id, '::uuid')})`,
    );
  }
  const text = [
    'SELECT c.id::text AS id, c.case_number, c.title, c.status, c.priority, ct.name AS case_type,',
    '       c.assigned_to::text AS assignee_id, u.username AS assignee_username,',
    "       NULLIF(concat_ws(' ', u.first_name, u.last_name), '') AS assignee_name,",
    '       c.created_at, c.updated_at, c.due_date, c.tags,',
    `       ${CURSOR_AT} AS cursor_at, ${ranked ? RANK : 'NULL::real'} AS rank`,
    `  FROM ${from.join(' ')}`,
    '  LEFT JOIN case_types ct ON ct.id = c.case_type_id',
    '  LEFT JOIN users u ON u.id = c.assigned_to',
    ` WHERE ${where.join('\n   AND ')}`,
    ` ORDER BY ${ranked ? `${RANK} DESC, ` : ''}c.created_at DESC, c.id DESC`,
    ` LIMIT ${param(search.limit + 1, '::int')}`,
  ].join('\n');
  return { text, values };
}

function summaryOf(row: Record<string, unknown>): CaseSummary {
  const assigneeId = textOrNull(row.assignee_id);
  return {
    id: String(row.id),
    caseNumber: String(row.case_number),
    title: String(row.title),
    status: String(row.status),
    priority: String(row.priority),
    caseType: textOrNull(row.case_type),
    assignee: assigneeId ? { id: assigneeId, name: textOrNull(row.assignee_name) ?? textOrNull(row.assignee_username) ?? assigneeId } : null,
    createdAt: isoOf(row.created_at) ?? '',
    updatedAt: isoOf(row.updated_at) ?? '',
    dueDate: isoOf(row.due_date),
    tags: Array.isArray(row.tags) ? row.tags.map(String) : [],
    rank: typeof row.rank === 'number' ? row.rank : null,
  };
}

/** One page of a tenant's cases, through the store with the tenant's scope. */
export async function searchCases(
  postgres: ScopedPostgres,
  scope: TenantScope,
  search: CaseSearch,
  options: ExecutionOptions,
): Promise<CaseSearchResult> {
  const query = buildCaseSearch(search, scope.tenantId);
  const rows = recordsOf(await postgres.query(query.text, query.values, scope, options));
  const page = rows.slice(0, search.limit);
  const last = page.at(-1);
  const nextCursor =
    rows.length > search.limit && last
      ? encodeCursor({ rank: typeof last.rank === 'number' ? last.rank : null, at: String(last.cursor_at), id: String(last.id) })
      : null;
  return { cases: page.map(summaryOf), nextCursor };
}
