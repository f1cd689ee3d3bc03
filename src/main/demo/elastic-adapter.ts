import type { ElasticStore } from '../stores/elastic/store';
import type { ExecutionOptions } from '../stores/execution';
import type { DemoElastic } from './ports';

type ElasticSlice = Pick<ElasticStore, 'createIndex' | 'putIndexTemplate' | 'putLifecyclePolicy' | 'bulk'>;

/** Documents per `_bulk` request: large enough to amortise the round trip, small enough for the heap. */
const BULK_CHUNK = 2000;

/**
 * DemoElastic over the Elasticsearch data service. The blueprint's bodies are plain JSON of the
 * shapes the driver's request types describe, so they are passed through as those types.
 */
export function elasticForDemo(store: ElasticSlice): DemoElastic {
  return {
    putIlmPolicy: (name, policy, options?: ExecutionOptions) =>
      store.putLifecyclePolicy(name, policy as unknown as Parameters<ElasticSlice['putLifecyclePolicy']>[1], options),
    putIndexTemplate: (name, body, options?: ExecutionOptions) =>
      store.putIndexTemplate(name, body as Parameters<ElasticSlice['putIndexTemplate']>[1], options),
    createIndex: (name, body, options?: ExecutionOptions) =>
      store.createIndex(name, body as Parameters<ElasticSlice['createIndex']>[1], undefined, options),
    async bulkIndex(documents, options?: ExecutionOptions) {
      let indexed = 0;
      for (let i = 0; i < documents.length; i += BULK_CHUNK) {
        const chunk = documents.slice(i, i + BULK_CHUNK);
        const result = await store.bulk(
          chunk.map((d) => ({ action: 'index' as const, index: d.index, id: d.id, document: d.body })),
          undefined,
          options,
        );
        if (result.failed.length > 0) throw new Error(`Elasticsearch refused ${result.failed.length} demo documents: ${result.failed[0]?.reason}`);
        indexed += chunk.length;
      }
      return indexed;
    },
  };
}
