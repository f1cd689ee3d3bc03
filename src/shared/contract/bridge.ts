import type { ClientMessage, ServerMessage } from './protocol';

/**
 * What the preload exposes to the renderer as `window.tenantscope`: a message port for contract
 * calls only. It never hands out `ipcRenderer`; messages whose method is not in the contract are
 * refused in the preload before they reach IPC.
 */
export interface TenantscopeBridge {
  send(message: ClientMessage): void;
  onMessage(listener: (message: ServerMessage) => void): () => void;
}

export const BRIDGE_KEY = 'tenantscope';
