import { randomBytes } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { AppError } from '@shared/errors';
import { Workspace } from '@shared/model/workspace';
import { readJsonFile, writeFileAtomic } from '../../security/vault/files';

export const WORKSPACES_FILE_NAME = 'workspaces.json';

const WorkspacesFile = z.object({ version: z.literal(1), workspaces: z.array(Workspace) });

/** Where workspaces are kept: `<dataDir>/workspaces.json`, never holding a secret. */
export interface WorkspaceRepository {
  readonly path: string;
  /** Every workspace, validated; a damaged file is an error, never an empty list. */
  load(): Promise<Workspace[]>;
  /** Replaces the file atomically (temp file, fsync, rename). */
  save(workspaces: readonly Workspace[]): Promise<void>;
}

export function createWorkspaceRepository(dataDir: string): WorkspaceRepository {
  const path = join(dataDir, WORKSPACES_FILE_NAME);
  return {
    path,
    async load() {
      const raw = await readJsonFile(path);
      if (raw === undefined) return [];
      const parsed = WorkspacesFile.safeParse(raw);
      if (!parsed.success) {
        throw new AppError(
          'internal',
          `${path} is damaged (${z.prettifyError(parsed.error)}); fix or restore it, or move it aside to start with no workspaces.`,
        );
      }
      return parsed.data.workspaces;
    },
    async save(workspaces) {
      await mkdir(dataDir, { recursive: true, mode: 0o700 });
      const file: z.input<typeof WorkspacesFile> = { version: 1, workspaces: [...workspaces] };
      await writeFileAtomic(path, `${JSON.stringify(file, null, 2)}\n`, 0o600);
    },
  };
}

/** `Murima2025 prod` → `murima2025-prod-3f9a1c`: readable, and unique without a lookup. */
export function newWorkspaceId(name: string): string {
  const slug = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 48)
    .replace(/-+$/, '');
  return `${slug || 'workspace'}-${randomBytes(3).toString('hex')}`;
}
