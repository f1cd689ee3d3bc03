import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BrowserWindow, app, dialog, safeStorage, session } from 'electron';
import { createConsole, type ConsoleCore } from './core/console';
import { guardProcess } from './core/process-guard';
import { registerIpc } from './ipc';
import { hardenWebContents, lockDownSession } from './window/guards';
import { resolveDataDir } from './window/launch';
import { createMainWindow } from './window/main-window';
import { appOriginCheck, devServerUrlFrom } from './window/origin';
import { registerAppScheme, serveRenderer } from './window/protocol';

// Main is ESM: paths to the other bundles are resolved from this file (out/main/index.js).
const PRELOAD_PATH = fileURLToPath(new URL('../preload/index.cjs', import.meta.url));
const RENDERER_DIR = fileURLToPath(new URL('../renderer', import.meta.url));

// Set by `electron-vite dev` only; a packaged app always loads its own scheme.
const devServerUrl = devServerUrlFrom(process.env, app.isPackaged);
const isAppUrl = appOriginCheck(devServerUrl);

// Before anything can fail: an unhandled error is logged with its code and the app keeps serving.
guardProcess((line) => console.error(line));

// Both must happen before the app is ready.
registerAppScheme();
app.enableSandbox();

let mainWindow: BrowserWindow | undefined;
let core: ConsoleCore | undefined;

function showWindow(): void {
  if (!mainWindow || mainWindow.isDestroyed()) {
    mainWindow = createMainWindow({ preloadPath: PRELOAD_PATH, devServerUrl });
    return;
  }
  if (mainWindow.isMinimized()) mainWindow.restore();
  mainWindow.focus();
}

async function start(): Promise<void> {
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents, isAppUrl));
  await app.whenReady();
  lockDownSession(session.defaultSession);
  serveRenderer(RENDERER_DIR);
  const dataDir = resolveDataDir(process.argv, process.env, () => app.getPath('userData'));
  core = await createConsole({
    dataDir,
    mode: 'desktop',
    version: app.getVersion(),
    safeStorage,
    demo: !process.argv.includes('--no-demo'),
    log: (line) => console.log(line),
    env: { MONGO_URL: process.env.MONGO_URL, ES_URL: process.env.ES_URL },
    chooseSavePath: async (suggestedName) => {
      const options = { defaultPath: join(app.getPath('downloads'), suggestedName) };
      const chosen = mainWindow ? await dialog.showSaveDialog(mainWindow, options) : await dialog.showSaveDialog(options);
      return chosen.canceled || !chosen.filePath ? undefined : chosen.filePath;
    },
  });
  const closeIpc = registerIpc(core, { isAppUrl });
  showWindow();

  app.on('second-instance', showWindow);
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) showWindow();
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });

  // Quitting waits for the core to close its stores and vault; the second quit goes through.
  let closing = false;
  app.on('before-quit', (event) => {
    if (closing || !core) return;
    closing = true;
    event.preventDefault();
    closeIpc();
    core
      .close()
      .catch((error: unknown) => console.error('Closing the console failed', error))
      .finally(() => {
        core = undefined;
        app.quit();
      });
  });
}

if (!app.requestSingleInstanceLock()) {
  // Another Tenantscope already runs on this profile; it shows its window (second-instance).
  app.quit();
} else {
  start().catch((error: unknown) => {
    console.error('Tenantscope could not start', error);
    app.exit(1);
  });
}
