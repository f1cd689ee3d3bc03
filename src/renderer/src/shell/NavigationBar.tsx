import { NavLink, Text } from '@mantine/core';
import { entriesOf, type NavigationContext, type NavigationEntry } from '../lib/screens';
import { useAppStore } from '../store';

function EntryLink({ entry, active }: { entry: NavigationEntry; active: boolean }) {
  const navigate = useAppStore((s) => s.navigate);
  const Icon = entry.icon;
  return <NavLink component="button" label={entry.label} leftSection={<Icon size={15} />} active={active} onClick={() => navigate(entry.target)} />;
}

/** The registered entries this person sees: the console's, then the active workspace's under its name. */
export function NavigationBar({ entries, active, context }: { entries: readonly NavigationEntry[]; active: string | undefined; context: NavigationContext }) {
  return (
    <>
      {entriesOf(entries, 'console', context).map((entry) => (
        <EntryLink key={entry.id} entry={entry} active={entry.id === active} />
      ))}
      {context.workspace && (
        <>
          <Text size="xs" c="dimmed" tt="uppercase" fw={600} px="sm" pt="md" pb={4} truncate>
            {context.workspace.name}
          </Text>
          {entriesOf(entries, 'workspace', context).map((entry) => (
            <EntryLink key={entry.id} entry={entry} active={entry.id === active} />
          ))}
        </>
      )}
    </>
  );
}
