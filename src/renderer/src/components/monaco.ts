import * as monaco from 'monaco-editor/editor/editor.api';
// The editor's own contributions (find, folding, hover, suggest, context menu…) with the services
// they register: a language mode loaded later (JSON's brings hover and completion) otherwise finds
// its contributions' services missing and logs "depends on UNKNOWN service" for each editor made.
import 'monaco-editor/features/register.all';
// Only the languages the app edits are bundled: JSON (with its worker) for documents, search
// bodies and settings; PostgreSQL and Redis as syntax colouring only, which needs no worker.
import 'monaco-editor/language/json/monaco.contribution';
import 'monaco-editor/languages/definitions/pgsql/register';
import 'monaco-editor/languages/definitions/redis/register';
import EditorWorker from 'monaco-editor/editor/editor.worker?worker';
import JsonWorker from 'monaco-editor/language/json/json.worker?worker';

// Workers are built into the app and served from its own origin, so the CSP's `worker-src 'self'`
// holds and nothing is ever fetched from a CDN.
self.MonacoEnvironment = {
  getWorker(_workerId: string, label: string): Worker {
    return label === 'json' ? new JsonWorker() : new EditorWorker();
  },
};

export { monaco };
