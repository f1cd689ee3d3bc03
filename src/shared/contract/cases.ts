import { z } from 'zod';
import { method, section } from './define';
import { WorkspaceId } from '../model/workspace';
import { TenantId } from '../model/tenant';
import { CaseDetail, CasePriority, CaseSearchResult, CaseStatus, Uuid } from '../model/case';

/** An opaque keyset cursor from a previous page: base64url only. */
const Cursor = z.string().min(1).max(512).regex(/^[A-Za-z0-9_-]+$/, 'a cursor as a previous page returned it');

/** The case inspector (Murima2025): find cases in one tenant, and one case with its merged timeline. */
export const cases = section('cases', {
  search: method({
    access: 'tenant-read',
    summary:
      'Cases of one tenant: full text on the search vector (ranked), exact case number, status, priority ' +
      'and assignee filters, keyset paging. Runs in the tenant’s schema with its RLS setting.',
    args: z
      .object({
        workspaceId: WorkspaceId,
        tenantId: TenantId,
        /** Web-search syntax: words, "quoted phrases", -excluded, or. */
        text: z.string().trim().min(1).max(200).optional(),
        caseNumber: z.string().trim().min(1).max(50).optional(),
        status: CaseStatus.optional(),
        priority: CasePriority.optional(),
        assigneeId: Uuid.optional(),
        limit: z.number().int().min(1).max(200).default(50),
        cursor: Cursor.optional(),
      })
      .strict(),
    result: CaseSearchResult,
  }),
  get: method({
    access: 'tenant-read',
    summary:
      'One case with its type, workflow stage, people and one timeline merged from PostgreSQL, MongoDB ' +
      'case notes and audit logs, and Elasticsearch documents; a store that is missing or down is left ' +
      'out and named in `sources`.',
    args: z.object({ workspaceId: WorkspaceId, tenantId: TenantId, caseId: Uuid }).strict(),
    result: CaseDetail,
  }),
});
