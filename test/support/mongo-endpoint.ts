import { MongoEndpoint } from '@shared/model/workspace';

/** A workspace's MongoDB endpoint and vault password for a `mongodb://user:pass@host/` URL (MONGO_URL). */
export function mongoEndpointFrom(url: string, databases?: MongoEndpoint['databases']): { endpoint: MongoEndpoint; password?: string } {
  const parsed = new URL(url);
  return {
    endpoint: MongoEndpoint.parse({
      hosts: parsed.host,
      srv: parsed.protocol === 'mongodb+srv:',
      ...(parsed.username ? { username: decodeURIComponent(parsed.username), authSource: parsed.searchParams.get('authSource') ?? 'admin' } : {}),
      ...(parsed.searchParams.get('replicaSet') ? { replicaSet: parsed.searchParams.get('replicaSet') } : {}),
      ...(databases ? { databases } : {}),
    }),
    ...(parsed.password ? { password: decodeURIComponent(parsed.password) } : {}),
  };
}

/** The same, as `workspaces.create` takes it: the password travels with the endpoint into the vault. */
export function mongoWorkspaceEndpoint(url: string, databases?: MongoEndpoint['databases']): MongoEndpoint & { password?: string } {
  const { endpoint, password } = mongoEndpointFrom(url, databases);
  return { ...endpoint, ...(password ? { password } : {}) };
}
