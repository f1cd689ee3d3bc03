import { Lane, type LaneGap, type Month } from '@shared/model/lifecycle';
import type { StoreKind } from '@shared/model/workspace';

/** The order stores go down the time view: the partitions that run out first, then indices, buckets and keys. */
export const STORE_ORDER: readonly StoreKind[] = ['postgres', 'elastic', 'mongo', 'redis'];

const rank = (store: StoreKind): number => STORE_ORDER.indexOf(store);

/** Sorts by store in the view's order and keeps each store's own order within it (the sort is stable). */
export function byStore<T extends { store: StoreKind }>(items: readonly T[]): T[] {
  return [...items].sort((a, b) => rank(a.store) - rank(b.store));
}

/**
 * Keeps the lanes a source returned that fit the view: well formed, of the source's store, one cell
 * per month of the view in its order. A lane that does not fit is left out and named in a gap, so a
 * source's mistake shows as such instead of as cells under the wrong month.
 */
export function checkLanes(store: StoreKind, returned: unknown, months: readonly Month[]): { lanes: Lane[]; gap?: LaneGap } {
  if (!Array.isArray(returned)) return { lanes: [], gap: { store, reason: 'The lanes came back in a shape the time view cannot read.' } };
  const lanes: Lane[] = [];
  const problems: string[] = [];
  for (const candidate of returned) {
    const parsed = Lane.safeParse(candidate);
    if (!parsed.success) {
      problems.push(`a lane is malformed (${parsed.error.issues[0]?.path.join('.') || 'lane'}: ${parsed.error.issues[0]?.message ?? 'invalid'})`);
      continue;
    }
    const lane = parsed.data;
    if (lane.store !== store) problems.push(`lane ${lane.name} claims the store ${lane.store}`);
    else if (lane.cells.length !== months.length || lane.cells.some((cell, i) => cell.month !== months[i])) {
      problems.push(`lane ${lane.name} has ${lane.cells.length} cells that do not match the ${months.length} months of the view`);
    } else lanes.push(lane);
  }
  return problems.length === 0 ? { lanes } : { lanes, gap: { store, reason: `Left out: ${problems.join('; ')}.`.slice(0, 500) } };
}
