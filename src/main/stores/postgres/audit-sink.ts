import type pg from 'pg';
import { createPostgresPool } from './client';
import { AppError } from '@shared/errors';
import { canonicalJson, type AuditEntry, type AuditSink } from '@shared/model/audit';

/** The columns a viewer filters on, plus the canonical line itself so the admin store can re-verify the chain. */
const CREATE_TABLE = `
  create table if not exists public.console_audit (
    workspace_id text not null,
    seq bigint not null,
    id text not null,
    at timestamptz not null,
    operator_name text not null,
    operator_email text,
    role text not null,
    tenant_ids text[] not null,
    action text not null,
    target text not null,
    justification jsonb,
    outcome text not null,
    details jsonb not null,
    prev_hash char(64) not null,
    hash char(64) not null,
    entry text not null,
    received_at timestamptz not null default clock_timestamp(),
    primary key (workspace_id, seq)
  )`;

const INSERT = `
  insert into public.console_audit
    (workspace_id, seq, id, at, operator_name, operator_email, role, tenant_ids, action, target,
     justification, outcome, details, prev_hash, hash, entry)
  select e.workspace_id, e.seq, e.id, e.at, e.operator_name, e.operator_email, e.role,
         array(select jsonb_array_elements_text(e.tenant_ids)), e.action, e.target,
         e.justification, e.outcome, e.details, e.prev_hash, e.hash, e.entry
    from jsonb_to_recordset($1::jsonb) as e(
      workspace_id text, seq bigint, id text, at timestamptz, operator_name text, operator_email text,
      role text, tenant_ids jsonb, action text, target text, justification jsonb, outcome text,
      details jsonb, prev_hash text, hash text, entry text)
   order by e.seq
  on conflict (workspace_id, seq) do nothing
  returning seq`;

const READ_BACK = `
  select entry from public.console_audit where workspace_id = $1 and seq > $2 order by seq limit $3`;

const EXISTING_HASHES = `
  select seq::text as seq, hash from public.console_audit where workspace_id = $1 and seq = any($2::bigint[])`;

export interface PostgresAuditSinkOptions {
  /** Connection settings of the platform's PostgreSQL (the admin store). */
  connection: pg.PoolConfig;
  /** How long one attempt waits for a connection before the shipper backs off. */
  connectTimeoutMs?: number;
}

/**
 * Ships audit entries to `public.console_audit` of the platform's PostgreSQL, creating the table
 * when missing. Idempotent by (workspace_id, seq): an entry shipped again is skipped, and one that
 * comes back with another hash is a `conflict`, since that means two different journals claim the
 * same place in the chain.
 */
export class PostgresAuditSink implements AuditSink {
  private readonly pool: pg.Pool;
  private tableReady = false;

  constructor(options: PostgresAuditSinkOptions) {
    // An idle connection dropped by a restarting server is not a failure of any shipment.
    this.pool = createPostgresPool({
      max: 1,
      connectionTimeoutMillis: options.connectTimeoutMs ?? 5_000,
      idleTimeoutMillis: 30_000,
      ...options.connection,
    });
  }

  async ship(entries: readonly AuditEntry[]): Promise<void> {
    if (entries.length === 0) return;
    const byWorkspace = new Map<string, AuditEntry[]>();
    for (const entry of entries) byWorkspace.set(entry.workspaceId, [...(byWorkspace.get(entry.workspaceId) ?? []), entry]);
    try {
      if (!this.tableReady) {
        await this.pool.query(CREATE_TABLE);
        this.tableReady = true;
      }
      for (const [workspaceId, batch] of byWorkspace) await this.insert(workspaceId, batch);
    } catch (error) {
      if (isUndefinedTable(error)) this.tableReady = false;
      if (error instanceof AppError) throw error;
      throw new AppError('unreachable', `The audit entries could not be stored in public.console_audit: ${describe(error)}`);
    }
  }

  /**
   * The canonical texts stored for a workspace, in seq order, a page at a time: what
   * verifyEntryTexts checks to prove the admin store's copy was not altered.
   */
  async *readEntryTexts(workspaceId: string, pageSize = 1_000): AsyncGenerator<string> {
    let after = 0;
    for (;;) {
      const { rows } = await this.pool.query<{ entry: string }>(READ_BACK, [workspaceId, after, pageSize]);
      for (const row of rows) yield row.entry;
      if (rows.length < pageSize) return;
      after += rows.length;
    }
  }

  async close(): Promise<void> {
    await this.pool.end();
  }

  private async insert(workspaceId: string, batch: AuditEntry[]): Promise<void> {
    const rows = batch.map((entry) => ({
      workspace_id: entry.workspaceId,
      seq: entry.seq,
      id: entry.id,
      at: entry.at,
      operator_name: entry.operator.name,
      operator_email: entry.operator.email ?? null,
      role: entry.role,
      tenant_ids: entry.tenantIds,
      action: entry.action,
      target: entry.target,
      justification: entry.justification,
      outcome: entry.outcome,
      details: entry.details,
      prev_hash: entry.prevHash,
      hash: entry.hash,
      entry: canonicalJson(entry),
    }));
    const inserted = await this.pool.query<{ seq: string }>(INSERT, [withoutNul(JSON.stringify(rows))]);
    if (inserted.rowCount === batch.length) return;
    const fresh = new Set(inserted.rows.map((row) => Number(row.seq)));
    const already = batch.filter((entry) => !fresh.has(entry.seq));
    const existing = await this.pool.query<{ seq: string; hash: string }>(EXISTING_HASHES, [
      workspaceId,
      already.map((entry) => entry.seq),
    ]);
    const stored = new Map(existing.rows.map((row) => [Number(row.seq), row.hash]));
    const clash = already.find((entry) => stored.get(entry.seq) !== entry.hash);
    if (clash) {
      throw new AppError(
        'conflict',
        `public.console_audit already holds a different entry ${clash.seq} for workspace ${workspaceId}: ` +
          'two journals claim the same place in the chain. Verify both journals before shipping again.',
        { workspaceId, seq: clash.seq },
      );
    }
  }
}

/**
 * PostgreSQL text and jsonb cannot hold U+0000. In the JSON payload a NUL is the escape `\u0000`
 * (not preceded by an odd run of backslashes); it becomes U+FFFD in the searchable columns. The
 * `entry` column is unaffected: there the escape is itself escaped and stays exact.
 */
function withoutNul(json: string): string {
  return json.replace(/(?<!\\)((?:\\\\)*)\\u0000/g, '$1\\ufffd');
}

function isUndefinedTable(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === '42P01';
}

function describe(error: unknown): string {
  if (error instanceof AggregateError && error.errors.length > 0) return describe(error.errors[0]);
  return error instanceof Error ? error.message : String(error);
}
