import { describe, expect, it } from 'vitest';
import { METHOD_NAMES } from './index';
import { CALL_CHANNELS, CANCEL_CHANNEL, REPLY_CHANNEL, channelFor, isContractChannel, methodOfChannel } from './channels';

describe('IPC channels derived from the contract', () => {
  it('gives every contract method its own channel named after it', () => {
    expect(channelFor('system.ping')).toBe('tenantscope:system.ping');
    expect(CALL_CHANNELS).toHaveLength(METHOD_NAMES.length);
    expect(new Set(CALL_CHANNELS).size).toBe(METHOD_NAMES.length);
    for (const method of METHOD_NAMES) expect(methodOfChannel(channelFor(method))).toBe(method);
  });

  it('accepts call and cancel channels as inbound and nothing else', () => {
    expect(isContractChannel(channelFor('workspaces.list'))).toBe(true);
    expect(isContractChannel(CANCEL_CHANNEL)).toBe(true);
    expect(isContractChannel(REPLY_CHANNEL)).toBe(false);
    expect(isContractChannel('tenantscope:system.shutdown')).toBe(false);
    expect(isContractChannel('system.ping')).toBe(false);
    expect(isContractChannel(42)).toBe(false);
  });

  it('finds no method for channels that are not call channels', () => {
    expect(methodOfChannel(CANCEL_CHANNEL)).toBeUndefined();
    expect(methodOfChannel(REPLY_CHANNEL)).toBeUndefined();
    expect(methodOfChannel('other:system.ping')).toBeUndefined();
  });
});
