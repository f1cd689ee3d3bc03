import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { MongoMemoryServer } from 'mongodb-memory-server-core';
import { AppError } from '@shared/errors';

export interface LocalMongo {
  host: '127.0.0.1';
  port: number;
  user: string;
  stop(): Promise<void>;
}

export interface LocalMongoOptions {
  /** The data lives in `<dir>/data` and is kept between starts. */
  dir: string;
  /** The root user's password; set when the data dir is new, checked by the server afterwards. */
  password: string;
  /** How long to wait for the download (first use) and the start, together. */
  timeoutMs: number;
}

/** The root user of the demo's mongod. */
export const LOCAL_MONGO_USER = 'tenantscope';

/**
 * A MongoDB server run by the console for the demo platform, through mongodb-memory-server-core:
 * a mongod downloaded on first use (into its shared cache, so once per machine) and run on a free
 * loopback port with authentication, its data in `dir` on disk (wiredTiger) so it survives a
 * restart. Where nothing can be downloaded or the start takes longer than `timeoutMs`, this fails
 * with the reason; a start that completes after the deadline is stopped straight away, and the
 * finished download serves the next start.
 */
export async function startLocalMongo(options: LocalMongoOptions): Promise<LocalMongo> {
  const dbPath = join(options.dir, 'data');
  await mkdir(dbPath, { recursive: true, mode: 0o700 });
  // Loaded on demand: the package is only needed when the demo has no MONGO_URL.
  const { MongoBinary, MongoMemoryServer } = await import('mongodb-memory-server-core');
  const starting = (async () => {
    // The download first, on its own: a failed one is reported here, not dumped on the console
    // the way the server's start reports it. The start then finds the binary in the cache.
    await MongoBinary.getPath();
    return MongoMemoryServer.create({
      instance: { dbPath, storageEngine: 'wiredTiger', ip: '127.0.0.1', launchTimeout: Math.min(options.timeoutMs, 30_000) },
      auth: { enable: true, customRootName: LOCAL_MONGO_USER, customRootPwd: options.password },
    });
  })();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reject(new AppError('timeout', `mongod did not start within ${options.timeoutMs / 1000} s (the first start downloads it)`));
      void starting.then((late) => late.stop({ doCleanup: false }), () => undefined);
    }, options.timeoutMs);
    // The deadline alone never keeps a stopping process alive.
    timer.unref();
  });
  let server: MongoMemoryServer;
  try {
    server = await Promise.race([starting, deadline]);
  } catch (error) {
    throw AppError.is(error) ? error : new AppError('tool_missing', localMongoFailure(error));
  } finally {
    clearTimeout(timer);
  }
  const info = server.instanceInfo;
  if (!info) {
    await server.stop({ doCleanup: false });
    throw new AppError('tool_missing', 'mongod started but reported no address');
  }
  return {
    host: '127.0.0.1',
    port: info.port,
    user: LOCAL_MONGO_USER,
    async stop() {
      await server.stop({ doCleanup: false });
    },
  };
}

/**
 * One line a person can act on, from mongodb-memory-server's errors: a failed download names its
 * URL and the network error in a multi-line message.
 */
export function localMongoFailure(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const download = /Download failed for url "([^"]+)"[\s\S]*?Details:\s*([^\n]+)/.exec(message);
  if (download) return `mongod could not be downloaded from ${download[1]} (${download[2]!.trim()})`;
  const firstLine = message.split('\n').map((line) => line.trim()).find(Boolean) ?? 'unknown error';
  return `mongod could not be started: ${firstLine.length > 300 ? `${firstLine.slice(0, 300)}…` : firstLine}`;
}
