import type { ReactElement } from 'react';
import { MantineProvider } from '@mantine/core';
import { Notifications } from '@mantine/notifications';
import { render, type RenderResult } from '@testing-library/react';
import { theme } from '../theme';

/** jsdom lacks what Mantine measures with; these stand-ins do nothing, which is all a test needs. */
export function installDomShims(): void {
  if (!window.matchMedia) {
    window.matchMedia = (query: string) =>
      ({
        matches: false,
        media: query,
        onchange: null,
        addListener: () => undefined,
        removeListener: () => undefined,
        addEventListener: () => undefined,
        removeEventListener: () => undefined,
        dispatchEvent: () => false,
      }) as MediaQueryList;
  }
  globalThis.ResizeObserver ??= class {
    observe(): void {}
    unobserve(): void {}
    disconnect(): void {}
  } as unknown as typeof ResizeObserver;
  window.HTMLElement.prototype.scrollIntoView ??= () => undefined;
}

export function renderWithProviders(ui: ReactElement): RenderResult {
  installDomShims();
  return render(
    <MantineProvider theme={theme} defaultColorScheme="dark">
      <Notifications />
      {ui}
    </MantineProvider>,
  );
}
