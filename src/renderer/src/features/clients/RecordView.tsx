import { Code, Table, Text } from '@mantine/core';

function isPlain(value: unknown): value is string | number | boolean | null {
  return value === null || ['string', 'number', 'boolean'].includes(typeof value);
}

/** A stored record as field and value; nested values as JSON. Masked values arrive masked and show as they are. */
export function RecordView({ record, omit = [] }: { record: Record<string, unknown> | null; omit?: string[] }) {
  if (!record) {
    return (
      <Text size="xs" c="dimmed">
        None.
      </Text>
    );
  }
  const entries = Object.entries(record).filter(([key]) => !omit.includes(key));
  return (
    <Table fz="xs" verticalSpacing={2} horizontalSpacing="xs" withRowBorders={false}>
      <Table.Tbody>
        {entries.map(([key, value]) => (
          <Table.Tr key={key} data-field={key}>
            <Table.Td c="dimmed" w={150} style={{ verticalAlign: 'top' }}>
              {key}
            </Table.Td>
            <Table.Td style={{ wordBreak: 'break-word' }}>
              {isPlain(value) ? (
                String(value)
              ) : (
                <Code block fz={11}>
                  {JSON.stringify(value, null, 2)}
                </Code>
              )}
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}
