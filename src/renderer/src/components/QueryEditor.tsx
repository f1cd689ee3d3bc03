import { useEffect, useRef } from 'react';
import { Box, useComputedColorScheme } from '@mantine/core';
import { monaco } from './monaco';
import { keepModel, keptModel } from './query-models';

export type QueryLanguage = 'pgsql' | 'json' | 'redis';

/** Where the server said the text went wrong: a 1-based character offset, and its words. */
export interface QueryMarker {
  position: number;
  message: string;
}

export interface QueryEditorProps {
  /** One model per key (a workbench tab), so each keeps its own undo history; `disposeQueryModel` when the tab closes. */
  modelKey: string;
  language: QueryLanguage;
  value: string;
  onChange(value: string): void;
  /** Ctrl+Enter (Cmd+Enter on a Mac). */
  onRun(): void;
  /** Esc, when no suggestion or find widget is open. */
  onCancel(): void;
  marker?: QueryMarker | null;
  height?: number | string;
  'aria-label'?: string;
}

/** The editor models of the workbench have this authority, which the completion providers look for. */
export const QUERY_MODEL_AUTHORITY = 'workbench';

function modelFor(key: string, language: QueryLanguage, value: string): monaco.editor.ITextModel {
  let model = keptModel<monaco.editor.ITextModel>(key);
  if (!model) {
    model = monaco.editor.createModel(value, language, monaco.Uri.from({ scheme: 'inmemory', authority: QUERY_MODEL_AUTHORITY, path: `/${key}` }));
    keepModel(key, model);
  } else if (model.getLanguageId() !== language) {
    monaco.editor.setModelLanguage(model, language);
  }
  return model;
}

/** The tab key of a workbench model, for the completion providers. */
export function queryModelKey(model: monaco.editor.ITextModel): string | null {
  return model.uri.authority === QUERY_MODEL_AUTHORITY ? model.uri.path.slice(1) : null;
}

/**
 * Monaco for queries: one editor, a model per tab, Ctrl+Enter to run, Esc to cancel, and the
 * server's error position underlined where it points.
 */
export function QueryEditor({ modelKey, language, value, onChange, onRun, onCancel, marker, height = 220, ...rest }: QueryEditorProps) {
  const host = useRef<HTMLDivElement>(null);
  const editor = useRef<monaco.editor.IStandaloneCodeEditor | null>(null);
  const handlers = useRef({ onChange, onRun, onCancel });
  const scheme = useComputedColorScheme('dark');
  handlers.current = { onChange, onRun, onCancel };

  useEffect(() => {
    if (!host.current) return;
    const instance = monaco.editor.create(host.current, {
      model: null,
      automaticLayout: true,
      minimap: { enabled: false },
      scrollBeyondLastLine: false,
      fontSize: 12,
      lineNumbersMinChars: 3,
      tabSize: 2,
      fixedOverflowWidgets: true,
      ariaLabel: rest['aria-label'],
    });
    editor.current = instance;
    instance.addCommand(monaco.KeyMod.CtrlCmd | monaco.KeyCode.Enter, () => handlers.current.onRun());
    instance.addCommand(monaco.KeyCode.Escape, () => handlers.current.onCancel(), '!suggestWidgetVisible && !findWidgetVisible && !parameterHintsVisible');
    const subscription = instance.onDidChangeModelContent(() => handlers.current.onChange(instance.getValue()));
    return () => {
      subscription.dispose();
      instance.dispose();
      editor.current = null;
    };
    // The editor is created once; the model, value and markers are pushed in by the effects below.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  useEffect(() => {
    const instance = editor.current;
    if (!instance) return;
    const model = modelFor(modelKey, language, value);
    if (instance.getModel() !== model) instance.setModel(model);
    if (model.getValue() !== value) model.setValue(value);
  }, [modelKey, language, value]);

  useEffect(() => {
    const model = keptModel<monaco.editor.ITextModel>(modelKey);
    if (!model) return;
    if (!marker) {
      monaco.editor.setModelMarkers(model, 'server', []);
      return;
    }
    const start = model.getPositionAt(Math.max(0, marker.position - 1));
    const word = model.getWordAtPosition(start);
    monaco.editor.setModelMarkers(model, 'server', [
      {
        severity: monaco.MarkerSeverity.Error,
        message: marker.message,
        startLineNumber: start.lineNumber,
        startColumn: start.column,
        endLineNumber: start.lineNumber,
        endColumn: word ? word.endColumn : start.column + 1,
      },
    ]);
    editor.current?.revealPositionInCenterIfOutsideViewport(start);
    editor.current?.setPosition(start);
  }, [modelKey, marker]);

  useEffect(() => {
    monaco.editor.setTheme(scheme === 'dark' ? 'vs-dark' : 'vs');
  }, [scheme]);

  return (
    <Box
      ref={host}
      h={height}
      style={{ border: '1px solid var(--mantine-color-default-border)', borderRadius: 4, overflow: 'hidden' }}
      data-testid="query-editor"
    />
  );
}
