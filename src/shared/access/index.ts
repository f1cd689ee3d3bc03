export { METHOD_CLASS_NAMES, isMethodClass, type MethodClass } from './method-class';
export { JUSTIFICATION_KINDS, JustificationKind, mayJustify } from './justification-kinds';
