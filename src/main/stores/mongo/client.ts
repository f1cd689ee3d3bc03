import { MongoClient, type MongoClientOptions } from 'mongodb';
import type { MongoEndpoint } from '@shared/model/workspace';
import { tlsConnectionOptions } from '../tls';

/**
 * The one place a MongoDB driver client is made, for the data service, the connection test and
 * the audit sink alike: each says what it is (its `appName`) and how many connections it needs.
 */

/** The connection string without credentials: they go in the options so they are never logged in a URL. */
export function mongoUrl(endpoint: MongoEndpoint): string {
  return `${endpoint.srv ? 'mongodb+srv' : 'mongodb'}://${endpoint.hosts}/`;
}

/** Driver options for an endpoint: timeouts, credentials, TLS and topology. */
export async function mongoClientOptions(endpoint: MongoEndpoint, password: string | undefined, timeoutMs: number): Promise<MongoClientOptions> {
  const tls = await tlsConnectionOptions(endpoint.tls);
  return {
    serverSelectionTimeoutMS: timeoutMs,
    connectTimeoutMS: timeoutMs,
    appName: 'Tenantscope',
    maxPoolSize: endpoint.poolSize,
    ...(endpoint.username ? { auth: { username: endpoint.username, password: password ?? '' } } : {}),
    ...(endpoint.authSource ? { authSource: endpoint.authSource } : {}),
    ...(endpoint.replicaSet ? { replicaSet: endpoint.replicaSet } : {}),
    ...(!endpoint.srv && !endpoint.replicaSet && !endpoint.hosts.includes(',') ? { directConnection: true } : {}),
    ...(tls ? { tls: true, tlsAllowInvalidCertificates: !endpoint.tls.rejectUnauthorized, ...tls } : {}),
  };
}

/** A client for an endpoint (not connected yet); `overrides` narrow it for one use (pool size, app name). */
export async function createMongoClient(
  endpoint: MongoEndpoint,
  password: string | undefined,
  timeoutMs: number,
  overrides: Pick<MongoClientOptions, 'appName' | 'maxPoolSize' | 'socketTimeoutMS'> = {},
): Promise<MongoClient> {
  return new MongoClient(mongoUrl(endpoint), { ...(await mongoClientOptions(endpoint, password, timeoutMs)), ...overrides });
}
