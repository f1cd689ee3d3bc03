import { mkdir, open, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { HistoryEntry, type WorkbenchEngine } from '@shared/model/workbench';
import { writeFileAtomic } from '../../security/vault/files';

/** Runs kept per workspace; older lines go when the file is compacted. */
export const HISTORY_LIMIT = 2_000;
/** Lines appended past the limit before the file is rewritten with the newest `HISTORY_LIMIT`. */
const COMPACT_SLACK = 200;
/** A query's text beyond this is cut in the history (the run itself had all of it). */
const HISTORY_TEXT_LIMIT = 100_000;

const splitLines = (text: string): string[] => text.split('\n').filter((line) => line.trim() !== '');

export interface HistoryQuery {
  search?: string;
  engine?: WorkbenchEngine;
  limit: number;
}

/**
 * Each workspace's runs as JSON lines in `<dataDir>/workbench/<workspaceId>/history.jsonl`: one
 * line appended and fsynced per run (a crash loses at most the run in flight), and rewritten
 * atomically with the newest 2,000 once it has grown past them. Writes of a workspace are chained
 * so two runs ending together never interleave or compact over each other.
 */
export class RunHistory {
  readonly #root: string;
  readonly #chains = new Map<string, Promise<unknown>>();
  /** Lines in each workspace's file, counted on its first append. */
  readonly #lines = new Map<string, number>();

  constructor(root: string) {
    this.#root = root;
  }

  append(entry: HistoryEntry): Promise<void> {
    const kept: HistoryEntry = entry.text.length > HISTORY_TEXT_LIMIT ? { ...entry, text: entry.text.slice(0, HISTORY_TEXT_LIMIT) } : entry;
    return this.#chain(entry.workspaceId, async () => {
      const file = this.#file(entry.workspaceId);
      await mkdir(join(this.#root, entry.workspaceId), { recursive: true, mode: 0o700 });
      let lines = this.#lines.get(entry.workspaceId);
      // A line a crash cut short gets its end first, so this entry does not join it.
      let lead = '';
      if (lines === undefined) {
        const text = await this.#readText(entry.workspaceId);
        lines = splitLines(text).length;
        if (text.length > 0 && !text.endsWith('\n')) lead = '\n';
      }
      const handle = await open(file, 'a', 0o600);
      try {
        await handle.appendFile(lead + JSON.stringify(kept) + '\n');
        await handle.sync();
      } finally {
        await handle.close();
      }
      lines += 1;
      if (lines > HISTORY_LIMIT + COMPACT_SLACK) {
        const newest = (await this.#readLines(entry.workspaceId)).slice(-HISTORY_LIMIT);
        await writeFileAtomic(file, newest.map((line) => line + '\n').join(''));
        lines = newest.length;
      }
      this.#lines.set(entry.workspaceId, lines);
    });
  }

  /** Newest first; `search` matches the text without regard to case. A line that does not read is skipped. */
  async list(workspaceId: string, query: HistoryQuery): Promise<HistoryEntry[]> {
    await this.#chains.get(workspaceId);
    const needle = query.search?.trim().toLowerCase();
    const entries: HistoryEntry[] = [];
    const lines = await this.#readLines(workspaceId);
    for (let i = lines.length - 1; i >= 0 && entries.length < query.limit; i -= 1) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(lines[i] as string);
      } catch {
        continue;
      }
      const entry = HistoryEntry.safeParse(parsed);
      if (!entry.success || entry.data.workspaceId !== workspaceId) continue;
      if (query.engine && entry.data.target.engine !== query.engine) continue;
      if (needle && !entry.data.text.toLowerCase().includes(needle)) continue;
      entries.push(entry.data);
    }
    return entries;
  }

  async #readLines(workspaceId: string): Promise<string[]> {
    return splitLines(await this.#readText(workspaceId));
  }

  async #readText(workspaceId: string): Promise<string> {
    try {
      return await readFile(this.#file(workspaceId), 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return '';
      throw error;
    }
  }

  #file(workspaceId: string): string {
    return join(this.#root, workspaceId, 'history.jsonl');
  }

  #chain<T>(workspaceId: string, work: () => Promise<T>): Promise<T> {
    const previous = this.#chains.get(workspaceId) ?? Promise.resolve();
    const next = previous.then(work, work);
    const settled = next.catch(() => undefined);
    this.#chains.set(workspaceId, settled);
    void settled.then(() => {
      if (this.#chains.get(workspaceId) === settled) this.#chains.delete(workspaceId);
    });
    return next;
  }
}
