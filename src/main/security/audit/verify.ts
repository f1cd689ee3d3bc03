import { access } from 'node:fs/promises';
import { AppError } from '@shared/errors';
import { GENESIS_HASH, type JournalProblem, type JournalVerification } from '@shared/model/audit';
import { claimedSeq, parseJournalLine, readJournalLines, type JournalLine } from './journal-reader';

/** A point of the chain known from elsewhere (the shipped cursor, the admin store). */
export interface ChainAnchor {
  seq: number;
  hash: string;
}

interface Gap {
  line: number;
  expected: number;
  found: number;
}

/**
 * Recomputes a journal's hash chain and names the first entry that is damaged, rewritten, out of
 * place or missing. With an anchor, entries cut from the end are found too: the chain alone cannot
 * tell a journal whose last entries were deleted from one that simply ends there.
 */
export async function verifyJournal(file: string, options: { anchor?: ChainAnchor } = {}): Promise<JournalVerification> {
  try {
    await access(file);
  } catch {
    throw new AppError('not_found', `There is no audit journal at ${file}`);
  }
  return verifyLines(readJournalLines(file), options);
}

/**
 * The same check over entries kept elsewhere, one canonical JSON text each, in seq order: the copy
 * in the admin store (`public.console_audit.entry`), so it can be checked against tampering too.
 */
export async function verifyEntryTexts(texts: Iterable<string> | AsyncIterable<string>, options: { anchor?: ChainAnchor } = {}): Promise<JournalVerification> {
  async function* asLines(): AsyncGenerator<Pick<JournalLine, 'line' | 'complete' | 'bytes'>> {
    let line = 1;
    for await (const text of texts) {
      yield { line, complete: true, bytes: Buffer.from(text, 'utf8') };
      line += 1;
    }
  }
  return verifyLines(asLines(), options);
}

async function verifyLines(
  lines: AsyncIterable<Pick<JournalLine, 'line' | 'complete' | 'bytes'>>,
  options: { anchor?: ChainAnchor },
): Promise<JournalVerification> {
  let expected = 1;
  let lastHash = GENESIS_HASH;
  let lastLine = 0;
  let entries = 0;
  let problem: JournalProblem | undefined;
  let gap: Gap | undefined;
  let anchorHash: string | undefined;
  // Only read after a gap: which seqs show up later decides between "missing" and "reordered".
  const laterSeqs = new Map<number, number>();

  for await (const line of lines) {
    if (gap) {
      const seq = claimedSeq(line.bytes);
      if (seq !== undefined && !laterSeqs.has(seq)) laterSeqs.set(seq, line.line);
      continue;
    }
    if (!line.complete) {
      problem = {
        kind: 'torn_tail',
        line: line.line,
        seq: expected,
        message: `Line ${line.line} is a torn write (${line.bytes.length} bytes with no newline): the console stopped while writing entry ${expected}.`,
      };
      break;
    }
    const parsed = parseJournalLine(line.bytes);
    if (!parsed.ok) {
      // The entries before are intact, so this line holds entry `expected`, whatever seq it now claims.
      problem = { kind: parsed.kind, line: line.line, seq: expected, message: `Entry ${expected} at line ${line.line} was altered: ${parsed.reason}.` };
      break;
    }
    const { entry } = parsed;
    if (entry.seq > expected) {
      gap = { line: line.line, expected, found: entry.seq };
      continue;
    }
    if (entry.seq < expected) {
      problem = {
        kind: 'reordered',
        line: line.line,
        seq: entry.seq,
        message: `Entry ${entry.seq} at line ${line.line} comes after entry ${expected - 1}: entries were moved or copied.`,
      };
      break;
    }
    if (entry.prevHash !== lastHash) {
      problem = {
        kind: 'broken_link',
        line: Math.max(1, lastLine),
        seq: Math.max(1, entry.seq - 1),
        message:
          `Entry ${entry.seq} at line ${line.line} does not follow the entry before it: its prevHash is not that entry's hash. ` +
          `Entry ${entry.seq - 1} was rewritten with a recomputed hash (or the link of entry ${entry.seq} was).`,
      };
      break;
    }
    if (options.anchor?.seq === entry.seq) anchorHash = entry.hash;
    expected += 1;
    lastHash = entry.hash;
    lastLine = line.line;
    entries += 1;
  }

  if (gap) {
    const movedTo = laterSeqs.get(gap.expected);
    problem =
      movedTo !== undefined
        ? {
            kind: 'reordered',
            line: gap.line,
            seq: gap.expected,
            message: `Entry ${gap.expected} should be at line ${gap.line} but is at line ${movedTo}, after entry ${gap.found}: entries were reordered.`,
          }
        : {
            kind: 'missing',
            line: gap.line,
            seq: gap.expected,
            message:
              gap.found - gap.expected === 1
                ? `Entry ${gap.expected} is missing: line ${gap.line} holds entry ${gap.found}.`
                : `Entries ${gap.expected}–${gap.found - 1} are missing: line ${gap.line} holds entry ${gap.found}.`,
          };
  }

  if (!problem && options.anchor) {
    const { anchor } = options;
    if (anchor.seq > expected - 1) {
      problem = {
        kind: 'missing',
        line: lastLine + 1,
        seq: expected,
        message: `The journal ends at entry ${expected - 1}, but entry ${anchor.seq} was already shipped: entries ${expected}–${anchor.seq} were cut from its end.`,
      };
    } else if (anchorHash !== anchor.hash) {
      problem = {
        kind: 'tampered',
        line: anchor.seq,
        seq: anchor.seq,
        message: `Entry ${anchor.seq} differs from the one shipped to the admin store: the journal was rewritten from there on.`,
      };
    }
  }

  return { intact: problem === undefined, entries, lastSeq: expected - 1, lastHash, ...(problem ? { problem } : {}) };
}
