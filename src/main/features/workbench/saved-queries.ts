import { randomBytes } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { AppError } from '@shared/errors';
import { SavedQuery, type WorkbenchTarget } from '@shared/model/workbench';
import type { Session } from '@shared/model/session';
import { readJsonFile, writeFileAtomic } from '../../security/vault/files';

const SavedFile = z.object({ version: z.literal(1), queries: z.array(SavedQuery) });

export interface SaveRequest {
  workspaceId: string;
  id?: string;
  name: string;
  description?: string;
  target: WorkbenchTarget;
  text: string;
}

/**
 * Each workspace's saved queries as one JSON file, `<dataDir>/workbench/<workspaceId>/saved.json`,
 * replaced atomically on every change. Changes of a workspace are chained so none is lost.
 */
export class SavedQueries {
  readonly #root: string;
  readonly #chains = new Map<string, Promise<unknown>>();

  constructor(root: string) {
    this.#root = root;
  }

  async list(workspaceId: string, search?: string): Promise<SavedQuery[]> {
    await this.#chains.get(workspaceId);
    const needle = search?.trim().toLowerCase();
    const queries = await this.#read(workspaceId);
    return queries
      .filter((query) => !needle || [query.name, query.description ?? '', query.text].some((text) => text.toLowerCase().includes(needle)))
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  /** Saves a new query, or replaces the one with this id (`not_found` when there is none). */
  save(request: SaveRequest, session: Pick<Session, 'operator'>): Promise<SavedQuery> {
    return this.#chain(request.workspaceId, async () => {
      const queries = await this.#read(request.workspaceId);
      const index = request.id === undefined ? -1 : queries.findIndex((query) => query.id === request.id);
      if (request.id !== undefined && index < 0) throw new AppError('not_found', `Workspace ${request.workspaceId} has no saved query ${request.id}.`);
      const saved: SavedQuery = SavedQuery.parse({
        id: request.id ?? `sq_${randomBytes(12).toString('base64url')}`,
        workspaceId: request.workspaceId,
        name: request.name,
        ...(request.description !== undefined && { description: request.description }),
        target: request.target,
        text: request.text,
        savedAt: new Date().toISOString(),
        savedBy: session.operator.name.slice(0, 200),
      });
      if (index >= 0) queries[index] = saved;
      else queries.push(saved);
      await this.#write(request.workspaceId, queries);
      return saved;
    });
  }

  delete(workspaceId: string, id: string): Promise<boolean> {
    return this.#chain(workspaceId, async () => {
      const queries = await this.#read(workspaceId);
      const kept = queries.filter((query) => query.id !== id);
      if (kept.length === queries.length) return false;
      await this.#write(workspaceId, kept);
      return true;
    });
  }

  async #read(workspaceId: string): Promise<SavedQuery[]> {
    const raw = await readJsonFile(this.#file(workspaceId));
    if (raw === undefined) return [];
    const parsed = SavedFile.safeParse(raw);
    if (!parsed.success) throw new AppError('internal', `${this.#file(workspaceId)} is not a saved-queries file this console can read; move it aside to start empty.`);
    return parsed.data.queries;
  }

  async #write(workspaceId: string, queries: SavedQuery[]): Promise<void> {
    await mkdir(join(this.#root, workspaceId), { recursive: true, mode: 0o700 });
    await writeFileAtomic(this.#file(workspaceId), JSON.stringify({ version: 1, queries }, null, 2));
  }

  #file(workspaceId: string): string {
    return join(this.#root, workspaceId, 'saved.json');
  }

  #chain<T>(workspaceId: string, work: () => Promise<T>): Promise<T> {
    const previous = this.#chains.get(workspaceId) ?? Promise.resolve();
    const next = previous.then(work, work);
    this.#chains.set(workspaceId, next.catch(() => undefined));
    return next;
  }
}
