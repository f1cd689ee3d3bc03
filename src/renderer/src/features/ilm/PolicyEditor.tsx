import { useEffect, useMemo, useRef } from 'react';
import { Box, useComputedColorScheme } from '@mantine/core';
import type { PolicyProblem } from '@shared/model/ilm';
import { CodeEditor } from '../../components/CodeEditor';
import { monaco } from '../../components/monaco';

/**
 * Monaco on a policy's JSON, with each problem the schema finds marked on the key it names (the
 * same check main makes before anything is sent).
 */
export function PolicyEditor({ value, problems, onChange, readOnly = false }: { value: string; problems: PolicyProblem[]; onChange(value: string): void; readOnly?: boolean }) {
  const markers = useMemo(() => problems.map((p) => ({ line: p.line, column: p.column, message: p.path ? `${p.path}: ${p.message}` : p.message })), [problems]);
  return <CodeEditor value={value} language="json" readOnly={readOnly} height={380} onChange={onChange} markers={markers} aria-label="ILM policy JSON" data-testid="policy-editor" />;
}

/** The stored policy beside the edited one, as Monaco's side-by-side diff. */
export function PolicyDiff({ stored, edited }: { stored: string; edited: string }) {
  const host = useRef<HTMLDivElement>(null);
  const scheme = useComputedColorScheme('dark');

  useEffect(() => {
    if (!host.current) return undefined;
    const diff = monaco.editor.createDiffEditor(host.current, { readOnly: true, automaticLayout: true, minimap: { enabled: false }, fontSize: 12, renderSideBySide: true, scrollBeyondLastLine: false });
    const original = monaco.editor.createModel(stored, 'json');
    const modified = monaco.editor.createModel(edited, 'json');
    diff.setModel({ original, modified });
    return () => {
      diff.dispose();
      original.dispose();
      modified.dispose();
    };
  }, [stored, edited]);

  useEffect(() => {
    monaco.editor.setTheme(scheme === 'dark' ? 'vs-dark' : 'vs');
  }, [scheme]);

  return <Box ref={host} h={380} style={{ border: '1px solid var(--mantine-color-default-border)', borderRadius: 4, overflow: 'hidden' }} data-testid="policy-diff" />;
}
