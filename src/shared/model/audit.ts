import { z } from 'zod';
import { Role } from './session';

/** `prevHash` of the first entry of a journal: there is nothing before it. */
export const GENESIS_HASH = '0'.repeat(64);

/**
 * The journal of console-level actions that belong to no workspace (creating one, say). Not a valid
 * workspace id, so it can never collide with one.
 */
export const CONSOLE_JOURNAL_ID = '_console';

export const AuditOutcome = z.enum(['allowed', 'refused', 'failed']);
export type AuditOutcome = z.infer<typeof AuditOutcome>;

/** Who acted: a person in one of the roles, or the console itself (journal recovery). */
export const AuditActorRole = z.union([Role, z.literal('system')]);
export type AuditActorRole = z.infer<typeof AuditActorRole>;

export const AuditJustification = z.object({
  id: z.string().min(1).max(64),
  reason: z.string().min(1).max(2000),
  ticket: z.string().max(200).optional(),
});
export type AuditJustification = z.infer<typeof AuditJustification>;

const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/, 'a SHA-256 hash is 64 lower-case hex digits');

/** JSON values only, so every entry has exactly one canonical form. */
const JsonObject = z.record(z.string(), z.json());

/** What a caller hands the journal; the journal adds seq, id, time and the chain. */
export const AuditEntryDraft = z.object({
  operator: z.object({ name: z.string().min(1).max(200), email: z.string().max(320).optional() }),
  role: AuditActorRole,
  /** The tenants the action touched; `['*']` when it ran across every tenant. */
  tenantIds: z.array(z.string().min(1).max(128)).max(100_000).default([]),
  /** The contract method or console action, `workbench.run`, `access.unmask`. */
  action: z.string().min(1).max(200),
  /** What it acted on, in words a reader can search: `postgres:tenant_123456.users`. */
  target: z.string().max(1000).default(''),
  justification: AuditJustification.nullable().default(null),
  outcome: AuditOutcome,
  details: JsonObject.default({}),
});
export type AuditEntryDraft = z.input<typeof AuditEntryDraft>;

/** One line of a workspace's journal. `hash` = SHA-256 of the canonical JSON of the rest. */
export const AuditEntry = z
  .object({
    seq: z.number().int().min(1),
    id: z.string().min(1).max(64),
    at: z.string().datetime({ offset: true }),
    workspaceId: z.string().min(1).max(64),
    prevHash: sha256Hex,
    hash: sha256Hex,
  })
  .extend(AuditEntryDraft.shape)
  .strict();
export type AuditEntry = z.infer<typeof AuditEntry>;

/** Where entries go after the local journal: the platform's admin store. */
export interface AuditSink {
  /**
   * Stores entries given in seq order. Must be idempotent by (workspaceId, seq): shipping an entry
   * again with the same hash is a no-op, with another hash a `conflict`.
   */
  ship(entries: readonly AuditEntry[]): Promise<void>;
}

export const JournalProblemKind = z.enum(['malformed', 'tampered', 'broken_link', 'missing', 'reordered', 'torn_tail']);
export type JournalProblemKind = z.infer<typeof JournalProblemKind>;

/** The first thing wrong with a journal, named so a person can find it. */
export const JournalProblem = z.object({
  kind: JournalProblemKind,
  /** 1-based line of the journal file where it shows. */
  line: z.number().int().min(1),
  /** The entry that is wrong or missing (the first of a missing run). */
  seq: z.number().int().min(1).optional(),
  message: z.string(),
});
export type JournalProblem = z.infer<typeof JournalProblem>;

export const JournalVerification = z.object({
  intact: z.boolean(),
  entries: z.number().int().min(0),
  lastSeq: z.number().int().min(0),
  lastHash: sha256Hex,
  problem: JournalProblem.optional(),
});
export type JournalVerification = z.infer<typeof JournalVerification>;

/**
 * The canonical JSON of a value, the only form ever hashed or written to a journal:
 *
 * - objects: members sorted by key in ascending UTF-16 code-unit order (`Array.prototype.sort`
 *   without a comparator), members whose value is `undefined` left out;
 * - arrays: elements in order (`undefined` is refused, not turned into `null`);
 * - strings: as `JSON.stringify` escapes them (`"`, `\`, control characters, lone surrogates);
 * - numbers: finite only, as `JSON.stringify` writes them (shortest round-trip form, `-0` as `0`);
 * - `true`, `false`, `null`;
 * - no whitespace anywhere; encoded as UTF-8.
 *
 * For the values an entry can hold this is RFC 8785 (JSON Canonicalization Scheme), so the chain
 * can be recomputed by any language with a JCS library.
 */
export function canonicalJson(value: unknown): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'boolean':
      return value ? 'true' : 'false';
    case 'string':
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError(`canonical JSON has no form for ${value}`);
      return JSON.stringify(value);
    case 'object': {
      if (Array.isArray(value)) {
        return `[${value
          .map((item: unknown) => {
            if (item === undefined) throw new TypeError('canonical JSON has no form for undefined in an array');
            return canonicalJson(item);
          })
          .join(',')}]`;
      }
      const proto: unknown = Object.getPrototypeOf(value);
      if (proto !== Object.prototype && proto !== null) {
        throw new TypeError(`canonical JSON takes plain objects only, not ${value.constructor?.name ?? 'this object'}`);
      }
      const record = value as Record<string, unknown>;
      const members = Object.keys(record)
        .filter((key) => record[key] !== undefined)
        .sort()
        .map((key) => `${JSON.stringify(key)}:${canonicalJson(record[key])}`);
      return `{${members.join(',')}}`;
    }
    default:
      throw new TypeError(`canonical JSON has no form for a ${typeof value}`);
  }
}
