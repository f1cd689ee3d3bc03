import type { Document } from 'mongodb';

/**
 * Reply shapes of the two aggregation stages the index fleet reads, recorded from the MongoDB
 * manual: field names, nesting and value types as the pages document them, with this test's own
 * collection, hosts and figures. The driver hands `ops` back as a number (promoted Long) and
 * `since` as a Date.
 */

/**
 * `$indexStats` on a replica set member: one document per index, for the node that answered
 * (`spec` since 4.2.4; `hidden` only when true; `building` only while a build runs).
 * Source: https://www.mongodb.com/docs/manual/reference/operator/aggregation/indexStats/ (Output, Example).
 */
export function indexStatsReply(host: string, ops: Record<string, number>, since = new Date('2026-11-20T08:00:00Z')): Document[] {
  const specs: Record<string, Document> = {
    _id_: { v: 2, key: { _id: 1 }, name: '_id_' },
    'tenant_id_1_case_id_1': { v: 2, key: { tenant_id: 1, case_id: 1 }, name: 'tenant_id_1_case_id_1' },
    text_index: { v: 2, key: { _fts: 'text', _ftsx: 1 }, name: 'text_index', weights: { content: 1 }, default_language: 'english', language_override: 'language', textIndexVersion: 3 },
  };
  return Object.entries(ops).map(([name, count]) => ({
    name,
    key: (specs[name]?.key as Document | undefined) ?? { [name]: 1 },
    host,
    accesses: { ops: count, since },
    spec: specs[name] ?? { v: 2, key: { [name]: 1 }, name },
  }));
}

/**
 * `$indexStats` through mongos on a sharded collection: one document per index per shard, each
 * naming its `shard`. Source: https://www.mongodb.com/docs/manual/reference/operator/aggregation/indexStats/ (Output: shard).
 */
export const shardedIndexStatsReply: Document[] = [
  { name: '_id_', key: { _id: 1 }, host: 'shard-a-1:27018', shard: 'shard-a', accesses: { ops: 3, since: new Date('2026-11-21T00:00:00Z') }, spec: { v: 2, key: { _id: 1 }, name: '_id_' } },
  { name: '_id_', key: { _id: 1 }, host: 'shard-b-1:27018', shard: 'shard-b', accesses: { ops: 4, since: new Date('2026-11-19T00:00:00Z') }, spec: { v: 2, key: { _id: 1 }, name: '_id_' } },
];

/**
 * `$collStats: { storageStats: {} }`: `storageStats.indexSizes` maps each index name to its size in
 * bytes (`scaleFactor` 1); a sharded collection answers one document per shard.
 * Source: https://www.mongodb.com/docs/manual/reference/operator/aggregation/collStats/ (storageStats
 * Document) and https://www.mongodb.com/docs/manual/reference/command/collStats/ (Output: indexSizes).
 */
export function collStatsReply(ns: string, indexSizes: Record<string, number>, shard?: string): Document {
  const total = Object.values(indexSizes).reduce((sum, size) => sum + size, 0);
  return {
    ns,
    ...(shard ? { shard } : {}),
    host: 'node-1:27017',
    localTime: new Date('2026-12-03T02:00:00Z'),
    storageStats: {
      size: 2048,
      count: 12,
      avgObjSize: 170,
      storageSize: 20480,
      freeStorageSize: 0,
      capped: false,
      nindexes: Object.keys(indexSizes).length,
      indexDetails: {},
      indexBuilds: [],
      totalIndexSize: total,
      totalSize: 20480 + total,
      indexSizes,
      scaleFactor: 1,
    },
  };
}
