// The workbench feature's public face: the screen it registers and its navigation entry.
export { WorkbenchScreen } from './WorkbenchScreen';
export { navigation, screens } from './screens';
export type { WorkbenchOpenRequest, WorkbenchParams } from './screens';
