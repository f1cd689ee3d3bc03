// The case inspector's public face: the case page as a screen, and the case search for a tenant's page.
export { screens, caseInspector } from './screens';
