import { mkdir, readFile, rm } from 'node:fs/promises';
import { hostname, userInfo } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { AppError } from '@shared/errors';
import { Operator } from '@shared/model/operator';
import { readJsonFile, writeFileAtomic } from '../../security/vault/files';
import { loadTrustedKeys, verifyWorkspaceFile, type VerifiedWorkspace } from '../../security/managed/signed-workspace';

const OperatorsFile = z.object({
  version: z.literal(1),
  operators: z.record(z.string(), Operator),
  /** Workspace id → the admin's id of the managed workspace it was imported as. */
  managed: z.record(z.string(), z.string()).default({}),
});
type OperatorsFile = z.infer<typeof OperatorsFile>;

/** The person at the keyboard, from the OS account: the default operator of every workspace. */
export function osOperator(): { name: string; email: string } {
  let user = 'operator';
  try {
    user = userInfo().username || user;
  } catch {
    // No passwd entry (a container's uid): keep the generic name.
  }
  return { name: user, email: `${user}@${hostname()}` };
}

export interface WorkspaceOperator {
  operator: Operator;
  /** The verified signed file of a managed workspace, or null. */
  managed: VerifiedWorkspace | null;
}

/**
 * Who works in each workspace, kept in `<dataDir>/access/operators.json` beside the workspaces
 * (never in the renderer). A managed workspace's signed file is kept in `<dataDir>/access/managed/`
 * and verified against `<dataDir>/trusted-keys/` when first used: its role comes from the file only.
 */
export class OperatorDirectory {
  private readonly file: string;
  private readonly managedDir: string;
  readonly trustedKeysDir: string;
  private state: Promise<OperatorsFile> | undefined;
  private readonly verified = new Map<string, Promise<VerifiedWorkspace>>();

  constructor(
    dataDir: string,
    private readonly defaults: { name: string; email: string } = osOperator(),
  ) {
    this.file = join(dataDir, 'access', 'operators.json');
    this.managedDir = join(dataDir, 'access', 'managed');
    this.trustedKeysDir = join(dataDir, 'trusted-keys');
  }

  /** The operator of a workspace: what was set, else the OS user as platform admin (a workspace of one's own). */
  async operatorOf(workspaceId: string): Promise<WorkspaceOperator> {
    const state = await this.load();
    const set = state.operators[workspaceId];
    if (state.managed[workspaceId] === undefined) {
      return { operator: set ?? { ...this.defaults, role: 'platform_admin' }, managed: null };
    }
    const managed = await this.verifiedFile(workspaceId);
    const fixed = managed.payload.operator;
    return {
      operator: { name: fixed.name ?? set?.name ?? this.defaults.name, email: fixed.email ?? set?.email ?? this.defaults.email, role: fixed.role },
      managed,
    };
  }

  async setOperator(workspaceId: string, operator: Operator): Promise<void> {
    const state = await this.load();
    if (state.managed[workspaceId] !== undefined) {
      throw new AppError('forbidden', `Workspace ${workspaceId} is managed: its operator and role come from the file a platform admin signed.`);
    }
    await this.save({ ...state, operators: { ...state.operators, [workspaceId]: operator } });
  }

  /** Keeps a verified signed file as the source of a workspace's role and restrictions. */
  async setManaged(workspaceId: string, fileText: string, verified: VerifiedWorkspace): Promise<void> {
    await mkdir(this.managedDir, { recursive: true, mode: 0o700 });
    await writeFileAtomic(this.managedFile(workspaceId), fileText, 0o600);
    const state = await this.load();
    this.verified.set(workspaceId, Promise.resolve(verified));
    await this.save({ ...state, managed: { ...state.managed, [workspaceId]: verified.payload.id } });
  }

  /** The workspace a managed id was imported as, so a newer file replaces it. */
  async workspaceOfManaged(managedId: string): Promise<string | undefined> {
    const state = await this.load();
    return Object.entries(state.managed).find(([, id]) => id === managedId)?.[0];
  }

  /** Checks a managed workspace's stored file again; undefined when the workspace is not managed. */
  async reverify(workspaceId: string): Promise<VerifiedWorkspace | undefined> {
    const state = await this.load();
    if (state.managed[workspaceId] === undefined) return undefined;
    this.verified.delete(workspaceId);
    return this.verifiedFile(workspaceId);
  }

  async forget(workspaceId: string): Promise<void> {
    const state = await this.load();
    const { [workspaceId]: _operator, ...operators } = state.operators;
    const { [workspaceId]: _managed, ...managed } = state.managed;
    this.verified.delete(workspaceId);
    await rm(this.managedFile(workspaceId), { force: true });
    await this.save({ version: 1, operators, managed });
  }

  private managedFile(workspaceId: string): string {
    return join(this.managedDir, `${workspaceId}.signed.json`);
  }

  private verifiedFile(workspaceId: string): Promise<VerifiedWorkspace> {
    let found = this.verified.get(workspaceId);
    if (!found) {
      found = (async () => {
        const text = await readFile(this.managedFile(workspaceId), 'utf8').catch(() => {
          throw new AppError('forbidden', `The signed file of managed workspace ${workspaceId} is missing; import it again.`);
        });
        try {
          return verifyWorkspaceFile(text, await loadTrustedKeys(this.trustedKeysDir));
        } catch (error) {
          const why = error instanceof Error ? error.message : String(error);
          throw new AppError('forbidden', `Managed workspace ${workspaceId} is refused: ${why}`);
        }
      })();
      this.verified.set(workspaceId, found);
      found.catch(() => this.verified.delete(workspaceId));
    }
    return found;
  }

  private load(): Promise<OperatorsFile> {
    this.state ??= (async () => {
      const raw = await readJsonFile(this.file);
      if (raw === undefined) return { version: 1 as const, operators: {}, managed: {} };
      const parsed = OperatorsFile.safeParse(raw);
      if (!parsed.success) throw new AppError('internal', `${this.file} is damaged (${z.prettifyError(parsed.error)}); fix or move it aside.`);
      return parsed.data;
    })();
    this.state.catch(() => {
      this.state = undefined;
    });
    return this.state;
  }

  private async save(next: OperatorsFile): Promise<void> {
    await mkdir(join(this.file, '..'), { recursive: true, mode: 0o700 });
    await writeFileAtomic(this.file, `${JSON.stringify(next, null, 2)}\n`, 0o600);
    this.state = Promise.resolve(next);
  }
}
