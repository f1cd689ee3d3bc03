// @vitest-environment jsdom
import { cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { renderWithProviders } from '../test-support/render';
import { ConfirmDanger } from './ConfirmDanger';

afterEach(() => cleanup());

function actionButton(): HTMLButtonElement {
  const button = screen.getByText('Delete workspace', { selector: 'button *' }).closest('button');
  if (!button) throw new Error('no action button');
  return button;
}

function renderDialog(onConfirm: (typed: string) => Promise<void>, onCancel = vi.fn()) {
  renderWithProviders(
    <ConfirmDanger opened title="Delete workspace?" confirmText="Murima prod" actionLabel="Delete workspace" onCancel={onCancel} onConfirm={onConfirm}>
      This deletes it.
    </ConfirmDanger>,
  );
}

describe('ConfirmDanger', { timeout: 30_000 }, () => {
  it('keeps the action disabled until the exact name is typed', async () => {
    const onConfirm = vi.fn(async () => undefined);
    renderDialog(onConfirm);
    const input = await screen.findByLabelText('Confirmation');
    expect(actionButton().disabled).toBe(true);
    fireEvent.change(input, { target: { value: 'murima prod' } });
    expect(actionButton().disabled).toBe(true);
    fireEvent.submit(input.closest('form') as HTMLFormElement);
    expect(onConfirm).not.toHaveBeenCalled();
    fireEvent.change(input, { target: { value: 'Murima prod' } });
    expect(actionButton().disabled).toBe(false);
    fireEvent.click(actionButton());
    await waitFor(() => expect(onConfirm).toHaveBeenCalledWith('Murima prod'));
  });

  it('shows why the action failed and stays open', async () => {
    renderDialog(async () => {
      throw new Error('the vault is locked');
    });
    fireEvent.change(await screen.findByLabelText('Confirmation'), { target: { value: 'Murima prod' } });
    fireEvent.click(actionButton());
    expect(await screen.findByText('the vault is locked')).toBeTruthy();
    expect(screen.getByLabelText('Confirmation')).toBeTruthy();
  });

  it('cancels without acting', async () => {
    const onConfirm = vi.fn(async () => undefined);
    const onCancel = vi.fn();
    renderDialog(onConfirm, onCancel);
    fireEvent.click(screen.getByText('Cancel', { selector: 'button *' }));
    expect(onCancel).toHaveBeenCalledTimes(1);
    expect(onConfirm).not.toHaveBeenCalled();
  });
});
