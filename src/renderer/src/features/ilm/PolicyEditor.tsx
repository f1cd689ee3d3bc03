import { useEffect, useRef } from 'react';
import { Box, useComputedColorScheme } from '@mantine/core';
import type { PolicyProblem } from '@shared/model/ilm';
import { monaco } from '../../components/monaco';

const OWNER = 'tenantscope-ilm-policy';

/**
 * Monaco on a policy's JSON, with each problem the schema finds marked on the key it names (the
 * same check main makes before anything is sent).
 */
export function PolicyEditor({ value, problems, onChange, readOnly = false }: { value: string; problems: PolicyProblem[]; onChange(value: string): void; readOnly?: boolean }) {
  const host = useRef<HTMLDivElement>(null);
  const editor = useRef<monaco.editor.IStandaloneCodeEditor | null>(null);
  const onChangeRef = useRef(onChange);
  const scheme = useComputedColorScheme('dark');
  onChangeRef.current = onChange;

  useEffect(() => {
    if (!host.current) return undefined;
    const instance = monaco.editor.create(host.current, {
      value,
      language: 'json',
      readOnly,
      automaticLayout: true,
      minimap: { enabled: false },
      scrollBeyondLastLine: false,
      fontSize: 12,
      tabSize: 2,
      lineNumbersMinChars: 3,
      ariaLabel: 'ILM policy JSON',
    });
    editor.current = instance;
    const subscription = instance.onDidChangeModelContent(() => onChangeRef.current(instance.getValue()));
    return () => {
      subscription.dispose();
      instance.getModel()?.dispose();
      instance.dispose();
      editor.current = null;
    };
    // Created once; the value, markers and options are pushed in by the effects below.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  useEffect(() => {
    const instance = editor.current;
    if (instance && instance.getValue() !== value) instance.setValue(value);
  }, [value]);

  useEffect(() => {
    editor.current?.updateOptions({ readOnly });
  }, [readOnly]);

  useEffect(() => {
    const model = editor.current?.getModel();
    if (!model) return;
    monaco.editor.setModelMarkers(
      model,
      OWNER,
      problems.map((p) => {
        const line = p.line ?? 1;
        const column = p.column ?? 1;
        return { severity: monaco.MarkerSeverity.Error, message: p.path ? `${p.path}: ${p.message}` : p.message, startLineNumber: line, startColumn: column, endLineNumber: line, endColumn: model.getLineMaxColumn(Math.min(line, model.getLineCount())) };
      }),
    );
  }, [problems, value]);

  useEffect(() => {
    monaco.editor.setTheme(scheme === 'dark' ? 'vs-dark' : 'vs');
  }, [scheme]);

  return <Box ref={host} h={380} style={{ border: '1px solid var(--mantine-color-default-border)', borderRadius: 4, overflow: 'hidden' }} data-testid="policy-editor" />;
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
