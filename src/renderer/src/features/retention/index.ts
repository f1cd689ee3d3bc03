// The retention feature's public face: the screen it registers.
export { navigation, screens } from './screens';
