import { AppError } from '@shared/errors';
import type { AuditEntry, AuditOutcome } from '@shared/model/audit';
import { parseJournalLine, readJournalLines } from './journal-reader';

/** What the audit viewer filters on. Every condition given must hold. */
export interface AuditFilter {
  /** Matches the operator's name or email, case-insensitively, as a substring. */
  operator?: string;
  tenantId?: string;
  /** An exact action, or a prefix ending in `.` (`access.` for every access action). */
  action?: string;
  outcome?: AuditOutcome;
  /** ISO times, inclusive. */
  from?: string;
  to?: string;
}

export interface AuditPage {
  entries: AuditEntry[];
  /** Lines that could not be read as entries: the viewer says so and points at audit:verify. */
  unreadableLines: number[];
  /** True when more entries matched than the limit. */
  more: boolean;
}

function matches(entry: AuditEntry, filter: AuditFilter, operator: string | undefined): boolean {
  if (operator && !`${entry.operator.name}\u0000${entry.operator.email ?? ''}`.toLowerCase().includes(operator)) return false;
  if (filter.tenantId && !entry.tenantIds.includes(filter.tenantId) && !entry.tenantIds.includes('*')) return false;
  if (filter.action && (filter.action.endsWith('.') ? !entry.action.startsWith(filter.action) : entry.action !== filter.action)) return false;
  if (filter.outcome && entry.outcome !== filter.outcome) return false;
  if (filter.from && Date.parse(entry.at) < Date.parse(filter.from)) return false;
  if (filter.to && Date.parse(entry.at) > Date.parse(filter.to)) return false;
  return true;
}

/**
 * The entries of a journal that match a filter, newest first, at most `limit`. Reads the file as
 * a stream; checking the chain is verifyJournal's work, but lines that are not entries are named.
 */
export async function queryJournal(file: string, filter: AuditFilter = {}, limit = 500): Promise<AuditPage> {
  for (const time of [filter.from, filter.to]) {
    if (time !== undefined && Number.isNaN(Date.parse(time))) throw new AppError('invalid_argument', `${JSON.stringify(time)} is not a time`);
  }
  const operator = filter.operator?.toLowerCase();
  // Newest first within a bounded window: keep the last `limit + 1` matches as the stream passes.
  const window: AuditEntry[] = [];
  const unreadableLines: number[] = [];
  try {
    for await (const line of readJournalLines(file)) {
      if (!line.complete) continue;
      const parsed = parseJournalLine(line.bytes);
      if (!parsed.ok) {
        unreadableLines.push(line.line);
        continue;
      }
      if (!matches(parsed.entry, filter, operator)) continue;
      window.push(parsed.entry);
      if (window.length > limit + 1) window.shift();
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { entries: [], unreadableLines, more: false };
    throw error;
  }
  const more = window.length > limit;
  return { entries: window.slice(-limit).reverse(), unreadableLines, more };
}
