// The client inspector's public face: the client page as a screen, and the client search for a tenant's page.
export { screens, clientInspector } from './screens';
