import { AppError } from '@shared/errors';
import { maskRecord, type RecordKind } from '@shared/masking';
import type { CasePart, PartSource, TimelineItem } from '@shared/model/case';
import type { Role } from '@shared/model/session';
import { STORE_LABELS, type StoreKind } from '@shared/model/workspace';
import { Deadline, type ExecutionOptions } from '../stores/execution';

/** A timeline item before masking, with the record family its detail is masked as. */
export interface RawTimelineItem extends TimelineItem {
  recordKind: RecordKind;
}

export interface PartOutcome {
  source: PartSource;
  items: RawTimelineItem[];
}

const STORE_ORDER: readonly StoreKind[] = ['postgres', 'mongo', 'elastic', 'redis'];

/**
 * One list, oldest first. Ties keep a stable, meaningful order: PostgreSQL (where the case lives)
 * before MongoDB before Elasticsearch, then by key. Items without a readable time go last.
 */
export function mergeTimeline<T extends TimelineItem>(parts: ReadonlyArray<readonly T[]>): T[] {
  const timeOf = (item: T): number => {
    const ms = Date.parse(item.at);
    return Number.isNaN(ms) ? Number.POSITIVE_INFINITY : ms;
  };
  return parts.flat().sort((a, b) => {
    const byTime = timeOf(a) - timeOf(b);
    if (byTime !== 0 && !Number.isNaN(byTime)) return byTime;
    const byStore = STORE_ORDER.indexOf(a.source) - STORE_ORDER.indexOf(b.source);
    if (byStore !== 0) return byStore;
    return a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
  });
}

/** Masks one record as its family; what the caller may see in clear is already decided. */
export type Masker = <T>(kind: RecordKind, record: T) => T;

/** The masker for a role with the paths (per family) an allowed, recorded unmask opened. */
export function maskerFor(role: Role, unmaskedPaths: (kind: RecordKind) => readonly string[] = () => []): Masker {
  return (kind, record) => maskRecord(kind, record, role, unmaskedPaths(kind));
}

/** Masks each item's detail as its record family, and drops the family. */
export function maskTimeline(items: readonly RawTimelineItem[], mask: Masker): TimelineItem[] {
  return items.map(({ recordKind, ...item }) => ({ ...item, detail: mask(recordKind, item.detail) }));
}

/** A part left out because its store is absent: not configured, or configured but not opened (with why). */
export function notConfigured(part: CasePart, store: StoreKind, unavailable?: string): PartOutcome {
  return {
    source: unavailable
      ? { part, store, state: 'unavailable', items: 0, truncated: false, reason: unavailable }
      : { part, store, state: 'not_configured', items: 0, truncated: false, reason: `${STORE_LABELS[store]} is not configured for this workspace.` },
    items: [],
  };
}

/**
 * Reads one part of a case page under its own deadline. A part that fails or runs out of time is
 * an outcome with the reason, never an error, so one store cannot fail the case. The caller's own
 * cancel still cancels. `read` returns up to `cap + 1` items per source record; more than `cap`
 * means the part was cut.
 */
export async function readPart(
  part: CasePart,
  store: StoreKind,
  timeoutMs: number,
  signal: AbortSignal,
  cap: number,
  read: (exec: ExecutionOptions) => Promise<{ records: number; items: RawTimelineItem[] }>,
): Promise<PartOutcome> {
  const deadline = new Deadline({ signal }, timeoutMs);
  const what = `Reading ${part.replace('_', ' ')} from ${STORE_LABELS[store]}`;
  try {
    const { records, items } = await deadline.race(read({ signal: deadline.signal, timeoutMs }), what);
    const truncated = records > cap;
    const kept = truncated ? items.slice(0, keptItemCount(items, cap)) : items;
    return { source: { part, store, state: 'ok', items: kept.length, truncated }, items: kept };
  } catch (error) {
    if (signal.aborted) throw new AppError('cancelled', `${what} was cancelled.`);
    const timedOut = deadline.reason === 'timeout' || AppError.is(error, 'timeout');
    const reason = timedOut
      ? `${STORE_LABELS[store]} did not answer within ${timeoutMs} ms.`
      : error instanceof Error
        ? error.message
        : String(error);
    return { source: { part, store, state: timedOut ? 'timeout' : 'down', items: 0, truncated: false, reason }, items: [] };
  } finally {
    deadline.dispose();
  }
}

/** How many items belong to the first `cap` records (a task gives two items once completed). */
function keptItemCount(items: readonly RawTimelineItem[], cap: number): number {
  const ids = new Set<string>();
  let count = 0;
  for (const item of items) {
    const recordId = item.key.split(':').at(-1) ?? item.key;
    if (!ids.has(recordId)) {
      if (ids.size === cap) break;
      ids.add(recordId);
    }
    count += 1;
  }
  return count;
}
