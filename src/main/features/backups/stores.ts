import { z } from 'zod';
import { AppError } from '@shared/errors';
import type { Environment, StoreKind } from '@shared/model/workspace';
import { STORE_LABELS } from '@shared/model/workspace';
import type { TenancyPreset } from '@shared/tenancy';
import type { BackupPart } from '../../services/backup-part';
import type { BackupPostgres } from './parts/postgres';

/** How a part is asked to write: the PostgreSQL dump format and workers, and the name its connections carry. */
export interface PartOptions {
  pgFormat: 'custom' | 'directory';
  jobs: number;
  applicationName: string;
}

/** Makes one store's part of a bundle; the console hands the backup jobs one per store the workspace has. */
export type PartFactory = (options: PartOptions) => BackupPart;

/** What the backup jobs work on in a workspace. */
export interface BackupStores {
  workspaceId: string;
  workspace: { name: string; environment: Environment };
  preset: TenancyPreset;
  parts: Partial<Record<StoreKind, PartFactory>>;
  /** The whole-database dump's PostgreSQL. */
  postgres?: BackupPostgres;
}

export type OpenBackupStores = (workspaceId: string, signal: AbortSignal) => Promise<BackupStores>;

export const Operator = z.object({ id: z.string().max(320), name: z.string().max(200), role: z.string().max(40) }).strict();
export type Operator = z.infer<typeof Operator>;

export function partFor(stores: BackupStores, store: StoreKind, options: PartOptions): BackupPart {
  const factory = stores.parts[store];
  if (!factory) throw new AppError('invalid_argument', `Workspace ${stores.workspaceId} has no ${STORE_LABELS[store]} part to back up or restore with.`);
  return factory(options);
}

/** `tenantscope-<job id>`: how the programs' connections show in pg_stat_activity. */
export const applicationNameOf = (jobId: string): string => `tenantscope-${jobId}`.slice(0, 63);

export const errorText = (error: unknown): string => (error instanceof Error ? error.message : String(error));
