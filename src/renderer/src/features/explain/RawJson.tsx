import { lazy, Suspense, useMemo } from 'react';
import { Loader } from '@mantine/core';

// Monaco is loaded when the raw JSON is first shown, not with the screen.
const CodeEditor = lazy(() => import('../../components/CodeEditor').then((m) => ({ default: m.CodeEditor })));

/** The engine's own document, read-only in Monaco: what the tree was drawn from. */
export function RawJson({ raw, height }: { raw: unknown; height: number | string }) {
  const text = useMemo(() => JSON.stringify(raw, null, 2) ?? '', [raw]);
  return (
    <Suspense fallback={<Loader size="sm" />}>
      <CodeEditor value={text} language="json" readOnly height={height} aria-label="Plan JSON" />
    </Suspense>
  );
}
