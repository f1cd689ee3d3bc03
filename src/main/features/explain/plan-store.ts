import { randomBytes } from 'node:crypto';
import { mkdir, readdir, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { PlanRecord } from '@shared/contract/explain';
import { AppError } from '@shared/errors';
import { readJsonFile, writeFileAtomic } from '../../security/vault/files';

/** What the advisor needs to recompute a kept plan's tips: the tenant key and the tenant's schema. */
export const PlanAdvice = z.object({ tenantKey: z.string(), schema: z.string().optional() });
export type PlanAdvice = z.infer<typeof PlanAdvice>;

/**
 * A kept plan on disk: its record and the engine's own document. The tree, tips and badges are
 * computed again on every read, so a plan kept last month benefits from today's advisor.
 */
export const KeptPlan = z.object({
  version: z.literal(1),
  record: PlanRecord,
  raw: z.unknown(),
  /** What the console said about the run that the engine's document does not hold. */
  notes: z.array(z.string()).optional(),
  advice: PlanAdvice,
});
export type KeptPlan = z.infer<typeof KeptPlan>;

const PlanIndex = z.object({ version: z.literal(1), records: z.array(PlanRecord) });

export interface HistoryFilter {
  tenantId?: string;
  /** Records whose fingerprint is any of these. */
  fingerprints?: ReadonlySet<string>;
  limit: number;
}

export const DEFAULT_KEPT_PLANS = 500;
const INDEX_FILE = 'index.json';
const PLAN_FILE = /^(plan_[A-Za-z0-9_-]{16})\.json$/;

/** `plan_` and 16 url-safe characters: shorter than a fleet plan's id, so the two never collide. */
function newPlanId(): string {
  return `plan_${randomBytes(12).toString('base64url')}`;
}

/**
 * The kept plans of each workspace under `<dataDir>/plans/<workspaceId>/`: one JSON file per plan
 * and an index of their records, newest last, bounded to the last `limit` plans (the oldest files
 * are deleted as new ones come). Files are replaced atomically (temp file, fsync, rename); the
 * writes of one workspace run one after another. A lost or damaged index is rebuilt from the plan
 * files, which each carry their record.
 */
export class PlanStore {
  readonly #directory: string;
  readonly #limit: number;
  readonly #indexes = new Map<string, Promise<PlanRecord[]>>();
  readonly #chains = new Map<string, Promise<unknown>>();

  constructor(directory: string, options: { limit?: number } = {}) {
    this.#directory = directory;
    this.#limit = options.limit ?? DEFAULT_KEPT_PLANS;
  }

  /** Keeps a plan and returns its record (with its new id and time). */
  keep(workspaceId: string, plan: Omit<KeptPlan, 'version' | 'record'> & { record: Omit<PlanRecord, 'id' | 'at'> }): Promise<PlanRecord> {
    return this.#serial(workspaceId, async () => {
      const records = await this.#records(workspaceId);
      const record: PlanRecord = { id: newPlanId(), at: new Date().toISOString(), ...plan.record };
      const kept: KeptPlan = { version: 1, ...plan, record };
      await writeFileAtomic(this.#planFile(workspaceId, record.id), JSON.stringify(kept));
      const next = [...records, record];
      const dropped = next.splice(0, Math.max(0, next.length - this.#limit));
      await this.#writeIndex(workspaceId, next);
      // The cached index changes only once the new one is on disk.
      records.splice(0, records.length, ...next);
      await Promise.all(dropped.map((old) => unlink(this.#planFile(workspaceId, old.id)).catch(() => undefined)));
      return record;
    });
  }

  /** Records newest first, of one tenant and/or one fingerprint when asked. */
  async history(workspaceId: string, filter: HistoryFilter): Promise<PlanRecord[]> {
    const records = await this.#serial(workspaceId, () => this.#records(workspaceId));
    const matching: PlanRecord[] = [];
    for (let i = records.length - 1; i >= 0 && matching.length < filter.limit; i--) {
      const record = records[i] as PlanRecord;
      if (filter.tenantId !== undefined && record.tenantId !== filter.tenantId) continue;
      if (filter.fingerprints !== undefined && !filter.fingerprints.has(record.fingerprint)) continue;
      matching.push(record);
    }
    return matching;
  }

  async read(workspaceId: string, planId: string): Promise<KeptPlan> {
    if (!PLAN_FILE.test(`${planId}.json`)) throw notKept(workspaceId, planId);
    const value = await readJsonFile(this.#planFile(workspaceId, planId));
    if (value === undefined) throw notKept(workspaceId, planId);
    const parsed = KeptPlan.safeParse(value);
    if (!parsed.success) throw new AppError('internal', `The kept plan ${planId} is damaged and cannot be read.`);
    return parsed.data;
  }

  #workspaceDirectory(workspaceId: string): string {
    return join(this.#directory, workspaceId);
  }

  #planFile(workspaceId: string, planId: string): string {
    return join(this.#workspaceDirectory(workspaceId), `${planId}.json`);
  }

  #records(workspaceId: string): Promise<PlanRecord[]> {
    let records = this.#indexes.get(workspaceId);
    if (!records) {
      records = this.#load(workspaceId);
      // A failed load is tried again on the next call rather than remembered.
      records.catch(() => this.#indexes.delete(workspaceId));
      this.#indexes.set(workspaceId, records);
    }
    return records;
  }

  async #load(workspaceId: string): Promise<PlanRecord[]> {
    const directory = this.#workspaceDirectory(workspaceId);
    await mkdir(directory, { recursive: true, mode: 0o700 });
    const index = PlanIndex.safeParse(await readJsonFile(join(directory, INDEX_FILE)).catch(() => undefined));
    if (index.success) return index.data.records;
    return this.#rebuild(workspaceId);
  }

  /** The index from the plan files themselves, oldest first, bounded like the index. */
  async #rebuild(workspaceId: string): Promise<PlanRecord[]> {
    const records: PlanRecord[] = [];
    for (const name of await readdir(this.#workspaceDirectory(workspaceId))) {
      const match = PLAN_FILE.exec(name);
      if (!match) continue;
      const kept = await this.read(workspaceId, match[1] as string).catch(() => undefined);
      if (kept) records.push(kept.record);
    }
    records.sort((a, b) => a.at.localeCompare(b.at));
    const dropped = records.splice(0, Math.max(0, records.length - this.#limit));
    await Promise.all(dropped.map((old) => unlink(this.#planFile(workspaceId, old.id)).catch(() => undefined)));
    if (records.length > 0) await this.#writeIndex(workspaceId, records);
    return records;
  }

  #writeIndex(workspaceId: string, records: PlanRecord[]): Promise<void> {
    return writeFileAtomic(join(this.#workspaceDirectory(workspaceId), INDEX_FILE), JSON.stringify({ version: 1, records }));
  }

  #serial<T>(workspaceId: string, work: () => Promise<T>): Promise<T> {
    const previous = this.#chains.get(workspaceId) ?? Promise.resolve();
    const next = previous.then(work, work);
    this.#chains.set(workspaceId, next.catch(() => undefined));
    return next;
  }
}

function notKept(workspaceId: string, planId: string): AppError {
  return new AppError('not_found', `Workspace ${workspaceId} keeps no plan ${planId}; only the last ${DEFAULT_KEPT_PLANS} plans of a workspace are kept.`);
}
