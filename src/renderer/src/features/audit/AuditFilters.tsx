import { Autocomplete, Button, Group, Select, Switch, TextInput } from '@mantine/core';
import { Search, X } from 'lucide-react';
import { AuditOutcome } from '@shared/model/audit';
import { EMPTY_FILTER, type AuditFilterDraft, type FilterProblems } from './filters';

// Prefixes people filter by most; exact actions seen in the journal are added to these.
const ACTION_PREFIXES = ['access.', 'access.justify.', 'access.justify.tenant', 'access.justify.unmask', 'access.justify.prod-unlock', 'audit.'];

export interface AuditFiltersProps {
  draft: AuditFilterDraft;
  problems: FilterProblems;
  /** Actions in the entries shown, offered as suggestions. */
  knownActions: readonly string[];
  onChange(draft: AuditFilterDraft): void;
  /** Runs the query with the draft as it is. */
  onApply(draft: AuditFilterDraft): void;
}

/** Operator, tenant, action, outcome and time: text applies on Enter, choices at once. */
export function AuditFilters({ draft, problems, knownActions, onChange, onApply }: AuditFiltersProps) {
  const change = (patch: Partial<AuditFilterDraft>, apply = false) => {
    const next = { ...draft, ...patch };
    onChange(next);
    if (apply) onApply(next);
  };
  const actions = [...new Set([...ACTION_PREFIXES, ...knownActions])].sort();

  return (
    <form
      aria-label="Audit filters"
      onSubmit={(event) => {
        event.preventDefault();
        onApply(draft);
      }}
    >
      <Group gap="xs" align="flex-end" wrap="wrap">
        <TextInput size="xs" w={150} label="Operator" placeholder="name or email" value={draft.operator} onChange={(e) => change({ operator: e.currentTarget.value })} />
        <TextInput
          size="xs"
          w={200}
          label="Tenant"
          placeholder="tenant id"
          value={draft.tenantId}
          error={problems.tenantId}
          onChange={(e) => change({ tenantId: e.currentTarget.value })}
          spellCheck={false}
        />
        <Autocomplete size="xs" w={200} label="Action" placeholder="exact, or a prefix ending in ." data={actions} value={draft.action} onChange={(action) => change({ action })} />
        <Select
          size="xs"
          w={110}
          label="Outcome"
          placeholder="any"
          clearable
          data={AuditOutcome.options}
          value={draft.outcome}
          onChange={(value) => change({ outcome: value ? AuditOutcome.parse(value) : null }, true)}
        />
        <TextInput size="xs" w={180} type="datetime-local" label="From" value={draft.from} error={problems.from} onChange={(e) => change({ from: e.currentTarget.value })} />
        <TextInput size="xs" w={180} type="datetime-local" label="To" value={draft.to} error={problems.to} onChange={(e) => change({ to: e.currentTarget.value })} />
        <Button size="xs" type="submit" leftSection={<Search size={13} />}>
          Filter
        </Button>
        <Button size="xs" variant="subtle" color="gray" leftSection={<X size={13} />} onClick={() => change({ ...EMPTY_FILTER, allWorkspaces: draft.allWorkspaces }, true)}>
          Clear
        </Button>
        <Switch
          size="xs"
          mb={6}
          label="Every workspace"
          checked={draft.allWorkspaces}
          onChange={(e) => change({ allWorkspaces: e.currentTarget.checked }, true)}
        />
      </Group>
    </form>
  );
}
