// @vitest-environment jsdom
import { useState } from 'react';
import { cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { VaultStatus } from '@shared/contract/vault';
import { AppError } from '@shared/errors';
import { api, setApiForTests } from '../../api';
import { createFakeApi, type FakeApi } from '../../test-support/fake-api';
import { renderWithProviders } from '../../test-support/render';
import { VaultGate } from './VaultGate';

afterEach(() => cleanup());

/** A passphrase vault as the main process keeps it: locked until the right passphrase arrives. */
function passphraseVault(options: { initialized: boolean; passphrase?: string; unlockDelay?: Promise<void> }) {
  const state = { initialized: options.initialized, locked: true, passphrase: options.passphrase ?? 'river-copper-tulip' };
  const status = (): VaultStatus => ({ backend: 'passphrase', locked: state.locked, initialized: state.initialized });
  const fake = createFakeApi({
    'vault.status': status,
    'vault.unlock': async ({ passphrase }) => {
      await options.unlockDelay;
      if (!state.initialized) {
        if (passphrase.length < 8) throw new AppError('invalid_argument', 'Choose a master passphrase of at least 8 characters.');
        state.passphrase = passphrase;
        state.initialized = true;
      } else if (passphrase !== state.passphrase) {
        throw new AppError('auth_failed', 'The master passphrase is wrong.');
      }
      state.locked = false;
      return status();
    },
    'workspaces.list': () => {
      if (state.locked) throw new AppError('locked', 'The vault is locked: enter the master passphrase to use stored passwords.');
      return [];
    },
  });
  setApiForTests(fake.api);
  return { fake, state };
}

function unlockCalls(fake: FakeApi): unknown[] {
  return fake.calls.filter((c) => c.method === 'vault.unlock').map((c) => c.args);
}

/** Stands in for the app: a view that lists workspaces on demand and keeps what was typed. */
function TheApp() {
  const [note, setNote] = useState('');
  const [outcome, setOutcome] = useState('');
  return (
    <main>
      <h1>The app</h1>
      <input aria-label="Note" value={note} onChange={(e) => setNote(e.currentTarget.value)} />
      <button
        type="button"
        onClick={() =>
          api()
            .workspaces.list({})
            .then(
              () => setOutcome('listed'),
              (error: unknown) => setOutcome(AppError.is(error) ? error.code : 'failed'),
            )
        }
      >
        List workspaces
      </button>
      <output>{outcome}</output>
    </main>
  );
}

const passphraseField = () => screen.getByLabelText('Master passphrase') as HTMLInputElement;
const type = (label: string, value: string) => fireEvent.change(screen.getByLabelText(label), { target: { value } });

describe('the vault gate', { timeout: 20_000 }, () => {
  it('shows the app at once when the vault is not a locked one', async () => {
    const fake = createFakeApi({ 'vault.status': () => ({ backend: 'key-file', locked: false, initialized: true }) });
    setApiForTests(fake.api);
    renderWithProviders(
      <VaultGate>
        <TheApp />
      </VaultGate>,
    );
    expect(await screen.findByText('The app')).toBeTruthy();
    expect(screen.queryByLabelText('Master passphrase')).toBeNull();
    expect(unlockCalls(fake)).toEqual([]);
  });

  it('on first use explains why and asks for the passphrase twice, refusing short or different ones', async () => {
    const { fake, state } = passphraseVault({ initialized: false });
    renderWithProviders(
      <VaultGate>
        <TheApp />
      </VaultGate>,
    );
    expect(await screen.findByText('Choose a master passphrase')).toBeTruthy();
    expect(screen.getByText(/offers no secret store/)).toBeTruthy();
    expect(screen.getByText(/cannot be recovered/)).toBeTruthy();
    expect(screen.queryByText('The app')).toBeNull();

    type('Master passphrase', 'short1');
    type('Repeat the passphrase', 'short1');
    expect(screen.getByText('At least 8 characters.')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Set passphrase and open' }));
    expect(await screen.findByText('Use at least 8 characters.')).toBeTruthy();

    type('Master passphrase', 'granite lantern orbit');
    expect(screen.getByText('Strong.')).toBeTruthy();
    type('Repeat the passphrase', 'granite lantern orbiT');
    fireEvent.click(screen.getByRole('button', { name: 'Set passphrase and open' }));
    expect(await screen.findByText(/The two passphrases differ/)).toBeTruthy();
    expect(unlockCalls(fake)).toEqual([]);

    type('Repeat the passphrase', 'granite lantern orbit');
    fireEvent.click(screen.getByRole('button', { name: 'Set passphrase and open' }));
    expect(await screen.findByText('The app')).toBeTruthy();
    expect(unlockCalls(fake)).toEqual([{ passphrase: 'granite lantern orbit' }]);
    expect(state).toMatchObject({ initialized: true, locked: false, passphrase: 'granite lantern orbit' });
    expect(screen.queryByLabelText('Master passphrase')).toBeNull();
  });

  it('asks once on later starts, warns of Caps Lock; a wrong passphrase shows the error and keeps the field focused', async () => {
    const { fake } = passphraseVault({ initialized: true, passphrase: 'river-copper-tulip' });
    renderWithProviders(
      <VaultGate>
        <TheApp />
      </VaultGate>,
    );
    expect(await screen.findByText('Enter the master passphrase')).toBeTruthy();
    expect(screen.queryByLabelText('Repeat the passphrase')).toBeNull();

    fireEvent.keyUp(passphraseField(), { key: 'R', modifierCapsLock: true });
    expect(screen.getByText('Caps Lock is on.')).toBeTruthy();
    fireEvent.keyUp(passphraseField(), { key: 'r', modifierCapsLock: false });
    expect(screen.queryByText('Caps Lock is on.')).toBeNull();

    type('Master passphrase', 'river-copper-tulips');
    fireEvent.click(screen.getByRole('button', { name: 'Unlock' }));
    expect(await screen.findByText('The master passphrase is wrong.')).toBeTruthy();
    await waitFor(() => expect(document.activeElement).toBe(passphraseField()));
    expect(passphraseField().value).toBe('');
    expect(screen.queryByText('The app')).toBeNull();

    type('Master passphrase', 'river-copper-tulip');
    fireEvent.click(screen.getByRole('button', { name: 'Unlock' }));
    expect(await screen.findByText('The app')).toBeTruthy();
    expect(unlockCalls(fake)).toEqual([{ passphrase: 'river-copper-tulips' }, { passphrase: 'river-copper-tulip' }]);
  });

  it('stays busy while the key is derived and sends the passphrase only once', async () => {
    let finish: () => void = () => undefined;
    const unlockDelay = new Promise<void>((resolve) => (finish = resolve));
    const { fake } = passphraseVault({ initialized: true, passphrase: 'river-copper-tulip', unlockDelay });
    renderWithProviders(
      <VaultGate>
        <TheApp />
      </VaultGate>,
    );
    await screen.findByText('Enter the master passphrase');
    type('Master passphrase', 'river-copper-tulip');
    fireEvent.submit(screen.getByRole('form', { name: 'Unlock the vault' }));
    expect(await screen.findByText('Deriving the key…')).toBeTruthy();
    expect(screen.getByRole('form', { name: 'Unlock the vault' }).getAttribute('aria-busy')).toBe('true');
    expect(passphraseField().readOnly).toBe(true);
    fireEvent.submit(screen.getByRole('form', { name: 'Unlock the vault' }));

    finish();
    expect(await screen.findByText('The app')).toBeTruthy();
    expect(unlockCalls(fake)).toHaveLength(1);
  });

  it('brings the screen back over the app when a call fails with locked, keeping what was typed', async () => {
    const { state } = passphraseVault({ initialized: true, passphrase: 'river-copper-tulip' });
    renderWithProviders(
      <VaultGate>
        <TheApp />
      </VaultGate>,
    );
    await screen.findByText('Enter the master passphrase');
    type('Master passphrase', 'river-copper-tulip');
    fireEvent.click(screen.getByRole('button', { name: 'Unlock' }));
    await screen.findByText('The app');
    type('Note', 'half-written');
    fireEvent.click(screen.getByText('List workspaces'));
    expect(await screen.findByText('listed')).toBeTruthy();

    state.locked = true; // the main process started again
    fireEvent.click(screen.getByText('List workspaces'));
    expect(await screen.findByText('Enter the master passphrase')).toBeTruthy();
    expect(screen.getByText('locked')).toBeTruthy();

    type('Master passphrase', 'river-copper-tulip');
    fireEvent.click(screen.getByRole('button', { name: 'Unlock' }));
    await waitFor(() => expect(screen.queryByLabelText('Master passphrase')).toBeNull());
    expect((screen.getByLabelText('Note') as HTMLInputElement).value).toBe('half-written');
  });

  it('says when the vault cannot be read and tries again on request', async () => {
    let fail = true;
    const fake = createFakeApi({
      'vault.status': () => {
        if (fail) throw new AppError('internal', 'vault.json in the data dir is damaged.');
        return { backend: 'passphrase', locked: true, initialized: true };
      },
    });
    setApiForTests(fake.api);
    renderWithProviders(
      <VaultGate>
        <TheApp />
      </VaultGate>,
    );
    expect(await screen.findByText('vault.json in the data dir is damaged.')).toBeTruthy();
    fail = false;
    fireEvent.click(screen.getByText('Try again'));
    expect(await screen.findByText('Enter the master passphrase')).toBeTruthy();
  });
});
