import { z } from 'zod';
import { method, section } from './define';
import { WorkspaceId } from '../model/workspace';
import { TenantId } from '../model/tenant';
import { AuditEntry, AuditOutcome, JournalVerification } from '../model/audit';

const Time = z.string().datetime({ offset: true });

/** What the audit viewer filters on; every condition given must hold. */
export const AuditQueryFilter = z
  .object({
    /** One workspace's journal; without it, every journal (the console’s own included). */
    workspaceId: WorkspaceId.optional(),
    /** A substring of the operator's name or email, any case. */
    operator: z.string().trim().min(1).max(200).optional(),
    tenantId: TenantId.optional(),
    /** An exact action, or a prefix ending in `.` (`access.`). */
    action: z.string().trim().min(1).max(200).optional(),
    outcome: AuditOutcome.optional(),
    from: Time.optional(),
    to: Time.optional(),
  })
  .strict();
export type AuditQueryFilter = z.infer<typeof AuditQueryFilter>;

export const AuditQueryResult = z.object({
  /** Newest first. */
  entries: z.array(AuditEntry),
  /** Lines that are not entries: the viewer says so and offers verify. */
  unreadable: z.array(z.object({ journal: z.string(), line: z.number().int() })),
  more: z.boolean(),
});
export type AuditQueryResult = z.infer<typeof AuditQueryResult>;

const PlatformLogSource = z.discriminatedUnion('state', [
  z.object({ state: z.literal('ok'), where: z.string(), truncated: z.boolean() }),
  z.object({ state: z.literal('not_configured'), message: z.string() }),
  z.object({ state: z.literal('unavailable'), message: z.string() }),
]);

/** One entry of a platform's own audit log, masked for the caller. */
export const PlatformLogEntry = z.object({
  store: z.enum(['postgres', 'mongo', 'elastic']),
  at: z.string().nullable(),
  action: z.string().nullable(),
  actor: z.string().nullable(),
  /** What it changed: `cases 3f2…`. */
  target: z.string().nullable(),
  record: z.record(z.string(), z.json()),
});
export type PlatformLogEntry = z.infer<typeof PlatformLogEntry>;

/** The console's audit journal: viewer, verification, export, and the platform's own audit logs. */
export const audit = section('audit', {
  query: method({
    access: 'audit-read',
    summary: 'Entries of the console’s audit journal matching a filter, newest first.',
    args: AuditQueryFilter.extend({ limit: z.number().int().min(1).max(5000).default(200) }).strict(),
    result: AuditQueryResult,
  }),
  verify: method({
    access: 'audit-read',
    summary: 'Recomputes a workspace journal’s hash chain: intact, or the first tampered or missing entry.',
    args: z.object({ workspaceId: WorkspaceId }).strict(),
    result: JournalVerification.extend({ journal: z.string() }),
  }),
  export: method({
    access: 'audit-read',
    summary: 'The matching entries as a CSV or JSON file (entries hold no secrets).',
    args: AuditQueryFilter.extend({ format: z.enum(['csv', 'json']), limit: z.number().int().min(1).max(100_000).default(10_000) }).strict(),
    result: z.object({ fileName: z.string(), content: z.string(), entries: z.number().int() }),
  }),
  platformLogs: method({
    access: 'tenant-read',
    summary:
      'The platform’s own audit logs for one tenant, newest first: the tenant schema’s audit table (PostgreSQL), ' +
      'tenant_<id>_audit_logs (MongoDB), the audit index (Elasticsearch), each where configured; masked.',
    args: z.object({ workspaceId: WorkspaceId, tenantId: TenantId, limit: z.number().int().min(1).max(1000).default(100) }).strict(),
    result: z.object({
      entries: z.array(PlatformLogEntry),
      sources: z.object({ postgres: PlatformLogSource, mongo: PlatformLogSource, elastic: PlatformLogSource }),
    }),
  }),
});
