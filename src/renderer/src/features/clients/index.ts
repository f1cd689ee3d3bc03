// The client inspector's public face: the search placed in a tenant's page and the client page.
export { ClientSearch } from './ClientSearch';
export { ClientPage } from './ClientPage';
