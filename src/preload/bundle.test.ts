import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { runInThisContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { announceSkip } from '../../test/support/external-stores';

const BUNDLE = fileURLToPath(new URL('../../out/preload/index.cjs', import.meta.url));
const skipReason = existsSync(BUNDLE) ? undefined : 'out/preload/index.cjs is missing: run `npm run build` first (npm test does)';
announceSkip('built preload bundle', skipReason);

/** The modules Electron's sandboxed preload may require. */
const SANDBOX_MODULES = new Set(['electron', 'events', 'timers', 'url']);

describe.skipIf(skipReason !== undefined)('built preload bundle', () => {
  it('is one CommonJS file that requires only what a sandboxed preload may, and exposes the bridge', () => {
    const source = readFileSync(BUNDLE, 'utf8');
    const required: string[] = [];
    const exposed = new Map<string, Record<string, unknown>>();
    const electron = {
      contextBridge: { exposeInMainWorld: (key: string, api: Record<string, unknown>) => exposed.set(key, api) },
      ipcRenderer: { send: () => undefined, on: () => undefined, removeListener: () => undefined },
    };
    // An ES module would not even parse inside this CommonJS wrapper.
    const wrapper = runInThisContext(`(function (require, module, exports) {${source}\n})`, { filename: BUNDLE }) as (
      require: (name: string) => unknown,
      module: { exports: unknown },
      exports: unknown,
    ) => void;
    wrapper(
      (name) => {
        required.push(name);
        if (!SANDBOX_MODULES.has(name)) throw new Error(`a sandboxed preload cannot require ${name}`);
        return electron;
      },
      { exports: {} },
      {},
    );
    expect(required).toEqual(['electron']);
    expect([...exposed.keys()]).toEqual(['tenantscope']);
    expect(Object.keys(exposed.get('tenantscope') ?? {}).sort()).toEqual(['onMessage', 'send']);
  });
});
