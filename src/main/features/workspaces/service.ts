import { AppError } from '@shared/errors';
import {
  STORE_KINDS,
  STORE_LABELS,
  type ConnectionCheck,
  type StoreEndpoint,
  type StoreKind,
  type StoreStatus,
  type Workspace,
  type WorkspaceView,
} from '@shared/model/workspace';
import type { SectionService } from '../../services/section';
import type { SealedSecrets, Vault } from '../../security/vault';
import { assertSameServer, readEndpointInput, splitSecrets, type ParsedWorkspaceInput } from './endpoints';
import { newWorkspaceId, type WorkspaceRepository } from './repository';

/** Connects to one endpoint and says how it went; connection failures are answers, not throws. */
export type ProbeEndpoint = (
  kind: StoreKind,
  endpoint: StoreEndpoint,
  credentials: { password?: string },
  options: { timeoutMs: number; signal?: AbortSignal },
) => Promise<ConnectionCheck>;

export const PROBE_TIMEOUT_MS = 5000;

export interface WorkspacesServiceOptions {
  repository: WorkspaceRepository;
  vault: Vault;
  probe: ProbeEndpoint;
  /** Told after a change is saved, to broadcast `workspaces.changed`. */
  onChange?: (id: string, change: 'created' | 'updated' | 'removed') => void;
  now?: () => Date;
}

export function createWorkspacesService(options: WorkspacesServiceOptions): SectionService<'workspaces'> {
  const { repository, vault, probe } = options;
  const now = (): string => (options.now?.() ?? new Date()).toISOString();

  // Changes run one at a time: each reads both files, then writes both.
  let queue: Promise<unknown> = Promise.resolve();
  function exclusively<T>(work: () => Promise<T>): Promise<T> {
    const run = queue.then(work);
    queue = run.catch(() => undefined);
    return run;
  }

  async function find(id: string): Promise<{ all: Workspace[]; workspace: Workspace }> {
    const all = await repository.load();
    const workspace = all.find((w) => w.id === id);
    if (!workspace) throw new AppError('not_found', `There is no workspace ${id}; it may have been removed.`);
    return { all, workspace };
  }

  function assertUniqueName(all: readonly Workspace[], name: string, exceptId?: string): void {
    const key = name.trim().toLocaleLowerCase();
    const clash = all.find((w) => w.id !== exceptId && w.name.trim().toLocaleLowerCase() === key);
    if (clash) throw new AppError('conflict', `A workspace named “${clash.name}” already exists; choose another name.`);
  }

  /**
   * Seals the new passwords and works out the secrets file after the change; kept passwords stay
   * sealed as they are, and only for the server they were saved for.
   */
  async function nextSecrets(
    id: string,
    before: SealedSecrets,
    input: ParsedWorkspaceInput,
    stored: Workspace['endpoints'],
  ): Promise<{ endpoints: Workspace['endpoints']; secrets: SealedSecrets }> {
    const { endpoints, secrets: changes } = splitSecrets(input.endpoints);
    const mine: Partial<Record<StoreKind, string>> = {};
    for (const kind of STORE_KINDS) {
      const change = changes[kind];
      const existing = before[id]?.[kind];
      const endpoint = endpoints[kind];
      if (change.kind === 'set') mine[kind] = await vault.seal(id, kind, change.value);
      else if (change.kind === 'keep' && existing && endpoint) {
        assertSameServer(kind, stored[kind], endpoint, 'save it for');
        mine[kind] = existing;
      }
    }
    const secrets: SealedSecrets = { ...before };
    if (Object.keys(mine).length > 0) secrets[id] = mine;
    else delete secrets[id];
    return { endpoints, secrets };
  }

  /** Writes secrets, then workspaces; if the second write fails the first is undone. */
  async function commit(workspaces: Workspace[], secrets: SealedSecrets, before: SealedSecrets): Promise<void> {
    const secretsChanged = JSON.stringify(secrets) !== JSON.stringify(before);
    try {
      if (secretsChanged) await vault.write(secrets);
    } catch (error) {
      throw saveFailed('the secrets', error);
    }
    try {
      await repository.save(workspaces);
    } catch (error) {
      if (secretsChanged) {
        await vault.write(before).catch((rollback: unknown) => {
          throw new AppError(
            'internal',
            `Could not save ${repository.path} (${reasonOf(error)}) nor put the previous passwords back (${reasonOf(rollback)}); ` +
              'check the data directory, then enter the passwords of this workspace again.',
          );
        });
      }
      throw saveFailed(repository.path, error);
    }
  }

  function view(workspace: Workspace, secrets: SealedSecrets): WorkspaceView {
    const endpoints: Record<string, unknown> = {};
    for (const kind of STORE_KINDS) {
      const endpoint = workspace.endpoints[kind];
      if (endpoint) endpoints[kind] = { ...endpoint, hasPassword: Boolean(secrets[workspace.id]?.[kind]) };
    }
    return { ...workspace, endpoints: endpoints as WorkspaceView['endpoints'] };
  }

  async function storedPassword(workspaceId: string, kind: StoreKind, secrets: SealedSecrets): Promise<string | undefined> {
    const sealed = secrets[workspaceId]?.[kind];
    return sealed === undefined ? undefined : vault.open(workspaceId, kind, sealed);
  }

  async function runProbe(
    kind: StoreKind,
    endpoint: StoreEndpoint,
    password: string | undefined,
    signal: AbortSignal,
  ): Promise<ConnectionCheck> {
    try {
      return await probe(kind, endpoint, password === undefined ? {} : { password }, { timeoutMs: PROBE_TIMEOUT_MS, signal });
    } catch (error) {
      if (error instanceof AppError) throw error;
      return { ok: false, code: 'internal', message: `${STORE_LABELS[kind]} could not be checked` };
    }
  }

  return {
    async list() {
      const [all, secrets] = await Promise.all([repository.load(), vault.read()]);
      return all.map((w) => view(w, secrets));
    },

    async get({ id }) {
      const [{ workspace }, secrets] = await Promise.all([find(id), vault.read()]);
      return view(workspace, secrets);
    },

    create: ({ workspace: input }) =>
      exclusively(async () => {
        const [all, before] = await Promise.all([repository.load(), vault.read()]);
        assertUniqueName(all, input.name);
        let id = newWorkspaceId(input.name);
        while (all.some((w) => w.id === id) || before[id]) id = newWorkspaceId(input.name);
        const { endpoints, secrets } = await nextSecrets(id, before, input, {});
        const at = now();
        const workspace: Workspace = {
          id,
          name: input.name,
          environment: input.environment,
          preset: input.preset,
          endpoints,
          createdAt: at,
          updatedAt: at,
        };
        await commit([...all, workspace], secrets, before);
        options.onChange?.(id, 'created');
        return view(workspace, secrets);
      }),

    update: ({ id, workspace: input }) =>
      exclusively(async () => {
        const [{ all, workspace: current }, before] = await Promise.all([find(id), vault.read()]);
        assertUniqueName(all, input.name, id);
        const { endpoints, secrets } = await nextSecrets(id, before, input, current.endpoints);
        const workspace: Workspace = {
          ...current,
          name: input.name,
          environment: input.environment,
          preset: input.preset,
          endpoints,
          updatedAt: now(),
        };
        await commit(
          all.map((w) => (w.id === id ? workspace : w)),
          secrets,
          before,
        );
        options.onChange?.(id, 'updated');
        return view(workspace, secrets);
      }),

    remove: ({ id, confirmName }) =>
      exclusively(async () => {
        const [{ all, workspace }, before] = await Promise.all([find(id), vault.read()]);
        if (confirmName.trim() !== workspace.name.trim()) {
          throw new AppError('invalid_argument', `Type the workspace name “${workspace.name}” exactly to remove it.`);
        }
        const secrets: SealedSecrets = { ...before };
        delete secrets[id];
        await commit(
          all.filter((w) => w.id !== id),
          secrets,
          before,
        );
        options.onChange?.(id, 'removed');
        return { removed: true as const };
      }),

    async testConnection({ workspaceId, target }, { signal }) {
      const { store } = target;
      const { endpoint, password } = readEndpointInput(store, target.endpoint);
      let secret = password ?? undefined;
      if (workspaceId !== undefined && password === undefined) {
        const [{ workspace }, secrets] = await Promise.all([find(workspaceId), vault.read()]);
        if (secrets[workspaceId]?.[store]) {
          assertSameServer(store, workspace.endpoints[store], endpoint, 'test');
          secret = await storedPassword(workspaceId, store, secrets);
        }
      }
      return runProbe(store, endpoint, secret, signal);
    },

    async status({ id }, { signal }) {
      const [{ workspace }, secrets] = await Promise.all([find(id), vault.read()]);
      const configured: { kind: StoreKind; endpoint: StoreEndpoint; password?: string }[] = [];
      // Open every secret first, so a locked vault fails the call before any server is contacted.
      for (const kind of STORE_KINDS) {
        const endpoint = workspace.endpoints[kind];
        if (endpoint) configured.push({ kind, endpoint, password: await storedPassword(id, kind, secrets) });
      }
      const checks = new Map(
        await Promise.all(
          configured.map(async ({ kind, endpoint, password }) => [kind, await runProbe(kind, endpoint, password, signal)] as const),
        ),
      );
      return STORE_KINDS.map((kind): StoreStatus => {
        const checkedAt = now();
        const check = checks.get(kind);
        if (!check) return { store: kind, state: 'not_configured', checkedAt };
        if (check.ok) return { store: kind, state: 'connected', serverVersion: check.serverVersion, latencyMs: check.latencyMs, checkedAt };
        return { store: kind, state: 'down', reason: `${check.code}: ${check.message}`, checkedAt };
      });
    },
  };
}

function reasonOf(error: unknown): string {
  if (error instanceof AppError) return error.message;
  return error instanceof Error && 'code' in error ? String(error.code) : 'unknown error';
}

function saveFailed(what: string, error: unknown): AppError {
  if (error instanceof AppError) return error;
  return new AppError('internal', `Could not save ${what} (${reasonOf(error)}); nothing was changed.`);
}
