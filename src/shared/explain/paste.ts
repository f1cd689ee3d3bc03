import { AppError } from '../errors';
import { mongoshToJson } from './mongosh';

/**
 * Pasted plans. People paste what their tool printed, so besides bare JSON this accepts:
 * - psql's aligned output of `EXPLAIN (FORMAT JSON)`: the "QUERY PLAN" header, its dashed rule,
 *   the one-space indent, the `+` that marks a continued line, and the "(1 row)" footer;
 * - a JSON string holding the plan (what some clients copy from a result cell);
 * - a leading `EXPLAIN …` line or `Time: …` line around the output;
 * - mongosh's printout of a MongoDB explain (bare keys, single quotes, `Long('…')`, `ISODate('…')`).
 * The text format of EXPLAIN (the indented tree with arrows) is not accepted: it drops fields the
 * badges and the advisor need, so the message asks for FORMAT JSON instead.
 * A paste that is not valid JSON is refused with `invalid_argument` naming the line and column
 * where it broke, counted in the text as pasted.
 */
export function parsePastedPlan(text: string, options: { maxChars?: number } = {}): unknown {
  if (typeof text !== 'string') throw new AppError('invalid_argument', 'A pasted plan is text.', { reason: 'not_text' });
  const maxChars = options.maxChars ?? MAX_PASTE_CHARS;
  if (text.length > maxChars) {
    throw new AppError('invalid_argument', `The pasted plan is ${text.length.toLocaleString('en')} characters; at most ${maxChars.toLocaleString('en')} are read.`, { reason: 'too_large', maxChars });
  }
  if (text.trim().length === 0) throw new AppError('invalid_argument', 'The pasted plan is empty.', { reason: 'empty' });
  const cleaned = cleanPsqlOutput(text);
  const body = cleaned.lines.join('\n');
  if (!/^[\s]*[[{"]/.test(body)) {
    if (/->\s+\w|^\s*(Seq Scan|Index Scan|Hash Join|Nested Loop|Aggregate|Sort|Limit)\b/m.test(body)) {
      throw new AppError('invalid_argument', 'This looks like a text-format plan. Paste EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) output instead; the text format lacks the fields the badges and tips need.', { reason: 'text_format' });
    }
  }
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    if (MONGOSH_KEY.test(body)) return parseMongosh(body);
    const offset = locateJsonError(body);
    const { line, column } = lineColumn(body, offset);
    const originalColumn = column + (cleaned.indent[line - 1] ?? 0);
    const truncated = offset >= body.trimEnd().length;
    const message = truncated
      ? `The pasted plan ends too early (line ${line}, column ${originalColumn}): the JSON is cut off.`
      : `The pasted plan is not valid JSON at line ${line}, column ${originalColumn}: ${describeAt(body, offset)}.`;
    throw new AppError('invalid_argument', message, { reason: truncated ? 'truncated' : 'malformed', line, column: originalColumn });
  }
  if (typeof value === 'string') return parsePastedPlan(value, options);
  return value;
}

/** A bare key at the start of a line (`  queryPlanner: {`): mongosh's printout, not JSON. */
const MONGOSH_KEY = /^\s*[A-Za-z_$][\w$]*:\s/m;

/** mongosh keeps one value per line, so the line where its rewrite to JSON breaks is the pasted line. */
function parseMongosh(body: string): unknown {
  const relaxed = mongoshToJson(body);
  if (relaxed === undefined) {
    throw new AppError('invalid_argument', 'The pasted mongosh output has an unterminated string or a value Tenantscope does not read; paste it whole, or as JSON (EJSON.stringify).', { reason: 'malformed' });
  }
  try {
    return JSON.parse(relaxed) as unknown;
  } catch {
    const offset = locateJsonError(relaxed);
    const { line } = lineColumn(relaxed, offset);
    const truncated = offset >= relaxed.trimEnd().length;
    const message = truncated ? `The pasted mongosh output ends too early (line ${line}): it is cut off.` : `The pasted mongosh output is not valid at line ${line}.`;
    throw new AppError('invalid_argument', message, { reason: truncated ? 'truncated' : 'malformed', line });
  }
}

/** 64 MiB of text: a 10,000-partition EXPLAIN (ANALYZE, BUFFERS) is about 6 MB. */
export const MAX_PASTE_CHARS = 64 * 1024 * 1024;

interface Cleaned {
  lines: string[];
  /** Characters removed from the start of each line, so columns can be reported as pasted. */
  indent: number[];
}

/** Blanks out psql's decoration line by line, keeping the line count so positions still match. */
function cleanPsqlOutput(text: string): Cleaned {
  const raw = text.replace(/\r\n?/g, '\n').split('\n');
  const isPsql = raw.some((l) => /^\s*QUERY PLAN\s*$/.test(l)) || raw.some((l) => /\s\+$/.test(l));
  const lines: string[] = [];
  const indent: number[] = [];
  for (const line of raw) {
    if (/^\s*QUERY PLAN\s*$/.test(line) || /^-{3,}\+?-*$/.test(line.trim()) || /^\s*\(\d+ rows?\)\s*$/.test(line) || /^\s*(EXPLAIN[\s(]|Time: |SET$)/i.test(line)) {
      lines.push('');
      indent.push(0);
      continue;
    }
    if (isPsql) {
      const stripped = line.startsWith(' ') ? line.slice(1) : line;
      lines.push(stripped.replace(/\s*\+$/, ''));
      indent.push(line.length - stripped.length);
    } else {
      lines.push(line);
      indent.push(0);
    }
  }
  return { lines, indent };
}

function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

function describeAt(text: string, offset: number): string {
  const ch = text[offset];
  if (ch === undefined) return 'unexpected end';
  const around = text.slice(Math.max(0, offset - 12), offset + 12).replace(/\s+/g, ' ');
  return `unexpected ${JSON.stringify(ch)} near ${JSON.stringify(around)}`;
}

/**
 * The offset of the first syntax error in `text`, found by a small JSON scanner. JSON.parse's own
 * messages differ between engines and versions, so the position is worked out here instead.
 * Returns `text.length` when the text simply ends too early.
 */
export function locateJsonError(text: string): number {
  let i = 0;
  const n = text.length;
  const ws = (): void => {
    while (i < n && (text[i] === ' ' || text[i] === '\n' || text[i] === '\t' || text[i] === '\r')) i++;
  };
  class Stop extends Error {
    constructor(readonly at: number) {
      super('stop');
    }
  }
  const fail = (at = i): never => {
    throw new Stop(Math.min(at, n));
  };
  const string = (): void => {
    if (text[i] !== '"') fail();
    i++;
    while (i < n) {
      const c = text[i]!;
      if (c === '"') {
        i++;
        return;
      }
      if (c === '\\') {
        const e = text[i + 1];
        if (e === undefined) fail(n);
        if (e === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) fail(i + 2 >= n ? n : i);
          i += 6;
        } else if ('"\\/bfnrt'.includes(e!)) i += 2;
        else fail(i);
      } else if (c.charCodeAt(0) < 0x20) fail(i);
      else i++;
    }
    fail(n);
  };
  const number = (): void => {
    const match = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i, i + 64));
    if (!match || match[0].length === 0) fail();
    i += match![0].length;
  };
  const literal = (word: string): void => {
    for (let k = 0; k < word.length; k++) if (text[i + k] !== word[k]) fail(i + k);
    i += word.length;
  };
  const key = (): void => {
    ws();
    string();
    ws();
    if (text[i] !== ':') fail();
    i++;
  };
  // Iterative over containers so a deeply nested paste cannot overflow the stack.
  const containers: ('{' | '[')[] = [];
  let needValue = true;
  try {
    for (;;) {
      ws();
      const c = text[i];
      if (needValue) {
        if (c === undefined) fail(n);
        if (c === '{' || c === '[') {
          containers.push(c);
          i++;
          ws();
          if (text[i] === (c === '{' ? '}' : ']')) {
            containers.pop();
            i++;
            needValue = false;
          } else if (c === '{') key();
          continue;
        }
        if (c === '"') string();
        else if (c === 't') literal('true');
        else if (c === 'f') literal('false');
        else if (c === 'n') literal('null');
        else number();
        needValue = false;
        continue;
      }
      const top = containers[containers.length - 1];
      if (top === undefined) break;
      if (c === undefined) fail(n);
      if (c === ',') {
        i++;
        if (top === '{') key();
        needValue = true;
      } else if (c === (top === '{' ? '}' : ']')) {
        containers.pop();
        i++;
      } else fail();
    }
    if (i < n) fail();
    return n;
  } catch (error) {
    if (error instanceof Stop) return error.at;
    throw error;
  }
}
