import type { RowBatch } from '@shared/model/workbench';
import type { ResultAssembler, PartReader } from './result-assembler';
import type { UserRows } from './stores';

/** Where a run's batches go: the caller's connection, or an export's writer. */
export interface BatchSink {
  emit(batch: RowBatch): void;
  /** Resolves when the sink can take more; the runner is pulled again only after it does. */
  whenWritable(): Promise<void>;
}

export interface StreamOutcome {
  rows: number;
  truncated: boolean;
  notice?: string;
}

/**
 * Pulls one runner to its end, a batch at a time: each part becomes a batch, and the runner is
 * asked for the next only once the sink can take it, so a slow client slows the server read
 * instead of filling main's memory. Leaving early (an error, a cancel) returns the generator, which
 * closes the store's cursor.
 */
export async function streamParts(parts: UserRows, assembler: ResultAssembler, sink: BatchSink, tenantId?: string): Promise<StreamOutcome> {
  let reader: PartReader | undefined;
  const outcome: StreamOutcome = { rows: 0, truncated: false };
  for await (const part of parts) {
    switch (part.kind) {
      case 'columns':
        reader = assembler.reader(part.columns);
        continue;
      case 'notice':
        outcome.notice = part.text.slice(0, 2_000);
        continue;
      case 'truncated':
        outcome.truncated = true;
        continue;
      case 'rows':
        if (part.rows.length === 0) continue;
        reader ??= assembler.reader([]);
        sink.emit(assembler.rowsBatch(reader, part.rows, tenantId));
        outcome.rows += part.rows.length;
        break;
      case 'documents':
        if (part.documents.length === 0) continue;
        sink.emit(assembler.documentsBatch(part.documents, tenantId));
        outcome.rows += part.documents.length;
        break;
    }
    await sink.whenWritable();
  }
  return outcome;
}
