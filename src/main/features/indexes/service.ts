import { AppError } from '@shared/errors';
import type { SectionService } from '../../services/section';

/** The indexes section; each method is filled in by its own file as it is built. */
export function createIndexesService(): SectionService<'indexes'> {
  const later = (name: string) => async (): Promise<never> => {
    throw new AppError('internal', `indexes.${name} is not available in this build yet.`);
  };
  return {
    fleet: later('fleet'),
    table: later('table'),
    findings: later('findings'),
    drift: later('drift'),
    fixPlan: later('fixPlan'),
    applyFix: later('applyFix'),
    build: later('build'),
    rebuild: later('rebuild'),
    drop: later('drop'),
    mongoCollection: later('mongoCollection'),
    mongoBuild: later('mongoBuild'),
    mongoHide: later('mongoHide'),
    elasticMappings: later('elasticMappings'),
  };
}
