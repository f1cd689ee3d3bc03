import { useState } from 'react';
import { Button, Group, TextInput } from '@mantine/core';
import { Link2 } from 'lucide-react';
import { parseConnectionUri } from '@shared/connection-uri';
import { STORE_LABELS, type StoreKind } from '@shared/model/workspace';
import { draftPatchFromUri, type EndpointDrafts, type UriEndpointFields } from './draft';

const EXAMPLES: Record<StoreKind, string> = {
  postgres: 'postgres://user:password@host:5432/database',
  mongo: 'mongodb+srv://user:password@cluster.example.net/?authSource=admin',
  redis: 'redis://user:password@host:6379/0',
  elastic: 'https://user:password@host:9200',
};

/**
 * "Paste connection URI": fills the fields from a URI and moves its password into the write-only
 * password field, so the URI itself is never stored.
 */
export function UriPasteField<K extends StoreKind>({ kind, draft, onApply }: { kind: K; draft: EndpointDrafts[K]; onApply(patch: Partial<EndpointDrafts[K]>): void }) {
  const [uri, setUri] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [ignored, setIgnored] = useState<string[]>([]);

  function apply(text: string): void {
    if (text.trim() === '') return;
    try {
      const parsed = parseConnectionUri(text.trim());
      if (parsed.store !== kind) {
        setUri(text);
        setError(`That is a ${STORE_LABELS[parsed.store]} URI; paste it into the ${STORE_LABELS[parsed.store]} section`);
        return;
      }
      onApply(draftPatchFromUri(draft, parsed.endpoint as UriEndpointFields, parsed.password));
      setIgnored(parsed.ignoredOptions);
      setUri('');
      setError(null);
    } catch (failure) {
      setUri(text);
      setError(failure instanceof Error ? failure.message : String(failure));
    }
  }

  return (
    <Group gap="xs" align="flex-start" wrap="nowrap">
      <TextInput
        style={{ flex: 1 }}
        leftSection={<Link2 size={14} />}
        placeholder={`Paste connection URI — ${EXAMPLES[kind]}`}
        aria-label={`${STORE_LABELS[kind]} connection URI`}
        value={uri}
        error={error}
        description={ignored.length > 0 ? `Fields filled. Not kept (no field for them): ${ignored.join(', ')}` : undefined}
        inputWrapperOrder={['label', 'input', 'description', 'error']}
        autoComplete="off"
        spellCheck={false}
        onChange={(event) => {
          setUri(event.currentTarget.value);
          setError(null);
          setIgnored([]);
        }}
        onPaste={(event) => {
          const text = event.clipboardData.getData('text');
          if (text) {
            event.preventDefault();
            apply(text);
          }
        }}
        onKeyDown={(event) => {
          if (event.key === 'Enter') {
            event.preventDefault();
            apply(uri);
          }
        }}
      />
      <Button variant="default" onClick={() => apply(uri)} disabled={uri.trim() === ''}>
        Fill fields
      </Button>
    </Group>
  );
}
