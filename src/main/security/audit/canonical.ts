import { createHash } from 'node:crypto';
import { canonicalJson, type AuditEntry } from '@shared/model/audit';

export { canonicalJson };

/** Lower-case hex SHA-256 of the canonical JSON of the entry without its `hash`. */
export function hashEntry(entry: Omit<AuditEntry, 'hash'> & { hash?: string }): string {
  const { hash: _ignored, ...rest } = entry;
  return createHash('sha256').update(canonicalJson(rest), 'utf8').digest('hex');
}

/** The journal line of an entry: its canonical JSON, hash included, and a newline. */
export function journalLine(entry: AuditEntry): string {
  return `${canonicalJson(entry)}\n`;
}
