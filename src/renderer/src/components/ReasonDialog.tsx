import { useState, type ReactNode } from 'react';
import { Alert, Button, Group, Modal, Select, Stack, Text, Textarea, TextInput } from '@mantine/core';

/** What a person gives to justify an access: a reason a colleague could check, maybe a ticket. */
export interface ReasonInput {
  reason: string;
  ticket?: string;
  /** How long the reason holds, when the dialog offers a choice. */
  minutes?: number;
}

export const MIN_REASON_LENGTH = 10;
// The same rule the main process applies, so the button never enables for what it would refuse.
const TICKET_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._#:/-]{0,63}$/;

/** Why a reason or ticket is not acceptable yet, or null when it is. */
export function reasonProblem(reason: string): string | null {
  const length = reason.trim().length;
  if (length >= MIN_REASON_LENGTH) return null;
  return `At least ${MIN_REASON_LENGTH} characters, so a colleague can check it later (${MIN_REASON_LENGTH - length} more)`;
}

export function ticketProblem(ticket: string): string | null {
  const trimmed = ticket.trim();
  if (trimmed === '' || TICKET_PATTERN.test(trimmed)) return null;
  return 'Letters, digits and . _ # : / - only, starting with a letter or digit, at most 64';
}

export interface ReasonDialogProps {
  opened: boolean;
  /** "Open tenant Acme", "Unmask password_hash". */
  title: string;
  /** What the reason unlocks and for how long, in the person's terms. */
  children?: ReactNode;
  actionLabel: string;
  /** Offer a choice of how long it holds (minutes); the first is the default. */
  durations?: readonly number[];
  onCancel(): void;
  /** Gives the reason; a rejection is shown in the dialog and keeps it open. */
  onSubmit(input: ReasonInput): Promise<void>;
}

function durationLabel(minutes: number): string {
  if (minutes < 60) return `${minutes} minutes`;
  const hours = minutes / 60;
  return hours === 1 ? '1 hour' : `${hours} hours`;
}

/**
 * Asks for the reason behind an access that is recorded in the audit journal: at least ten
 * characters (checked as the person types) and an optional ticket id.
 */
export function ReasonDialog(props: ReasonDialogProps) {
  const { opened, title, children, actionLabel, durations, onCancel, onSubmit } = props;
  const [reason, setReason] = useState('');
  const [ticket, setTicket] = useState('');
  const [duration, setDuration] = useState<string | null>(durations?.[0] !== undefined ? String(durations[0]) : null);
  const [touched, setTouched] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const reasonError = reasonProblem(reason);
  const ticketError = ticketProblem(ticket);
  const ready = reasonError === null && ticketError === null;

  function reset(): void {
    setReason('');
    setTicket('');
    setTouched(false);
    setError(null);
  }

  function close(): void {
    if (busy) return;
    reset();
    onCancel();
  }

  async function submit(): Promise<void> {
    setTouched(true);
    if (!ready || busy) return;
    setBusy(true);
    setError(null);
    try {
      const trimmedTicket = ticket.trim();
      await onSubmit({
        reason: reason.trim(),
        ...(trimmedTicket ? { ticket: trimmedTicket } : {}),
        ...(duration ? { minutes: Number(duration) } : {}),
      });
      reset();
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Modal opened={opened} onClose={close} title={title} centered size="md">
      <form
        aria-label={title}
        onSubmit={(event) => {
          event.preventDefault();
          void submit();
        }}
      >
        <Stack gap="sm">
          {children && <div>{children}</div>}
          <Textarea
            label="Reason"
            description="Recorded in the audit journal with your name"
            placeholder="Customer reports missing invoices since Monday"
            rows={3}
            maxLength={2000}
            value={reason}
            onChange={(event) => setReason(event.currentTarget.value)}
            onBlur={() => setTouched(reason.length > 0 || touched)}
            error={reason.length > 0 || touched ? reasonError : null}
            data-autofocus
            required
          />
          <TextInput
            label="Ticket"
            placeholder="SUP-1234"
            description="Optional"
            value={ticket}
            onChange={(event) => setTicket(event.currentTarget.value)}
            error={ticketError}
            autoComplete="off"
            spellCheck={false}
          />
          {durations && durations.length > 0 && (
            <Select
              label="Holds for"
              allowDeselect={false}
              data={durations.map((minutes) => ({ value: String(minutes), label: durationLabel(minutes) }))}
              value={duration}
              onChange={setDuration}
            />
          )}
          {error && (
            <Alert color="red" variant="light" title="Not accepted">
              {error}
            </Alert>
          )}
          <Group justify="space-between" gap="xs">
            <Text size="xs" c={reasonError ? 'dimmed' : 'teal'} aria-live="polite">
              {reason.trim().length} / {MIN_REASON_LENGTH}+ characters
            </Text>
            <Group gap="xs">
              <Button variant="default" onClick={close} disabled={busy}>
                Cancel
              </Button>
              <Button type="submit" disabled={!ready} loading={busy}>
                {actionLabel}
              </Button>
            </Group>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
