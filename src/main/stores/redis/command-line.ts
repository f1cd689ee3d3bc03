import type { Redis } from 'ioredis';
import { AppError } from '@shared/errors';
import type { TenantScope } from '@shared/model/tenant-scope';
import type { Deadline } from '../execution';
import { assertKeyInScope, isWriteTraits, KEYLESS_ALLOWED_IN_SCOPE, normaliseCommandName, parseCommandInfo, type CommandTraits } from './commands';

/** Dedicated connections kept open between commands, so the console's command line does not reconnect each time. */
const MAX_IDLE = 4;

/** Commands that change the connection itself; their connection is not reused. */
const CONNECTION_CHANGING = ['select', 'client', 'auth', 'hello', 'reset', 'subscribe', 'psubscribe', 'ssubscribe', 'monitor', 'multi', 'watch'];

export interface PreparedCommand {
  command: string;
  traits: CommandTraits;
}

/**
 * Any command by name, checked against what the server says about it (`COMMAND INFO` flags,
 * `COMMAND GETKEYS`) and run on a dedicated connection that is dropped on cancel.
 */
export class RedisCommandLine {
  readonly #traits = new Map<string, CommandTraits | null>();
  readonly #busy = new Set<Redis>();
  readonly #idle: Redis[] = [];
  #closed = false;

  /** Normalises the name and refuses, before sending: unknown commands, writes on a read-only store, keys outside the scope. */
  async prepare(main: Redis, name: string, args: readonly (string | number)[], scope: TenantScope | undefined, readOnly: boolean): Promise<PreparedCommand> {
    const command = normaliseCommandName(name);
    const traits = await this.#traitsFor(main, command, args);
    if (!traits) throw new AppError('invalid_argument', `Redis does not know the command ${command.toUpperCase()}.`);
    if (readOnly && isWriteTraits(traits)) {
      throw new AppError('read_only', `${command.toUpperCase()} changes data or the server, and this workspace is read-only (prod). Unlock writes first.`);
    }
    if (scope) await this.#checkKeys(main, command, args, scope);
    return { command, traits };
  }

  /** `COMMAND INFO` of a command (its subcommand for containers), cached; null for one the server does not know. */
  traits(main: Redis, command: string, args: readonly (string | number)[]): Promise<CommandTraits | null> {
    return this.#traitsFor(main, command, args);
  }

  /** `COMMAND GETKEYS`: the keys the command would touch; empty for a command that takes none. */
  async keys(main: Redis, command: string, args: readonly (string | number)[]): Promise<string[]> {
    // A command given no arguments names no key (GETKEYS itself refuses to be asked about one).
    if (args.length === 0) return [];
    try {
      return ((await main.call('command', ['getkeys', command, ...args])) as unknown[]).map(String);
    } catch (error) {
      // GETKEYS refuses commands that take no key at all; any other refusal (wrong arguments) is the caller's.
      if (error instanceof Error && /no key arguments/i.test(error.message)) return [];
      throw error;
    }
  }

  /** Runs a prepared command on a dedicated connection; the deadline's abort drops that connection. */
  async run(main: Redis, prepared: PreparedCommand, args: readonly (string | number)[], deadline: Deadline): Promise<unknown> {
    const { command, traits } = prepared;
    const connection = this.#take(main);
    this.#busy.add(connection);
    const drop = (): void => connection.disconnect();
    deadline.signal.addEventListener('abort', drop, { once: true });
    let reusable = false;
    try {
      if (connection.status !== 'ready') await deadline.race(connection.connect(), command.toUpperCase());
      const reply = await deadline.race(connection.call(command, [...args]), command.toUpperCase());
      reusable = !deadline.reason && !traits.flags.includes('blocking') && !CONNECTION_CHANGING.some((n) => command === n || command.startsWith(`${n}|`));
      return reply;
    } finally {
      deadline.signal.removeEventListener('abort', drop);
      this.#busy.delete(connection);
      if (reusable && !this.#closed && this.#idle.length < MAX_IDLE && connection.status === 'ready') this.#idle.push(connection);
      else connection.disconnect();
    }
  }

  /** Drops every dedicated connection, busy or idle. */
  close(): void {
    this.#closed = true;
    for (const connection of [...this.#busy, ...this.#idle]) connection.disconnect();
    this.#busy.clear();
    this.#idle.length = 0;
  }

  /** Reopens after close (the store connects again). */
  reopen(): void {
    this.#closed = false;
  }

  #take(main: Redis): Redis {
    for (let idle = this.#idle.pop(); idle; idle = this.#idle.pop()) {
      if (idle.status === 'ready') return idle;
      idle.disconnect();
    }
    const connection = main.duplicate({ lazyConnect: true, enableOfflineQueue: false, retryStrategy: () => null, maxRetriesPerRequest: 0, connectionName: 'tenantscope-command' });
    connection.on('error', () => undefined);
    return connection;
  }

  async #traitsFor(client: Redis, command: string, args: readonly (string | number)[]): Promise<CommandTraits | null> {
    const base = await this.#traitsOf(client, command);
    if (base?.container && args.length > 0) {
      return (await this.#traitsOf(client, `${command}|${String(args[0]).toLowerCase()}`)) ?? base;
    }
    return base;
  }

  async #traitsOf(client: Redis, name: string): Promise<CommandTraits | null> {
    if (this.#traits.has(name)) return this.#traits.get(name) ?? null;
    const traits = parseCommandInfo(await client.call('command', ['info', name])) ?? null;
    this.#traits.set(name, traits);
    return traits;
  }

  async #checkKeys(client: Redis, command: string, args: readonly (string | number)[], scope: TenantScope): Promise<void> {
    const refuse = (): AppError => new AppError('invalid_argument', `${command.toUpperCase()} does not name the tenant's keys, so it cannot run inside a tenant scope.`);
    let keys: string[];
    try {
      keys = ((await client.call('command', ['getkeys', command, ...args])) as unknown[]).map(String);
    } catch {
      // GETKEYS refuses commands that take no key at all.
      if (KEYLESS_ALLOWED_IN_SCOPE.has(command)) return;
      throw refuse();
    }
    if (keys.length === 0 && !KEYLESS_ALLOWED_IN_SCOPE.has(command)) throw refuse();
    for (const key of keys) assertKeyInScope(key, scope);
  }
}
