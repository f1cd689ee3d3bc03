import { createHash, randomUUID } from 'node:crypto';
import { mkdir, open, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { AppError } from '@shared/errors';
import { AuditEntryDraft, GENESIS_HASH, type AuditEntry } from '@shared/model/audit';
import { hashEntry, journalLine } from './canonical';
import { parseJournalLine } from './journal-reader';
import { syncDirectory, writeFileDurably } from './durable-file';
import { lockJournal } from './journal-lock';

/** What opening a journal found and did about a write that never finished. */
export interface JournalRecovery {
  /** Bytes after the last complete line: the start of an entry the console was writing when it stopped. */
  tornBytes: number;
  tornSha256: string;
  /** Where those bytes were kept, beside the journal. */
  quarantinedTo: string;
  /** The entry appended to say so. */
  recordedAs: number;
}

export interface AuditJournalOptions {
  file: string;
  /** The workspace this journal belongs to, or CONSOLE_JOURNAL_ID. */
  workspaceId: string;
  now?: () => Date;
  newId?: () => string;
}

const TAIL_CHUNK = 1 << 16;

/**
 * A workspace's append-only audit journal: one canonical JSON entry per line, each chained to the
 * one before by `prevHash`. `append` resolves only once the line is on disk (fdatasync), so an
 * action reported as done is always in the journal.
 */
export class AuditJournal {
  private readonly listeners = new Set<(entry: AuditEntry) => void>();
  private queue: Promise<unknown> = Promise.resolve();
  private broken: Error | undefined;
  private closed = false;
  recovery: JournalRecovery | undefined;

  private constructor(
    readonly file: string,
    readonly workspaceId: string,
    private readonly handle: FileHandle,
    private last: { seq: number; hash: string },
    private readonly now: () => Date,
    private readonly newId: () => string,
    private readonly unlock: () => Promise<void>,
  ) {}

  /**
   * Opens (or creates) a journal. A last line with no newline is a write that a crash cut short:
   * its bytes are moved to a `.torn-…` file beside the journal and an entry recording that is
   * appended, so the loss is visible in the chain itself and never silent.
   */
  static async open(options: AuditJournalOptions): Promise<AuditJournal> {
    await mkdir(dirname(options.file), { recursive: true, mode: 0o700 });
    const unlock = await lockJournal(options.file);
    let handle: FileHandle;
    try {
      handle = await open(options.file, 'a+', 0o600);
    } catch (error) {
      await unlock();
      throw error;
    }
    try {
      const { size } = await handle.stat();
      // A journal just created must survive a crash as a directory entry too, not only as data.
      if (size === 0) await syncDirectory(dirname(options.file));
      const lastNewline = await findLastNewline(handle, size);
      const completeEnd = lastNewline + 1;
      let torn: Buffer | undefined;
      if (completeEnd < size) {
        torn = Buffer.alloc(size - completeEnd);
        await handle.read(torn, 0, torn.length, completeEnd);
      }
      const last = await readLastEntry(handle, options.file, completeEnd);
      const journal = new AuditJournal(
        options.file,
        options.workspaceId,
        handle,
        last,
        options.now ?? (() => new Date()),
        options.newId ?? randomUUID,
        unlock,
      );
      if (torn) await journal.quarantineTornTail(torn, completeEnd);
      return journal;
    } catch (error) {
      await handle.close();
      await unlock();
      throw error;
    }
  }

  get lastSeq(): number {
    return this.last.seq;
  }

  get lastHash(): string {
    return this.last.hash;
  }

  /** Appends one entry and resolves once it is flushed to disk. Appends run one at a time, in call order. */
  append(draft: AuditEntryDraft): Promise<AuditEntry> {
    const result = this.queue.then(() => this.write(draft));
    this.queue = result.catch(() => undefined);
    return result;
  }

  /** Called after each entry reaches the disk (the shipper listens here). Returns the unsubscribe. */
  onAppend(listener: (entry: AuditEntry) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.queue;
    await this.handle.close();
    await this.unlock();
  }

  private async write(draft: AuditEntryDraft): Promise<AuditEntry> {
    if (this.closed) throw new AppError('conflict', `The audit journal ${this.file} is closed`);
    if (this.broken) {
      throw new AppError(
        'internal',
        `The audit journal ${this.file} could not be written (${this.broken.message}); nothing more is done until it is reopened`,
      );
    }
    const parsed = AuditEntryDraft.safeParse(draft);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new AppError(
        'invalid_argument',
        `The audit entry for ${String((draft as { action?: unknown }).action ?? 'an action').slice(0, 200)} is not valid (${issue ? `${issue.path.join('.')}: ${issue.message}` : 'schema'}), so the action was not done`,
      );
    }
    const fields = parsed.data;
    const unhashed = {
      seq: this.last.seq + 1,
      id: this.newId(),
      at: this.now().toISOString(),
      workspaceId: this.workspaceId,
      prevHash: this.last.hash,
      ...fields,
    };
    const entry: AuditEntry = { ...unhashed, hash: hashEntry(unhashed) };
    try {
      await this.handle.appendFile(journalLine(entry), 'utf8');
      await this.handle.datasync();
    } catch (error) {
      // The line may be half on disk: refuse further appends; reopening detects and reports the torn tail.
      this.broken = error instanceof Error ? error : new Error(String(error));
      throw new AppError('internal', `The audit entry could not be written to ${this.file}: ${this.broken.message}`);
    }
    this.last = { seq: entry.seq, hash: entry.hash };
    for (const listener of this.listeners) listener(entry);
    return entry;
  }

  private async quarantineTornTail(torn: Buffer, completeEnd: number): Promise<void> {
    const quarantinedTo = `${this.file}.torn-${this.now().toISOString().replace(/[:.]/g, '-')}-${completeEnd}`;
    await writeFileDurably(quarantinedTo, torn);
    await this.handle.truncate(completeEnd);
    await this.handle.sync();
    await syncDirectory(dirname(this.file));
    const tornSha256 = createHash('sha256').update(torn).digest('hex');
    const entry = await this.append({
      operator: { name: 'Tenantscope' },
      role: 'system',
      action: 'audit.journal_recovered',
      target: this.file,
      outcome: 'failed',
      details: {
        tornBytes: torn.length,
        tornSha256,
        quarantinedTo,
        afterSeq: this.last.seq,
        note: 'The console stopped while writing an entry; the action of that entry was never reported as done.',
      },
    });
    this.recovery = { tornBytes: torn.length, tornSha256, quarantinedTo, recordedAs: entry.seq };
  }
}

/** Offset of the last newline before `size`, or -1. */
async function findLastNewline(handle: FileHandle, size: number): Promise<number> {
  let end = size;
  const buffer = Buffer.alloc(TAIL_CHUNK);
  while (end > 0) {
    const start = Math.max(0, end - TAIL_CHUNK);
    const { bytesRead } = await handle.read(buffer, 0, end - start, start);
    const index = buffer.subarray(0, bytesRead).lastIndexOf(0x0a);
    if (index !== -1) return start + index;
    end = start;
  }
  return -1;
}

/** The seq and hash of the last complete line, checked on its own before anything is chained to it. */
async function readLastEntry(handle: FileHandle, file: string, completeEnd: number): Promise<{ seq: number; hash: string }> {
  if (completeEnd === 0) return { seq: 0, hash: GENESIS_HASH };
  const previousNewline = await findLastNewline(handle, completeEnd - 1);
  const start = previousNewline + 1;
  const bytes = Buffer.alloc(completeEnd - 1 - start);
  await handle.read(bytes, 0, bytes.length, start);
  const parsed = parseJournalLine(bytes);
  if (!parsed.ok) {
    throw new AppError(
      'conflict',
      `The last entry of the audit journal ${file} is damaged (${parsed.reason}); nothing is appended to a broken chain. ` +
        `Run npm run audit:verify -- --journal ${file} to find the first damaged entry.`,
    );
  }
  return { seq: parsed.entry.seq, hash: parsed.entry.hash };
}
