import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CANCEL_CHANNEL, INBOUND_CHANNELS, REPLY_CHANNEL, channelFor } from '@shared/contract/channels';
import type { Session } from '@shared/model/session';
import { createRouter, type CallContext, type Router, type Services } from '../core/router';
import { FakeEvent, FakeWebContents, ipcMain, resetFakeElectron } from '../window/fake-electron';
import { appOriginCheck } from '../window/origin';
import { registerIpc } from './index';

vi.mock('electron', () => import('../window/fake-electron'));

const SECRET = 'hunter2-payload';

/** A real router with a ping and a call that waits for its cancel, wrapped to record what reaches it. */
function setup() {
  const received: unknown[] = [];
  const sessions: Session[] = [];
  const closed: string[] = [];
  const services = {
    system: {
      ping: async ({ echo }: { echo?: string }) => ({ echo, at: new Date().toISOString() }),
      info: (_args: unknown, { signal }: CallContext) =>
        new Promise((_resolve, reject) => signal.addEventListener('abort', () => reject(new Error('aborted')))),
    },
  } as unknown as Services;
  const real = createRouter(services);
  const router: Router = {
    ...real,
    connect(connection, session) {
      const inner = real.connect(connection, session);
      return {
        receive: (message) => {
          received.push(message);
          inner.receive(message);
        },
        close: () => {
          closed.push(session.connectionId);
          inner.close();
        },
      };
    },
  };
  const newSession = (connectionId: string): Session => {
    const session: Session = { connectionId, operator: { name: 'operator' }, role: 'platform_admin' };
    sessions.push(session);
    return session;
  };
  const logs: string[] = [];
  const dispose = registerIpc({ router, newSession }, { isAppUrl: appOriginCheck(), log: (line) => logs.push(line) });
  return { received, sessions, closed, logs, dispose };
}

const ping = (callId: string) => ({ kind: 'call', callId, method: 'system.ping', args: { echo: SECRET } });
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('IPC entry', () => {
  let ctx: ReturnType<typeof setup>;
  beforeEach(() => {
    resetFakeElectron();
    ctx = setup();
  });
  afterEach(() => ctx.dispose());

  it('hands a valid call to the router and sends the reply back to the sender only', async () => {
    const page = new FakeWebContents();
    const other = new FakeWebContents();
    ipcMain.deliver(channelFor('system.ping'), ping('c1'), page);
    await settle();
    expect(ctx.received).toEqual([ping('c1')]);
    expect(page.sent).toEqual([
      { channel: REPLY_CHANNEL, message: { kind: 'result', callId: 'c1', ok: true, value: { echo: SECRET, at: expect.any(String) } } },
    ]);
    expect(other.sent).toEqual([]);
  });

  it('refuses a message from another origin, and logs it without the payload', async () => {
    const page = new FakeWebContents('https://evil.example/steal?token=abc');
    ipcMain.deliver(channelFor('system.ping'), ping('c1'), page);
    await settle();
    expect(ctx.received).toEqual([]);
    expect(page.sent).toEqual([]);
    expect(ctx.logs).toHaveLength(1);
    expect(ctx.logs[0]).toMatch(/foreign origin https:\/\/evil\.example/);
    expect(ctx.logs.join('\n')).not.toContain(SECRET);
    expect(ctx.logs.join('\n')).not.toContain('token=abc');
  });

  it('refuses look-alike app origins and file: pages', () => {
    for (const url of ['app://tenantscope.evil/index.html', 'app://x@tenantscope/index.html', 'file:///tmp/index.html', 'about:blank']) {
      ipcMain.deliver(channelFor('system.ping'), ping('c1'), new FakeWebContents(url));
    }
    expect(ctx.received).toEqual([]);
    expect(ctx.logs).toHaveLength(4);
  });

  it('refuses a message from a subframe of the app page', () => {
    const page = new FakeWebContents();
    ipcMain.deliver(channelFor('system.ping'), ping('c1'), page, page.subframe());
    ipcMain.deliver(channelFor('system.ping'), ping('c2'), page, null);
    expect(ctx.received).toEqual([]);
    expect(ctx.logs[0]).toMatch(/not the main frame/);
    expect(ctx.logs[1]).toMatch(/frame is gone/);
  });

  it('listens on contract channels only, so an unknown channel never reaches the router', () => {
    const page = new FakeWebContents();
    expect(ipcMain.eventNames().sort()).toEqual([...INBOUND_CHANNELS].sort());
    ipcMain.deliver('tenantscope:system.shutdown', { ...ping('c1'), method: 'system.shutdown' }, page);
    ipcMain.deliver(REPLY_CHANNEL, ping('c2'), page);
    expect(ctx.received).toEqual([]);
  });

  it('refuses a call whose method differs from its channel, and malformed messages', () => {
    const page = new FakeWebContents();
    ipcMain.deliver(channelFor('system.ping'), { ...ping('c1'), method: 'system.info' }, page);
    ipcMain.deliver(channelFor('system.ping'), { kind: 'cancel', callId: 'c1' }, page);
    ipcMain.deliver(CANCEL_CHANNEL, ping('c1'), page);
    ipcMain.deliver(channelFor('system.ping'), 'not a message', page);
    expect(ctx.received).toEqual([]);
    expect(ctx.logs).toHaveLength(4);
  });

  it('cancels a running call through the cancel channel', async () => {
    const page = new FakeWebContents();
    ipcMain.deliver(channelFor('system.info'), { kind: 'call', callId: 'slow', method: 'system.info', args: {} }, page);
    ipcMain.deliver(CANCEL_CHANNEL, { kind: 'cancel', callId: 'slow' }, page);
    await settle();
    expect(page.sent).toEqual([
      { channel: REPLY_CHANNEL, message: { kind: 'result', callId: 'slow', ok: false, error: expect.objectContaining({ code: 'cancelled' }) } },
    ]);
  });

  it('gives each webContents its own connection and session', async () => {
    const a = new FakeWebContents();
    const b = new FakeWebContents();
    ipcMain.deliver(channelFor('system.ping'), ping('c1'), a);
    ipcMain.deliver(channelFor('system.ping'), ping('c2'), a);
    ipcMain.deliver(channelFor('system.ping'), ping('c1'), b);
    await settle();
    expect(ctx.sessions.map((s) => s.connectionId)).toEqual([`ipc-${a.id}`, `ipc-${b.id}`]);
    expect(a.sent).toHaveLength(2);
    expect(b.sent).toHaveLength(1);
  });

  it('closes the connection when the page is destroyed, aborting its calls, and sends nothing after', async () => {
    const page = new FakeWebContents();
    ipcMain.deliver(channelFor('system.info'), { kind: 'call', callId: 'slow', method: 'system.info', args: {} }, page);
    page.destroy();
    await settle();
    expect(ctx.closed).toEqual([`ipc-${page.id}`]);
    expect(page.sent).toEqual([]);
  });

  it('starts a fresh connection after a main-frame navigation or reload', async () => {
    const page = new FakeWebContents();
    ipcMain.deliver(channelFor('system.ping'), ping('c1'), page);
    page.emit('did-start-navigation', Object.assign(new FakeEvent(), { isMainFrame: false, isSameDocument: false }));
    page.emit('did-start-navigation', Object.assign(new FakeEvent(), { isMainFrame: true, isSameDocument: true }));
    expect(ctx.closed).toEqual([]);
    page.emit('did-start-navigation', Object.assign(new FakeEvent(), { isMainFrame: true, isSameDocument: false }));
    expect(ctx.closed).toEqual([`ipc-${page.id}`]);
    ipcMain.deliver(channelFor('system.ping'), ping('c1'), page);
    await settle();
    expect(ctx.sessions).toHaveLength(2);
  });

  it('removes its listeners and closes connections when disposed', () => {
    const page = new FakeWebContents();
    ipcMain.deliver(channelFor('system.ping'), ping('c1'), page);
    ctx.dispose();
    expect(ipcMain.eventNames()).toEqual([]);
    expect(ctx.closed).toEqual([`ipc-${page.id}`]);
  });
});
