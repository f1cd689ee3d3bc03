import { Alert, Checkbox, Grid, NumberInput, Switch, TextInput } from '@mantine/core';
import { ShieldAlert } from 'lucide-react';
import type { StoreKind } from '@shared/model/workspace';
import type { ElasticDraft, EndpointDrafts, MongoDraft, PostgresDraft, RedisDraft, TlsDraft } from './draft';
import type { FieldErrors } from './field-errors';
import { PasswordField } from './PasswordField';

interface FieldsProps<D> {
  draft: D;
  errors: FieldErrors;
  onChange(patch: Partial<D>): void;
}

function numberValue(value: string | number): number | '' {
  if (typeof value === 'number') return value;
  const parsed = Number(value);
  return value === '' || Number.isNaN(parsed) ? '' : parsed;
}

type Credentials = Pick<PostgresDraft, 'username' | 'password' | 'hasStoredPassword'>;

/** The user and password columns every store has; a stored password never comes back, so the field says so. */
function CredentialColumns({ draft, errors, onChange, span, userLabel = 'User', userPlaceholder }: FieldsProps<Credentials> & { span: number; userLabel?: string; userPlaceholder?: string }) {
  return (
    <>
      <Grid.Col span={span}>
        <TextInput
          label={userLabel}
          placeholder={userPlaceholder}
          value={draft.username}
          error={errors.username}
          autoComplete="off"
          onChange={(e) => onChange({ username: e.currentTarget.value })}
        />
      </Grid.Col>
      <Grid.Col span={span}>
        <PasswordField label="Password" value={draft.password} hasStoredPassword={draft.hasStoredPassword} error={errors.password} onChange={(password) => onChange({ password })} />
      </Grid.Col>
    </>
  );
}

function PostgresFields({ draft, errors, onChange }: FieldsProps<PostgresDraft>) {
  return (
    <Grid gap="xs">
      <Grid.Col span={6}>
        <TextInput label="Host" value={draft.host} error={errors.host} onChange={(e) => onChange({ host: e.currentTarget.value })} />
      </Grid.Col>
      <Grid.Col span={2}>
        <NumberInput label="Port" value={draft.port} error={errors.port} min={1} max={65535} hideControls onChange={(v) => onChange({ port: numberValue(v) })} />
      </Grid.Col>
      <Grid.Col span={4}>
        <TextInput label="Database" value={draft.database} error={errors.database} onChange={(e) => onChange({ database: e.currentTarget.value })} />
      </Grid.Col>
      <CredentialColumns draft={draft} errors={errors} onChange={onChange} span={6} />
    </Grid>
  );
}

function MongoFields({ draft, errors, onChange }: FieldsProps<MongoDraft>) {
  return (
    <Grid gap="xs">
      <Grid.Col span={9}>
        <TextInput
          label={draft.srv ? 'SRV host' : 'Hosts'}
          description={draft.srv ? undefined : 'host:port, comma-separated'}
          value={draft.hosts}
          error={errors.hosts}
          onChange={(e) => onChange({ hosts: e.currentTarget.value })}
        />
      </Grid.Col>
      <Grid.Col span={3} style={{ display: 'flex', alignItems: 'flex-end', paddingBottom: 12 }}>
        <Switch label="mongodb+srv" checked={draft.srv} onChange={(e) => onChange({ srv: e.currentTarget.checked })} />
      </Grid.Col>
      <CredentialColumns draft={draft} errors={errors} onChange={onChange} span={4} />
      <Grid.Col span={2}>
        <TextInput label="Auth source" placeholder="admin" value={draft.authSource} error={errors.authSource} onChange={(e) => onChange({ authSource: e.currentTarget.value })} />
      </Grid.Col>
      <Grid.Col span={2}>
        <TextInput label="Replica set" value={draft.replicaSet} error={errors.replicaSet} onChange={(e) => onChange({ replicaSet: e.currentTarget.value })} />
      </Grid.Col>
      <Grid.Col span={4}>
        <TextInput label="Customer database" value={draft.customerDatabase} error={errors['databases.customer']} onChange={(e) => onChange({ customerDatabase: e.currentTarget.value })} />
      </Grid.Col>
      <Grid.Col span={4}>
        <TextInput label="Shared database" value={draft.sharedDatabase} error={errors['databases.shared']} onChange={(e) => onChange({ sharedDatabase: e.currentTarget.value })} />
      </Grid.Col>
      <Grid.Col span={4}>
        <TextInput label="Admin database" value={draft.adminDatabase} error={errors['databases.admin']} onChange={(e) => onChange({ adminDatabase: e.currentTarget.value })} />
      </Grid.Col>
    </Grid>
  );
}

function RedisFields({ draft, errors, onChange }: FieldsProps<RedisDraft>) {
  return (
    <Grid gap="xs">
      <Grid.Col span={6}>
        <TextInput label="Host" value={draft.host} error={errors.host} onChange={(e) => onChange({ host: e.currentTarget.value })} />
      </Grid.Col>
      <Grid.Col span={3}>
        <NumberInput label="Port" value={draft.port} error={errors.port} min={1} max={65535} hideControls onChange={(v) => onChange({ port: numberValue(v) })} />
      </Grid.Col>
      <Grid.Col span={3}>
        <NumberInput label="DB" value={draft.db} error={errors.db} min={0} max={255} hideControls onChange={(v) => onChange({ db: numberValue(v) })} />
      </Grid.Col>
      <CredentialColumns draft={draft} errors={errors} onChange={onChange} span={6} userLabel="User (ACL)" userPlaceholder="default" />
    </Grid>
  );
}

function ElasticFields({ draft, errors, onChange }: FieldsProps<ElasticDraft>) {
  return (
    <Grid gap="xs">
      <Grid.Col span={12}>
        <TextInput label="Node URL" placeholder="https://host:9200" value={draft.node} error={errors.node} onChange={(e) => onChange({ node: e.currentTarget.value })} />
      </Grid.Col>
      <CredentialColumns draft={draft} errors={errors} onChange={onChange} span={6} />
    </Grid>
  );
}

/** TLS and pool settings every store shares. */
export function ConnectionOptionsFields(props: {
  tls: TlsDraft;
  poolSize: number | '';
  errors: FieldErrors;
  onTls(patch: Partial<TlsDraft>): void;
  onPoolSize(poolSize: number | ''): void;
}) {
  const { tls, poolSize, errors, onTls, onPoolSize } = props;
  return (
    <Grid gap="xs" align="flex-end">
      <Grid.Col span={3}>
        <Switch label="TLS" checked={tls.enabled} onChange={(e) => onTls({ enabled: e.currentTarget.checked })} mb={8} />
      </Grid.Col>
      <Grid.Col span={6}>
        {tls.enabled && (
          <Checkbox
            label="Verify the server certificate"
            checked={tls.rejectUnauthorized}
            onChange={(e) => onTls({ rejectUnauthorized: e.currentTarget.checked })}
            mb={8}
          />
        )}
      </Grid.Col>
      <Grid.Col span={3}>
        <NumberInput label="Pool size" value={poolSize} error={errors.poolSize} min={1} max={100} onChange={(v) => onPoolSize(numberValue(v))} />
      </Grid.Col>
      {tls.enabled && (
        <>
          <Grid.Col span={6}>
            <TextInput label="CA file" placeholder="/path/to/ca.pem (optional)" value={tls.caFile} error={errors['tls.caFile']} onChange={(e) => onTls({ caFile: e.currentTarget.value })} />
          </Grid.Col>
          <Grid.Col span={6}>
            <TextInput label="Server name (SNI)" placeholder="optional" value={tls.servername} error={errors['tls.servername']} onChange={(e) => onTls({ servername: e.currentTarget.value })} />
          </Grid.Col>
          <Grid.Col span={6}>
            <TextInput label="Client certificate" placeholder="/path/to/client.pem (mutual TLS)" value={tls.certFile} error={errors['tls.certFile']} onChange={(e) => onTls({ certFile: e.currentTarget.value })} />
          </Grid.Col>
          <Grid.Col span={6}>
            <TextInput label="Client key" placeholder="/path/to/client.key (mutual TLS)" value={tls.keyFile} error={errors['tls.keyFile']} onChange={(e) => onTls({ keyFile: e.currentTarget.value })} />
          </Grid.Col>
        </>
      )}
      {tls.enabled && !tls.rejectUnauthorized && (
        <Grid.Col span={12}>
          <Alert color="orange" variant="light" icon={<ShieldAlert size={16} />} p="xs">
            Without verification anyone between you and the server can read and change the traffic. Use it only for a
            lab server with a self-signed certificate.
          </Alert>
        </Grid.Col>
      )}
    </Grid>
  );
}

/** The store-specific fields of one endpoint. */
export function EndpointFields<K extends StoreKind>(props: { kind: K; draft: EndpointDrafts[K]; errors: FieldErrors; onChange(patch: Partial<EndpointDrafts[K]>): void }) {
  const { kind, errors } = props;
  // The kind and the draft travel together, so the casts below only restate what `kind` proves.
  switch (kind) {
    case 'postgres':
      return <PostgresFields draft={props.draft as PostgresDraft} errors={errors} onChange={props.onChange as (p: Partial<PostgresDraft>) => void} />;
    case 'mongo':
      return <MongoFields draft={props.draft as MongoDraft} errors={errors} onChange={props.onChange as (p: Partial<MongoDraft>) => void} />;
    case 'redis':
      return <RedisFields draft={props.draft as RedisDraft} errors={errors} onChange={props.onChange as (p: Partial<RedisDraft>) => void} />;
    default:
      return <ElasticFields draft={props.draft as ElasticDraft} errors={errors} onChange={props.onChange as (p: Partial<ElasticDraft>) => void} />;
  }
}
