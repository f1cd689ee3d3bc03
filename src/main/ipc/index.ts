import { ipcMain, type IpcMainEvent, type WebContents, type WebFrameMain } from 'electron';
import { CANCEL_CHANNEL, INBOUND_CHANNELS, REPLY_CHANNEL, isContractChannel, methodOfChannel } from '@shared/contract/channels';
import { isClientMessage, type ServerMessage } from '@shared/contract/protocol';
import type { ConsoleCore } from '../core/console';
import type { RouterConnection } from '../core/router';
import { describeUrl } from '../window/guards';
import type { AppOriginCheck } from '../window/origin';

export interface IpcOptions {
  /** Whether a frame's URL is the app's own (app://tenantscope, or the dev server under `electron-vite dev`). */
  isAppUrl: AppOriginCheck;
  /** Where refusals are reported; never given a payload. */
  log?: (line: string) => void;
}

function sameFrame(a: WebFrameMain, b: WebFrameMain): boolean {
  return a === b || (a.processId === b.processId && a.routingId === b.routingId);
}

/** Why a message is refused, or undefined when it may go to the router. */
function refusal(channel: string, event: IpcMainEvent, message: unknown, isAppUrl: AppOriginCheck): string | undefined {
  if (!isContractChannel(channel)) return 'not a contract channel';
  const frame = event.senderFrame;
  if (!frame) return 'the sending frame is gone';
  let url: string;
  try {
    if (frame.parent !== null || !sameFrame(frame, event.sender.mainFrame)) return 'not the main frame';
    url = frame.url;
  } catch {
    return 'the sending frame is gone';
  }
  if (!isAppUrl(url)) return `foreign origin ${describeUrl(url)}`;
  if (!isClientMessage(message)) return 'not a contract message';
  if (channel === CANCEL_CHANNEL) return message.kind === 'cancel' ? undefined : 'not a cancel message';
  if (message.kind !== 'call') return 'a cancel message on a call channel';
  return message.method === methodOfChannel(channel) ? undefined : 'the method does not match the channel';
}

/**
 * The Electron side of the contract: listens on every contract channel, admits a message only
 * from the main frame of a page on the app's own origin, with the method its channel names, and
 * hands it to that page's router connection. Everything else is dropped and logged without its
 * payload. Each webContents gets one connection and session, closed (its calls aborted) when the
 * page navigates, reloads, crashes or is destroyed; the next page starts a fresh one.
 *
 * Returns a function that removes the listeners and closes every connection.
 */
export function registerIpc(core: Pick<ConsoleCore, 'router' | 'newSession'>, options: IpcOptions): () => void {
  const log = options.log ?? console.warn;
  const connections = new Map<number, RouterConnection>();
  const watched = new WeakSet<WebContents>();

  function close(contents: WebContents): void {
    const connection = connections.get(contents.id);
    if (!connection) return;
    connections.delete(contents.id);
    connection.close();
  }

  function watch(contents: WebContents): void {
    if (watched.has(contents)) return;
    watched.add(contents);
    contents.once('destroyed', () => close(contents));
    contents.on('render-process-gone', () => close(contents));
    // Closing when a navigation starts (not when it commits) cannot race the new page's first
    // call. A message the old page sends in between opens a fresh connection; its late reply
    // carries a call id the new page does not know, so the client ignores it.
    contents.on('did-start-navigation', (details) => {
      if (details.isMainFrame && !details.isSameDocument) close(contents);
    });
  }

  function connectionFor(contents: WebContents): RouterConnection {
    let connection = connections.get(contents.id);
    if (!connection) {
      watch(contents);
      connection = core.router.connect(
        {
          send: (reply: ServerMessage) => {
            if (!contents.isDestroyed()) contents.send(REPLY_CHANNEL, reply);
          },
        },
        core.newSession(`ipc-${contents.id}`),
      );
      connections.set(contents.id, connection);
    }
    return connection;
  }

  function receive(channel: string, event: IpcMainEvent, message: unknown): void {
    const reason = refusal(channel, event, message, options.isAppUrl);
    if (reason) {
      log(`Dropped an IPC message on ${JSON.stringify(channel.slice(0, 160))}: ${reason}`);
      return;
    }
    connectionFor(event.sender).receive(message);
  }

  const listeners = INBOUND_CHANNELS.map((channel) => {
    const listener = (event: IpcMainEvent, message: unknown): void => receive(channel, event, message);
    ipcMain.on(channel, listener);
    return [channel, listener] as const;
  });

  return () => {
    for (const [channel, listener] of listeners) ipcMain.removeListener(channel, listener);
    for (const connection of connections.values()) connection.close();
    connections.clear();
  };
}
