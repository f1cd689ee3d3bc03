import { Group, Loader, Text, Tooltip } from '@mantine/core';
import { STORE_LABELS, type StoreKind, type StoreStatus } from '@shared/model/workspace';
import { STORE_STATE_LABELS } from '@shared/store-state';
import type { StoreColumn } from './slice';

const STATE_TEXT: Record<StoreColumn['state'], string> = {
  loading: 'loading',
  ok: 'ok',
  down: 'down',
  timeout: 'too slow',
  not_configured: 'not configured',
  cancelled: 'cancelled',
};

const STATE_COLOR: Record<StoreColumn['state'], string> = {
  loading: 'dimmed',
  ok: 'teal',
  down: 'red',
  timeout: 'yellow',
  not_configured: 'dimmed',
  cancelled: 'dimmed',
};

export function storeStateText(column: StoreColumn): string {
  return STATE_TEXT[column.state];
}

/** A store column's header: the store's name and, unless it answered, why its cells are empty. */
export function StoreColumnHeader({ store, column }: { store: StoreKind; column: StoreColumn }) {
  return (
    <Group gap={4} wrap="nowrap" component="span" data-store-column={store} data-state={column.state}>
      <span>{STORE_LABELS[store]}</span>
      {column.state === 'loading' && <Loader size={10} aria-label={`${STORE_LABELS[store]} loading`} />}
      {column.state !== 'loading' && column.state !== 'ok' && (
        <Tooltip label={column.reason ?? STATE_TEXT[column.state]} multiline maw={360} withArrow>
          <Text span size="xs" c={STATE_COLOR[column.state]} fw={500}>
            · {STATE_TEXT[column.state]}
          </Text>
        </Tooltip>
      )}
    </Group>
  );
}

/**
 * One line per store above the list: how it answered, how fast, and the reason when it did not. A
 * store the list did not ask (no endpoint) says what the status bar says about it: not configured,
 * or not available with the reason.
 */
export function StoreAnswers({ stores, statuses }: { stores: Record<StoreKind, StoreColumn>; statuses?: ReadonlyMap<StoreKind, StoreStatus> }) {
  return (
    <Group gap="lg" wrap="wrap" aria-label="Store answers" role="status">
      {(Object.keys(stores) as StoreKind[]).map((store) => {
        const column = stores[store];
        const status = statuses?.get(store);
        if (column.state === 'not_configured' && status) {
          return (
            <Group key={store} gap={6} wrap="nowrap" data-store-answer={store} data-state={column.state} data-store-state={status.state}>
              <Text size="xs" fw={600}>
                {STORE_LABELS[store]}
              </Text>
              {/* One line, like the other stores; the whole reason is in the title and on the Overview. */}
              <Text size="xs" c={status.state === 'unavailable' ? 'orange' : 'dimmed'} truncate maw={560} title={status.reason}>
                {STORE_STATE_LABELS[status.state]}
                {status.state === 'unavailable' && status.reason && ` · ${status.reason}`}
              </Text>
            </Group>
          );
        }
        return (
          <Group key={store} gap={6} wrap="nowrap" data-store-answer={store} data-state={column.state}>
            <Text size="xs" fw={600}>
              {STORE_LABELS[store]}
            </Text>
            {column.state === 'loading' ? (
              <Loader size={10} />
            ) : (
              <Text size="xs" c={STATE_COLOR[column.state]}>
                {STATE_TEXT[column.state]}
                {column.state === 'ok' && column.tenants !== undefined && ` · ${column.tenants} tenants`}
                {column.elapsedMs !== undefined && column.state !== 'not_configured' && ` · ${Math.round(column.elapsedMs)} ms`}
                {column.reason && column.state !== 'not_configured' && ` · ${column.reason}`}
              </Text>
            )}
          </Group>
        );
      })}
    </Group>
  );
}
