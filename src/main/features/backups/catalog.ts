import { access, mkdir, readFile, readdir, rm, statfs } from 'node:fs/promises';
import { constants } from 'node:fs';
import { join } from 'node:path';
import type { BundleEntry, FolderSetting, LegalHold, RetentionDecision } from '@shared/contract/backups';
import { LegalHold as LegalHoldSchema } from '@shared/contract/backups';
import { AppError } from '@shared/errors';
import { BundleId, BundleManifest, BundleVerification, MANIFEST_FILE, type BundleStatus } from '@shared/model/backup';
import { STORE_KINDS, type StoreKind } from '@shared/model/workspace';
import { fileFailure, folderBytes, parseBundleId, writeJsonDurably } from './bundle-files';

/** Sidecars beside the manifest, which never changes once written. */
export const VERIFICATION_FILE = 'verification.json';
export const LEGAL_HOLD_FILE = 'legal-hold.json';

/**
 * Where each workspace's bundles live: `<folder>/<workspaceId>/<bundleId>/`. The folder is the
 * operator's choice per workspace, kept in `<dataDir>/backups/folders.json`; until one is chosen,
 * `<dataDir>/backups/bundles`.
 */
export class BackupFolders {
  readonly #file: string;
  readonly #fallback: string;

  constructor(dataDir: string) {
    this.#file = join(dataDir, 'backups', 'folders.json');
    this.#fallback = join(dataDir, 'backups', 'bundles');
  }

  async #read(): Promise<Record<string, string>> {
    try {
      const parsed: unknown = JSON.parse(await readFile(this.#file, 'utf8'));
      return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, string>) : {};
    } catch {
      return {};
    }
  }

  async folderOf(workspaceId: string): Promise<{ folder: string; chosen: boolean }> {
    const chosen = (await this.#read())[workspaceId];
    return chosen ? { folder: chosen, chosen: true } : { folder: this.#fallback, chosen: false };
  }

  /** The workspace's own bundle folder: `<folder>/<workspaceId>`. */
  async workspaceFolder(workspaceId: string, folder?: string): Promise<string> {
    return join(folder ?? (await this.folderOf(workspaceId)).folder, workspaceId);
  }

  async setting(workspaceId: string): Promise<FolderSetting> {
    const { folder, chosen } = await this.folderOf(workspaceId);
    return { workspaceId, folder, chosen, ...(await folderState(folder)) };
  }

  /** Chooses a folder after checking it can be created and written; `invalid_argument` saying why otherwise. */
  async choose(workspaceId: string, folder: string): Promise<FolderSetting> {
    await checkWritable(folder);
    const all = await this.#read();
    all[workspaceId] = folder;
    await mkdir(join(this.#file, '..'), { recursive: true });
    await writeJsonDurably(join(this.#file, '..'), 'folders.json', all);
    return this.setting(workspaceId);
  }
}

async function folderState(folder: string): Promise<{ writable: boolean; freeBytes: number | null }> {
  try {
    await access(folder, constants.W_OK);
    const fs = await statfs(folder);
    return { writable: true, freeBytes: fs.bavail * fs.bsize };
  } catch {
    return { writable: false, freeBytes: null };
  }
}

/** Creates the folder when missing and writes a probe file in it: the only proof it can be written. */
export async function checkWritable(folder: string): Promise<void> {
  try {
    await mkdir(folder, { recursive: true });
    const probe = join(folder, `.tenantscope-probe-${process.pid}`);
    await writeJsonDurably(folder, `.tenantscope-probe-${process.pid}`, { probe: true });
    await rm(probe, { force: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException | undefined)?.code ?? 'error';
    throw new AppError('invalid_argument', `The backup folder ${folder} cannot be written (${code}): choose a folder this console's account can create files in.`);
  }
}

async function readJson<T>(path: string, schema: { safeParse(value: unknown): { success: true; data: T } | { success: false } }): Promise<{ value?: T; problem?: string; missing?: boolean }> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { missing: true };
    return { problem: `${path} cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})` };
  }
  try {
    const parsed = schema.safeParse(JSON.parse(text));
    return parsed.success ? { value: parsed.data } : { problem: 'the file does not hold what it should' };
  } catch {
    return { problem: 'the file is not JSON' };
  }
}

export interface BundleRead {
  entry: BundleEntry;
  manifest: BundleManifest | null;
  folder: string;
}

/** Reads one bundle folder: its manifest (or why it has none), its sidecars, its size. */
export async function readBundle(workspaceFolder: string, bundleId: string): Promise<BundleRead> {
  const folder = join(workspaceFolder, bundleId);
  const [manifestRead, verificationRead, holdRead] = await Promise.all([
    readJson(join(folder, MANIFEST_FILE), BundleManifest),
    readJson(join(folder, VERIFICATION_FILE), BundleVerification),
    readJson(join(folder, LEGAL_HOLD_FILE), LegalHoldSchema),
  ]);
  const manifest = manifestRead.value ?? null;
  const verification = verificationRead.value ?? null;
  const fromId = parseBundleId(bundleId);
  let status: BundleStatus = 'incomplete';
  if (manifest) status = verification ? (verification.ok ? 'verified' : 'verify_failed') : 'complete';
  const presentStores = async (): Promise<StoreKind[]> => {
    const names = await readdir(folder).catch(() => [] as string[]);
    return STORE_KINDS.filter((kind) => names.includes(kind));
  };
  const totals: Record<string, number> = {};
  for (const part of manifest?.parts ?? []) totals[part.store] = Object.values(part.counts).reduce((sum, n) => sum + n, 0);
  const entry: BundleEntry = {
    bundleId,
    tenantId: manifest?.tenantId ?? fromId?.tenantId ?? null,
    status,
    stores: manifest ? manifest.stores : await presentStores(),
    startedAt: manifest?.startedAt ?? fromId?.startedAt ?? null,
    endedAt: manifest?.endedAt ?? null,
    sizeBytes: await folderBytes(folder),
    operator: manifest ? manifest.operator.name : null,
    justification: manifest?.justification ?? null,
    totals,
    legalHold: holdRead.value ?? null,
    verification,
    problem: manifest ? null : manifestRead.missing ? 'no manifest: the backup did not finish (a failure, a cancel or a crash)' : `the manifest cannot be used: ${manifestRead.problem ?? ''}`,
  };
  return { entry, manifest, folder };
}

/** Every bundle folder of a workspace, newest first. Anything that is not a bundle id is left alone. */
export async function listBundles(workspaceFolder: string): Promise<BundleRead[]> {
  let names: string[];
  try {
    names = await readdir(workspaceFolder);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw fileFailure(error, `The backup folder ${workspaceFolder} cannot be read`);
  }
  const ids = names.filter((name) => BundleId.safeParse(name).success).sort().reverse();
  return Promise.all(ids.map((id) => readBundle(workspaceFolder, id)));
}

export async function setLegalHold(workspaceFolder: string, bundleId: string, hold: LegalHold | null): Promise<void> {
  const folder = join(workspaceFolder, bundleId);
  if (hold) await writeJsonDurably(folder, LEGAL_HOLD_FILE, hold);
  else await rm(join(folder, LEGAL_HOLD_FILE), { force: true });
}

/** The ISO week of a time, `2026-W49`. */
export function isoWeek(at: Date): string {
  const day = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate()));
  const weekday = day.getUTCDay() || 7;
  day.setUTCDate(day.getUTCDate() + 4 - weekday);
  const yearStart = Date.UTC(day.getUTCFullYear(), 0, 1);
  const week = Math.ceil(((day.getTime() - yearStart) / 86_400_000 + 1) / 7);
  return `${day.getUTCFullYear()}-W${String(week).padStart(2, '0')}`;
}

/**
 * Which bundles retention keeps, per tenant: the newest complete bundle of each of the `keepDaily`
 * most recent days that have one, and of each of the `keepWeekly` most recent ISO weeks (as restic's
 * --keep-daily and --keep-weekly count). A bundle under legal hold is always kept, and so is an
 * incomplete one (it may be a backup still running; deleting it is a person's decision).
 */
export function planRetention(bundles: BundleEntry[], keepDaily: number, keepWeekly: number): { kept: RetentionDecision[]; deleted: RetentionDecision[] } {
  const kept: RetentionDecision[] = [];
  const deleted: RetentionDecision[] = [];
  const decision = (b: BundleEntry, reason: RetentionDecision['reason']): RetentionDecision => ({ bundleId: b.bundleId, tenantId: b.tenantId, startedAt: b.startedAt, reason });
  const byTenant = new Map<string, BundleEntry[]>();
  for (const bundle of bundles) {
    if (bundle.legalHold) {
      kept.push(decision(bundle, 'held'));
      continue;
    }
    if (bundle.status === 'incomplete' || !bundle.startedAt) {
      kept.push(decision(bundle, 'incomplete'));
      continue;
    }
    const list = byTenant.get(bundle.tenantId ?? '') ?? [];
    list.push(bundle);
    byTenant.set(bundle.tenantId ?? '', list);
  }
  for (const list of byTenant.values()) {
    list.sort((a, b) => (b.startedAt ?? '').localeCompare(a.startedAt ?? ''));
    const days = new Set<string>();
    const weeks = new Set<string>();
    for (const bundle of list) {
      const at = new Date(bundle.startedAt ?? 0);
      const day = at.toISOString().slice(0, 10);
      const week = isoWeek(at);
      if (!days.has(day) && days.size < keepDaily) {
        days.add(day);
        if (!weeks.has(week) && weeks.size < keepWeekly) weeks.add(week);
        kept.push(decision(bundle, 'daily'));
      } else if (!weeks.has(week) && weeks.size < keepWeekly) {
        weeks.add(week);
        kept.push(decision(bundle, 'weekly'));
      } else {
        deleted.push(decision(bundle, 'expired'));
      }
    }
  }
  return { kept, deleted };
}
