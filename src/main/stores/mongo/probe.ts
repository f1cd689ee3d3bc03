import { MongoClient, type MongoClientOptions } from 'mongodb';
import type { MongoEndpoint } from '@shared/model/workspace';
import type { ProbeAttempt } from '../probe-attempt';
import { tlsConnectionOptions } from '../tls';
import { toMongoError } from './errors';

/** The connection string without credentials: they go in the options so they are never logged in a URL. */
export function mongoUrl(endpoint: MongoEndpoint): string {
  return `${endpoint.srv ? 'mongodb+srv' : 'mongodb'}://${endpoint.hosts}/`;
}

/** Driver options for an endpoint; shared by the probe and the data service. */
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

/** Connects once, runs `buildInfo` on admin, closes. */
export function probeMongo(endpoint: MongoEndpoint, password: string | undefined, timeoutMs: number): ProbeAttempt {
  const server = `MongoDB at ${endpoint.hosts}`;
  let client: MongoClient | undefined;
  let aborted = false;
  const run = async (): Promise<{ serverVersion: string; latencyMs: number }> => {
    // Server selection must give up before the probe's deadline, so its reason (refused, TLS) is reported.
    const options = await mongoClientOptions(endpoint, password, Math.max(100, Math.floor(timeoutMs * 0.8)));
    if (aborted) throw new Error('aborted');
    client = new MongoClient(mongoUrl(endpoint), { ...options, maxPoolSize: 1 });
    try {
      await client.connect();
      const started = performance.now();
      const info = await client.db('admin').command({ buildInfo: 1 }, { timeoutMS: timeoutMs });
      const latencyMs = Math.round((performance.now() - started) * 100) / 100;
      return { serverVersion: typeof info.version === 'string' ? info.version : 'unknown', latencyMs };
    } catch (error) {
      throw toMongoError(error, server);
    } finally {
      await client.close().catch(() => undefined);
    }
  };
  return {
    result: run(),
    abort() {
      aborted = true;
      void client?.close().catch(() => undefined);
    },
  };
}
