import type { TtlIndexCheck, TtlIndexState } from '@shared/model/retention';
import type { MongoCollection } from '@shared/tenancy';

/** An index as `listIndexes` describes it, reduced to what a TTL comparison reads. */
export interface LiveIndex {
  name: string;
  key: Record<string, unknown>;
  expireAfterSeconds?: unknown;
}

const secondsOf = (value: unknown): number | null => {
  // The server may answer an Int32, a double or a Long; a Long arrives with toNumber().
  const n = typeof value === 'number' ? value : typeof (value as { toNumber?: () => number })?.toNumber === 'function' ? (value as { toNumber: () => number }).toNumber() : Number.NaN;
  return Number.isFinite(n) && n >= 0 ? Math.round(n) : null;
};

const sameKey = (blueprint: ReadonlyArray<[string, unknown]>, live: Record<string, unknown>): boolean => {
  const entries = Object.entries(live);
  return entries.length === blueprint.length && blueprint.every(([field, value], i) => entries[i]?.[0] === field && Number(entries[i]?.[1]) === Number(value));
};

/**
 * A collection's TTL indexes against the blueprint's. A prescribed TTL index is found by name, or
 * under another name by the same key (a person may have built it by hand): then its seconds are
 * compared. `live` null means the collection does not exist. Live TTL indexes the blueprint does
 * not prescribe are reported too: they delete documents nobody asked to expire.
 */
export function compareTtlIndexes(
  blueprint: MongoCollection,
  live: readonly LiveIndex[] | null,
  where: { tenantId: string | null; collection: string },
): TtlIndexCheck[] {
  const prescribed = blueprint.indexes.filter((i) => i.expireAfterSeconds !== undefined);
  const check = (state: TtlIndexState, index: string, field: string | null, prescribedSeconds: number | null, liveSeconds: number | null, source: string | null): TtlIndexCheck => ({
    tenantId: where.tenantId,
    family: blueprint.name,
    collection: where.collection,
    index,
    field,
    prescribedSeconds,
    liveSeconds,
    state,
    source,
  });
  if (live === null) return prescribed.map((i) => check('no_collection', i.name, i.key[0]?.[0] ?? null, i.expireAfterSeconds ?? null, null, i.source));
  const claimed = new Set<string>();
  const out: TtlIndexCheck[] = [];
  for (const want of prescribed) {
    const seconds = want.expireAfterSeconds ?? 0;
    const field = want.key[0]?.[0] ?? null;
    const found = live.find((l) => l.name === want.name) ?? live.find((l) => secondsOf(l.expireAfterSeconds) !== null && sameKey(want.key, l.key));
    if (!found) {
      out.push(check('missing', want.name, field, seconds, null, want.source));
      continue;
    }
    claimed.add(found.name);
    const liveSeconds = secondsOf(found.expireAfterSeconds);
    const state: TtlIndexState = liveSeconds === null ? 'not_ttl' : liveSeconds === seconds ? 'ok' : 'wrong_seconds';
    out.push(check(state, found.name, field, seconds, liveSeconds, want.source));
  }
  for (const extra of live) {
    const liveSeconds = secondsOf(extra.expireAfterSeconds);
    if (liveSeconds === null || claimed.has(extra.name)) continue;
    out.push(check('unexpected', extra.name, Object.keys(extra.key)[0] ?? null, null, liveSeconds, null));
  }
  return out;
}

/** Whether a blueprint collection prescribes any TTL index. */
export const prescribesTtl = (collection: MongoCollection): boolean => collection.indexes.some((i) => i.expireAfterSeconds !== undefined);
