import { BSON, ObjectId } from 'mongodb';
import { hitDocument } from '../../src/main/stores/elastic/user-query';
import { toRelaxedJson } from '../../src/main/stores/mongo/relaxed-json';
import { measureInterleaved, writeReport, type CaseResult } from './harness';

/**
 * What the document workbench costs per document before a batch leaves the store, without a server:
 * MongoDB documents as the driver hands them over turned into relaxed Extended JSON (against the
 * driver's own `EJSON.serialize`, in the same run), and Elasticsearch hits turned into
 * `{ _id, _index, ..._source }` (against copying `_source` alone).
 */
const DOCUMENTS = 100_000;

const mongoDocuments = Array.from({ length: DOCUMENTS }, (_, i) => ({
  _id: new ObjectId(),
  tenantId: 'acme01',
  n: i,
  title: `case ${i}`,
  status: i % 3 ? 'open' : 'closed',
  openedAt: new Date(Date.UTC(2025, 0, 1, 0, 0, i % 86_400)),
  tags: ['water', 'leak'],
  owner: { id: new ObjectId(), name: 'Agent Smith' },
}));
const hits = Array.from({ length: DOCUMENTS }, (_, i) => ({
  _index: 'tenant-acme01-cases-2025-01',
  _id: String(i),
  _score: 1,
  _source: { n: i, title: `case ${i}`, status: 'open', openedAt: '2025-01-01T00:00:00Z', tags: ['water'] },
  sort: [1, i],
}));

const cases = await measureInterleaved(
  [
    { name: `MongoDB: ${DOCUMENTS} documents → relaxed Extended JSON (toRelaxedJson)`, run: async () => mongoDocuments.map(toRelaxedJson) },
    { name: `MongoDB: the same through the driver's EJSON.serialize (relaxed)`, run: async () => mongoDocuments.map((d) => BSON.EJSON.serialize(d, { relaxed: true })) },
    { name: `Elasticsearch: ${DOCUMENTS} hits → { _id, _index, ..._source }`, run: async () => hits.map((h) => hitDocument(h, 'tenant-acme01-')) },
    { name: 'Elasticsearch: copying _source alone', run: async () => hits.map((h) => ({ ...h._source })) },
  ],
  { iterations: 7, warmup: 2, collectGarbage: true },
);
const [ours, driver, hitsOurs, hitsRaw] = cases as [CaseResult, CaseResult, CaseResult, CaseResult];
const perSecond = (result: CaseResult): number => Math.round(DOCUMENTS / (result.medianMs / 1000));
const path = await writeReport({
  bench: 'workbench-documents',
  at: new Date().toISOString(),
  machine: { node: process.version, platform: process.platform, cpus: (await import('node:os')).availableParallelism() },
  cases,
  summary: {
    mongoDocumentsPerSecond: perSecond(ours),
    driverSerializeDocumentsPerSecond: perSecond(driver),
    mongoSpeedupOverDriver: Math.round((driver.medianMs / ours.medianMs) * 100) / 100,
    elasticHitsPerSecond: perSecond(hitsOurs),
    elasticCostOverSourceCopy: Math.round((hitsOurs.medianMs / hitsRaw.medianMs) * 100) / 100,
  },
});
console.log(`wrote ${path}`);
