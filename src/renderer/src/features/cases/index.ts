// The case inspector's public face: the search placed in a tenant's page and the case page.
export { CaseSearch } from './CaseSearch';
export { CasePage } from './CasePage';
