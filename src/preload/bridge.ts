import type { IpcRenderer, IpcRendererEvent } from 'electron';
import { isMethodName } from '@shared/contract';
import type { TenantscopeBridge } from '@shared/contract/bridge';
import { CANCEL_CHANNEL, REPLY_CHANNEL, channelFor } from '@shared/contract/channels';
import type { ClientMessage, ServerMessage } from '@shared/contract/protocol';

/** The part of ipcRenderer the bridge uses; the bridge keeps it to itself. */
export type BridgeIpc = Pick<IpcRenderer, 'send' | 'on' | 'removeListener'>;

/**
 * The API the preload hands to the renderer. It sends only contract messages, each on its method's
 * own channel, copying the known fields so nothing else rides along; a method that is not in the
 * contract is refused here, before IPC. Listeners receive the message only, never the IPC event
 * (which would give the page a handle on the sender).
 */
export function createBridge(ipc: BridgeIpc): TenantscopeBridge {
  return {
    send(message: ClientMessage): void {
      if (message?.kind === 'cancel') {
        ipc.send(CANCEL_CHANNEL, { kind: 'cancel', callId: String(message.callId) });
        return;
      }
      if (message?.kind !== 'call') throw new Error('Only call and cancel messages can be sent to the main process');
      if (!isMethodName(message.method)) {
        throw new Error(`There is no method ${JSON.stringify(String(message.method).slice(0, 128))} in the contract`);
      }
      ipc.send(channelFor(message.method), {
        kind: 'call',
        callId: String(message.callId),
        method: message.method,
        args: message.args,
      });
    },
    onMessage(listener: (message: ServerMessage) => void): () => void {
      const forward = (_event: IpcRendererEvent, message: ServerMessage): void => listener(message);
      ipc.on(REPLY_CHANNEL, forward);
      return () => {
        ipc.removeListener(REPLY_CHANNEL, forward);
      };
    },
  };
}
