import { AppError } from '@shared/errors';
import type { SectionService } from '../../core/router';

/** The access section; the wiring of operators, reasons and managed workspaces follows. */
export function createAccessService(): SectionService<'access'> {
  const pending = (what: string) => async (): Promise<never> => {
    throw new AppError('internal', `${what} is not available in this build yet`);
  };
  return {
    session: pending('access.session'),
    setOperator: pending('access.setOperator'),
    justify: pending('access.justify'),
    importManaged: pending('access.importManaged'),
    verifyManaged: pending('access.verifyManaged'),
  };
}
