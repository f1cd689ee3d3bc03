import { lazy, memo, Suspense } from 'react';
import type { TtlBuckets } from '@shared/model/tenant';
import { TTL_BUCKET_LABELS, TTL_BUCKET_ORDER } from './ttl-labels';

// echarts is loaded in a chunk of its own the first time a histogram is drawn, not with the app.
const Chart = lazy(() => import('./TtlHistogramChart'));

/**
 * A family's keys by TTL left, five small bars (echarts). The `no TTL` bar is red where the
 * blueprint prescribes a TTL (those keys never leave), grey where it prescribes none. The counts
 * are also the element's accessible name.
 */
export const TtlHistogram = memo(function TtlHistogram({ ttl, prescribed, label }: { ttl: TtlBuckets; prescribed: boolean; label: string }) {
  return (
    <div role="img" aria-label={`${label}: ${TTL_BUCKET_ORDER.map((b) => `${TTL_BUCKET_LABELS[b]} ${ttl[b]}`).join(', ')}`} data-testid="ttl-histogram" style={{ width: 190, height: 48 }}>
      <Suspense fallback={null}>
        <Chart ttl={ttl} prescribed={prescribed} />
      </Suspense>
    </div>
  );
});
