import { contextBridge, ipcRenderer } from 'electron';
import { BRIDGE_KEY } from '@shared/contract/bridge';
import { createBridge } from './bridge';

// The only thing the page gets: `window.tenantscope`, the contract's message port.
contextBridge.exposeInMainWorld(BRIDGE_KEY, createBridge(ipcRenderer));
