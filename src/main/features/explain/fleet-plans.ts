import { createReadStream } from 'node:fs';
import { mkdir, open, readdir, stat, unlink, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { z } from 'zod';
import type { FleetExplainResult, PlanRecord } from '@shared/contract/explain';
import { AppError } from '@shared/errors';
import { groupPlansByShape, normalisePlan, walkPlan, type Plan } from '@shared/explain';
import { readJsonFile, writeFileAtomic } from '../../security/vault/files';
import { headlineOf, withNotes } from './engines';
import { KeptPlan } from './plan-store';

/**
 * The plans of fleet explains, apart from the workspace's last 500 single plans so a fleet over
 * 10,000 tenants does not push them out: per job, `<dataDir>/plans/<workspaceId>/fleet/<jobId>.jsonl`
 * (one line per tenant, appended as each is explained, so a crash keeps what was done) and, once
 * the job ends, `<jobId>.result.json` with the grouping. The last `keep` fleets of a workspace are kept.
 *
 * A fleet plan's id is `plan_f<the job id's 20 characters>_<the tenant's position in the job>`:
 * it names its file, so `explain.plan` opens it like any other.
 */

export const DEFAULT_KEPT_FLEETS = 20;
const FLEET_PLAN_ID = /^plan_f([A-Za-z0-9_-]{20})_(\d{1,6})$/;
const FLEET_FILE = /^(job_[A-Za-z0-9_-]{20})\.(jsonl|result\.json)$/;
const SLOWEST = 10;

export function isFleetPlanId(planId: string): boolean {
  return FLEET_PLAN_ID.test(planId);
}

export function fleetPlanId(jobId: string, position: number): string {
  return `plan_f${jobId.slice('job_'.length)}_${position}`;
}

const FleetLine = z.discriminatedUnion('type', [
  z.object({ type: z.literal('plan'), position: z.number().int(), kept: KeptPlan }),
  z.object({ type: z.literal('failed'), position: z.number().int(), tenantId: z.string(), code: z.string(), message: z.string() }),
]);
type FleetLine = z.infer<typeof FleetLine>;

/** What `explain.fleetResult` answers, less the job's state, which the jobs room knows. */
export type FleetGrouping = Omit<FleetExplainResult, 'jobId' | 'state' | 'statement' | 'tenantsAsked'>;

const StoredGrouping = z.object({ version: z.literal(1), grouping: z.custom<FleetGrouping>((value) => typeof value === 'object' && value !== null) });

interface Member {
  tenantId: string;
  planId: string;
}

/**
 * Drops the engine's pieces (the raw document and each node's), which grouping never reads, in
 * place: the recorder owns the plan it is given, and copying thousands of plans would cost more
 * than explaining them.
 */
function lean(plan: Plan): Plan {
  plan.raw = undefined;
  walkPlan(plan.root, (node) => {
    node.raw = undefined;
  });
  return plan;
}

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

/** Tenants by plan shape (largest group first, the others differing from most), the slowest, the failures. */
export function groupFleet(entries: readonly { item: Member; plan: Plan }[], failed: FleetGrouping['failed']): FleetGrouping {
  const grouping = groupPlansByShape(entries, SLOWEST);
  return {
    tenantsExplained: entries.length,
    groups: grouping.groups.map((group, index) => {
      const times = group.members.map((m) => m.plan.totalMs).filter((t): t is number => t !== undefined);
      const first = group.members[0] as { item: Member; plan: Plan };
      return {
        shape: group.shape.text,
        headline: headlineOf(first.plan),
        tenantIds: group.members.map((m) => m.item.tenantId),
        differsFromMost: index > 0,
        planId: first.item.planId,
        medianTimeMs: median(times),
        maxTimeMs: times.length > 0 ? Math.max(...times) : null,
      };
    }),
    // Plain EXPLAIN has no times: the slowest are named only when the plans ran.
    slowest: grouping.slowest.filter((s) => s.plan.totalMs !== undefined).map((s) => ({ tenantId: s.item.tenantId, timeMs: s.totalMs, planId: s.item.planId })),
    failed: [...failed],
  };
}

/**
 * One running fleet explain: appends each tenant's plan or failure, and groups what is done so far.
 * Lines are written in the background, many at once, so no tenant waits for the disk; `finish`
 * waits for them, syncs the file and fails if any write did.
 */
export class FleetRecorder {
  readonly #handle: FileHandle;
  readonly #entries: { item: Member; plan: Plan }[] = [];
  readonly #failed: FleetGrouping['failed'] = [];
  #pending: string[] = [];
  #flushing: Promise<void> | undefined;
  #writeError: unknown;
  readonly #onFinish: (grouping: FleetGrouping) => Promise<void>;
  readonly jobId: string;

  constructor(jobId: string, handle: FileHandle, onFinish: (grouping: FleetGrouping) => Promise<void>) {
    this.jobId = jobId;
    this.#handle = handle;
    this.#onFinish = onFinish;
  }

  /** Keeps one tenant's plan (the recorder owns `plan` from now on) and returns its plan id. */
  add(position: number, plan: Plan, kept: Omit<KeptPlan, 'version' | 'record'> & { record: Omit<PlanRecord, 'id' | 'at'> }): string {
    const id = fleetPlanId(this.jobId, position);
    const record: PlanRecord = { id, at: new Date().toISOString(), ...kept.record };
    this.#append({ type: 'plan', position, kept: { version: 1, ...kept, record } });
    this.#entries.push({ item: { tenantId: record.tenantId ?? '', planId: id }, plan: lean(plan) });
    return id;
  }

  fail(position: number, tenantId: string, code: string, message: string): void {
    this.#append({ type: 'failed', position, tenantId, code, message });
    this.#failed.push({ tenantId, code, message });
  }

  grouping(): FleetGrouping {
    return groupFleet(this.#entries, this.#failed);
  }

  /** Writes the remaining lines, syncs the file and stores the grouping; the recorder is done after this. */
  async finish(): Promise<FleetGrouping> {
    try {
      while (this.#flushing) await this.#flushing;
      await this.#handle.sync();
    } finally {
      await this.#handle.close();
    }
    if (this.#writeError !== undefined) throw this.#writeError;
    const grouping = this.grouping();
    await this.#onFinish(grouping);
    return grouping;
  }

  #append(line: FleetLine): void {
    this.#pending.push(`${JSON.stringify(line)}\n`);
    this.#flushing ??= this.#flush();
  }

  async #flush(): Promise<void> {
    try {
      while (this.#pending.length > 0) {
        const text = this.#pending.join('');
        this.#pending = [];
        await this.#handle.write(text);
      }
    } catch (error) {
      this.#writeError ??= error;
      this.#pending = [];
    } finally {
      this.#flushing = undefined;
    }
  }
}

export class FleetPlans {
  readonly #directory: string;
  readonly #keep: number;
  readonly #running = new Map<string, FleetRecorder>();
  readonly #finished = new Map<string, FleetGrouping>();

  constructor(directory: string, options: { keep?: number } = {}) {
    this.#directory = directory;
    this.#keep = options.keep ?? DEFAULT_KEPT_FLEETS;
  }

  /** Starts recording a job's plans; older fleets beyond the bound are deleted first. */
  async begin(workspaceId: string, jobId: string): Promise<FleetRecorder> {
    const directory = this.#fleetDirectory(workspaceId);
    await mkdir(directory, { recursive: true, mode: 0o700 });
    await this.#prune(workspaceId, this.#keep - 1);
    const handle = await open(join(directory, `${jobId}.jsonl`), 'a', 0o600);
    const recorder = new FleetRecorder(jobId, handle, async (grouping) => {
      this.#finished.set(jobId, grouping);
      this.#running.delete(jobId);
      await writeFileAtomic(join(directory, `${jobId}.result.json`), JSON.stringify({ version: 1, grouping }));
    });
    this.#running.set(jobId, recorder);
    return recorder;
  }

  /** Forgets a recorder whose job ended without finishing it (the file keeps what was written). */
  abandon(jobId: string): void {
    this.#running.delete(jobId);
  }

  /** The grouping of a job so far (running), as stored (finished), or rebuilt from its plans (interrupted); undefined when none was kept. */
  async grouping(workspaceId: string, jobId: string): Promise<FleetGrouping | undefined> {
    const running = this.#running.get(jobId);
    if (running) return running.grouping();
    const cached = this.#finished.get(jobId);
    if (cached) return cached;
    const stored = StoredGrouping.safeParse(await readJsonFile(join(this.#fleetDirectory(workspaceId), `${jobId}.result.json`)).catch(() => undefined));
    if (stored.success) return stored.data.grouping;
    const entries: { item: Member; plan: Plan }[] = [];
    const failed: FleetGrouping['failed'] = [];
    let any = false;
    for await (const line of this.#lines(workspaceId, jobId)) {
      any = true;
      if (line.type === 'failed') failed.push({ tenantId: line.tenantId, code: line.code, message: line.message });
      else entries.push({ item: { tenantId: line.kept.record.tenantId ?? '', planId: line.kept.record.id }, plan: lean(planOf(line.kept)) });
    }
    return any ? groupFleet(entries, failed) : undefined;
  }

  async read(workspaceId: string, planId: string): Promise<KeptPlan> {
    const match = FLEET_PLAN_ID.exec(planId);
    if (!match) throw new AppError('not_found', `${planId} is not a fleet explain's plan.`);
    const jobId = `job_${match[1] as string}`;
    const position = Number(match[2]);
    for await (const line of this.#lines(workspaceId, jobId)) {
      if (line.type === 'plan' && line.position === position) return line.kept;
    }
    throw new AppError('not_found', `Workspace ${workspaceId} keeps no plan ${planId}: its fleet explain was not kept (the last ${this.#keep} are) or did not reach that tenant.`);
  }

  #fleetDirectory(workspaceId: string): string {
    return join(this.#directory, workspaceId, 'fleet');
  }

  async *#lines(workspaceId: string, jobId: string): AsyncGenerator<FleetLine> {
    const file = join(this.#fleetDirectory(workspaceId), `${jobId}.jsonl`);
    const exists = await stat(file).then(
      () => true,
      () => false,
    );
    if (!exists) return;
    const lines = createInterface({ input: createReadStream(file, { encoding: 'utf8' }), crlfDelay: Infinity });
    try {
      for await (const text of lines) {
        // A line a crash cut short is skipped: the lines before it still count.
        const parsed = (() => {
          try {
            return FleetLine.safeParse(JSON.parse(text));
          } catch {
            return undefined;
          }
        })();
        if (parsed?.success) yield parsed.data;
      }
    } finally {
      lines.close();
    }
  }

  /** Deletes the oldest fleets' files so that at most `keep` remain. */
  async #prune(workspaceId: string, keep: number): Promise<void> {
    const directory = this.#fleetDirectory(workspaceId);
    const byJob = new Map<string, { files: string[]; mtimeMs: number }>();
    for (const name of await readdir(directory)) {
      const match = FLEET_FILE.exec(name);
      if (!match) continue;
      const jobId = match[1] as string;
      const { mtimeMs } = await stat(join(directory, name));
      const entry = byJob.get(jobId) ?? { files: [], mtimeMs: 0 };
      entry.files.push(name);
      entry.mtimeMs = Math.max(entry.mtimeMs, mtimeMs);
      byJob.set(jobId, entry);
    }
    const oldestFirst = [...byJob].filter(([jobId]) => !this.#running.has(jobId)).sort((a, b) => a[1].mtimeMs - b[1].mtimeMs);
    for (const [jobId, { files }] of oldestFirst.slice(0, Math.max(0, oldestFirst.length - keep))) {
      await Promise.all(files.map((name) => unlink(join(directory, name)).catch(() => undefined)));
      this.#finished.delete(jobId);
    }
  }
}

/** A kept plan's tree, normalised again from the engine's document with the console's notes. */
export function planOf(kept: KeptPlan): Plan {
  return withNotes(normalisePlan(kept.raw, kept.record.engine), kept.notes ?? []);
}
