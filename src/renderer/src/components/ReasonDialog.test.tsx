// @vitest-environment jsdom
import { cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { renderWithProviders } from '../test-support/render';
import { ReasonDialog, type ReasonInput } from './ReasonDialog';

afterEach(() => cleanup());

function submitButton(label = 'Open tenant'): HTMLButtonElement {
  const found = screen.getByText(label, { selector: 'button *' }).closest('button');
  if (!found) throw new Error(`no ${label} button`);
  return found;
}

function type(label: string, text: string): void {
  fireEvent.change(screen.getByLabelText(label, { exact: false }), { target: { value: text } });
}

describe('the reason dialog', { timeout: 30_000 }, () => {
  it('keeps the action disabled until the reason has 10 characters, counting as the person types', () => {
    const onSubmit = vi.fn(async () => undefined);
    renderWithProviders(<ReasonDialog opened title="Open tenant acme" actionLabel="Open tenant" onCancel={() => undefined} onSubmit={onSubmit} />);
    expect(submitButton().disabled).toBe(true);
    type('Reason', '  too short ');
    expect(screen.getByText(/9 \/ 10\+ characters/)).toBeTruthy();
    expect(screen.getByText(/1 more/)).toBeTruthy();
    expect(submitButton().disabled).toBe(true);
    type('Reason', 'Ticket about invoices');
    expect(submitButton().disabled).toBe(false);
    expect(screen.queryByText(/more\)/)).toBeNull();
  });

  it('refuses a ticket id the main process would refuse', () => {
    renderWithProviders(<ReasonDialog opened title="t" actionLabel="Open tenant" onCancel={() => undefined} onSubmit={async () => undefined} />);
    type('Reason', 'Customer cannot log in since Monday');
    type('Ticket', 'SUP 12; drop');
    expect(screen.getByText(/Letters, digits/)).toBeTruthy();
    expect(submitButton().disabled).toBe(true);
    type('Ticket', 'SUP-1234');
    expect(submitButton().disabled).toBe(false);
  });

  it('hands over the trimmed reason and ticket and the chosen duration', async () => {
    const given: ReasonInput[] = [];
    renderWithProviders(
      <ReasonDialog
        opened
        title="Unlock"
        actionLabel="Unlock writes"
        durations={[30, 60]}
        onCancel={() => undefined}
        onSubmit={async (input) => {
          given.push(input);
        }}
      />,
    );
    type('Reason', '  Reindex after the failed migration  ');
    type('Ticket', ' OPS-7 ');
    fireEvent.click(submitButton('Unlock writes'));
    await waitFor(() => expect(given).toEqual([{ reason: 'Reindex after the failed migration', ticket: 'OPS-7', minutes: 30 }]));
  });

  it('shows why the server refused and stays open with what was typed', async () => {
    const onCancel = vi.fn();
    renderWithProviders(
      <ReasonDialog
        opened
        title="t"
        actionLabel="Open tenant"
        onCancel={onCancel}
        onSubmit={async () => {
          throw new Error('A support operator may not unmask a field.');
        }}
      />,
    );
    type('Reason', 'Customer cannot log in since Monday');
    fireEvent.click(submitButton());
    await waitFor(() => expect(screen.getByText('A support operator may not unmask a field.')).toBeTruthy());
    expect((screen.getByLabelText('Reason', { exact: false }) as HTMLTextAreaElement).value).toBe('Customer cannot log in since Monday');
    expect(onCancel).not.toHaveBeenCalled();
  });
});
