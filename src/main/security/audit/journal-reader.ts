import { createReadStream } from 'node:fs';
import { AuditEntry } from '@shared/model/audit';
import { canonicalJson, hashEntry } from './canonical';

/** One line of a journal file as it lies on disk. */
export interface JournalLine {
  /** 1-based line number. */
  line: number;
  /** Byte offset of the line's first byte. */
  offset: number;
  /** Byte offset just past the line's newline (or past its last byte when torn). */
  end: number;
  /** False for a last line with no newline: a write that did not finish. */
  complete: boolean;
  bytes: Buffer;
}

/** Reads a journal line by line from a byte offset, without loading the file whole. */
export async function* readJournalLines(file: string, fromOffset = 0, firstLine = 1): AsyncGenerator<JournalLine> {
  let pending: Buffer[] = [];
  let pendingLength = 0;
  let offset = fromOffset;
  let line = firstLine;
  for await (const chunk of createReadStream(file, { start: fromOffset, highWaterMark: 1 << 16 }) as AsyncIterable<Buffer>) {
    let start = 0;
    for (let newline = chunk.indexOf(0x0a); newline !== -1; newline = chunk.indexOf(0x0a, start)) {
      const piece = chunk.subarray(start, newline);
      const bytes = pendingLength === 0 ? Buffer.from(piece) : Buffer.concat([...pending, piece]);
      pending = [];
      pendingLength = 0;
      yield { line, offset, end: offset + bytes.length + 1, complete: true, bytes };
      offset += bytes.length + 1;
      line += 1;
      start = newline + 1;
    }
    if (start < chunk.length) {
      pending.push(Buffer.from(chunk.subarray(start)));
      pendingLength += chunk.length - start;
    }
  }
  if (pendingLength > 0) {
    const bytes = Buffer.concat(pending);
    yield { line, offset, end: offset + bytes.length, complete: false, bytes };
  }
}

export type ParsedLine = { ok: true; entry: AuditEntry } | { ok: false; kind: 'malformed' | 'tampered'; reason: string };

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Checks one line on its own: valid UTF-8, JSON, the entry schema, written in canonical form
 * byte for byte, and a hash that matches its content.
 */
export function parseJournalLine(bytes: Uint8Array): ParsedLine {
  let text: string;
  let raw: unknown;
  try {
    text = utf8.decode(bytes);
    raw = JSON.parse(text);
  } catch {
    return { ok: false, kind: 'malformed', reason: 'it is not valid JSON' };
  }
  const parsed = AuditEntry.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { ok: false, kind: 'malformed', reason: `it is not a journal entry (${issue ? `${issue.path.join('.') || 'entry'}: ${issue.message}` : 'schema'})` };
  }
  const entry = raw as AuditEntry;
  if (canonicalJson(raw) !== text) return { ok: false, kind: 'tampered', reason: 'it is not in canonical form, so it was rewritten' };
  if (hashEntry(entry) !== entry.hash) return { ok: false, kind: 'tampered', reason: 'its content does not match its hash' };
  return { ok: true, entry };
}

/** The seq a damaged line claims, to name it in a report; undefined when it cannot be read. */
export function claimedSeq(bytes: Uint8Array): number | undefined {
  const match = /"seq":(\d{1,15})[,}]/.exec(Buffer.from(bytes).toString('utf8'));
  return match?.[1] ? Number(match[1]) : undefined;
}
