import type { Role } from '../model/session';

/** What kind of secret a value is; decides how its masked form looks. */
export type MaskCategory =
  | 'tax_id'
  | 'date_of_birth'
  | 'personal_email'
  | 'phone'
  | 'password_hash'
  | 'token'
  | 'session'
  | 'secret';

/**
 * A record's family: `<store>:<name>`, the name being the table without its schema
 * (`postgres:users`), the collection without its tenant prefix (`mongo:audit_logs` for
 * `tenant_123_audit_logs`, `mongo:clientcontacts`), the Redis key family of the preset
 * (`redis:session`), or the index entity without tenant and month (`elastic:audit-logs`).
 */
export type RecordKind = `${'postgres' | 'mongo' | 'redis' | 'elastic'}:${string}`;

/**
 * One masked field. `path` is dot-separated; arrays on the way are entered element by element, and
 * `*` stands for every key of an object (a Redis hash's fields, say).
 */
export interface FieldRule {
  path: string;
  category: MaskCategory;
  /** The seed section the rule comes from. */
  source: string;
}

/**
 * A list of change records (`{ field, old_value, new_value }`, the platforms' audit logs): the
 * values are masked when the field they record is itself sensitive (a password hash change).
 */
export interface ChangeListRule {
  path: string;
  fieldKey: string;
  valueKeys: readonly string[];
  source: string;
}

/**
 * An object of changes keyed by the changed field (`{ password_hash: { old, new } }`, the
 * PostgreSQL audit trigger's form): the values under a sensitive field's key are masked.
 */
export interface ChangeMapRule {
  path: string;
  valueKeys: readonly string[];
  source: string;
}

export interface KindRules {
  fields: readonly FieldRule[];
  changeLists?: readonly ChangeListRule[];
  changeMaps?: readonly ChangeMapRule[];
}

/** Who may see a category in clear, after an audited, justified unmask. Nobody sees it by default. */
export const UNMASKABLE_BY: Readonly<Record<MaskCategory, readonly Role[]>> = {
  tax_id: ['platform_admin'],
  date_of_birth: ['platform_admin'],
  personal_email: ['platform_admin'],
  phone: ['platform_admin'],
  password_hash: ['platform_admin'],
  token: ['platform_admin'],
  session: ['platform_admin'],
  secret: ['platform_admin'],
};

const CMS = '000';
const MURIMA = '003';

/** The sensitive fields the two seed platforms describe, per record family. */
export const MASKING_RULES: Readonly<Record<RecordKind, KindRules>> = {
  // Client Management System (MongoDB customer and shared databases)
  'mongo:clients': {
    fields: [{ path: 'businessDetails.taxId', category: 'tax_id', source: `${CMS} §3.1 businessDetails` }],
  },
  'mongo:clientcontacts': {
    fields: [
      { path: 'personalInfo.dateOfBirth', category: 'date_of_birth', source: `${CMS} §3.2 personalInfo` },
      { path: 'professionalInfo.personalEmail', category: 'personal_email', source: `${CMS} §3.2 professionalInfo` },
      { path: 'professionalInfo.mobilePhone', category: 'phone', source: `${CMS} §3.2 professionalInfo` },
      { path: 'professionalInfo.directPhone', category: 'phone', source: `${CMS} §3.2 professionalInfo` },
    ],
  },
  'mongo:users': {
    fields: [
      { path: 'password', category: 'password_hash', source: `${CMS} §2.1 users (authentication)` },
      { path: 'passwordHash', category: 'password_hash', source: `${CMS} §2.1 users (authentication)` },
    ],
  },
  'mongo:tokenblacklist': {
    fields: [{ path: 'token', category: 'token', source: `${CMS} §2.2 tokenblacklist` }],
  },
  // Murima2025
  'postgres:users': {
    fields: [
      { path: 'password_hash', category: 'password_hash', source: `${MURIMA} §2.1.2 users` },
      { path: 'email', category: 'personal_email', source: `${MURIMA} §2.1.2 users` },
    ],
  },
  'postgres:audit_logs': {
    fields: [],
    changeMaps: [{ path: 'changes', valueKeys: ['old', 'new'], source: `${MURIMA} §7.3.2 audit trail` }],
  },
  'mongo:audit_logs': {
    fields: [{ path: 'context.session_id', category: 'session', source: `${MURIMA} §2.2.2 audit logs` }],
    changeLists: [{ path: 'changes', fieldKey: 'field', valueKeys: ['old_value', 'new_value'], source: `${MURIMA} §2.2.2 audit logs` }],
  },
  'elastic:audit-logs': {
    fields: [{ path: 'context.session_id', category: 'session', source: `${MURIMA} §2.4.2 audit logs index` }],
    changeLists: [{ path: 'changes', fieldKey: 'field', valueKeys: ['old_value', 'new_value'], source: `${MURIMA} §2.4.2 audit logs index` }],
  },
  'redis:session': {
    fields: [{ path: '*', category: 'session', source: `${MURIMA} §2.3.3 user session` }],
  },
};

/**
 * Field names that are sensitive wherever they turn up: JSONB `metadata` and `preferences`,
 * channel `configuration` (provider API keys), custom fields, workbench results of any shape.
 * Compared after lower-casing and dropping `_` and `-`, so `api_key`, `apiKey` and `API-KEY` match.
 */
export const SENSITIVE_NAMES: Readonly<Record<string, MaskCategory>> = {
  taxid: 'tax_id',
  taxnumber: 'tax_id',
  vatnumber: 'tax_id',
  ssn: 'tax_id',
  nationalid: 'tax_id',
  dateofbirth: 'date_of_birth',
  dob: 'date_of_birth',
  birthdate: 'date_of_birth',
  personalemail: 'personal_email',
  privateemail: 'personal_email',
  mobilephone: 'phone',
  mobile: 'phone',
  mobilenumber: 'phone',
  cellphone: 'phone',
  personalphone: 'phone',
  homephone: 'phone',
  directphone: 'phone',
  password: 'password_hash',
  passwordhash: 'password_hash',
  passwd: 'password_hash',
  token: 'token',
  accesstoken: 'token',
  refreshtoken: 'token',
  idtoken: 'token',
  authtoken: 'token',
  bearertoken: 'token',
  resettoken: 'token',
  jwt: 'token',
  sessionid: 'session',
  sessiontoken: 'session',
  apikey: 'secret',
  apisecret: 'secret',
  secret: 'secret',
  clientsecret: 'secret',
  webhooksecret: 'secret',
  privatekey: 'secret',
  signingkey: 'secret',
  authkey: 'secret',
};

export function sensitiveNameCategory(name: string): MaskCategory | undefined {
  const normalised = name.toLowerCase().replace(/[_-]/g, '');
  return Object.hasOwn(SENSITIVE_NAMES, normalised) ? SENSITIVE_NAMES[normalised] : undefined;
}

/** Redis key families whose key names themselves carry a credential (`<tenant>:session:<session_id>`). */
export const SECRET_KEY_SEGMENTS: Readonly<Record<string, { segment: number; category: MaskCategory }>> = {
  'redis:session': { segment: 2, category: 'session' },
};

/** How an unmask names one field: `postgres:users#password_hash`, `mongo:clientcontacts#professionalInfo.personalEmail`. */
export function maskedFieldRef(kind: RecordKind | string, path: string): string {
  return `${kind}#${path}`;
}

/** The family and path of a field reference, or undefined when it is not one. */
export function parseMaskedFieldRef(ref: string): { kind: string; path: string } | undefined {
  const match = /^((?:postgres|mongo|redis|elastic):[^#\s]{1,200})#([^#\s]{1,500})$/.exec(ref);
  return match?.[1] && match[2] ? { kind: match[1], path: match[2] } : undefined;
}
