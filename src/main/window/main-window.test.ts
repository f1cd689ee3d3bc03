import { beforeEach, describe, expect, it, vi } from 'vitest';
import { BrowserWindow, resetFakeElectron } from './fake-electron';
import { createMainWindow } from './main-window';

vi.mock('electron', () => import('./fake-electron'));

describe('main window', () => {
  beforeEach(() => resetFakeElectron());

  it('is created with the hardened web preferences and the given preload', () => {
    createMainWindow({ preloadPath: '/app/out/preload/index.cjs' });
    const [window] = BrowserWindow.created;
    expect(window?.options.webPreferences).toMatchObject({
      preload: '/app/out/preload/index.cjs',
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
    });
  });

  it('loads the app from its own scheme, never file://', () => {
    createMainWindow({ preloadPath: '/p.cjs' });
    expect(BrowserWindow.created[0]?.loaded).toEqual(['app://tenantscope/index.html']);
  });

  it('loads the dev server when electron-vite dev provides one', () => {
    createMainWindow({ preloadPath: '/p.cjs', devServerUrl: 'http://localhost:5173' });
    expect(BrowserWindow.created[0]?.loaded).toEqual(['http://localhost:5173']);
  });

  it('stays hidden until the first paint is ready', () => {
    createMainWindow({ preloadPath: '/p.cjs' });
    const window = BrowserWindow.created[0];
    expect(window?.shown).toBe(false);
    window?.emit('ready-to-show');
    expect(window?.shown).toBe(true);
  });
});
