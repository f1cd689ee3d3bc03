// The ILM feature's public face: the screen it registers.
export { navigation, screens } from './screens';
