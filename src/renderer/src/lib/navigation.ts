import type { StateCreator } from 'zustand';
import type { Screen } from './screens';

export interface NavigationSlice {
  screen: Screen;
  /** What leaving the current screen would lose ("changes to Murima prod"), or null. */
  unsavedChanges: string | null;
  /** Where the person asked to go while there were unsaved changes; the shell asks first. */
  pendingScreen: Screen | null;
  /** Goes to a screen; with unsaved changes it only asks, unless `discard` says they may go. */
  navigate(screen: Screen, options?: { discard?: boolean }): void;
  setUnsavedChanges(what: string | null): void;
  /** The answer to "leave without saving?": go to the pending screen, or stay. */
  resolvePendingNavigation(leave: boolean): void;
}

/** Where the console is and where it is asked to go; `start` is the screen it opens on. */
export function createNavigationSlice(start: Screen): StateCreator<NavigationSlice, [], [], NavigationSlice> {
  return (set, get) => ({
    screen: start,
    unsavedChanges: null,
    pendingScreen: null,
    navigate(screen, options = {}) {
      if (get().unsavedChanges && !options.discard) {
        set({ pendingScreen: screen });
        return;
      }
      set({ screen, pendingScreen: null, unsavedChanges: null });
    },
    setUnsavedChanges: (unsavedChanges) => set({ unsavedChanges }),
    resolvePendingNavigation(leave) {
      const target = get().pendingScreen;
      if (leave && target) set({ screen: target, pendingScreen: null, unsavedChanges: null });
      else set({ pendingScreen: null });
    },
  });
}
