// The jobs feature's public face: the panel and the screen it registers.
export { JobsPanel } from './JobsPanel';
export { navigation, screens } from './screens';
// What other features use to show a job they started, the way this room shows it.
export { progressLabel, STATE_COLORS } from './format';
export { fractionDone } from './jobs-state';
