import { Client, type BaseConnection, type ClientOptions } from '@elastic/elasticsearch';
import type { ElasticEndpoint } from '@shared/model/workspace';
import { tlsConnectionOptions } from '../tls';

/**
 * The one place an Elasticsearch client is made, for the data service and the connection test:
 * each says how often it retries and how long a request may wait.
 */

/** Client options for an endpoint: node, credentials, TLS, no sniffing. */
export async function elasticClientOptions(endpoint: ElasticEndpoint, password: string | undefined, timeoutMs: number): Promise<ClientOptions> {
  const tls = await tlsConnectionOptions(endpoint.tls);
  return {
    node: endpoint.node,
    requestTimeout: timeoutMs,
    ...(endpoint.username ? { auth: { username: endpoint.username, password: password ?? '' } } : {}),
    ...(tls ? { tls } : {}),
    // Sniffing would replace the configured node with addresses the desktop may not reach.
    sniffOnStart: false,
  };
}

/** A client for an endpoint; `overrides` set retries and the request timeout for one use. */
export async function createElasticClient(
  endpoint: ElasticEndpoint,
  password: string | undefined,
  timeoutMs: number,
  overrides: { maxRetries?: number; requestTimeout?: number; connection?: typeof BaseConnection } = {},
): Promise<Client> {
  const { connection, ...rest } = overrides;
  return new Client({ ...(await elasticClientOptions(endpoint, password, timeoutMs)), ...rest, ...(connection ? { Connection: connection } : {}) });
}
