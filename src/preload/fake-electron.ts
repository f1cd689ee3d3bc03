import { EventEmitter } from 'node:events';

/**
 * A stand-in for the renderer side of `electron` in unit tests (`vi.mock('electron', ...)`):
 * records what the preload exposes and sends, and lets a test deliver replies.
 */
export const contextBridge = {
  exposed: new Map<string, unknown>(),
  exposeInMainWorld(key: string, api: unknown): void {
    contextBridge.exposed.set(key, api);
  },
};

class FakeIpcRenderer extends EventEmitter {
  readonly sent: { channel: string; args: unknown[] }[] = [];

  send(channel: string, ...args: unknown[]): void {
    this.sent.push({ channel, args });
  }

  /** Delivers a message from the main process as Electron would: event first. */
  deliver(channel: string, message: unknown): void {
    this.emit(channel, { sender: this, senderId: 0 }, message);
  }
}

export const ipcRenderer = new FakeIpcRenderer();

/** Forgets what was sent and who listens; what the preload exposed stays (it runs once). */
export function resetFakeElectron(): void {
  ipcRenderer.sent.length = 0;
  ipcRenderer.removeAllListeners();
}
