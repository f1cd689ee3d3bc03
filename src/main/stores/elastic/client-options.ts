import type { ClientOptions } from '@elastic/elasticsearch';
import type { ElasticEndpoint } from '@shared/model/workspace';
import { tlsConnectionOptions } from '../tls';

/** Client options for an endpoint; shared by the probe and the data service. */
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
