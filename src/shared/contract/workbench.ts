import { z } from 'zod';
import { events, method, section } from './define';
import { WorkspaceId } from '../model/workspace';
import { TenantId } from '../model/tenant-id';
import {
  CatalogEntry,
  HistoryEntry,
  RowBatch,
  RunId,
  RunSummary,
  SavedQuery,
  SavedQueryId,
  TenantRunStatus,
  WorkbenchEngine,
  WorkbenchQuery,
  WorkbenchTarget,
} from '../model/workbench';

const oneTenant = z.object({ workspaceId: WorkspaceId, tenantId: TenantId, runId: RunId, query: WorkbenchQuery }).strict();

/** Where an export goes: a file the operator picks in the desktop's save dialog, or a download in web mode. */
const ExportDestination = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('save-dialog'), suggestedName: z.string().min(1).max(200).optional() }).strict(),
  z.object({ kind: z.literal('download') }).strict(),
]);

/**
 * The query workbench for all four engines.
 *
 * Rows never travel in a call's answer: `run`, `runWrite` and `fanOut` stream `workbench.batch`
 * events (column batches, to the calling renderer only) and answer with a summary once the last
 * batch is out. Cancelling the call stops the work on the server. Why three methods to run: the
 * access class belongs to a method. `run` reads one tenant (support may, with a reason), inside a
 * READ ONLY transaction or with write commands refused before they are sent; `runWrite` may change
 * data (not support; prod only after an unlock); `fanOut` reads across tenants (a cross-tenant
 * reason, never support) through the jobs room.
 */
export const workbench = section('workbench', {
  run: method({
    access: 'tenant-read',
    summary:
      'Runs one query read-only in one tenant’s scope; rows stream as workbench.batch events up to the row limit, and the ' +
      'answer says whether the limit cut the result. A statement that does not parse is invalid_argument with the server’s ' +
      'message and position; a query reaching outside the tenant is forbidden.',
    args: oneTenant,
    result: RunSummary,
  }),
  runWrite: method({
    access: 'write',
    summary:
      'Runs one query in one tenant’s scope with writes allowed (DDL and DML on PostgreSQL, write commands elsewhere). ' +
      'Refused to support, and on prod until an unlock.',
    args: oneTenant,
    result: RunSummary,
  }),
  fanOut: method({
    access: 'cross-tenant-read',
    summary:
      'Runs one read-only query once per tenant (the listed ones, or all) as a job with bounded concurrency; rows merge ' +
      'into one result with a leading `tenant` column, and each tenant reports its own outcome as workbench.tenant events.',
    args: z
      .object({
        workspaceId: WorkspaceId,
        runId: RunId,
        query: WorkbenchQuery,
        tenantIds: z.array(TenantId).min(1).max(100_000).optional(),
        allTenants: z.literal(true).optional(),
        /** Tenants run at once, within the store's job slots. */
        concurrency: z.number().int().min(1).max(32).default(4),
      })
      .strict()
      .refine((a) => (a.tenantIds === undefined) !== (a.allTenants === undefined), 'name the tenants, or set allTenants'),
    result: RunSummary,
  }),
  export: method({
    access: 'tenant-read',
    summary:
      'Runs one read-only query for one tenant again and streams every row (up to the row limit) to CSV or JSON lines: a ' +
      'file chosen in the save dialog, or a one-time download address in web mode. Nothing is held in memory.',
    args: z
      .object({
        workspaceId: WorkspaceId,
        tenantId: TenantId,
        query: WorkbenchQuery,
        format: z.enum(['csv', 'json']),
        destination: ExportDestination,
      })
      .strict(),
    result: z.object({
      /** Set for a file: rows and bytes written and the file's SHA-256. */
      file: z.object({ path: z.string(), rows: z.number().int(), bytes: z.number().int(), sha256: z.string() }).optional(),
      /** Set for a download: a same-origin address that streams the export once, within a minute. */
      download: z.object({ url: z.string(), fileName: z.string() }).optional(),
      /** The operator closed the save dialog. */
      cancelled: z.boolean().optional(),
    }),
  }),
  catalog: method({
    access: 'read',
    summary:
      'What the editor completes for one tenant: PostgreSQL tables and columns of its schema; MongoDB collections (fields ' +
      'from a sample when a collection is named); Elasticsearch indices and aliases with mapped fields.',
    args: z.object({ workspaceId: WorkspaceId, tenantId: TenantId, engine: WorkbenchEngine, collection: z.string().min(1).max(120).optional() }).strict(),
    result: z.object({ entries: z.array(CatalogEntry) }),
  }),
  history: method({
    access: 'read',
    summary: 'The workspace’s runs, newest first: text, engine, scope, duration, rows and outcome; `search` matches the text.',
    args: z
      .object({
        workspaceId: WorkspaceId,
        search: z.string().max(500).optional(),
        engine: WorkbenchEngine.optional(),
        limit: z.number().int().min(1).max(1_000).default(200),
      })
      .strict(),
    result: z.object({ entries: z.array(HistoryEntry) }),
  }),
  saved: method({
    access: 'read',
    summary: 'The workspace’s saved queries, by name.',
    args: z.object({ workspaceId: WorkspaceId, search: z.string().max(500).optional() }).strict(),
    result: z.object({ queries: z.array(SavedQuery) }),
  }),
  // Saving a query keeps text in the console's own data folder and touches no store: any role may.
  saveQuery: method({
    access: 'app',
    summary: 'Saves (or, with an id, replaces) a named query of the workspace.',
    args: z
      .object({
        workspaceId: WorkspaceId,
        id: SavedQueryId.optional(),
        name: z.string().trim().min(1, 'a name').max(200),
        description: z.string().max(2_000).optional(),
        target: WorkbenchTarget,
        text: z.string().min(1).max(1_000_000),
      })
      .strict(),
    result: SavedQuery,
  }),
  deleteSaved: method({
    access: 'app',
    summary: 'Deletes a saved query.',
    args: z.object({ workspaceId: WorkspaceId, id: SavedQueryId }).strict(),
    result: z.object({ deleted: z.boolean() }),
  }),
});

export const workbenchEvents = events({
  /** Rows of a running query, to the renderer that asked only. */
  'workbench.batch': RowBatch,
  /** A fan-out tenant's state, to the renderer that asked only. */
  'workbench.tenant': TenantRunStatus,
});
