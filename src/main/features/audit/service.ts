import { AppError } from '@shared/errors';
import type { SectionService } from '../../core/router';

/** The audit section; the journal wiring follows. */
export function createAuditService(): SectionService<'audit'> {
  const pending = (what: string) => async (): Promise<never> => {
    throw new AppError('internal', `${what} is not available in this build yet`);
  };
  return {
    query: pending('audit.query'),
    verify: pending('audit.verify'),
    export: pending('audit.export'),
    platformLogs: pending('audit.platformLogs'),
  };
}
