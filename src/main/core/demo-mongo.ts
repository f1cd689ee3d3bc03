import { rm } from 'node:fs/promises';
import { parseConnectionUri } from '@shared/connection-uri';
import { AppError } from '@shared/errors';
import type { WorkspaceInput } from '@shared/model/workspace';
import { startLocalMongo, type LocalMongo } from '../local-servers/mongo';
import type { Vault } from '../security/vault';

/** How long the demo waits for its own mongod, download included, counted from the start. */
export const DEMO_MONGO_START_TIMEOUT_MS = 60_000;
const NO_MONGO_HINT = 'set MONGO_URL to use a MongoDB server of your own';

export interface DemoMongoServer {
  endpoint: NonNullable<WorkspaceInput['endpoints']['mongo']>;
  /** The demo's own mongod, to stop with the demo; absent for MONGO_URL. */
  local?: LocalMongo;
}

export interface DemoMongoLaunch {
  /** Where the MongoDB part goes: `local` or `url:<hosts>`; recorded once it is seeded there. */
  target: string;
  /** The server, once it answers; undefined when there is none (the reason went to `unavailable`). Never rejects. */
  ready: Promise<DemoMongoServer | undefined>;
}

/**
 * Where the demo's MongoDB comes from: MONGO_URL as given, or a mongod of its own started now in
 * `dir`. That mongod's password is the one in the vault when it was seeded before; otherwise its
 * data dir is emptied and it starts anew with `newPassword()`. Until it answers, and when it
 * cannot start, `unavailable` is told why (and its words reach the status bar and the log).
 */
export async function launchDemoMongo(input: {
  dir: string;
  /** The demo workspace and where its MongoDB part was seeded, from an earlier start. */
  previous: { workspaceId: string; mongoTarget?: string; mongoSeeded: boolean } | undefined;
  vault: Vault;
  env: { MONGO_URL?: string };
  timeoutMs: number;
  /** Why MongoDB is not there (yet); each call replaces the last. */
  unavailable: (reason: string) => void;
  newPassword: () => string;
}): Promise<DemoMongoLaunch> {
  const url = input.env.MONGO_URL;
  if (url) {
    try {
      const parsed = parseConnectionUri(url);
      if (parsed.store !== 'mongo') throw new AppError('invalid_argument', `it is a ${parsed.store} URI`);
      return { target: `url:${parsed.endpoint.hosts}`, ready: Promise.resolve({ endpoint: { ...parsed.endpoint, password: parsed.password } }) };
    } catch (error) {
      input.unavailable(`MONGO_URL is not usable: ${reasonOf(error)}`);
      return { target: 'url', ready: Promise.resolve(undefined) };
    }
  }
  const { previous } = input;
  const seededHere = previous?.mongoTarget === 'local' && previous.mongoSeeded;
  let password: string | undefined;
  if (seededHere) {
    const sealed = (await input.vault.read())[previous.workspaceId]?.mongo;
    password = sealed === undefined ? undefined : await input.vault.open(previous.workspaceId, 'mongo', sealed);
  }
  if (!password) {
    // Data whose root password is unknown cannot be opened: the demo's MongoDB starts again from empty.
    await rm(input.dir, { recursive: true, force: true });
    password = input.newPassword();
  }
  input.unavailable(`starting (mongod is downloaded on first use); ${NO_MONGO_HINT}`);
  const ready = startLocalMongo({ dir: input.dir, password, timeoutMs: input.timeoutMs }).then(
    (local): DemoMongoServer => ({
      local,
      endpoint: { hosts: `${local.host}:${local.port}`, username: local.user, authSource: 'admin', password },
    }),
    (error: unknown) => {
      input.unavailable(`${reasonOf(error)}; ${NO_MONGO_HINT}`);
      return undefined;
    },
  );
  return { target: 'local', ready };
}

export function reasonOf(error: unknown): string {
  return error instanceof AppError || error instanceof Error ? error.message : String(error);
}
