// The explain feature's public face: the screen it registers and its navigation entry.
export { navigation, screens } from './screens';
export type { ExplainParams } from './params';
