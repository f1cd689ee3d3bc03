export { maskRecord, maskRecordDetailed, maskKeyName, type MaskedField, type MaskOutcome } from './mask-record';
export { maskValue, MASK } from './mask-value';
export {
  MASKING_RULES,
  SENSITIVE_NAMES,
  UNMASKABLE_BY,
  sensitiveNameCategory,
  maskedFieldRef,
  parseMaskedFieldRef,
  type MaskCategory,
  type RecordKind,
  type FieldRule,
  type ChangeListRule,
} from './rules';
