import { AppError } from '@shared/errors';
import type { SectionService } from '../../services/section';

/** The workbench section until its runners land: every method says so with `not_found`. */
export function createWorkbenchService(): SectionService<'workbench'> {
  const missing = (): Promise<never> => Promise.reject(new AppError('not_found', 'The workbench is not available yet.'));
  return { run: missing, runWrite: missing, fanOut: missing, export: missing, catalog: missing, history: missing, saved: missing, saveQuery: missing, deleteSaved: missing };
}
