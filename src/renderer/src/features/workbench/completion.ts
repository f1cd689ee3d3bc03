import { monaco } from '../../components/monaco';
import { queryModelKey } from '../../components/QueryEditor';
import { suggestionsFor, type CompletionSource, type Suggestion } from './completion-items';

/** The active tab's catalog, as the screen last set it; the providers read it on every request. */
let active: { tabId: string; source: CompletionSource } | null = null;
let registered = false;

export function setCompletionSource(tabId: string, source: CompletionSource | null): void {
  active = source ? { tabId, source } : active?.tabId === tabId ? null : active;
}

const KINDS: Record<Suggestion['kind'], monaco.languages.CompletionItemKind> = {
  table: monaco.languages.CompletionItemKind.Class,
  column: monaco.languages.CompletionItemKind.Field,
  field: monaco.languages.CompletionItemKind.Field,
  keyword: monaco.languages.CompletionItemKind.Keyword,
  operator: monaco.languages.CompletionItemKind.Operator,
};

const provider: monaco.languages.CompletionItemProvider = {
  triggerCharacters: ['.', '"', '$'],
  provideCompletionItems(model, position) {
    // Only the workbench's own models, and only the active tab's: other JSON editors keep theirs.
    const key = queryModelKey(model);
    if (!key || !active || active.tabId !== key) return { suggestions: [] };
    const before = model.getValueInRange({ startLineNumber: 1, startColumn: 1, endLineNumber: position.lineNumber, endColumn: position.column });
    const word = model.getWordUntilPosition(position);
    const range = { startLineNumber: position.lineNumber, endLineNumber: position.lineNumber, startColumn: word.startColumn, endColumn: word.endColumn };
    const suggestions = suggestionsFor(active.source, before, model.getValue()).map((item, order) => ({
      label: item.label,
      insertText: item.insert,
      kind: KINDS[item.kind],
      detail: item.detail,
      range,
      // Catalog names first, in their order; keywords after.
      sortText: String(order).padStart(5, '0'),
    }));
    return { suggestions };
  },
};

/** Registers the workbench's completion providers once, for SQL and JSON; they read the active tab's catalog. */
export function registerWorkbenchCompletion(): void {
  if (registered) return;
  registered = true;
  monaco.languages.registerCompletionItemProvider('pgsql', provider);
  monaco.languages.registerCompletionItemProvider('json', provider);
}
