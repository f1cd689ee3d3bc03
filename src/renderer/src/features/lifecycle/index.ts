// The lifecycle feature's public face: the fleet horizon and the tenant time view it registers.
export { navigation, screens } from './screens';
