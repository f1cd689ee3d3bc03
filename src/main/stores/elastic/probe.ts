import type { Client } from '@elastic/elasticsearch';
import type { ElasticEndpoint } from '@shared/model/workspace';
import type { ProbeAttempt } from '../probe-attempt';
import { createElasticClient } from './client';
import { toElasticError } from './errors';

/** Sends one `GET /` (info) without retries, reads `version.number`, closes. */
export function probeElastic(endpoint: ElasticEndpoint, password: string | undefined, timeoutMs: number): ProbeAttempt {
  const server = `Elasticsearch at ${endpoint.node}`;
  const controller = new AbortController();
  let client: Client | undefined;
  const run = async (): Promise<{ serverVersion: string; latencyMs: number }> => {
    const created = await createElasticClient(endpoint, password, timeoutMs, { maxRetries: 0 });
    client = created;
    try {
      const started = performance.now();
      const info = await created.info(undefined, { signal: controller.signal, requestTimeout: timeoutMs });
      const latencyMs = Math.round((performance.now() - started) * 100) / 100;
      return { serverVersion: info.version.number, latencyMs };
    } catch (error) {
      throw toElasticError(error, server);
    } finally {
      await created.close().catch(() => undefined);
    }
  };
  return {
    result: run(),
    abort() {
      controller.abort();
      void client?.close().catch(() => undefined);
    },
  };
}
