import type { StoreKind, StoreStatus } from '@shared/model/workspace';
import { storeStatusLine } from '@shared/store-state';
import type { DemoPlatform } from './demo-platform';

/**
 * The demo's stores that it wants but could not offer (yet) are `unavailable` with the reason,
 * never `not_configured`: the workspace has no endpoint for them only because their server is
 * still starting or could not start here.
 */
export function withDemoReasons(statuses: StoreStatus[], unavailable: Readonly<Partial<Record<StoreKind, string>>>): StoreStatus[] {
  return statuses.map((status) => {
    const reason = unavailable[status.store];
    return status.state === 'not_configured' && reason ? { ...status, state: 'unavailable', reason } : status;
  });
}

/**
 * Keeps everyone who shows the demo's store states in step with main's one answer: the start-up
 * log gets a line per store now and a line whenever a store's state changes, and the renderers get
 * the `stores.status` event with the same statuses. Returns the function that stops watching.
 */
export function watchDemoStatus(input: {
  demo: DemoPlatform;
  /** The statuses of the demo workspace, as `workspaces.status` answers them. */
  statusOf: (workspaceId: string) => Promise<StoreStatus[]>;
  broadcast: (workspaceId: string, statuses: StoreStatus[]) => void;
  log: (line: string) => void;
}): { ready: Promise<void>; stop(): void } {
  const { demo } = input;
  const said = new Map<StoreKind, string>();
  let stopped = false;
  // One read at a time, and one more after it when something changed meanwhile.
  let reading: Promise<void> | undefined;
  let again = false;

  const read = async (): Promise<void> => {
    const statuses = await input.statusOf(demo.workspaceId);
    if (stopped) return;
    input.broadcast(demo.workspaceId, statuses);
    for (const status of statuses) {
      const line = storeStatusLine(status);
      if (said.get(status.store) === line) continue;
      said.set(status.store, line);
      input.log(`  ${line}`);
    }
  };
  const refresh = (): Promise<void> => {
    if (reading) {
      again = true;
      return reading;
    }
    reading = read()
      .catch((error: unknown) => input.log(`The demo's store status could not be read: ${error instanceof Error ? error.message : String(error)}`))
      .finally(() => {
        reading = undefined;
        if (again && !stopped) {
          again = false;
          void refresh();
        }
      });
    return reading;
  };
  const unsubscribe = demo.onChange(() => void refresh());
  return {
    ready: refresh(),
    stop() {
      stopped = true;
      unsubscribe();
    },
  };
}
