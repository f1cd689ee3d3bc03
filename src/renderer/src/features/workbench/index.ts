// The workbench feature's public face: the screen it registers, its navigation entry, and how another screen asks it to open a tab.
export { WorkbenchScreen } from './WorkbenchScreen';
export { navigation, screens } from './screens';
export type { WorkbenchOpenRequest, WorkbenchParams } from './params';
