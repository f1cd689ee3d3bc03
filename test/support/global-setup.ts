import type { TestProject } from 'vitest/node';
import { startPostgres, type ThrowawayPostgres } from './postgres-server';
import { startRedis, type ThrowawayRedis } from './redis-server';

export interface ServerInfo {
  host: string;
  port: number;
  user?: string;
  password: string;
  url: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    postgres: ServerInfo & { user: string; database: string; binDir: string };
    redis: ServerInfo;
  }
}

/**
 * One throwaway PostgreSQL and one Redis for a whole test run, on free loopback ports, stopped
 * afterwards. Tests that need to kill a server start their own with startRedis/startPostgres.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  let postgres: ThrowawayPostgres | undefined;
  let redis: ThrowawayRedis | undefined;
  try {
    [postgres, redis] = await Promise.all([startPostgres(), startRedis()]);
  } catch (error) {
    await Promise.all([postgres?.stop(), redis?.stop()]);
    throw new Error(
      `Could not start the throwaway test servers (PostgreSQL 15 and redis-server are needed; .ci/run installs them): ${String(error)}`,
      { cause: error },
    );
  }
  project.provide('postgres', {
    host: postgres.host,
    port: postgres.port,
    user: postgres.user,
    password: postgres.password,
    database: postgres.database,
    url: postgres.url,
    binDir: postgres.binDir,
  });
  project.provide('redis', { host: redis.host, port: redis.port, password: redis.password, url: redis.url });
  return async () => {
    await Promise.all([postgres?.stop(), redis?.stop()]);
  };
}
