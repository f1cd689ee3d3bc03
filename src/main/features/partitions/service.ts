import { AppError } from '@shared/errors';
import type { SectionService } from '../../services/section';

const notYet = (): never => {
  throw new AppError('internal', 'Partitions are not available in this build yet.');
};

/** The partitions section; every method is filled in by the inventory, plans and jobs of this folder. */
export function createPartitionsService(): SectionService<'partitions'> {
  return {
    fleet: notYet,
    tenant: notYet,
    defaultRows: notYet,
    moveDefaultRows: notYet,
    premakePlan: notYet,
    premake: notYet,
    retentionPlan: notYet,
    retire: notYet,
  };
}
