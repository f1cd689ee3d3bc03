import { AppError } from '@shared/errors';
import type { SectionService } from '../../core/router';

// Interim: the workspaces service (repository, vault, connection tests) replaces this file.
export async function createWorkspacesService(_options: { dataDir: string }): Promise<SectionService<'workspaces'>> {
  const notYet = async (): Promise<never> => {
    throw new AppError('internal', 'workspaces are not available yet');
  };
  return { list: async () => [], get: notYet, create: notYet, update: notYet, remove: notYet, testConnection: notYet, status: notYet };
}
