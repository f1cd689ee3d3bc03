import { EventEmitter } from 'node:events';

/**
 * A stand-in for the main-process side of `electron` in unit tests (`vi.mock('electron', ...)`):
 * enough of ipcMain, BrowserWindow, webContents, frames, sessions, protocol and shell to drive the
 * shell's code and record what it did. Electron cannot launch on the build machines.
 */

let nextId = 1;

/** The order in which the code under test called into Electron, for "before ready" checks. */
export const calls: string[] = [];

export class FakeFrame {
  readonly processId: number;
  readonly routingId: number;
  constructor(
    public url: string,
    public parent: FakeFrame | null = null,
    ids: { processId?: number; routingId?: number } = {},
  ) {
    this.processId = ids.processId ?? 1;
    this.routingId = ids.routingId ?? nextId++;
  }
}

/** A navigation-style event: `preventDefault` is remembered. */
export class FakeEvent {
  defaultPrevented = false;
  constructor(public url = '') {}
  preventDefault(): void {
    this.defaultPrevented = true;
  }
}

type PermissionRequestHandler = (contents: unknown, permission: string, callback: (granted: boolean) => void, details: unknown) => void;

export class FakeSession {
  permissionRequestHandler?: PermissionRequestHandler;
  permissionCheckHandler?: (...args: unknown[]) => boolean;
  devicePermissionHandler?: (...args: unknown[]) => boolean;
  setPermissionRequestHandler(handler: PermissionRequestHandler): void {
    this.permissionRequestHandler = handler;
  }
  setPermissionCheckHandler(handler: (...args: unknown[]) => boolean): void {
    this.permissionCheckHandler = handler;
  }
  setDevicePermissionHandler(handler: (...args: unknown[]) => boolean): void {
    this.devicePermissionHandler = handler;
  }
}

export class FakeWebContents extends EventEmitter {
  readonly id = nextId++;
  readonly mainFrame: FakeFrame;
  readonly sent: { channel: string; message: unknown }[] = [];
  readonly session = new FakeSession();
  windowOpenHandler?: (details: { url: string }) => { action: 'allow' | 'deny' };
  private destroyed = false;

  constructor(url = 'app://tenantscope/index.html') {
    super();
    this.mainFrame = new FakeFrame(url);
  }

  send(channel: string, message: unknown): void {
    this.sent.push({ channel, message });
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  destroy(): void {
    this.destroyed = true;
    this.emit('destroyed');
  }
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'allow' | 'deny' }): void {
    this.windowOpenHandler = handler;
  }
  /** A subframe of this page, for messages that must be refused. */
  subframe(url = this.mainFrame.url): FakeFrame {
    return new FakeFrame(url, this.mainFrame, { processId: this.mainFrame.processId });
  }
}

export const ipcMain = new (class extends EventEmitter {
  /** Delivers a message as Electron would: `(event, message)` with the sender and its frame. */
  deliver(channel: string, message: unknown, sender: FakeWebContents, frame: FakeFrame | null = sender.mainFrame): void {
    this.emit(channel, { sender, senderFrame: frame }, message);
  }
})();

export class BrowserWindow extends EventEmitter {
  static created: BrowserWindow[] = [];
  readonly webContents = new FakeWebContents();
  readonly loaded: string[] = [];
  shown = false;
  constructor(readonly options: Record<string, unknown>) {
    super();
    BrowserWindow.created.push(this);
  }
  loadURL(url: string): Promise<void> {
    this.loaded.push(url);
    return Promise.resolve();
  }
  show(): void {
    this.shown = true;
  }
  focused = 0;
  focus(): void {
    this.focused++;
  }
  isDestroyed(): boolean {
    return this.webContents.isDestroyed();
  }
  isMinimized(): boolean {
    return false;
  }
  restore(): void {}
  static getAllWindows(): BrowserWindow[] {
    return BrowserWindow.created;
  }
}

export const shell = {
  opened: [] as string[],
  openExternal(url: string): Promise<void> {
    shell.opened.push(url);
    return Promise.resolve();
  },
};

export const protocol = {
  privileged: [] as unknown[],
  handlers: new Map<string, (request: Request) => Promise<Response>>(),
  registerSchemesAsPrivileged(schemes: unknown[]): void {
    calls.push('protocol.registerSchemesAsPrivileged');
    protocol.privileged.push(...schemes);
  },
  handle(scheme: string, handler: (request: Request) => Promise<Response>): void {
    calls.push('protocol.handle');
    protocol.handlers.set(scheme, handler);
  },
};

export const session = { defaultSession: new FakeSession() };

export const app = new (class extends EventEmitter {
  isPackaged = false;
  singleInstance = true;
  quitCount = 0;
  enableSandbox(): void {
    calls.push('app.enableSandbox');
  }
  requestSingleInstanceLock(): boolean {
    calls.push('app.requestSingleInstanceLock');
    return this.singleInstance;
  }
  whenReady(): Promise<void> {
    calls.push('app.whenReady');
    return Promise.resolve();
  }
  getPath(name: string): string {
    return `/fake/${name}`;
  }
  getVersion(): string {
    return '9.9.9';
  }
  quit(): void {
    this.quitCount++;
    this.emit('before-quit', new FakeEvent());
  }
  exit(): void {
    calls.push('app.exit');
  }
})();

export const safeStorage = {
  isEncryptionAvailable: () => true,
  encryptString: (text: string) => Buffer.from(text),
  decryptString: (data: Buffer) => data.toString(),
};

export function resetFakeElectron(): void {
  calls.length = 0;
  app.removeAllListeners();
  app.quitCount = 0;
  app.singleInstance = true;
  ipcMain.removeAllListeners();
  BrowserWindow.created = [];
  shell.opened.length = 0;
  protocol.privileged.length = 0;
  protocol.handlers.clear();
  session.defaultSession = new FakeSession();
}
