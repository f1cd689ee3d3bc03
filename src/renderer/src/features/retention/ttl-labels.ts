import type { TtlBucket } from '@shared/model/tenant';

/** The namespace map's TTL buckets in words, in their order. */
export const TTL_BUCKET_LABELS: Record<TtlBucket, string> = { none: 'no TTL', under_1m: '< 1 min', under_1h: '< 1 h', under_1d: '< 1 day', longer: '≥ 1 day' };
export const TTL_BUCKET_ORDER: readonly TtlBucket[] = ['none', 'under_1m', 'under_1h', 'under_1d', 'longer'];
