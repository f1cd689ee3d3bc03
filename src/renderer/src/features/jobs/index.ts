// The jobs feature's public face: the panel and the screen it registers.
export { JobsPanel } from './JobsPanel';
export { navigation, screens } from './screens';
