import type { NamespaceMap } from '@shared/model/tenant';

/**
 * The last namespace map per workspace, with its age in `builtAt`. A walk of a million keys takes
 * seconds, so the tenant list and the map view reuse it until someone asks for a refresh; a second
 * caller asking while a walk runs joins it instead of starting another (and shares its fate: the
 * walk stops if the caller that started it cancels).
 */
export class NamespaceCache {
  readonly #maps = new Map<string, NamespaceMap>();
  readonly #running = new Map<string, Promise<NamespaceMap>>();

  get(workspaceId: string): NamespaceMap | undefined {
    return this.#maps.get(workspaceId);
  }

  /**
   * The cached map, or a fresh one from `build` when there is none or `refresh` is set. A failed or
   * cancelled build leaves the previous map in place.
   */
  async obtain(workspaceId: string, refresh: boolean, build: () => Promise<NamespaceMap>): Promise<NamespaceMap> {
    const cached = this.#maps.get(workspaceId);
    if (cached && !refresh) return cached;
    const running = this.#running.get(workspaceId);
    if (running) return running;
    const walk = build().then((map) => {
      this.#maps.set(workspaceId, map);
      return map;
    });
    this.#running.set(workspaceId, walk);
    try {
      return await walk;
    } finally {
      this.#running.delete(workspaceId);
    }
  }

  forget(workspaceId: string): void {
    this.#maps.delete(workspaceId);
  }
}
