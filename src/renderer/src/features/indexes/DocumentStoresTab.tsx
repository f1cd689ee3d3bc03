import { useState } from 'react';
import { Alert, Badge, Button, Code, Group, Paper, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { Eye, EyeOff, Search, Trash2 } from 'lucide-react';
import type { ElasticMappings, MongoCollectionIndexes, MongoIndexUsage } from '@shared/model/indexes';
import type { JobSummary } from '@shared/model/job';
import { api } from '../../api';
import { ConfirmDanger } from '../../components/ConfirmDanger';
import { formatCount } from '../../lib/format';
import { FollowedJob } from './FollowedJob';
import { MongoCreateIndexForm } from './MongoCreateIndexForm';
import { useFollowedJob } from '../../lib/useFollowedJob';
import type { TargetChoice } from './indexes-state';
import { MongoFleetPanel } from './MongoFleetPanel';
import { TargetPicker } from './TargetPicker';

const errorText = (failure: unknown): string => (failure instanceof Error ? failure.message : String(failure));
const keyText = (key: MongoIndexUsage['key']): string => `{ ${key.map(([field, kind]) => `${field}: ${kind}`).join(', ')} }`;

interface DocumentStoresTabProps {
  workspaceId: string;
  hasMongo: boolean;
  hasElastic: boolean;
  mayChange: boolean;
}

function MongoPanel({ workspaceId, tenantId, mayChange }: { workspaceId: string; tenantId: string; mayChange: boolean }) {
  const [collection, setCollection] = useState('');
  const [answer, setAnswer] = useState<MongoCollectionIndexes | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [dropping, setDropping] = useState<MongoIndexUsage | null>(null);
  const [started, setStarted] = useState<JobSummary | null>(null);
  const job = useFollowedJob(started);

  async function read(): Promise<void> {
    setError(null);
    try {
      setAnswer(await api().indexes.mongoCollection({ workspaceId, tenantId, collection: collection.trim() }));
    } catch (failure) {
      setError(errorText(failure));
    }
  }

  async function hide(index: MongoIndexUsage, hidden: boolean): Promise<void> {
    if (!answer) return;
    setError(null);
    try {
      await api().indexes.mongoHide({ workspaceId, tenantId, collection: collection.trim(), index: index.name, hidden });
      setAnswer({ ...answer, indexes: answer.indexes.map((i) => (i.name === index.name ? { ...i, hidden } : i)) });
    } catch (failure) {
      setError(errorText(failure));
    }
  }

  return (
    <Paper withBorder p="sm" aria-label="MongoDB indexes" role="region">
      <Stack gap="xs">
        <Title order={5}>MongoDB</Title>
        <Group gap="sm" component="form" onSubmit={(event) => (event.preventDefault(), void read())}>
          <TextInput size="xs" w={260} aria-label="Collection" placeholder="collection, e.g. ai_results_cache" value={collection} onChange={(e) => setCollection(e.currentTarget.value)} />
          <Button size="xs" type="submit" variant="light" leftSection={<Search size={13} />} disabled={!collection.trim()}>
            Read indexes
          </Button>
        </Group>
        {error && (
          <Alert color="red" variant="light" p="xs">
            {error}
          </Alert>
        )}
        {answer && (
          <>
            <Text size="xs" c="dimmed">
              {answer.database}.{answer.collection} · accesses per node since it started or the index was built. Hiding is the safe first step
              before a drop: the planner stops using the index, and unhiding brings it back at once.
            </Text>
            <Table fz="xs" verticalSpacing={4} aria-label="Collection indexes">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Index</Table.Th>
                  <Table.Th>Key</Table.Th>
                  <Table.Th>Options</Table.Th>
                  <Table.Th>Accesses</Table.Th>
                  {mayChange && <Table.Th w={150} />}
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {answer.indexes.map((index) => (
                  <Table.Tr key={index.name} data-mongo-index={index.name} data-hidden={index.hidden}>
                    <Table.Td>
                      <Group gap={4} wrap="nowrap">
                        <Text size="xs" ff="monospace">
                          {index.name}
                        </Text>
                        {index.hidden && (
                          <Badge size="xs" color="gray">
                            hidden
                          </Badge>
                        )}
                      </Group>
                    </Table.Td>
                    <Table.Td ff="monospace">{keyText(index.key)}</Table.Td>
                    <Table.Td ff="monospace">{Object.keys(index.options).length > 0 ? JSON.stringify(index.options) : '—'}</Table.Td>
                    <Table.Td>{index.accesses.map((a) => `${a.host}: ${formatCount(a.ops)}`).join(', ') || '—'}</Table.Td>
                    {mayChange && (
                      <Table.Td>
                        {index.name !== '_id_' && (
                          <Group gap={4} wrap="nowrap" justify="flex-end">
                            <Button
                              size="compact-xs"
                              variant="light"
                              leftSection={index.hidden ? <Eye size={11} /> : <EyeOff size={11} />}
                              onClick={() => void hide(index, !index.hidden)}
                              aria-label={`${index.hidden ? 'Unhide' : 'Hide'} ${index.name}`}
                            >
                              {index.hidden ? 'Unhide' : 'Hide'}
                            </Button>
                            {/* A drop is offered once the index is hidden: hiding is the step that can be undone. */}
                            {index.hidden && (
                              <Button size="compact-xs" variant="light" color="red" leftSection={<Trash2 size={11} />} onClick={() => setDropping(index)} aria-label={`Drop ${index.name}`}>
                                Drop
                              </Button>
                            )}
                          </Group>
                        )}
                      </Table.Td>
                    )}
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
            {answer.drift.length > 0 && (
              <Stack gap={2} aria-label="Collection drift">
                {answer.drift.map((d) => (
                  <Text key={d.name} size="xs" c="yellow">
                    {d.change} {d.name}
                    {d.differences.length > 0 ? `: ${d.differences.join(', ')}` : ''}
                  </Text>
                ))}
              </Stack>
            )}
          </>
        )}
        {mayChange && collection.trim() && (
          <Paper withBorder p="xs" bg="var(--mantine-color-body)">
            <Text size="sm" fw={600} mb={4}>
              Create an index on {answer?.collection ?? collection.trim()}
            </Text>
            <MongoCreateIndexForm
              key={collection.trim()}
              workspaceId={workspaceId}
              tenantId={tenantId}
              collection={collection.trim()}
              physicalCollection={answer?.collection ?? null}
              onStarted={setStarted}
            />
          </Paper>
        )}
        {job && <FollowedJob job={job} label="MongoDB build progress" />}
      </Stack>
      <ConfirmDanger
        opened={dropping !== null}
        title={`Drop ${dropping?.name ?? ''}`}
        confirmText={dropping?.name ?? ''}
        actionLabel="Drop index"
        onCancel={() => setDropping(null)}
        onConfirm={async (typed) => {
          if (!dropping || !answer) return;
          await api().indexes.mongoDrop({ workspaceId, tenantId, collection: collection.trim(), index: dropping.name, confirmName: typed });
          setAnswer({ ...answer, indexes: answer.indexes.filter((i) => i.name !== dropping.name) });
          setDropping(null);
        }}
      >
        <Text size="sm">
          dropIndexes on {answer?.collection ?? collection} in tenant {tenantId}. The index is hidden, so no query uses it now; building it again takes a job.
        </Text>
      </ConfirmDanger>
    </Paper>
  );
}

function ElasticPanel({ workspaceId, tenantId }: { workspaceId: string; tenantId: string }) {
  const [answer, setAnswer] = useState<ElasticMappings | null>(null);
  const [error, setError] = useState<string | null>(null);

  async function read(): Promise<void> {
    setError(null);
    try {
      setAnswer(await api().indexes.elasticMappings({ workspaceId, tenantId }));
    } catch (failure) {
      setError(errorText(failure));
    }
  }

  return (
    <Paper withBorder p="sm" aria-label="Elasticsearch mappings" role="region">
      <Stack gap="xs">
        <Group gap="sm">
          <Title order={5}>Elasticsearch</Title>
          <Button size="xs" variant="light" leftSection={<Search size={13} />} onClick={() => void read()}>
            Read mappings
          </Button>
        </Group>
        <Text size="xs" c="dimmed">
          Mappings are not indexes: a template applies at the next rollover, and changing a mapped field’s type needs a reindex.
        </Text>
        {error && (
          <Alert color="red" variant="light" p="xs">
            {error}
          </Alert>
        )}
        {answer && (
          <>
            <Text size="xs">
              Templates: {answer.templates.map((t) => `${t.name} (${t.indexPatterns.join(', ')})`).join('; ') || 'none'} · indices:{' '}
              {answer.indices.map((i) => i.index).join(', ') || 'none'}
            </Text>
            {answer.notes.length === 0 ? (
              <Text size="xs" c="dimmed">
                The live mappings match the templates.
              </Text>
            ) : (
              answer.notes.map((note) => (
                <Group key={`${note.index}:${note.field}`} gap="xs" wrap="nowrap" data-mapping-note={note.field}>
                  <Badge size="xs" color={note.needsReindex ? 'red' : 'blue'} variant="light">
                    {note.needsReindex ? 'needs a reindex' : 'next rollover'}
                  </Badge>
                  <Text size="xs">
                    {note.index} · <Code fz="xs">{note.field}</Code>: template {note.template ?? '—'}, live {note.live ?? '—'} — {note.why}
                  </Text>
                </Group>
              ))
            )}
          </>
        )}
      </Stack>
    </Paper>
  );
}

/** The MongoDB fleet, then a tenant's MongoDB collection indexes (with hide and unhide) and its Elasticsearch mappings. */
export function DocumentStoresTab({ workspaceId, hasMongo, hasElastic, mayChange }: DocumentStoresTabProps) {
  const [choice, setChoice] = useState<TargetChoice>({ mode: 'one', tenantId: null });
  const tenantId = choice.mode === 'one' ? choice.tenantId : null;
  return (
    <Stack gap="sm">
      {hasMongo && <MongoFleetPanel workspaceId={workspaceId} />}
      <TargetPicker workspaceId={workspaceId} choice={choice} onChange={setChoice} single />
      {!tenantId && (
        <Text size="sm" c="dimmed">
          Choose a tenant to read its collections’ indexes and its search mappings.
        </Text>
      )}
      {tenantId && hasMongo && <MongoPanel key={`m-${tenantId}`} workspaceId={workspaceId} tenantId={tenantId} mayChange={mayChange} />}
      {tenantId && hasElastic && <ElasticPanel key={`e-${tenantId}`} workspaceId={workspaceId} tenantId={tenantId} />}
    </Stack>
  );
}
