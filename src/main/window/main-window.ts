import { BrowserWindow, type WebPreferences } from 'electron';
import { APP_ENTRY_URL } from './origin';

/**
 * The renderer's web preferences: Chromium's sandbox and context isolation on, Node nowhere in
 * the page, web security on, no <webview>. The preload is the only bridge and it is sandboxed too.
 */
export function hardenedWebPreferences(preloadPath: string): WebPreferences {
  return {
    preload: preloadPath,
    sandbox: true,
    contextIsolation: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    experimentalFeatures: false,
    navigateOnDragDrop: false,
    safeDialogs: true,
    spellcheck: false,
  };
}

export interface MainWindowOptions {
  preloadPath: string;
  /** The dev server's URL under `electron-vite dev`; otherwise the app's own scheme is loaded. */
  devServerUrl?: string;
}

export function createMainWindow(options: MainWindowOptions): BrowserWindow {
  const window = new BrowserWindow({
    width: 1400,
    height: 900,
    minWidth: 960,
    minHeight: 600,
    title: 'Tenantscope',
    show: false,
    backgroundColor: '#1a1b1e',
    webPreferences: hardenedWebPreferences(options.preloadPath),
  });
  window.once('ready-to-show', () => window.show());
  void window.loadURL(options.devServerUrl ?? APP_ENTRY_URL);
  return window;
}
