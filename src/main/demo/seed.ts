import { AppError } from '@shared/errors';
import { presetByName } from '@shared/tenancy';
import { seedClientManagement } from './client-management-seed';
import { seedMurima } from './murima-seed';
import type { MurimaWindow } from './murima-tenant';
import type { DemoStores } from './ports';
import type { SeedProgress, SeedSummary } from './progress';

export type { DemoStores } from './ports';
export type { SeedProgress, SeedSummary } from './progress';

export interface SeedDemoOptions {
  preset: string;
  tenants: number;
  /** Same seed, same platform: every value is drawn from it. */
  seed: string | number;
  /** The last month of the demo window (`YYYY-MM`, UTC); data spreads over the months up to it. Default: the current month. */
  until?: string;
  /** How many months the window spans. Default 6. */
  months?: number;
  /** The seeder's clock (ISO time or epoch ms): nothing generated happens after it. Default: now. */
  now?: string | number;
  onProgress?: (progress: SeedProgress) => void;
  signal?: AbortSignal;
  /** Tenants per batch and batches loading at once; the defaults suit a laptop. */
  batchSize?: number;
  workers?: number;
}

/**
 * Leases a loading PostgreSQL session should serve before it is retired (PostgresStore's
 * connectionMaxUses): a session that created thousands of tenant tables keeps catalog caches of
 * all of them and runs every later DDL statement slower; a fresh one every few batches does not.
 */
export const SEED_CONNECTION_MAX_USES = 8;

/** Six months of history: enough to spread dates, and each month is a partition per tenant. */
export const DEFAULT_MONTHS = 6;

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;

/**
 * The demo window: `months` whole months ending with `until`, and the seeder's clock `nowMs` (at
 * most the window's end) after which nothing generated happens.
 */
export function demoWindow(until: string | undefined, months = DEFAULT_MONTHS, clock: string | number = Date.now()): MurimaWindow {
  const nowMs = typeof clock === 'number' ? clock : Date.parse(clock);
  if (!Number.isFinite(nowMs)) throw new AppError('invalid_argument', `The seeder's clock is an ISO time, not ${JSON.stringify(clock)}.`);
  const now = new Date(nowMs);
  const match = MONTH.exec(until ?? `${now.getUTCFullYear()}-${String(now.getUTCMonth() + 1).padStart(2, '0')}`);
  if (!match) throw new AppError('invalid_argument', `--until is a month like 2025-06, not ${JSON.stringify(until)}.`);
  const year = Number(match[1]);
  const month = Number(match[2]) - 1;
  const endMs = Date.UTC(year, month + 1, 1);
  return { startMs: Date.UTC(year, month - months + 1, 1), endMs, nowMs: Math.min(nowMs, endMs) };
}

/**
 * Seeds a demo platform of the named preset into the stores given (a store left out is skipped).
 * Deterministic: the same preset, tenant count, seed and window give the same data.
 */
export async function seedDemoPlatform(stores: DemoStores, options: SeedDemoOptions): Promise<SeedSummary> {
  const preset = presetByName(options.preset);
  if (!Number.isInteger(options.tenants) || options.tenants < 1 || options.tenants > 100_000) {
    throw new AppError('invalid_argument', `The tenant count is a whole number from 1 to 100000, not ${options.tenants}.`);
  }
  const seed = String(options.seed);
  const window = demoWindow(options.until, options.months ?? DEFAULT_MONTHS, options.now);
  const common = {
    tenants: options.tenants,
    seed,
    window,
    ...(options.onProgress && { onProgress: options.onProgress }),
    ...(options.signal && { signal: options.signal }),
    ...(options.batchSize && { batchSize: options.batchSize }),
    ...(options.workers && { workers: options.workers }),
  };
  switch (preset.name) {
    case 'murima2025':
      if (!stores.postgres && !stores.redis && !stores.mongo && !stores.elastic) {
        throw new AppError('invalid_argument', 'Murima2025 needs at least one store to seed: PostgreSQL, Redis, MongoDB or Elasticsearch.');
      }
      return seedMurima(stores, common);
    case 'client-management':
      if (!stores.mongo) throw new AppError('invalid_argument', 'The Client Management platform lives in MongoDB: give a MongoDB to seed it into.');
      return seedClientManagement(stores.mongo, { ...common, env: 'dev', prefix: 'insightserenity' });
    default:
      throw new AppError('invalid_argument', `No demo generator for the preset ${preset.name}.`);
  }
}
