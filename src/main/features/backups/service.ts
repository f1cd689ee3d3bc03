import { AppError } from '@shared/errors';
import type { SectionService } from '../../services/section';

/** The backups section; filled in by the bundle, restore, verify and catalog pieces. */
export function createBackupsService(): SectionService<'backups'> {
  const notYet = (): Promise<never> => Promise.reject(new AppError('internal', 'Backups are not wired yet.'));
  return {
    catalog: notYet,
    bundle: notYet,
    backupTenant: notYet,
    restore: notYet,
    verify: notYet,
    setLegalHold: notYet,
    retention: notYet,
    backupFolder: notYet,
    setBackupFolder: notYet,
    dumpDatabase: notYet,
  };
}
