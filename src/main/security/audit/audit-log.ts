import { join } from 'node:path';
import { AppError } from '@shared/errors';
import { CONSOLE_JOURNAL_ID, type AuditEntry, type AuditEntryDraft, type AuditSink, type JournalVerification } from '@shared/model/audit';
import { AuditJournal, type JournalRecovery } from './journal';
import { AuditShipper, cursorFileOf, readShipCursor, type Backoff, type ShipperStatus } from './shipper';
import { verifyJournal } from './verify';

export interface AuditLogOptions {
  /** Where the journals live: `<dataDir>/audit`. One `<journalId>.jsonl` per workspace. */
  directory: string;
  /** The admin store a workspace's entries ship to; undefined keeps them local only. */
  sinkFor?: (journalId: string) => AuditSink | undefined;
  backoff?: Partial<Backoff>;
  onRetry?: (journalId: string, error: unknown, attempt: number, delayMs: number) => void;
  /** Told when opening a journal found a torn last line (a crash mid-write), for the log and a notice. */
  onRecovery?: (journalId: string, recovery: JournalRecovery) => void;
}

interface OpenJournal {
  journal: AuditJournal;
  shipper?: AuditShipper;
}

const JOURNAL_ID = /^(?:[a-z0-9][a-z0-9-]{0,62}|_console)$/;

/**
 * Every workspace's journal and its shipper, opened on first use. This is what the access policy's
 * `record` and the services write through: `record(workspaceId, draft)` resolves once the entry
 * is on disk, and shipping to the workspace's admin store follows in the background.
 */
export class AuditLog {
  private readonly open = new Map<string, Promise<OpenJournal>>();

  constructor(private readonly options: AuditLogOptions) {}

  journalFile(journalId: string): string {
    if (!JOURNAL_ID.test(journalId)) throw new AppError('invalid_argument', `${JSON.stringify(journalId.slice(0, 80))} is not a workspace id`);
    return join(this.options.directory, `${journalId}.jsonl`);
  }

  async record(journalId: string, draft: AuditEntryDraft): Promise<AuditEntry> {
    const { journal } = await this.journal(journalId);
    return journal.append(draft);
  }

  /** Recomputes a journal's chain, anchored at what was shipped. */
  async verify(journalId: string): Promise<JournalVerification> {
    const file = this.journalFile(journalId);
    const cursor = await readShipCursor(cursorFileOf(file));
    return verifyJournal(file, cursor ? { anchor: { seq: cursor.seq, hash: cursor.hash } } : {});
  }

  /** How far a journal has shipped; undefined when it has no admin store or was not opened yet. */
  async shipping(journalId: string): Promise<ShipperStatus | undefined> {
    const opened = this.open.get(journalId);
    return opened ? (await opened).shipper?.status() : undefined;
  }

  /** Waits until a journal's entries up to `seq` reached its admin store. */
  async whenShipped(journalId: string, seq: number): Promise<void> {
    const { shipper } = await this.journal(journalId);
    if (!shipper) throw new AppError('not_found', `Workspace ${journalId} has no admin store to ship audit entries to`);
    await shipper.whenShipped(seq);
  }

  async close(): Promise<void> {
    const all = [...this.open.values()];
    this.open.clear();
    for (const opened of await Promise.allSettled(all)) {
      if (opened.status !== 'fulfilled') continue;
      await opened.value.shipper?.stop();
      await opened.value.journal.close();
    }
  }

  private journal(journalId: string): Promise<OpenJournal> {
    let opened = this.open.get(journalId);
    if (!opened) {
      opened = this.openJournal(journalId);
      this.open.set(journalId, opened);
      opened.catch(() => this.open.delete(journalId));
    }
    return opened;
  }

  private async openJournal(journalId: string): Promise<OpenJournal> {
    const file = this.journalFile(journalId);
    const journal = await AuditJournal.open({ file, workspaceId: journalId === CONSOLE_JOURNAL_ID ? CONSOLE_JOURNAL_ID : journalId });
    if (journal.recovery) this.options.onRecovery?.(journalId, journal.recovery);
    const sink = this.options.sinkFor?.(journalId);
    if (!sink) return { journal };
    const onRetry = this.options.onRetry;
    const shipper = await AuditShipper.open({
      file,
      sink,
      ...(this.options.backoff ? { backoff: this.options.backoff } : {}),
      ...(onRetry ? { onRetry: (error: unknown, attempt: number, delayMs: number) => onRetry(journalId, error, attempt, delayMs) } : {}),
    });
    journal.onAppend(() => shipper.notify());
    shipper.start();
    return { journal, shipper };
  }
}
