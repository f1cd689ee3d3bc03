import { EventEmitter } from 'node:events';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createApiClient } from '@shared/contract/client';
import { AppError } from '@shared/errors';
import { createBridge, type BridgeIpc } from '../../preload/bridge';
import { createRouter, type CallContext, type Services } from '../core/router';
import { FakeWebContents, ipcMain, resetFakeElectron } from '../window/fake-electron';
import { appOriginCheck } from '../window/origin';
import { registerIpc } from './index';

vi.mock('electron', () => import('../window/fake-electron'));

/**
 * The whole desktop path in one process: the contract client over the preload bridge, IPC carried
 * by the fakes (messages cloned as Electron would), the IPC entry and a real router.
 */
function desktop(pageUrl = 'app://tenantscope/index.html') {
  const serverSaw: { aborted?: boolean } = {};
  const services = {
    system: {
      ping: async ({ echo }: { echo?: string }) => ({ echo, at: new Date().toISOString() }),
      info: (_args: unknown, { signal }: CallContext) =>
        new Promise((_resolve, reject) =>
          signal.addEventListener('abort', () => {
            serverSaw.aborted = true;
            reject(new Error('stopped'));
          }),
        ),
    },
  } as unknown as Services;
  const dispose = registerIpc(
    { router: createRouter(services), newSession: (connectionId) => ({ connectionId, operator: { name: 'op' }, role: 'platform_admin' }) },
    { isAppUrl: appOriginCheck(), log: () => undefined },
  );
  const page = new FakeWebContents(pageUrl);
  const renderer = new EventEmitter();
  page.send = (channel, message) => void renderer.emit(channel, { sender: 'main' }, structuredClone(message));
  const rendererIpc = {
    send: (channel: string, message: unknown) => ipcMain.deliver(channel, structuredClone(message), page),
    on: (channel: string, listener: (...args: unknown[]) => void) => renderer.on(channel, listener),
    removeListener: (channel: string, listener: (...args: unknown[]) => void) => renderer.removeListener(channel, listener),
  };
  const api = createApiClient(createBridge(rendererIpc as unknown as BridgeIpc));
  return { api, serverSaw, dispose };
}

describe('desktop path: client → preload → IPC → router and back', () => {
  let app: ReturnType<typeof desktop>;
  beforeEach(() => resetFakeElectron());
  afterEach(() => app.dispose());

  it('answers a contract call', async () => {
    app = desktop();
    await expect(app.api.system.ping({ echo: 'over IPC' })).resolves.toMatchObject({ echo: 'over IPC' });
  });

  it('reports invalid arguments with the stable code', async () => {
    app = desktop();
    const error = await app.api.system.ping({ echo: 7 } as never).catch((e: unknown) => e);
    expect(AppError.is(error, 'invalid_argument')).toBe(true);
  });

  it('cancels the work in the main process when the caller aborts', async () => {
    app = desktop();
    const controller = new AbortController();
    const call = app.api.system.info({}, { signal: controller.signal });
    await new Promise((resolve) => setTimeout(resolve, 0));
    controller.abort();
    await expect(call).rejects.toMatchObject({ code: 'cancelled' });
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(app.serverSaw.aborted).toBe(true);
  });

  it('never answers a page from another origin', async () => {
    app = desktop('https://evil.example/');
    const outcome = await Promise.race([
      app.api.system.ping({}).then(() => 'answered'),
      new Promise((resolve) => setTimeout(() => resolve('no answer'), 50)),
    ]);
    expect(outcome).toBe('no answer');
  });
});
