import type { TestProject } from 'vitest/node';
import { startPostgres } from './postgres-server';
import { startRedis } from './redis-server';

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
export default async function setup(project: Pick<TestProject, 'provide'>): Promise<() => Promise<void>> {
  const [postgresStart, redisStart] = await Promise.allSettled([startPostgres(), startRedis()]);
  const postgres = postgresStart.status === 'fulfilled' ? postgresStart.value : undefined;
  const redis = redisStart.status === 'fulfilled' ? redisStart.value : undefined;
  const stopAll = async (): Promise<void> => {
    await Promise.all([postgres?.stop(), redis?.stop()]);
  };
  if (!postgres || !redis) {
    // A setup that fails half way stops what it did start: no server outlives the run.
    await stopAll();
    const failures = [postgresStart, redisStart].flatMap((start, index) =>
      start.status === 'rejected' ? [`${index === 0 ? 'PostgreSQL 15' : 'redis-server'}: ${errorText(start.reason)}`] : [],
    );
    throw new Error(
      `Could not start the throwaway test servers (run \`node scripts/test-prerequisites.mjs\`, which npm test runs first, to see what is missing):\n  ${failures.join('\n  ')}`,
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
  return stopAll;
}

function errorText(reason: unknown): string {
  return reason instanceof Error ? reason.message : String(reason);
}
