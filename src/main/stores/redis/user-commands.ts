import { AppError } from '@shared/errors';
import type { UserColumn } from '../user-query';
import { isWriteTraits, KEYLESS_ALLOWED_IN_SCOPE, normaliseCommandName, type CommandTraits, type RedisKeyType } from './commands';
import type { CommandLineText } from './user-lines';

/**
 * The workbench's Redis lines, judged for one tenant before any is sent: every key the server
 * says a command touches (COMMAND GETKEYS) starts with the tenant's prefix; commands that read or
 * change the keyspace or the server as a whole are refused, except KEYS and SCAN, which become a
 * SCAN confined to the prefix; writes need `write`, and never run on a read-only store.
 */

export type PlannedLine =
  | { line: number; kind: 'command'; command: string; args: string[]; traits: CommandTraits }
  | { line: number; kind: 'scan'; command: 'keys' | 'scan'; match: string; type?: RedisKeyType };

/** What the planner asks the server (answers cached by the store's command line). */
export interface CommandOracle {
  /** `COMMAND INFO` of the command (or its subcommand); null for a command the server does not know. */
  traits(command: string, args: readonly string[]): Promise<CommandTraits | null>;
  /** `COMMAND GETKEYS`; an empty list for a command that takes no key. */
  keys(command: string, args: readonly string[]): Promise<string[]>;
}

export interface LinePolicy {
  tenantId: string;
  keyPrefix: string;
  /** The run may write: asked for, and the store is not read-only. */
  write: boolean;
  storeReadOnly: boolean;
}

/** Commands refused in a tenant scope whatever their keys say, with why. */
const REFUSED: Record<string, string> = {
  eval: 'a script can reach any key, whatever keys it declares',
  evalsha: 'a script can reach any key, whatever keys it declares',
  eval_ro: 'a script can reach any key, whatever keys it declares',
  evalsha_ro: 'a script can reach any key, whatever keys it declares',
  fcall: 'a function can reach any key, whatever keys it declares',
  fcall_ro: 'a function can reach any key, whatever keys it declares',
  move: 'it moves a key to another database',
  migrate: 'it moves keys to another server',
  swapdb: 'it swaps whole databases',
  select: 'it switches to another database',
  multi: 'the workbench runs each line on its own',
  exec: 'the workbench runs each line on its own',
  watch: 'the workbench runs each line on its own',
};

/** Commands whose array reply is field/value pairs; others pair up with WITHSCORES / WITHVALUES. */
const PAIR_REPLIES = new Set(['hgetall']);

const SCAN_TYPES = new Set<RedisKeyType>(['string', 'list', 'set', 'zset', 'hash', 'stream']);

function lineError(code: 'invalid_argument' | 'forbidden' | 'read_only', line: number, message: string): AppError {
  return new AppError(code, `Line ${line}: ${message}`, { line });
}

/** A KEYS/SCAN pattern relative to the tenant prefix: a pattern that already starts with the prefix keeps the rest. */
function relativePattern(pattern: string, prefix: string): string {
  return pattern.startsWith(prefix) ? pattern.slice(prefix.length) || '*' : pattern;
}

function planScan(line: CommandLineText, command: 'keys' | 'scan', args: string[], prefix: string): PlannedLine {
  if (command === 'keys') {
    if (args.length !== 1) throw lineError('invalid_argument', line.line, 'KEYS takes one pattern.');
    return { line: line.line, kind: 'scan', command, match: relativePattern(args[0] ?? '*', prefix) };
  }
  if (!/^\d+$/.test(args[0] ?? '')) throw lineError('invalid_argument', line.line, 'SCAN takes a cursor first (0 to start).');
  let match = '*';
  let type: RedisKeyType | undefined;
  for (let i = 1; i < args.length; i += 2) {
    const option = (args[i] ?? '').toLowerCase();
    const value = args[i + 1];
    if (value === undefined) throw lineError('invalid_argument', line.line, `SCAN ${option.toUpperCase()} needs a value.`);
    if (option === 'match') match = relativePattern(value, prefix);
    else if (option === 'type') {
      if (!SCAN_TYPES.has(value.toLowerCase() as RedisKeyType)) throw lineError('invalid_argument', line.line, `SCAN TYPE ${value} is not a Redis type.`);
      type = value.toLowerCase() as RedisKeyType;
    } else if (option !== 'count') throw lineError('invalid_argument', line.line, `SCAN does not take ${option.toUpperCase()}.`);
  }
  return { line: line.line, kind: 'scan', command, match, ...(type && { type }) };
}

/** SORT's BY and GET patterns read other keys; they must stay under the prefix (GET # is the element itself). */
function checkSortPatterns(line: number, args: readonly string[], prefix: string): void {
  for (let i = 0; i < args.length; i++) {
    const word = (args[i] ?? '').toLowerCase();
    if (word !== 'by' && word !== 'get') continue;
    const pattern = args[i + 1] ?? '';
    if (pattern === '#' || (word === 'by' && pattern.toLowerCase() === 'nosort')) continue;
    if (!pattern.startsWith(prefix)) throw lineError('forbidden', line, `SORT ${word.toUpperCase()} ${pattern} reads keys outside the tenant's prefix ${prefix}.`);
  }
}

async function planLine(line: CommandLineText, policy: LinePolicy, oracle: CommandOracle): Promise<PlannedLine> {
  const [name = '', ...args] = line.words;
  let command: string;
  try {
    command = normaliseCommandName(name);
  } catch (error) {
    throw lineError('invalid_argument', line.line, error instanceof Error ? error.message : String(error));
  }
  if (command === 'keys' || command === 'scan') return planScan(line, command, args, policy.keyPrefix);
  const refused = REFUSED[command];
  if (refused) throw lineError('forbidden', line.line, `${command.toUpperCase()} is not run for a tenant: ${refused}.`);
  if (command === 'copy' && args.some((a) => a.toLowerCase() === 'db')) throw lineError('forbidden', line.line, 'COPY … DB copies a key to another database.');
  if (command === 'sort' || command === 'sort_ro') checkSortPatterns(line.line, args, policy.keyPrefix);
  const traits = await oracle.traits(command, args);
  if (!traits) throw lineError('invalid_argument', line.line, `Redis does not know the command ${command.toUpperCase()}.`);
  const words = args.length + 1;
  if (traits.arity !== undefined && (traits.arity >= 0 ? words !== traits.arity : words < -traits.arity)) {
    throw lineError('invalid_argument', line.line, `ERR wrong number of arguments for '${command}' command`);
  }
  if (traits.flags.includes('admin')) throw lineError('forbidden', line.line, `${command.toUpperCase()} administers the server, which is not the tenant's.`);
  if (isWriteTraits(traits) && !policy.write) {
    throw lineError(
      'read_only',
      line.line,
      policy.storeReadOnly
        ? `${command.toUpperCase()} changes data, and this workspace is read-only (prod). Unlock writes first.`
        : `${command.toUpperCase()} changes data; run the lines as a write to change data.`,
    );
  }
  let keys: string[];
  try {
    keys = await oracle.keys(command, args);
  } catch (error) {
    throw lineError('invalid_argument', line.line, `Redis refused the arguments of ${command.toUpperCase()}: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (keys.length === 0 && !KEYLESS_ALLOWED_IN_SCOPE.has(command)) {
    throw lineError('forbidden', line.line, `${command.toUpperCase()} names no key of the tenant: it reads or changes the keyspace or the server as a whole.`);
  }
  for (const key of keys) {
    if (!key.startsWith(policy.keyPrefix)) {
      throw lineError('forbidden', line.line, `The key ${JSON.stringify(key.slice(0, 80))} is not one of tenant ${policy.tenantId}'s keys (they start with ${policy.keyPrefix}).`);
    }
  }
  return { line: line.line, kind: 'command', command, args, traits };
}

/** Judges every line; the first refusal throws, so nothing is sent unless every line passes. */
export async function planLines(lines: readonly CommandLineText[], policy: LinePolicy, oracle: CommandOracle): Promise<PlannedLine[]> {
  const planned: PlannedLine[] = [];
  for (const line of lines) planned.push(await planLine(line, policy, oracle));
  return planned;
}

/**
 * The result's columns: the line, the command, the item (a list's 1-based index, a hash's field or
 * a sorted set's member; empty for a single reply) and the reply. One row per element reads like
 * redis-cli's numbered list and sorts and filters in the grid; nested replies (XRANGE, XINFO) are
 * one row per top element, the rest as JSON.
 */
export const REDIS_RESULT_COLUMNS: UserColumn[] = [
  { name: 'line', type: 'integer' },
  { name: 'command', type: 'string' },
  { name: 'item', type: 'string' },
  { name: 'reply', type: 'reply' },
];

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype;
}

function cell(value: unknown): unknown {
  if (value === null || value === undefined || typeof value === 'string' || typeof value === 'number') return value ?? null;
  if (Buffer.isBuffer(value)) return value.toString('utf8');
  return JSON.stringify(value, (_key, inner: unknown) => (Buffer.isBuffer(inner) ? inner.toString('utf8') : inner));
}

/** The rows of one line's reply (or its error, shown as redis-cli shows it). */
export function replyRows(line: number, command: string, args: readonly string[], reply: unknown): unknown[][] {
  const label = command.toUpperCase();
  if (reply instanceof Error) return [[line, label, null, `(error) ${reply.message}`]];
  // A map reply (RESP3, or the client's object for HGETALL): one row per field.
  const entries = reply instanceof Map ? [...reply.entries()] : isPlainObject(reply) ? Object.entries(reply) : undefined;
  if (entries) {
    if (entries.length === 0) return [[line, label, null, '(empty hash)']];
    return entries.map(([field, value]) => [line, label, String(field), cell(value)]);
  }
  if (!Array.isArray(reply)) return [[line, label, null, cell(reply)]];
  if (reply.length === 0) return [[line, label, null, '(empty array)']];
  const pairs = PAIR_REPLIES.has(command) || args.some((a) => /^with(scores|values)$/i.test(a));
  if (pairs && reply.length % 2 === 0 && reply.every((v) => !Array.isArray(v))) {
    const rows: unknown[][] = [];
    for (let i = 0; i < reply.length; i += 2) rows.push([line, label, cell(reply[i]), cell(reply[i + 1])]);
    return rows;
  }
  return reply.map((value, index) => [line, label, String(index + 1), cell(value)]);
}
