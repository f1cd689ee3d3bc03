// The audit feature's public face: the viewer the shell places.
export { AuditViewer } from './AuditViewer';
