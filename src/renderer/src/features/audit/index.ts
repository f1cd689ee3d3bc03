// The audit feature's public face: the audit viewer as a screen, with its navigation entry.
export { screens, navigation } from './screens';
