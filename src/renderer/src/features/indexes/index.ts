// The indexes feature's public face: the screens it registers.
export { navigation, screens } from './screens';
