import { readFile, stat } from 'node:fs/promises';
import { z } from 'zod';
import { AppError } from '@shared/errors';
import { GENESIS_HASH, type AuditEntry, type AuditSink } from '@shared/model/audit';
import { parseJournalLine, readJournalLines } from './journal-reader';
import { replaceFileDurably } from './durable-file';

/** How far a journal has been shipped: the last entry the sink confirmed and where the next one starts. */
const ShipCursor = z.object({
  seq: z.number().int().min(0),
  hash: z.string().regex(/^[0-9a-f]{64}$/),
  offset: z.number().int().min(0),
  line: z.number().int().min(1),
});
export type ShipCursor = z.infer<typeof ShipCursor>;

const START: ShipCursor = { seq: 0, hash: GENESIS_HASH, offset: 0, line: 1 };

export interface Backoff {
  initialMs: number;
  maxMs: number;
  factor: number;
}

export interface AuditShipperOptions {
  /** The journal to ship. */
  file: string;
  sink: AuditSink;
  /** Where the cursor is kept; `<journal>.shipped.json` unless told. */
  cursorFile?: string;
  batchSize?: number;
  backoff?: Partial<Backoff>;
  /** How often an idle shipper looks for entries it was not told about. */
  pollMs?: number;
  /** Told about each failed attempt, for the log and the status bar. */
  onRetry?: (error: unknown, attempt: number, delayMs: number) => void;
}

export type ShipperState = 'idle' | 'shipping' | 'backing_off' | 'halted' | 'stopped';

export interface ShipperStatus {
  state: ShipperState;
  shippedSeq: number;
  attempts: number;
  lastError?: string;
}

export function cursorFileOf(journalFile: string): string {
  return `${journalFile}.shipped.json`;
}

/** Reads a shipper's cursor; a journal never shipped has none. */
export async function readShipCursor(cursorFile: string): Promise<ShipCursor | undefined> {
  let text: string;
  try {
    text = await readFile(cursorFile, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  const parsed = ShipCursor.safeParse(JSON.parse(text));
  if (!parsed.success) throw new AppError('conflict', `The shipping cursor ${cursorFile} is damaged; verify the journal and remove it to ship again from the start`);
  return parsed.data;
}

/**
 * Sends a journal's entries to an AuditSink in seq order, a batch at a time, moving a persisted
 * cursor only after the sink confirmed. While the sink is down entries stay in the journal and
 * the shipper retries with exponential backoff; after a crash, a new shipper resumes from the
 * cursor, and whatever the sink already had (shipped but not yet recorded) is absorbed by the
 * sink's idempotence, so every entry arrives exactly once.
 */
export class AuditShipper {
  private cursor: ShipCursor;
  private state: ShipperState = 'idle';
  private attempts = 0;
  private lastError: string | undefined;
  private loop: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  private pendingNotify = false;
  private readonly stopController = new AbortController();
  private readonly waiters = new Set<{ seq: number; resolve: () => void }>();
  private readonly backoff: Backoff;
  private readonly cursorFile: string;
  private readonly batchSize: number;
  private readonly pollMs: number;

  private constructor(
    private readonly options: AuditShipperOptions,
    cursor: ShipCursor,
  ) {
    this.cursor = cursor;
    this.cursorFile = options.cursorFile ?? cursorFileOf(options.file);
    this.batchSize = options.batchSize ?? 200;
    this.pollMs = options.pollMs ?? 5_000;
    this.backoff = { initialMs: 250, maxMs: 30_000, factor: 2, ...options.backoff };
  }

  static async open(options: AuditShipperOptions): Promise<AuditShipper> {
    const cursor = (await readShipCursor(options.cursorFile ?? cursorFileOf(options.file))) ?? START;
    return new AuditShipper(options, cursor);
  }

  get shippedSeq(): number {
    return this.cursor.seq;
  }

  status(): ShipperStatus {
    return {
      state: this.state,
      shippedSeq: this.cursor.seq,
      attempts: this.attempts,
      ...(this.lastError ? { lastError: this.lastError } : {}),
    };
  }

  /** Starts shipping in the background until stop(). */
  start(): void {
    this.loop ??= this.run();
  }

  /** New entries are in the journal: ship them now rather than at the next poll. */
  notify(): void {
    this.pendingNotify = true;
    this.wake?.();
  }

  /** Resolves once every entry up to `seq` is confirmed by the sink. */
  whenShipped(seq: number): Promise<void> {
    if (this.cursor.seq >= seq) return Promise.resolve();
    return new Promise((resolve) => this.waiters.add({ seq, resolve }));
  }

  async stop(): Promise<void> {
    this.stopController.abort();
    this.wake?.();
    await this.loop;
    this.state = 'stopped';
  }

  /**
   * Ships everything after the cursor that is complete on disk; returns how many entries went.
   * Throws when the sink fails (the cursor stays where the sink last confirmed).
   */
  async shipPending(): Promise<number> {
    let total = 0;
    for (;;) {
      const batch = await this.readBatch();
      if (batch.entries.length === 0) return total;
      await this.options.sink.ship(batch.entries);
      const last = batch.entries[batch.entries.length - 1] as AuditEntry;
      const next: ShipCursor = { seq: last.seq, hash: last.hash, offset: batch.end, line: batch.nextLine };
      await replaceFileDurably(this.cursorFile, JSON.stringify(next));
      this.cursor = next;
      total += batch.entries.length;
      for (const waiter of this.waiters) {
        if (waiter.seq <= next.seq) {
          this.waiters.delete(waiter);
          waiter.resolve();
        }
      }
    }
  }

  private async readBatch(): Promise<{ entries: AuditEntry[]; end: number; nextLine: number }> {
    const entries: AuditEntry[] = [];
    let { seq, hash } = this.cursor;
    let end = this.cursor.offset;
    let nextLine = this.cursor.line;
    const { size } = await stat(this.options.file);
    if (size < this.cursor.offset) {
      throw new AppError(
        'conflict',
        `The audit journal ${this.options.file} is shorter than what was already shipped (entry ${seq}); ` +
          `it was cut or replaced. Shipping stops here. Run npm run audit:verify -- --journal ${this.options.file}.`,
        { shippedSeq: seq, size },
      );
    }
    for await (const line of readJournalLines(this.options.file, this.cursor.offset, this.cursor.line)) {
      if (!line.complete) break; // still being written, or torn: the journal reports and repairs it on open
      const parsed = parseJournalLine(line.bytes);
      if (!parsed.ok || parsed.entry.seq !== seq + 1 || parsed.entry.prevHash !== hash) {
        throw new AppError(
          'conflict',
          `The audit journal ${this.options.file} does not continue at line ${line.line} from entry ${seq}, the last one shipped; ` +
            `shipping stops here. Run npm run audit:verify -- --journal ${this.options.file}.`,
          { line: line.line, shippedSeq: seq },
        );
      }
      entries.push(parsed.entry);
      seq = parsed.entry.seq;
      hash = parsed.entry.hash;
      end = line.end;
      nextLine = line.line + 1;
      if (entries.length >= this.batchSize) break;
    }
    return { entries, end, nextLine };
  }

  private async run(): Promise<void> {
    const { signal } = this.stopController;
    while (!signal.aborted) {
      this.pendingNotify = false;
      try {
        this.state = 'shipping';
        await this.shipPending();
        this.attempts = 0;
        this.lastError = undefined;
        this.state = 'idle';
        if (!this.pendingNotify) await this.pause(this.pollMs, true);
      } catch (error) {
        this.lastError = error instanceof Error ? error.message : String(error);
        if (AppError.is(error, 'conflict')) {
          // A damaged journal or a clashing admin store does not heal by retrying.
          this.state = 'halted';
          return;
        }
        this.attempts += 1;
        const delay = Math.min(this.backoff.maxMs, this.backoff.initialMs * this.backoff.factor ** (this.attempts - 1));
        // Jitter keeps many consoles from hammering an admin store that just came back.
        const delayMs = Math.round(delay * (0.75 + Math.random() * 0.25));
        this.options.onRetry?.(error, this.attempts, delayMs);
        this.state = 'backing_off';
        await this.pause(delayMs, false);
      }
    }
  }

  /** Waits; a notify cuts an idle wait short but never a backoff, so appends cannot defeat it. */
  private pause(ms: number, wakeOnNotify: boolean): Promise<void> {
    const { signal } = this.stopController;
    if (signal.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done(): void {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        resolve();
      }
      signal.addEventListener('abort', done, { once: true });
      this.wake = () => {
        if (wakeOnNotify || signal.aborted) done();
      };
    });
  }
}
