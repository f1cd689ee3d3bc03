import { useEffect, useRef } from 'react';
import { Box, useComputedColorScheme } from '@mantine/core';
import { monaco } from './monaco';

export interface CodeEditorProps {
  value: string;
  language: 'json';
  readOnly?: boolean;
  /** CSS height of the editor; Monaco needs a sized box. */
  height?: number | string;
  onChange?(value: string): void;
  'aria-label'?: string;
  /** Problems drawn on the text (a schema's findings): each underlines its line from its column. */
  markers?: readonly EditorMarker[];
  'data-testid'?: string;
}

export interface EditorMarker {
  /** 1-based; the first line when unknown. */
  line?: number;
  column?: number;
  message: string;
}

const MARKER_OWNER = 'tenantscope';

/** Monaco, created once per mount, following the app's colour scheme. */
export function CodeEditor({ value, language, readOnly = false, height = 360, onChange, markers, ...rest }: CodeEditorProps) {
  const host = useRef<HTMLDivElement>(null);
  const editor = useRef<monaco.editor.IStandaloneCodeEditor | null>(null);
  const onChangeRef = useRef(onChange);
  const scheme = useComputedColorScheme('dark');

  useEffect(() => {
    onChangeRef.current = onChange;
  }, [onChange]);

  useEffect(() => {
    if (!host.current) return;
    const instance = monaco.editor.create(host.current, {
      value,
      language,
      readOnly,
      automaticLayout: true,
      minimap: { enabled: false },
      scrollBeyondLastLine: false,
      fontSize: 12,
      lineNumbersMinChars: 3,
      tabSize: 2,
      renderLineHighlight: readOnly ? 'none' : 'line',
      ariaLabel: rest['aria-label'],
    });
    editor.current = instance;
    const subscription = instance.onDidChangeModelContent(() => onChangeRef.current?.(instance.getValue()));
    return () => {
      subscription.dispose();
      instance.getModel()?.dispose();
      instance.dispose();
      editor.current = null;
    };
    // The editor is created once; value, options and theme are pushed in by the effects below.
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
    if (!model || !markers) return;
    monaco.editor.setModelMarkers(
      model,
      MARKER_OWNER,
      markers.map((m) => {
        const line = Math.min(m.line ?? 1, model.getLineCount());
        return { severity: monaco.MarkerSeverity.Error, message: m.message, startLineNumber: line, startColumn: m.column ?? 1, endLineNumber: line, endColumn: model.getLineMaxColumn(line) };
      }),
    );
  }, [markers, value]);

  useEffect(() => {
    monaco.editor.setTheme(scheme === 'dark' ? 'vs-dark' : 'vs');
  }, [scheme]);

  return <Box ref={host} h={height} style={{ border: '1px solid var(--mantine-color-default-border)', borderRadius: 4, overflow: 'hidden' }} data-testid={rest['data-testid'] ?? 'code-editor'} />;
}
