import { isAbsolute } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { channelFor } from '@shared/contract/channels';
import type { ConsoleOptions } from './core/console';
import type { RouterConnection } from './core/router';
import { FakeEvent, FakeWebContents, type BrowserWindow as FakeBrowserWindow } from './window/fake-electron';

vi.mock('electron', () => import('./window/fake-electron'));

/** A stand-in core recording how the shell built it, what reached its router and when it closed. */
const core = vi.hoisted(() => {
  const state = { options: [] as unknown[], received: [] as unknown[], closed: 0 };
  return {
    state,
    createConsole: async (options: unknown) => {
      state.options.push(options);
      return {
        router: {
          connect: (): RouterConnection => ({ receive: (message) => state.received.push(message), close: () => undefined }),
          invoke: async () => undefined,
          broadcast: () => undefined,
        },
        newSession: (connectionId: string) => ({ connectionId, operator: { name: 'operator' }, role: 'platform_admin' as const }),
        close: async () => {
          state.closed++;
        },
      };
    },
  };
});
vi.mock('./core/console', () => ({ createConsole: core.createConsole }));

type Fake = typeof import('./window/fake-electron');
const settle = () => new Promise((resolve) => setTimeout(resolve, 10));

/** Loads the shell's entry point afresh against a fresh fake electron. */
async function launch(configure: (fake: Fake) => void = () => undefined): Promise<Fake> {
  vi.resetModules();
  // Whatever `electron` resolves to for the entry point is the fake to configure.
  const fake = (await import('electron')) as unknown as Fake;
  fake.resetFakeElectron();
  configure(fake);
  await import('./index');
  await settle();
  return fake;
}

describe('desktop entry point', () => {
  const savedDataDir = process.env.TENANTSCOPE_DATA_DIR;
  let fake: Fake;
  let window: FakeBrowserWindow;
  beforeAll(async () => {
    process.env.TENANTSCOPE_DATA_DIR = '/srv/tenantscope-data';
    fake = await launch();
    window = fake.BrowserWindow.created[0] as FakeBrowserWindow;
  });
  afterAll(() => {
    if (savedDataDir === undefined) delete process.env.TENANTSCOPE_DATA_DIR;
    else process.env.TENANTSCOPE_DATA_DIR = savedDataDir;
  });

  it('registers the app scheme and enables the sandbox before the app is ready, serves files after', () => {
    const order = (name: string) => fake.calls.indexOf(name);
    expect(order('protocol.registerSchemesAsPrivileged')).toBeGreaterThanOrEqual(0);
    expect(order('protocol.registerSchemesAsPrivileged')).toBeLessThan(order('app.whenReady'));
    expect(order('app.enableSandbox')).toBeLessThan(order('app.whenReady'));
    expect(order('app.whenReady')).toBeLessThan(order('protocol.handle'));
  });

  it('builds the core in desktop mode with the data dir, app version and safeStorage', () => {
    expect(core.state.options).toHaveLength(1);
    const options = core.state.options[0] as ConsoleOptions;
    expect(options).toMatchObject({ dataDir: '/srv/tenantscope-data', mode: 'desktop', version: '9.9.9' });
    expect(options.safeStorage).toBe(fake.safeStorage);
  });

  it('opens one hardened window loading the app scheme with the built CommonJS preload', () => {
    expect(fake.BrowserWindow.created).toHaveLength(1);
    const preferences = window.options.webPreferences as Record<string, unknown>;
    expect(preferences).toMatchObject({ sandbox: true, contextIsolation: true, nodeIntegration: false, webSecurity: true });
    expect(preferences.preload).toMatch(/[/\\]preload[/\\]index\.cjs$/);
    expect(isAbsolute(String(preferences.preload))).toBe(true);
    expect(window.loaded).toEqual(['app://tenantscope/index.html']);
  });

  it('denies every permission on the default session', () => {
    const answers: boolean[] = [];
    fake.session.defaultSession.permissionRequestHandler?.({}, 'media', (granted) => answers.push(granted), {});
    expect(answers).toEqual([false]);
    expect(fake.session.defaultSession.permissionCheckHandler?.()).toBe(false);
  });

  it('hardens every web contents the app creates', () => {
    const contents = new FakeWebContents();
    fake.app.emit('web-contents-created', new FakeEvent(), contents);
    expect(contents.windowOpenHandler?.({ url: 'https://example.com/' })).toEqual({ action: 'deny' });
    const away = new FakeEvent('https://evil.example/');
    contents.emit('will-navigate', away);
    expect(away.defaultPrevented).toBe(true);
  });

  it('routes contract calls from the window to the core', () => {
    const call = { kind: 'call', callId: 'c1', method: 'system.ping', args: {} };
    fake.ipcMain.deliver(channelFor('system.ping'), call, window.webContents);
    expect(core.state.received).toEqual([call]);
  });

  it('focuses the existing window when a second instance starts', () => {
    fake.app.emit('second-instance');
    expect(fake.BrowserWindow.created).toHaveLength(1);
    expect(window.focused).toBe(1);
  });

  it('closes the core and stops IPC before quitting', async () => {
    fake.app.quit();
    await settle();
    expect(core.state.closed).toBe(1);
    expect(fake.app.quitCount).toBe(2);
    expect(fake.ipcMain.eventNames()).toEqual([]);
  });
});

describe('a second launch on the same profile', () => {
  it('quits at once without building the core or a window', async () => {
    core.state.options.length = 0;
    const fake = await launch((f) => {
      f.app.singleInstance = false;
    });
    expect(fake.app.quitCount).toBe(1);
    expect(core.state.options).toEqual([]);
    expect(fake.BrowserWindow.created).toEqual([]);
    expect(fake.calls).not.toContain('app.whenReady');
  });
});
