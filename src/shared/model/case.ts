import { z } from 'zod';
import { StoreKind } from './workspace';

/**
 * A Murima2025 case as the case inspector shows it: the row of the tenant schema with its type,
 * workflow stage and people, and a timeline merged from every store that knows about the case.
 * Values that may hold secrets (custom fields, metadata, e-mail addresses) arrive already masked
 * for the caller's role.
 */

export const CASE_STATUS_VALUES = ['open', 'in_progress', 'pending', 'resolved', 'closed'] as const;
export const CASE_PRIORITY_VALUES = ['low', 'medium', 'high', 'urgent'] as const;

export const CaseStatus = z.enum(CASE_STATUS_VALUES);
export const CasePriority = z.enum(CASE_PRIORITY_VALUES);

/** Case, user and type ids are UUIDs in the tenant schema. */
export const Uuid = z.string().regex(/^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/, 'a UUID');

/** Plain JSON as it left a store (after masking). */
export const JsonRecord = z.record(z.string(), z.unknown());
export type JsonRecord = z.infer<typeof JsonRecord>;

/** A user of the tenant as a case refers to one; `email` is masked unless unmasked. */
export const CaseUser = z.object({
  id: z.string(),
  username: z.string(),
  name: z.string(),
  email: z.string().nullable(),
  role: z.string(),
});
export type CaseUser = z.infer<typeof CaseUser>;

/** One row of a case search. */
export const CaseSummary = z.object({
  id: z.string(),
  caseNumber: z.string(),
  title: z.string(),
  status: z.string(),
  priority: z.string(),
  caseType: z.string().nullable(),
  assignee: z.object({ id: z.string(), name: z.string() }).nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  dueDate: z.string().nullable(),
  tags: z.array(z.string()),
  /** Full-text rank (ts_rank over the search vector) when the search had text. */
  rank: z.number().nullable(),
});
export type CaseSummary = z.infer<typeof CaseSummary>;

export const CaseSearchResult = z.object({
  cases: z.array(CaseSummary),
  /** Pass back as `cursor` for the next page; null on the last page. */
  nextCursor: z.string().nullable(),
});
export type CaseSearchResult = z.infer<typeof CaseSearchResult>;

export const WorkflowStage = z.object({ id: z.string(), name: z.string(), order: z.number().nullable() });
export type WorkflowStage = z.infer<typeof WorkflowStage>;

export const TIMELINE_KINDS = [
  'case_created',
  'interaction',
  'task',
  'task_completed',
  'document',
  'status_change',
  'audit',
  'note',
  'search_document',
] as const;
export const TimelineKind = z.enum(TIMELINE_KINDS);
export type TimelineKind = z.infer<typeof TimelineKind>;

/** One event of a case's life, from whichever store recorded it. */
export const TimelineItem = z.object({
  /** Unique within the timeline: `<store>:<kind>:<id>`. */
  key: z.string(),
  /** ISO 8601, UTC. */
  at: z.string(),
  source: StoreKind,
  kind: TimelineKind,
  /** One line a person reads first. */
  title: z.string(),
  /** The record as the store holds it, masked. */
  detail: JsonRecord,
});
export type TimelineItem = z.infer<typeof TimelineItem>;

/** The parts of a case page, each read from one store. */
export const CASE_PARTS = ['case', 'interactions', 'tasks', 'documents', 'audit_trail', 'case_notes', 'audit_logs', 'search_documents'] as const;
export const CasePart = z.enum(CASE_PARTS);
export type CasePart = z.infer<typeof CasePart>;

/**
 * How one part fared: read (with how many items, and whether the cap cut it), or left out and why:
 * the workspace has no such store, the store is configured but the console cannot open it, the
 * store failed, or it did not answer in time.
 */
export const PartSource = z.object({
  part: CasePart,
  store: StoreKind,
  state: z.enum(['ok', 'not_configured', 'unavailable', 'down', 'timeout']),
  items: z.number().int(),
  truncated: z.boolean(),
  reason: z.string().optional(),
});
export type PartSource = z.infer<typeof PartSource>;

export const CaseRecord = z.object({
  id: z.string(),
  caseNumber: z.string(),
  title: z.string(),
  description: z.string().nullable(),
  status: z.string(),
  priority: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  dueDate: z.string().nullable(),
  tags: z.array(z.string()),
  customFields: JsonRecord.nullable(),
  metadata: JsonRecord.nullable(),
  version: z.number().int(),
});
export type CaseRecord = z.infer<typeof CaseRecord>;

export const CaseDetail = z.object({
  case: CaseRecord,
  caseType: z.object({ id: z.string(), name: z.string(), description: z.string().nullable() }).nullable(),
  workflow: z.object({ id: z.string(), name: z.string(), stages: z.array(WorkflowStage) }).nullable(),
  currentStage: WorkflowStage.nullable(),
  assignee: CaseUser.nullable(),
  createdBy: CaseUser.nullable(),
  /** Oldest first. */
  timeline: z.array(TimelineItem),
  sources: z.array(PartSource),
});
export type CaseDetail = z.infer<typeof CaseDetail>;
