// The access feature's public face: the slice for the bound store and the pieces the shell and views place.
export { createAccessSlice, roleIn, type AccessSlice, type AccessEntry, type ReasonRequest } from './slice';
export { OperatorPanel } from './OperatorPanel';
export { TenantPicker } from './TenantPicker';
export { ReasonPrompt, useReasonPrompts } from './ReasonPrompt';
export { UnmaskableValue, looksMasked } from './UnmaskableValue';
export { needOfRefusal, mayGiveReason, type JustificationNeed } from './needs';
