import { localStorageColorSchemeManager, MantineProvider } from '@mantine/core';
import { Notifications } from '@mantine/notifications';
import { VaultGate } from './features/vault';
import { Shell } from './shell/Shell';
import { theme } from './theme';

const colorSchemeManager = localStorageColorSchemeManager({ key: 'tenantscope.colorScheme' });

/** Providers around the shell, which waits for the secrets vault to open; dark unless the person chose light. */
export function App() {
  return (
    <MantineProvider theme={theme} defaultColorScheme="dark" colorSchemeManager={colorSchemeManager}>
      <Notifications position="bottom-right" limit={4} autoClose={4000} />
      <VaultGate>
        <Shell />
      </VaultGate>
    </MantineProvider>
  );
}
