import type { TenancyPreset } from '@shared/tenancy';
import type { ExecutionOptions } from '../../stores/execution';
import type { PostgresFace } from '../../stores/postgres/face';
import { postgresOf } from './passes';
import { readReference, type ReferenceObject } from './reference';

const KEEP_MS = 10 * 60_000;

/**
 * The blueprint's reference per workspace, kept ten minutes: it depends only on the preset and the
 * server's deparser, and building it takes a transaction of DDL. A failed build is not kept.
 */
export class ReferenceCache {
  readonly #entries = new Map<string, { at: number; objects: Promise<ReferenceObject[]> }>();
  readonly #now: () => number;

  constructor(now: () => number = Date.now) {
    this.#now = now;
  }

  get(workspaceId: string, pg: Pick<PostgresFace, 'session'>, preset: TenancyPreset, options: ExecutionOptions): Promise<ReferenceObject[]> {
    const key = `${workspaceId}\u0000${preset.name}`;
    const found = this.#entries.get(key);
    if (found && this.#now() - found.at < KEEP_MS) return found.objects;
    const { blueprint, layout } = postgresOf(preset);
    // Not tied to one caller's signal: a second caller may be waiting on the same build.
    const objects = readReference(pg, blueprint, layout, { timeoutMs: options.timeoutMs ?? 60_000 });
    this.#entries.set(key, { at: this.#now(), objects });
    objects.catch(() => {
      if (this.#entries.get(key)?.objects === objects) this.#entries.delete(key);
    });
    return objects;
  }

  forget(workspaceId: string): void {
    for (const key of this.#entries.keys()) if (key.startsWith(`${workspaceId}\u0000`)) this.#entries.delete(key);
  }
}
