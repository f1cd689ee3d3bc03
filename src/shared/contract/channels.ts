import { METHOD_NAMES, isMethodName, type MethodName } from './index';

/**
 * Electron IPC channel names, derived from the contract so a method's channel is never typed by
 * hand. Each method has its own channel (`tenantscope:<method>`), so the main process listens on
 * exactly the contract's channels and a message naming another method is refused unread.
 */
const PREFIX = 'tenantscope:';

export type CallChannel = `${typeof PREFIX}${MethodName}`;

/** Cancels a running call by its id (renderer → main). */
export const CANCEL_CHANNEL = `${PREFIX}$cancel`;

/** Results and events (main → renderer). The main process never listens on it. */
export const REPLY_CHANNEL = `${PREFIX}$reply`;

export function channelFor(method: MethodName): CallChannel {
  return `${PREFIX}${method}`;
}

/** One channel per contract method. */
export const CALL_CHANNELS: readonly CallChannel[] = METHOD_NAMES.map(channelFor);

/** Every channel the main process listens on: the call channels and the cancel channel. */
export const INBOUND_CHANNELS: readonly string[] = [...CALL_CHANNELS, CANCEL_CHANNEL];

const inbound = new Set<string>(INBOUND_CHANNELS);

/** True for the channels a renderer may send on: a contract method's channel or the cancel channel. */
export function isContractChannel(channel: unknown): channel is CallChannel | typeof CANCEL_CHANNEL {
  return typeof channel === 'string' && inbound.has(channel);
}

/** The method a call channel carries, or undefined for any other channel. */
export function methodOfChannel(channel: string): MethodName | undefined {
  if (!channel.startsWith(PREFIX)) return undefined;
  const name = channel.slice(PREFIX.length);
  return isMethodName(name) ? name : undefined;
}
