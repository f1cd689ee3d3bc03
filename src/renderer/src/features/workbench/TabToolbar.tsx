import { ActionIcon, Button, Group, Menu, NumberInput, SegmentedControl, Select, Switch, Text, Tooltip } from '@mantine/core';
import { Download, Network, Play, Save, Square } from 'lucide-react';
import type { Role } from '@shared/model/session';
import type { CatalogEntry } from '@shared/model/workbench';
import { ScopePicker, type TenantChoice } from './ScopePicker';
import type { WorkbenchTab } from './tabs-store';

export interface TabToolbarProps {
  tab: WorkbenchTab;
  update(change: Partial<Omit<WorkbenchTab, 'id'>>): void;
  role: Role | undefined;
  prod: boolean;
  tenants: TenantChoice[];
  tenantsLoading: boolean;
  catalog: CatalogEntry[];
  catalogLoading: boolean;
  running: boolean;
  /** Why the tab cannot run yet, if it cannot. */
  missing: string | null;
  allowWrites: boolean;
  onAllowWrites(allow: boolean): void;
  onRun(): void;
  onCancel(): void;
  onSave(): void;
  /** Opens the explain screen with this query; present for the engines that explain, undefined until the query can run. */
  onExplain?: (() => void) | undefined;
  /** Export needs one tenant: absent when the scope is several or all. */
  onExport?(format: 'csv' | 'json'): void;
  exporting: boolean;
}

/** A tab's controls: scope, target, limits, writes, and the run, cancel, save and export buttons. */
export function TabToolbar(props: TabToolbarProps) {
  const { tab, update, role } = props;
  const support = role === 'support';
  const fanOut = tab.scope.kind !== 'tenant';
  const collections = props.catalog.filter((e) => e.kind === 'collection').map((e) => e.name);
  const indices = props.catalog.filter((e) => e.kind === 'index' || e.kind === 'alias').map((e) => e.name);

  return (
    <Group gap="xs" wrap="wrap" align="center" aria-label="Query settings" role="toolbar">
      <ScopePicker
        scope={tab.scope}
        onChange={(scope) => update({ scope })}
        tenants={props.tenants}
        tenantsLoading={props.tenantsLoading}
        oneTenantOnly={support}
      />
      {tab.engine === 'mongo' && (
        <>
          <Select
            size="xs"
            w={170}
            aria-label="Collection"
            placeholder={props.catalogLoading ? 'Reading…' : 'Collection'}
            searchable
            data={withCurrent(collections, tab.collection)}
            value={tab.collection}
            onChange={(collection) => update({ collection })}
          />
          <SegmentedControl
            size="xs"
            aria-label="Operation"
            value={tab.operation}
            onChange={(operation) => update({ operation: operation as 'find' | 'aggregate' })}
            data={[
              { value: 'find', label: 'find' },
              { value: 'aggregate', label: 'aggregate' },
            ]}
          />
        </>
      )}
      {tab.engine === 'elastic' && (
        <Select
          size="xs"
          w={190}
          aria-label="Index"
          placeholder={props.catalogLoading ? 'Reading…' : 'Index or pattern'}
          searchable
          data={withCurrent(indices, tab.index)}
          value={tab.index}
          onChange={(index) => update({ index })}
        />
      )}
      <NumberInput
        size="xs"
        w={120}
        aria-label="Row limit"
        leftSection={<Text size="10px" c="dimmed">rows</Text>}
        leftSectionWidth={36}
        min={1}
        max={1_000_000}
        thousandSeparator=","
        value={tab.rowLimit}
        onChange={(value) => update({ rowLimit: Math.min(1_000_000, Math.max(1, Math.round(Number(value) || 1))) })}
      />
      <NumberInput
        size="xs"
        w={118}
        aria-label="Timeout in seconds"
        leftSection={<Text size="10px" c="dimmed">timeout</Text>}
        leftSectionWidth={48}
        suffix=" s"
        min={1}
        max={3_600}
        value={tab.timeoutSeconds}
        onChange={(value) => update({ timeoutSeconds: Math.min(3_600, Math.max(1, Number(value) || 30)) })}
      />
      {!support && !fanOut && (
        <Group gap={6} wrap="nowrap">
          <Switch size="xs" label="Allow writes" checked={props.allowWrites} onChange={(event) => props.onAllowWrites(event.currentTarget.checked)} color="red" />
          {props.prod && (
            <Text size="xs" c="orange" data-testid="prod-unlock-note">
              prod: writes need an unlock, asked for on the first run
            </Text>
          )}
        </Group>
      )}
      <Group gap={6} ml="auto" wrap="nowrap">
        {props.running ? (
          <Button size="xs" color="red" variant="light" leftSection={<Square size={12} />} onClick={props.onCancel}>
            Cancel
          </Button>
        ) : (
          <Tooltip label={props.missing ?? 'Ctrl+Enter'} withArrow>
            <Button
              size="xs"
              leftSection={<Play size={12} />}
              color={props.allowWrites && !fanOut ? 'red' : undefined}
              disabled={props.missing !== null}
              onClick={props.onRun}
            >
              {fanOut ? 'Run across tenants' : props.allowWrites ? 'Run with writes' : 'Run'}
            </Button>
          </Tooltip>
        )}
        {'onExplain' in props && (
          <Button size="xs" variant="default" leftSection={<Network size={12} />} disabled={!props.onExplain} onClick={props.onExplain}>
            Explain
          </Button>
        )}
        <Tooltip label="Save query" withArrow>
          <ActionIcon variant="default" size={30} aria-label="Save query" onClick={props.onSave} disabled={tab.text.trim() === ''}>
            <Save size={14} />
          </ActionIcon>
        </Tooltip>
        <Menu position="bottom-end" withinPortal>
          <Menu.Target>
            <Button
              size="xs"
              variant="default"
              leftSection={<Download size={12} />}
              disabled={!props.onExport || props.missing !== null}
              loading={props.exporting}
              title={props.onExport ? undefined : 'Export reads one tenant'}
            >
              Export
            </Button>
          </Menu.Target>
          <Menu.Dropdown>
            <Menu.Item onClick={() => props.onExport?.('csv')}>CSV</Menu.Item>
            <Menu.Item onClick={() => props.onExport?.('json')}>JSON lines</Menu.Item>
          </Menu.Dropdown>
        </Menu>
      </Group>
    </Group>
  );
}

function withCurrent(names: string[], current: string | null): string[] {
  return current && !names.includes(current) ? [current, ...names] : names;
}
