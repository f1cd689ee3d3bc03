import { describe, expect, it } from 'vitest';
import { AppError } from '@shared/errors';
import type { MongoFace } from './face';
import { collStatsReply, indexStatsReply, shardedIndexStatsReply } from './index-usage.fixtures';
import { collectionIndexUsage, indexSizesOf, readIndexUsage } from './index-usage';

describe('index usage from $indexStats and $collStats replies', () => {
  it('keeps one entry per index with its accesses per node, its options from spec, and its size', () => {
    const usage = collectionIndexUsage(
      'tenant_a_case_notes',
      [...indexStatsReply('node-1:27017', { _id_: 2, text_index: 5 }), ...indexStatsReply('node-2:27017', { _id_: 1, text_index: 0 }, new Date('2026-11-25T00:00:00Z'))],
      [collStatsReply('murima.tenant_a_case_notes', { _id_: 20480, text_index: 36864 })],
    );
    expect(usage.collection).toBe('tenant_a_case_notes');
    expect(usage.indexes.map((i) => [i.name, i.sizeBytes, i.accesses.map((a) => [a.host, a.ops, a.since])])).toEqual([
      ['_id_', 20480, [['node-1:27017', 2, '2026-11-20T08:00:00.000Z'], ['node-2:27017', 1, '2026-11-25T00:00:00.000Z']]],
      ['text_index', 36864, [['node-1:27017', 5, '2026-11-20T08:00:00.000Z'], ['node-2:27017', 0, '2026-11-25T00:00:00.000Z']]],
    ]);
    const text = usage.indexes.find((i) => i.name === 'text_index');
    expect(text?.key).toEqual([['_fts', 'text'], ['_ftsx', 1]]);
    expect(text?.options).toEqual({ weights: { content: 1 }, default_language: 'english', language_override: 'language', textIndexVersion: 3 });
  });

  it('sums index sizes over the shards of a sharded collection and names the shard of each node', () => {
    expect(indexSizesOf([collStatsReply('db.c', { _id_: 4096 }, 'shard-a'), collStatsReply('db.c', { _id_: 8192 }, 'shard-b')])).toEqual(new Map([['_id_', 12288]]));
    const usage = collectionIndexUsage('c', shardedIndexStatsReply, [collStatsReply('db.c', { _id_: 4096 }, 'shard-a'), collStatsReply('db.c', { _id_: 8192 }, 'shard-b')]);
    expect(usage.indexes).toEqual([
      {
        name: '_id_', key: [['_id', 1]], options: {}, sizeBytes: 12288,
        accesses: [
          { host: 'shard-a-1:27018', shard: 'shard-a', ops: 3, since: '2026-11-21T00:00:00.000Z' },
          { host: 'shard-b-1:27018', shard: 'shard-b', ops: 4, since: '2026-11-19T00:00:00.000Z' },
        ],
      },
    ]);
  });

  it('reads each collection with both stages, unscoped, a few at a time, and leaves out one dropped meanwhile', async () => {
    const sent: Array<{ collection: string; stage: string; scope: unknown }> = [];
    let inFlight = 0;
    let most = 0;
    const store: Pick<MongoFace, 'aggregate'> = {
      aggregate: async (target, pipeline, scope) => {
        inFlight += 1;
        most = Math.max(most, inFlight);
        await new Promise((resolve) => setTimeout(resolve, 1));
        inFlight -= 1;
        const stage = Object.keys(pipeline[0] ?? {})[0] ?? '';
        sent.push({ collection: target.collection, stage, scope });
        if (target.collection === 'gone') throw new AppError('not_found', 'ns does not exist');
        return stage === '$indexStats' ? indexStatsReply('n:1', { _id_: 1 }) : [collStatsReply(`db.${target.collection}`, { _id_: 4096 })];
      },
    };
    const names = ['c0', 'c1', 'gone', 'c3', 'c4', 'c5'];
    const usage = await readIndexUsage(store, 'db', names, { concurrency: 2 });
    expect(usage.map((u) => u.collection)).toEqual(['c0', 'c1', 'c3', 'c4', 'c5']);
    expect(most).toBeLessThanOrEqual(2);
    expect(sent.filter((s) => s.collection === 'c3').map((s) => s.stage).sort()).toEqual(['$collStats', '$indexStats']);
    expect(sent.every((s) => s.scope === undefined)).toBe(true);
  });

  it('stops when its signal is aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    const store: Pick<MongoFace, 'aggregate'> = { aggregate: async () => [] };
    await expect(readIndexUsage(store, 'db', ['a'], { signal: controller.signal })).rejects.toMatchObject({ code: 'cancelled' });
  });
});
