import { beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { BRIDGE_KEY, type TenantscopeBridge } from '@shared/contract/bridge';
import { CANCEL_CHANNEL, REPLY_CHANNEL, channelFor } from '@shared/contract/channels';
import type { ClientMessage, ServerMessage } from '@shared/contract/protocol';
import { contextBridge, ipcRenderer, resetFakeElectron } from './fake-electron';

vi.mock('electron', () => import('./fake-electron'));


/** Every value reachable from `root`, to prove the page cannot reach ipcRenderer through it. */
function reachable(root: unknown, seen = new Set<unknown>()): Set<unknown> {
  if ((typeof root !== 'object' && typeof root !== 'function') || root === null || seen.has(root)) return seen;
  seen.add(root);
  for (const key of Reflect.ownKeys(root)) {
    const descriptor = Object.getOwnPropertyDescriptor(root, key);
    if (descriptor && 'value' in descriptor) reachable(descriptor.value, seen);
  }
  return seen;
}

describe('preload', () => {
  let bridge: TenantscopeBridge;
  beforeAll(async () => {
    await import('./index');
    bridge = contextBridge.exposed.get(BRIDGE_KEY) as TenantscopeBridge;
  });
  beforeEach(() => resetFakeElectron());

  it('exposes only window.tenantscope with send and onMessage', () => {
    expect([...contextBridge.exposed.keys()]).toEqual([BRIDGE_KEY]);
    expect(Object.keys(bridge).sort()).toEqual(['onMessage', 'send']);
  });

  it('never exposes ipcRenderer or its methods', () => {
    const values = reachable(bridge);
    expect(values.has(ipcRenderer)).toBe(false);
    expect(values.has(ipcRenderer.send)).toBe(false);
    expect(values.has(ipcRenderer.on)).toBe(false);
  });

  it('sends a contract call on its method channel', () => {
    bridge.send({ kind: 'call', callId: 'c1', method: 'system.ping', args: { echo: 'hi' } });
    expect(ipcRenderer.sent).toEqual([
      { channel: channelFor('system.ping'), args: [{ kind: 'call', callId: 'c1', method: 'system.ping', args: { echo: 'hi' } }] },
    ]);
  });

  it('refuses a method that is not in the contract before anything reaches IPC', () => {
    expect(() => bridge.send({ kind: 'call', callId: 'c2', method: 'system.shutdown', args: {} })).toThrow(/no method "system.shutdown"/);
    expect(() => bridge.send({ kind: 'call', callId: 'c3', method: '__proto__', args: {} })).toThrow(/no method/);
    expect(() => bridge.send({ kind: 'other' } as unknown as ClientMessage)).toThrow(/Only call and cancel/);
    expect(ipcRenderer.sent).toEqual([]);
  });

  it('drops fields that are not part of the message', () => {
    bridge.send({ kind: 'call', callId: 'c4', method: 'system.info', args: {}, extra: 'x' } as ClientMessage);
    expect(ipcRenderer.sent[0]?.args[0]).not.toHaveProperty('extra');
  });

  it('sends cancel on the cancel channel', () => {
    bridge.send({ kind: 'cancel', callId: 'c5' });
    expect(ipcRenderer.sent).toEqual([{ channel: CANCEL_CHANNEL, args: [{ kind: 'cancel', callId: 'c5' }] }]);
  });

  it('hands replies to listeners without the IPC event, until unsubscribed', () => {
    const received: unknown[][] = [];
    const unsubscribe = bridge.onMessage((...args: unknown[]) => received.push(args));
    const reply: ServerMessage = { kind: 'result', callId: 'c1', ok: true, value: 1 };
    ipcRenderer.deliver(REPLY_CHANNEL, reply);
    ipcRenderer.deliver('tenantscope:elsewhere', reply);
    unsubscribe();
    ipcRenderer.deliver(REPLY_CHANNEL, reply);
    expect(received).toEqual([[reply]]);
    expect(ipcRenderer.listenerCount(REPLY_CHANNEL)).toBe(0);
  });
});
