import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AppError } from '@shared/errors';
import type { TenancyPreset } from '@shared/tenancy';
import type { ExecutionOptions } from '../../stores/execution';
import type { PostgresFace } from '../../stores/postgres/face';
import { postgresOf } from './passes';
import { readReference, type ReferenceObject } from './reference';

const KEEP_MS = 10 * 60_000;

type ReferencePostgres = Pick<PostgresFace, 'session' | 'query'>;

/**
 * The blueprint's reference per workspace, kept ten minutes: it depends only on the preset and the
 * server's deparser, and building it takes a transaction of DDL. A failed build is not kept.
 *
 * A read-only (prod) store cannot build it. With a `directory`, every reference built is also kept
 * on disk under the preset, a digest of its blueprint and the server's major version — what the
 * deparser's text depends on — and a read-only workspace uses the one a writable workspace of the
 * same major version built (the demo platform's, say).
 */
export class ReferenceCache {
  readonly #entries = new Map<string, { at: number; objects: Promise<ReferenceObject[]> }>();
  readonly #now: () => number;
  readonly #directory: string | undefined;

  constructor(options: { directory?: string; now?: () => number } = {}) {
    this.#now = options.now ?? Date.now;
    this.#directory = options.directory;
  }

  get(workspaceId: string, pg: ReferencePostgres, preset: TenancyPreset, options: ExecutionOptions): Promise<ReferenceObject[]> {
    const key = `${workspaceId}\u0000${preset.name}`;
    const found = this.#entries.get(key);
    if (found && this.#now() - found.at < KEEP_MS) return found.objects;
    // Not tied to one caller's signal: a second caller may be waiting on the same build.
    const objects = this.#build(pg, preset, { timeoutMs: options.timeoutMs ?? 60_000 });
    this.#entries.set(key, { at: this.#now(), objects });
    objects.catch(() => {
      if (this.#entries.get(key)?.objects === objects) this.#entries.delete(key);
    });
    return objects;
  }

  forget(workspaceId: string): void {
    for (const key of this.#entries.keys()) if (key.startsWith(`${workspaceId}\u0000`)) this.#entries.delete(key);
  }

  async #build(pg: ReferencePostgres, preset: TenancyPreset, options: ExecutionOptions): Promise<ReferenceObject[]> {
    const { blueprint, layout } = postgresOf(preset);
    try {
      const objects = await readReference(pg, blueprint, layout, options);
      await this.#save(pg, preset, objects, options).catch(() => undefined);
      return objects;
    } catch (error) {
      if (!(error instanceof AppError) || error.code !== 'read_only') throw error;
      const kept = await this.#load(pg, preset, options);
      if (kept) return kept;
      throw new AppError(
        'read_only',
        `${error.message} No reference for ${preset.title} on this PostgreSQL version was kept yet: compare drift once on a writable workspace with the same preset and PostgreSQL major version (the demo platform is one).`,
      );
    }
  }

  async #fileFor(pg: ReferencePostgres, preset: TenancyPreset, options: ExecutionOptions): Promise<string | undefined> {
    if (!this.#directory) return undefined;
    const { rows } = await pg.query("SELECT current_setting('server_version_num')::int / 10000", [], undefined, options);
    const major = Number(rows[0]?.[0]);
    if (!Number.isInteger(major)) return undefined;
    const digest = createHash('sha256').update(JSON.stringify(postgresOf(preset).blueprint)).digest('hex').slice(0, 16);
    return join(this.#directory, `${preset.name}-${digest}-pg${major}.json`);
  }

  async #save(pg: ReferencePostgres, preset: TenancyPreset, objects: ReferenceObject[], options: ExecutionOptions): Promise<void> {
    const file = await this.#fileFor(pg, preset, options);
    if (!file || !this.#directory) return;
    await mkdir(this.#directory, { recursive: true });
    const temporary = `${file}.${process.pid}.tmp`;
    await writeFile(temporary, JSON.stringify(objects));
    await rename(temporary, file);
  }

  async #load(pg: ReferencePostgres, preset: TenancyPreset, options: ExecutionOptions): Promise<ReferenceObject[] | undefined> {
    const file = await this.#fileFor(pg, preset, options);
    if (!file) return undefined;
    const text = await readFile(file, 'utf8').catch(() => undefined);
    if (text === undefined) return undefined;
    const parsed: unknown = JSON.parse(text);
    if (!Array.isArray(parsed)) return undefined;
    return parsed.filter(
      (o): o is ReferenceObject =>
        typeof o === 'object' && o !== null && ['object', 'tbl', 'name', 'def'].every((k) => typeof (o as Record<string, unknown>)[k] === 'string'),
    );
  }
}
