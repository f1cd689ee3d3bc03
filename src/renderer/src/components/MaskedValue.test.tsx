// @vitest-environment jsdom
import { cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { renderWithProviders } from '../test-support/render';
import { MaskedValue } from './MaskedValue';

afterEach(() => cleanup());

const unmaskButton = () => screen.getByLabelText('Unmask users.password_hash');

describe('a masked value', { timeout: 30_000 }, () => {
  it('for a role that may not unmask: shows the value masked and an unmask that does nothing, saying why', async () => {
    const why = 'Support sees users.password_hash masked. Only a platform admin may unmask it.';
    renderWithProviders(<MaskedValue value="$2b$12$••••" masked fieldLabel="users.password_hash" unmask={{ allowed: false, why }} />);
    expect(screen.getByText('$2b$12$••••').dataset.masked).toBe('true');
    expect(unmaskButton().getAttribute('aria-disabled')).toBe('true');
    fireEvent.click(unmaskButton());
    expect(screen.queryByText('Reason', { exact: false })).toBeNull();
    fireEvent.mouseEnter(unmaskButton());
    await waitFor(() => expect(screen.getByText(why)).toBeTruthy());
  });

  it('for a role that may: asks for a reason, then hands it over', async () => {
    const onUnmask = vi.fn(async () => undefined);
    renderWithProviders(<MaskedValue value="$2b$12$••••" masked fieldLabel="users.password_hash" context="of tenant acme" unmask={{ allowed: true, onUnmask }} />);
    fireEvent.click(unmaskButton());
    await waitFor(() => expect(screen.getByText(/in clear, to you only/)).toBeTruthy());
    expect(screen.getByText(/users.password_hash of tenant acme/)).toBeTruthy();
    fireEvent.change(screen.getByLabelText('Reason', { exact: false }), { target: { value: 'Check the hash algorithm after the breach report' } });
    fireEvent.click(screen.getByText('Unmask', { selector: 'button *' }));
    await waitFor(() => expect(onUnmask).toHaveBeenCalledWith({ reason: 'Check the hash algorithm after the breach report' }));
  });

  it('says so when the value is in clear, and offers no unmask', () => {
    renderWithProviders(<MaskedValue value="$2b$12$abcdefghijklmnopqrstuv" masked={false} fieldLabel="users.password_hash" unmask={{ allowed: true, onUnmask: async () => undefined }} />);
    expect(screen.getByText('unmasked')).toBeTruthy();
    expect(screen.queryByLabelText('Unmask users.password_hash')).toBeNull();
  });
});
