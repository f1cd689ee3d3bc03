import { z } from 'zod';
import { StoreKind, WorkspaceId } from './workspace';
import { TenantId } from './tenant-id';
import { SerializedErrorSchema } from './serialized-error';

/**
 * The query workbench: one tool for the four engines, run for one tenant or fanned out across
 * tenants. Results travel as column batches (one array per column), never one object per cell, so
 * a million rows cost a million entries per column and nothing more.
 */

export const WorkbenchEngine = StoreKind;
export type WorkbenchEngine = z.infer<typeof WorkbenchEngine>;

/** Chosen by the renderer for each run, so batches and statuses can be matched to it before the call answers. */
export const RunId = z.string().regex(/^run_[A-Za-z0-9_-]{8,40}$/, 'a run id is run_ and 8–40 letters, digits, _ or -');
export type RunId = z.infer<typeof RunId>;

/** What the text is run against, per engine: a SQL statement, a collection, an index, or Redis lines. */
export const WorkbenchTarget = z.discriminatedUnion('engine', [
  /** `text` is one SQL statement. */
  z.object({ engine: z.literal('postgres') }).strict(),
  /**
   * `text` is a filter document (`find`) or a pipeline array (`aggregate`) in Extended JSON. The
   * collection is the logical name (`cases`); the store resolves it to the tenant's own.
   */
  z
    .object({
      engine: z.literal('mongo'),
      collection: z.string().min(1).max(120),
      operation: z.enum(['find', 'aggregate']),
      /** Optional find options as Extended JSON text: `{ "sort": …, "projection": … }`. */
      options: z.string().max(100_000).optional(),
    })
    .strict(),
  /** `text` is a search body (query DSL, sort, aggs) as JSON; the index is a logical name or pattern inside the tenant's. */
  z.object({ engine: z.literal('elastic'), index: z.string().min(1).max(255) }).strict(),
  /** `text` is Redis commands, one per line. */
  z.object({ engine: z.literal('redis') }).strict(),
]);
export type WorkbenchTarget = z.infer<typeof WorkbenchTarget>;

/** What one run asks for, whatever its scope. */
export const WorkbenchQuery = z
  .object({
    target: WorkbenchTarget,
    text: z.string().trim().min(1, 'something to run').max(1_000_000, 'at most 1,000,000 characters'),
    /** Rows kept before the run stops and says it stopped (default 1,000; at most 1,000,000 in the grid). */
    rowLimit: z.number().int().min(1).max(1_000_000).default(1_000),
    /** The server work is stopped after this long and the run answers `timeout`. */
    timeoutMs: z.number().int().min(100).max(3_600_000).default(30_000),
  })
  .strict();
export type WorkbenchQuery = z.infer<typeof WorkbenchQuery>;
export type WorkbenchQueryInput = z.input<typeof WorkbenchQuery>;

/**
 * A column of a result. `type` is the engine's word for it (`int8`, `timestamptz`, `string`,
 * `object`…); `masked` says the console masked its values for the caller's role.
 */
export const ResultColumn = z.object({
  name: z.string().max(1_000),
  type: z.string().max(100),
  masked: z.boolean().optional(),
});
export type ResultColumn = z.infer<typeof ResultColumn>;

/**
 * One batch of rows, by column: `values[c][r]` is row r of column c. `columns` is the whole list so
 * far, sent with the first batch and again whenever documents bring new fields (columns only ever
 * grow; rows of earlier batches have no value in a new column). A cell is null, a string, a number,
 * a boolean, or a JSON value (documents' nested fields, arrays); 64-bit integers and numerics
 * travel as strings, dates as ISO 8601 strings, binary as base64.
 */
export const RowBatch = z.object({
  runId: RunId,
  seq: z.number().int().min(0),
  columns: z.array(ResultColumn).optional(),
  rows: z.number().int().min(0),
  values: z.array(z.array(z.unknown())),
});
export type RowBatch = z.infer<typeof RowBatch>;

/** One tenant of a fan-out: queued, running, done with its rows, or failed with its own error. */
export const TenantRunStatus = z.object({
  runId: RunId,
  tenantId: TenantId,
  state: z.enum(['queued', 'running', 'done', 'failed', 'cancelled']),
  rows: z.number().int().min(0),
  durationMs: z.number().min(0).optional(),
  error: SerializedErrorSchema.optional(),
});
export type TenantRunStatus = z.infer<typeof TenantRunStatus>;

export const RunOutcome = z.enum(['succeeded', 'failed', 'cancelled', 'timeout']);
export type RunOutcome = z.infer<typeof RunOutcome>;

/** How a run ended: the call's answer, after its last batch. */
export const RunSummary = z.object({
  runId: RunId,
  columns: z.array(ResultColumn),
  rows: z.number().int().min(0),
  /** True when the row limit stopped the run with more rows left: never a silent cut. */
  truncated: z.boolean(),
  rowLimit: z.number().int(),
  durationMs: z.number().min(0),
  /** The server's word for a statement without rows (`UPDATE 3`, `OK`), when there is one. */
  notice: z.string().max(2_000).optional(),
  /** A fan-out's tenants, each with its own outcome; absent for one tenant. */
  tenants: z.array(TenantRunStatus).optional(),
  /** The job that ran a fan-out, for the Jobs screen. */
  jobId: z.string().optional(),
  historyId: z.string(),
});
export type RunSummary = z.infer<typeof RunSummary>;

/** Where a run applied: one tenant, some, or all. */
export const RunScope = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('tenant'), tenantId: TenantId }).strict(),
  z.object({ kind: z.literal('tenants'), tenantIds: z.array(TenantId).min(1).max(100_000) }).strict(),
  z.object({ kind: z.literal('all') }).strict(),
]);
export type RunScope = z.infer<typeof RunScope>;

/** One line of a workspace's history: what ran, where, how long, how it ended. */
export const HistoryEntry = z.object({
  id: z.string(),
  workspaceId: WorkspaceId,
  at: z.string().datetime({ offset: true }),
  operator: z.string().max(200),
  target: WorkbenchTarget,
  text: z.string(),
  scope: RunScope,
  /** Whether the run was allowed to write (`workbench.runWrite`). */
  write: z.boolean(),
  durationMs: z.number().min(0),
  rows: z.number().int().min(0),
  truncated: z.boolean(),
  outcome: RunOutcome,
  error: SerializedErrorSchema.optional(),
});
export type HistoryEntry = z.infer<typeof HistoryEntry>;

export const SavedQueryId = z.string().regex(/^sq_[A-Za-z0-9_-]{8,40}$/, 'a saved query id from workbench.saved');

export const SavedQuery = z.object({
  id: SavedQueryId,
  workspaceId: WorkspaceId,
  name: z.string().trim().min(1, 'a name').max(200),
  description: z.string().max(2_000).optional(),
  target: WorkbenchTarget,
  text: z.string().min(1).max(1_000_000),
  scope: RunScope.optional(),
  savedAt: z.string().datetime({ offset: true }),
  savedBy: z.string().max(200),
});
export type SavedQuery = z.infer<typeof SavedQuery>;

/** A table, view, collection or index the editor completes, with its fields (sampled for documents). */
export const CatalogEntry = z.object({
  name: z.string(),
  kind: z.enum(['table', 'view', 'partitioned-table', 'collection', 'index', 'alias']),
  fields: z.array(z.object({ name: z.string(), type: z.string() })),
  /** For documents: how many were sampled to find the fields. */
  sampled: z.number().int().min(0).optional(),
});
export type CatalogEntry = z.infer<typeof CatalogEntry>;
