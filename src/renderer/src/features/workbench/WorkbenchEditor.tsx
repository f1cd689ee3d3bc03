import { useEffect } from 'react';
import { QueryEditor, type QueryLanguage, type QueryMarker } from '../../components/QueryEditor';
import type { CompletionSource } from './completion-items';
import { registerWorkbenchCompletion, setCompletionSource } from './completion';
import type { WorkbenchTab } from './tabs-store';

const LANGUAGES: Record<WorkbenchTab['engine'], QueryLanguage> = { postgres: 'pgsql', mongo: 'json', elastic: 'json', redis: 'redis' };

export interface WorkbenchEditorProps {
  tab: WorkbenchTab;
  completion: CompletionSource | null;
  marker: QueryMarker | null;
  onChange(text: string): void;
  onRun(): void;
  onCancel(): void;
}

/** The active tab's editor: its language by engine, and completion from the tab's catalog. */
export function WorkbenchEditor({ tab, completion, marker, onChange, onRun, onCancel }: WorkbenchEditorProps) {
  useEffect(() => registerWorkbenchCompletion(), []);
  useEffect(() => {
    setCompletionSource(tab.id, completion);
    return () => setCompletionSource(tab.id, null);
  }, [tab.id, completion]);

  return (
    <QueryEditor
      modelKey={tab.id}
      language={LANGUAGES[tab.engine]}
      value={tab.text}
      onChange={onChange}
      onRun={onRun}
      onCancel={onCancel}
      marker={marker}
      height={200}
      aria-label={`Query of ${tab.title}`}
    />
  );
}
