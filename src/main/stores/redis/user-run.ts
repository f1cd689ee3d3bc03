import type { Redis } from 'ioredis';
import { AppError } from '@shared/errors';
import { parseTenantScope } from '@shared/model/tenant-scope';
import type { Deadline } from '../execution';
import type { UserQueryOptions, UserQueryPart } from '../user-query';
import type { RedisCommandLine } from './command-line';
import { scanPages } from './scan';
import { planLines, REDIS_RESULT_COLUMNS, replyRows, type PlannedLine } from './user-commands';
import { splitCommandLines } from './user-lines';

const MAX_TEXT_LENGTH = 1_000_000;
const MAX_LINES = 1000;
const MAX_ROW_LIMIT = 10_000_000;
/** Rows per yielded batch when the caller names none. */
const DEFAULT_BATCH_ROWS = 1000;
/** SCAN's COUNT hint for KEYS/SCAN lines: big enough for few round trips, small enough not to stall the server. */
const SCAN_COUNT = 1000;

export interface UserLinesContext {
  main: Redis;
  commandLine: RedisCommandLine;
  deadline: Deadline;
  storeReadOnly: boolean;
}

/** A Redis error reply (WRONGTYPE, ERR …) is the line's answer, not the run's failure. */
function isReplyError(error: unknown): error is Error {
  return error instanceof Error && error.name === 'ReplyError';
}

/** The rows of one planned line, as the server hands them over. */
async function* lineRows(plan: PlannedLine, prefix: string, context: UserLinesContext): AsyncGenerator<unknown[][], void, undefined> {
  const { main, commandLine, deadline } = context;
  if (plan.kind === 'scan') {
    let index = 0;
    const label = plan.command.toUpperCase();
    for await (const keys of scanPages(main, { match: plan.match, count: SCAN_COUNT, ...(plan.type && { type: plan.type }) }, prefix, deadline)) {
      // The consumer stops this generator (and so the paging) once it has one row past the limit.
      yield keys.map((key) => [plan.line, label, String(++index), key]);
    }
    if (index === 0) yield [[plan.line, label, null, '(empty array)']];
    return;
  }
  let reply: unknown;
  try {
    reply = await commandLine.run(main, { command: plan.command, traits: plan.traits }, plan.args, deadline);
  } catch (error) {
    if (!isReplyError(error) || deadline.reason) throw error;
    reply = error;
  }
  yield replyRows(plan.line, plan.command, plan.args, reply);
}

/**
 * Runs the workbench's Redis text for one tenant. Every line is parsed and judged first (see
 * `planLines`), so a text with one foreign key sends nothing. Lines then run one after another,
 * each on a dedicated connection; rows are handed over in batches, and past the row limit the
 * remaining lines still run (they were asked for) but their rows are dropped and `truncated` ends
 * the result. A KEYS or SCAN line stops paging once it has one row past the limit.
 */
export async function* runUserLines(text: string, scope: unknown, options: UserQueryOptions, context: UserLinesContext): AsyncGenerator<UserQueryPart, void, undefined> {
  if (typeof text !== 'string') throw new AppError('invalid_argument', 'The commands must be text.');
  if (text.length > MAX_TEXT_LENGTH) throw new AppError('invalid_argument', `The text is ${text.length} characters; the workbench sends at most ${MAX_TEXT_LENGTH}.`);
  const { rowLimit, batchSize = DEFAULT_BATCH_ROWS } = options;
  if (!Number.isInteger(rowLimit) || rowLimit < 1 || rowLimit > MAX_ROW_LIMIT) throw new AppError('invalid_argument', `The row limit must be a whole number from 1 to ${MAX_ROW_LIMIT}.`);
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 100_000) throw new AppError('invalid_argument', 'The batch size must be a whole number from 1 to 100000.');
  const valid = parseTenantScope(scope);
  const prefix = valid.redis?.keyPrefix;
  if (!prefix) throw new AppError('invalid_argument', `The tenant scope of ${valid.tenantId} says nothing about Redis.`);
  const lines = splitCommandLines(text);
  if (lines.length === 0) throw new AppError('invalid_argument', 'There is no command to run.');
  if (lines.length > MAX_LINES) throw new AppError('invalid_argument', `The workbench runs at most ${MAX_LINES} lines at a time; this text holds ${lines.length}.`);
  const write = options.write === true && !context.storeReadOnly;
  const { main, commandLine } = context;
  const plan = await planLines(lines, { tenantId: valid.tenantId, keyPrefix: prefix, write, storeReadOnly: context.storeReadOnly }, {
    traits: (command, args) => commandLine.traits(main, command, args),
    keys: (command, args) => commandLine.keys(main, command, args),
  });
  yield { kind: 'columns', columns: REDIS_RESULT_COLUMNS };
  let delivered = 0;
  let cut = false;
  let pending: unknown[][] = [];
  for (const line of plan) {
    context.deadline.throwIfStopped('The Redis commands');
    for await (const rows of lineRows(line, prefix, context)) {
      for (const row of rows) {
        if (delivered + pending.length >= rowLimit) {
          cut = true;
          break;
        }
        pending.push(row);
      }
      if (pending.length >= batchSize) {
        yield { kind: 'rows', rows: pending };
        delivered += pending.length;
        pending = [];
      }
      if (cut && line.kind === 'scan') break;
    }
  }
  if (pending.length > 0) yield { kind: 'rows', rows: pending };
  if (cut) yield { kind: 'truncated' };
}
