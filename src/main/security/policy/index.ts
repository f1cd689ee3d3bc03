export { createAccessPolicy, type AccessPolicy, type AccessPolicyOptions, type AuthorizedCall } from './access-policy';
export { authorize, decide, decideForClass, targetOf, type AccessContext, type AccessDecision, type AccessTarget } from './decide';
export {
  JustificationStore,
  JustificationInput,
  DEFAULT_JUSTIFICATION_TTL_MS,
  namedScope,
  type Justification,
  type JustificationScope,
} from './justifications';
export { CLASS_RULES, METHOD_CLASSES, classOf, journalOf, type ClassRule, type MethodClass, type RoleGrant } from './table';
