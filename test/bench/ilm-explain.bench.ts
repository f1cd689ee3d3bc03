import { availableParallelism } from 'node:os';
import { Client } from '@elastic/elasticsearch';
import { murima2025 } from '@shared/tenancy';
import { DEFAULT_BATCH_LIMITS } from '../../src/main/features/ilm/batches';
import { explainIndices } from '../../src/main/features/ilm/reading';
import { ilmTenancy } from '../../src/main/features/ilm/tenancy';
import { mockIlmCluster, tenantFleet } from '../../src/main/stores/elastic/ilm-mock-cluster';
import { measureInterleaved, writeReport } from './harness';

/**
 * `_ilm/explain` over 5,000 indices of 500 tenant prefixes served by Elastic's transport mock: the
 * console's batched explain (names from `_cat/indices`, then prefixes packed into requests under a
 * 3,500-character path and 1,000 indices, 3 at a time) against the naive single `*\/_ilm/explain`
 * with the raw driver, interleaved in the same run. The mock answers at once, so the times are the
 * client's own work (building, sending, parsing); what a real cluster pays is the indices one
 * request explains, reported as `maxIndicesPerRequest` — the figure behind Kibana's 60 s timeouts
 * (elasticsearch #137140). BENCH_ILM_TENANTS and BENCH_ILM_PER_TENANT change the fleet.
 */
const TENANTS = Number(process.env.BENCH_ILM_TENANTS ?? 500);
const PER_TENANT = Number(process.env.BENCH_ILM_PER_TENANT ?? 10);
const ITERATIONS = 15;

async function main(): Promise<void> {
  const fleet = tenantFleet(TENANTS, PER_TENANT, 50);
  const cluster = mockIlmCluster(fleet);
  const raw = new Client({ node: 'http://es.mock:9200', Connection: cluster.mock.getConnection() });
  const tenancy = ilmTenancy(murima2025);
  const signal = new AbortController().signal;
  const explainCalls = (): number => cluster.requests.filter((r) => r.path.endsWith('/_ilm/explain')).length;

  // One run of each outside the timing, to count requests and check both see every index.
  let before = cluster.requests.length;
  const batched = await explainIndices(cluster.store.ilm, tenancy, {}, { onlyErrors: false }, DEFAULT_BATCH_LIMITS, signal);
  const batchedRequests = cluster.requests.slice(before);
  before = cluster.requests.length;
  const naive = await raw.ilm.explainLifecycle({ index: '*' });
  const naiveExplains = cluster.requests.slice(before).filter((r) => r.path.endsWith('/_ilm/explain')).length;
  if (batched.indices.length !== fleet.length || Object.keys(naive.indices).length !== fleet.length) {
    throw new Error(`Explained ${batched.indices.length} (batched) and ${Object.keys(naive.indices).length} (naive) of ${fleet.length} indices.`);
  }
  const errorsBefore = explainCalls();
  const board = await explainIndices(cluster.store.ilm, tenancy, {}, { onlyErrors: true }, DEFAULT_BATCH_LIMITS, signal);
  const boardExplains = explainCalls() - errorsBefore;

  const cases = await measureInterleaved(
    [
      {
        name: `batched explain, ${fleet.length} indices / ${TENANTS} prefixes`,
        run: () => explainIndices(cluster.store.ilm, tenancy, {}, { onlyErrors: false }, DEFAULT_BATCH_LIMITS, signal),
        extra: { requests: batched.cost.requests, explainRequests: batched.cost.requests - 1, maxIndicesPerRequest: batched.cost.maxIndicesPerRequest, maxPathLength: batched.cost.maxPathLength },
      },
      {
        name: `naive */_ilm/explain (raw driver), ${fleet.length} indices`,
        run: () => raw.ilm.explainLifecycle({ index: '*' }),
        extra: { requests: naiveExplains, explainRequests: naiveExplains, maxIndicesPerRequest: fleet.length, maxPathLength: '/*/_ilm/explain'.length },
      },
    ],
    { iterations: ITERATIONS, warmup: 2 },
  );
  const [batchedCase, naiveCase] = cases;
  const path = await writeReport({
    bench: 'ilm-explain',
    at: new Date().toISOString(),
    machine: { node: process.version, platform: process.platform, cpus: availableParallelism() },
    cases,
    summary: {
      indices: fleet.length,
      tenantPrefixes: TENANTS,
      batchedRequests: batchedRequests.length,
      batchedExplainRequests: batchedRequests.filter((r) => r.path.endsWith('/_ilm/explain')).length,
      naiveExplainRequests: naiveExplains,
      errorBoardExplainRequests: boardExplains,
      errorBoardFailedSteps: board.indices.length,
      maxIndicesPerBatchedRequest: batched.cost.maxIndicesPerRequest,
      maxBatchedPathLength: batched.cost.maxPathLength,
      batchedToNaiveMedian: Math.round(((batchedCase?.medianMs ?? 0) / (naiveCase?.medianMs ?? 1)) * 100) / 100,
      note: 'Mock transport: times are client-side work only; a real cluster explains maxIndicesPerRequest indices per request.',
    },
  });
  console.log(`Wrote ${path}`);
  // The mock connection has no close of its own; the process ends here anyway.
  await Promise.all([cluster.store.close(), raw.close()].map((closing) => closing.catch(() => undefined)));
}

await main();
