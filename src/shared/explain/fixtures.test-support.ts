// The captured and documented plans under test/fixtures/explain, as the normalisers receive them.
import bitmapHeapScan from '../../../test/fixtures/explain/postgres/bitmap-heap-scan.json?raw';
import hashJoin from '../../../test/fixtures/explain/postgres/hash-join.json?raw';
import hashSpill from '../../../test/fixtures/explain/postgres/hash-spill.json?raw';
import indexOnlyScan from '../../../test/fixtures/explain/postgres/index-only-scan.json?raw';
import indexScanFilter from '../../../test/fixtures/explain/postgres/index-scan-filter.json?raw';
import indexScan from '../../../test/fixtures/explain/postgres/index-scan.json?raw';
import jit from '../../../test/fixtures/explain/postgres/jit.json?raw';
import manyPartitions from '../../../test/fixtures/explain/postgres/many-partitions.json?raw';
import misestimate from '../../../test/fixtures/explain/postgres/misestimate.json?raw';
import nestedLoop from '../../../test/fixtures/explain/postgres/nested-loop.json?raw';
import parallelSeqScan from '../../../test/fixtures/explain/postgres/parallel-seq-scan.json?raw';
import partitionPruning from '../../../test/fixtures/explain/postgres/partition-pruning.json?raw';
import plainExplain from '../../../test/fixtures/explain/postgres/plain-explain.json?raw';
import psqlOutput from '../../../test/fixtures/explain/postgres/psql-output.txt?raw';
import runtimePruning from '../../../test/fixtures/explain/postgres/runtime-pruning.json?raw';
import seqScan from '../../../test/fixtures/explain/postgres/seq-scan.json?raw';
import sortSpill from '../../../test/fixtures/explain/postgres/sort-spill.json?raw';
import aggregateSharded from '../../../test/fixtures/explain/mongo/aggregate-sharded.json?raw';
import aggregateCursor from '../../../test/fixtures/explain/mongo/aggregate-cursor.json?raw';
import findCollscan from '../../../test/fixtures/explain/mongo/find-collscan.json?raw';
import findEsrBroken from '../../../test/fixtures/explain/mongo/find-esr-broken.json?raw';
import findExaminedRatio from '../../../test/fixtures/explain/mongo/find-examined-ratio.json?raw';
import findIndexWithoutTenant from '../../../test/fixtures/explain/mongo/find-index-without-tenant.json?raw';
import findIxscan from '../../../test/fixtures/explain/mongo/find-ixscan.json?raw';
import findSbe from '../../../test/fixtures/explain/mongo/find-sbe.json?raw';
import findSharded from '../../../test/fixtures/explain/mongo/find-sharded.json?raw';
import findSortInMemory from '../../../test/fixtures/explain/mongo/find-sort-in-memory.json?raw';
import profileMatch from '../../../test/fixtures/explain/elastic/profile-match.json?raw';
import profileRegexp from '../../../test/fixtures/explain/elastic/profile-regexp.json?raw';
import profileScript from '../../../test/fixtures/explain/elastic/profile-script.json?raw';
import profileWildcard from '../../../test/fixtures/explain/elastic/profile-wildcard.json?raw';

const postgresTexts = {
  bitmapHeapScan, hashJoin, hashSpill, indexOnlyScan, indexScanFilter, indexScan, jit, manyPartitions, misestimate,
  nestedLoop, parallelSeqScan, partitionPruning, plainExplain, runtimePruning, seqScan, sortSpill,
};
const mongoTexts = { aggregateCursor, aggregateSharded, findCollscan, findEsrBroken, findExaminedRatio, findIndexWithoutTenant, findIxscan, findSbe, findSharded, findSortInMemory };
const elasticTexts = { profileMatch, profileRegexp, profileScript, profileWildcard };

/** EXPLAIN (FORMAT JSON) output as PostgreSQL returned it (the `plan` of a captured fixture). */
export function postgresFixture(name: keyof typeof postgresTexts): unknown {
  return (JSON.parse(postgresTexts[name]) as { plan: unknown }).plan;
}

export function postgresFixtureQuery(name: keyof typeof postgresTexts): string {
  return (JSON.parse(postgresTexts[name]) as { query: string }).query;
}

export function mongoFixture(name: keyof typeof mongoTexts): unknown {
  return (JSON.parse(mongoTexts[name]) as { explain: unknown }).explain;
}

export function elasticFixture(name: keyof typeof elasticTexts): unknown {
  return (JSON.parse(elasticTexts[name]) as { response: unknown }).response;
}

/** Every documented fixture's `source`, to check each says where it came from. */
export function documentedSources(): string[] {
  return [...Object.values(mongoTexts), ...Object.values(elasticTexts)].map((t) => (JSON.parse(t) as { source?: string }).source ?? '');
}

export { psqlOutput };
