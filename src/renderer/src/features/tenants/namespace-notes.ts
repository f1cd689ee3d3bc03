import type { NamespaceMap } from '@shared/model/tenant';
import { formatAge, formatCount } from '../../lib/format';

/** Which figures of the map are read from a sample, and from how many keys. */
export function samplingNote(map: NamespaceMap): string {
  const memory = map.families.reduce((sum, f) => sum + f.sampled, 0);
  const ttl = map.ttlIsEstimate
    ? `TTL buckets scaled from the TTLs of ${formatCount(map.ttlSampled)} of ${formatCount(map.totalKeys)} keys`
    : 'TTL buckets count every key';
  return `Memory estimated from MEMORY USAGE of ${formatCount(memory)} sampled keys · ${ttl}.`;
}

/**
 * Why the key list, walked just now to its end, counts other than the map: the map is a snapshot
 * from its walk, and keys with a short TTL (locks, rate limits) expire in between. Nothing when
 * they agree.
 */
export function countNote(map: NamespaceMap, mapCount: number, listedCount: number): string | null {
  const gap = mapCount - listedCount;
  if (gap === 0) return null;
  const changed = gap > 0 ? `${formatCount(gap)} expired or were deleted since` : `${formatCount(-gap)} were added since`;
  return `The namespace map, built ${formatAge(map.builtAt)}, counted ${formatCount(mapCount)}: ${changed}. Refresh the map to count again.`;
}
