import { describe, expect, it } from 'vitest';
import { Role } from '../model/session';
import { maskKeyName, maskRecord, maskRecordDetailed } from './mask-record';
import { MASKING_RULES, UNMASKABLE_BY, maskedFieldRef, parseMaskedFieldRef, type MaskCategory } from './rules';

/** A record of each family as the seeds describe it, with a value at every masked path. */
const SAMPLES = {
  'mongo:clients': {
    clientCode: 'CLI-00042',
    companyName: 'Acme',
    businessDetails: { registrationNumber: 'REG-1', taxId: '98-7654321', entityType: 'LLC' },
  },
  'mongo:clientcontacts': {
    contactId: 'CONT-00000001',
    personalInfo: { firstName: 'Jane', lastName: 'Roe', dateOfBirth: '1979-11-02' },
    professionalInfo: {
      workEmail: 'jane.roe@acme.example',
      personalEmail: 'jane.roe@private.example',
      mobilePhone: '+44 7700 900123',
      directPhone: '+44 20 7946 0958',
      officePhone: '+44 20 7946 0000',
    },
  },
  'mongo:users': { username: 'jroe', password: '$2b$10$abcdefghijklmnopqrstuv', passwordHash: '$2b$10$zyxwvutsrqponmlkjihgfe' },
  'mongo:tokenblacklist': { token: 'eyJhbGciOiJIUzI1NiJ9.payload.signature9876', expiresAt: '2026-01-01T00:00:00Z' },
  'postgres:users': {
    id: '9f0c…',
    username: 'john.doe',
    email: 'john.doe@example.com',
    password_hash: '$2b$12$R9h/cIPz0gi.URNNX3kh2OPST9/PgBkqquzi.Ss7KIUgO2t0jWMUW',
    role: 'agent',
  },
  'mongo:audit_logs': { entity_type: 'user', action: 'update', context: { session_id: 'c1d2e3f4-session', request_id: 'r-1' } },
  'elastic:audit-logs': { entity_type: 'user', action: 'update', context: { session_id: 'c1d2e3f4-session', request_id: 'r-1' } },
  'redis:session': { user_id: '98765432-1234', username: 'john.doe', role: 'agent', permissions: '{"cases":["view"]}', last_activity: '2025-06-02' },
};

function valueAt(record: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], record);
}

/**
 * Every masked field of the seeds, written out by hand (not read from MASKING_RULES), with the
 * masked form each must take: deleting a rule, or changing its category, breaks a row here.
 * The Redis session rule `*` covers each field of the hash, so each field is its own row.
 */
const EXPECTED: ReadonlyArray<{ kind: keyof typeof SAMPLES; path: string; category: MaskCategory; masked: string }> = [
  { kind: 'mongo:clients', path: 'businessDetails.taxId', category: 'tax_id', masked: '••••4321' },
  { kind: 'mongo:clientcontacts', path: 'personalInfo.dateOfBirth', category: 'date_of_birth', masked: '••••-••-••' },
  { kind: 'mongo:clientcontacts', path: 'professionalInfo.personalEmail', category: 'personal_email', masked: 'j***@p***.example' },
  { kind: 'mongo:clientcontacts', path: 'professionalInfo.mobilePhone', category: 'phone', masked: '••••0123' },
  { kind: 'mongo:clientcontacts', path: 'professionalInfo.directPhone', category: 'phone', masked: '••••0958' },
  { kind: 'mongo:users', path: 'password', category: 'password_hash', masked: '$2b$10$••••' },
  { kind: 'mongo:users', path: 'passwordHash', category: 'password_hash', masked: '$2b$10$••••' },
  { kind: 'mongo:tokenblacklist', path: 'token', category: 'token', masked: '••••9876' },
  { kind: 'postgres:users', path: 'password_hash', category: 'password_hash', masked: '$2b$12$••••' },
  { kind: 'postgres:users', path: 'email', category: 'personal_email', masked: 'j***@e***.com' },
  { kind: 'mongo:audit_logs', path: 'context.session_id', category: 'session', masked: '••••' },
  { kind: 'elastic:audit-logs', path: 'context.session_id', category: 'session', masked: '••••' },
  { kind: 'redis:session', path: 'user_id', category: 'session', masked: '••••' },
  { kind: 'redis:session', path: 'username', category: 'session', masked: '••••' },
  { kind: 'redis:session', path: 'role', category: 'session', masked: '••••' },
  { kind: 'redis:session', path: 'permissions', category: 'session', masked: '••••' },
  { kind: 'redis:session', path: 'last_activity', category: 'session', masked: '••••' },
];

/** The rules themselves, by hand: family → `path category` of each field rule, in order. */
const EXPECTED_RULES: Record<string, string[]> = {
  'mongo:clients': ['businessDetails.taxId tax_id'],
  'mongo:clientcontacts': [
    'personalInfo.dateOfBirth date_of_birth',
    'professionalInfo.personalEmail personal_email',
    'professionalInfo.mobilePhone phone',
    'professionalInfo.directPhone phone',
  ],
  'mongo:users': ['password password_hash', 'passwordHash password_hash'],
  'mongo:tokenblacklist': ['token token'],
  'postgres:users': ['password_hash password_hash', 'email personal_email'],
  'postgres:audit_logs': [],
  'mongo:audit_logs': ['context.session_id session'],
  'elastic:audit-logs': ['context.session_id session'],
  'redis:session': ['* session'],
};

/** Who sees a value in clear after an unmask, by hand: only platform admins, for every category. */
const SEES_UNMASKED: Record<Role, boolean> = { platform_admin: true, dba: false, support: false };

const ROLES = Role.options;

/** The part of a value its masked form must never show (the hints it may keep aside). */
function secretCore(category: MaskCategory, original: string): string {
  if (category === 'personal_email') return original.slice(0, original.indexOf('@'));
  if (category === 'password_hash') return original.slice(original.lastIndexOf('$') + 1);
  return original.length >= 8 ? original.slice(0, -4) : original;
}

describe('masking rules', () => {
  it('are the ones the seeds prescribe, no more and no fewer', () => {
    const actual = Object.fromEntries(
      Object.entries(MASKING_RULES).map(([kind, rules]) => [kind, rules.fields.map((rule) => `${rule.path} ${rule.category}`)]),
    );
    expect(actual).toEqual(EXPECTED_RULES);
    expect(MASKING_RULES['postgres:audit_logs']?.changeMaps?.map((rule) => rule.path)).toEqual(['changes']);
    for (const kind of ['mongo:audit_logs', 'elastic:audit-logs'] as const) {
      expect(MASKING_RULES[kind]?.changeLists?.map((rule) => `${rule.path} ${rule.fieldKey}`)).toEqual(['changes field']);
    }
  });

  it('let only platform admins unmask, whatever the category', () => {
    for (const [category, roles] of Object.entries(UNMASKABLE_BY)) {
      expect([...roles].sort(), category).toEqual(ROLES.filter((role) => SEES_UNMASKED[role]));
    }
  });

  it('have a sample record with a value at every masked path', () => {
    for (const { kind, path } of EXPECTED) expect(valueAt(SAMPLES[kind], path), `${kind} ${path}`).toBeTypeOf('string');
  });

  describe.each(EXPECTED)('$kind $path ($category)', ({ kind, path, category, masked }) => {
    const original = valueAt(SAMPLES[kind], path) as string;

    it.each(ROLES)('is %s masked as the table says when nothing was unmasked', (role) => {
      const outcome = maskRecordDetailed(kind, SAMPLES[kind], role);
      expect(valueAt(outcome.record, path)).toBe(masked);
      expect(masked).not.toContain(secretCore(category, original));
      expect(outcome.masked.find((field) => field.path === path)?.category).toBe(category);
    });

    it.each(ROLES)('is shown to %s after an unmask only when the table says the role may see it', (role) => {
      const value = valueAt(maskRecord(kind, SAMPLES[kind], role, [path]), path);
      expect(value).toBe(SEES_UNMASKED[role] ? original : masked);
    });
  });

  it('masks a sensitive name outside any rule (a secret) and opens it to platform admins only', () => {
    const channel = { configuration: { api_key: 'sk_live_0123456789abcdef' } };
    for (const role of ROLES) {
      const unmasked = maskRecord('postgres:channels', channel, role, ['configuration.api_key']).configuration.api_key;
      expect(unmasked, role).toBe(SEES_UNMASKED[role] ? 'sk_live_0123456789abcdef' : '••••cdef');
    }
  });

  it('masks for support and dba even when they pass an unmask list', () => {
    for (const role of ['support', 'dba'] as const) {
      const record = maskRecord('postgres:users', SAMPLES['postgres:users'], role, ['password_hash', 'email']);
      expect(record).toMatchObject({ password_hash: '$2b$12$••••', email: 'j***@e***.com', username: 'john.doe' });
    }
  });

  it('keeps fields the rules do not name, like a contact’s work email and office line', () => {
    const record = maskRecord('mongo:clientcontacts', SAMPLES['mongo:clientcontacts'], 'support');
    expect(record.professionalInfo).toMatchObject({ workEmail: 'jane.roe@acme.example', officePhone: '+44 20 7946 0000' });
    expect(record.personalInfo).toMatchObject({ firstName: 'Jane', dateOfBirth: '••••-••-••' });
  });

  it('masks sensitive names deep in nested documents and arrays of any family', () => {
    const channel = {
      name: 'SMS',
      configuration: { provider: 'twilio', providers: [{ api_key: 'sk_live_0123456789abcdef', region: 'eu' }, { apiSecret: 'x' }], webhookSecret: 'whsec_0123456789abcdef' },
    };
    const { record, masked } = maskRecordDetailed('postgres:channels', channel, 'dba');
    expect(record.configuration.providers[0]).toEqual({ api_key: '••••cdef', region: 'eu' });
    expect(record.configuration.providers[1]).toEqual({ apiSecret: '••••' });
    expect(record.configuration.webhookSecret).toBe('••••cdef');
    expect(masked.map((field) => field.at)).toEqual([
      'configuration.providers[0].api_key',
      'configuration.providers[1].apiSecret',
      'configuration.webhookSecret',
    ]);
    expect(masked[0]?.path).toBe('configuration.providers.api_key');
  });

  it('applies family rules inside arrays of sub-documents', () => {
    const client = { businessDetails: [{ taxId: '11-1111111' }, { taxId: '22-2222222' }] };
    expect(maskRecord('mongo:clients', client, 'support').businessDetails).toEqual([{ taxId: '••••1111' }, { taxId: '••••2222' }]);
  });

  it('masks the values of an audit log change to a sensitive field, and only those', () => {
    const log = {
      changes: [
        { field: 'status', old_value: 'open', new_value: 'in_progress' },
        { field: 'password_hash', old_value: '$2b$12$oldoldoldoldoldold', new_value: '$2b$12$newnewnewnewnewnew' },
        { field: 'email', old_value: 'a.b@old.example', new_value: 'a.b@new.example' },
      ],
    };
    for (const kind of ['mongo:audit_logs', 'elastic:audit-logs'] as const) {
      const { changes } = maskRecord(kind, log, 'support');
      expect(changes[0]).toEqual(log.changes[0]);
      expect(changes[1]).toEqual({ field: 'password_hash', old_value: '$2b$12$••••', new_value: '$2b$12$••••' });
      expect(changes[2]).toEqual({ field: 'email', old_value: 'a***@o***.example', new_value: 'a***@n***.example' });
    }
  });

  it('masks the old and new values of a sensitive field in the PostgreSQL audit trail’s change object', () => {
    const row = {
      entity_type: 'users',
      action: 'update',
      changes: {
        status: { old: 'active', new: 'locked' },
        password_hash: { old: '$2b$12$oldoldoldoldoldold', new: '$2b$12$newnewnewnewnewnew' },
        email: { old: 'x.y@old.example', new: 'x.y@new.example' },
      },
    };
    const { record, masked } = maskRecordDetailed('postgres:audit_logs', row, 'support');
    expect(record.changes.status).toEqual({ old: 'active', new: 'locked' });
    expect(record.changes.password_hash).toEqual({ old: '$2b$12$••••', new: '$2b$12$••••' });
    expect(record.changes.email).toEqual({ old: 'x***@o***.example', new: 'x***@n***.example' });
    expect(masked.map((field) => field.path)).toContain('changes.password_hash.old');
    const admin = maskRecord('postgres:audit_logs', row, 'platform_admin', ['changes.password_hash.old', 'changes.password_hash.new']);
    expect(admin.changes.password_hash).toEqual(row.changes.password_hash);
  });

  it('never changes its input', () => {
    const input = structuredClone(SAMPLES['mongo:clientcontacts']);
    maskRecord('mongo:clientcontacts', input, 'support');
    expect(input).toEqual(SAMPLES['mongo:clientcontacts']);
  });

  it('keeps values that are not plain data as they are unless they are masked', () => {
    const created = new Date('2025-01-01T00:00:00Z');
    const record = maskRecord('mongo:clientcontacts', { createdAt: created, personalInfo: { dateOfBirth: new Date('1980-01-01') } }, 'dba');
    expect(record.createdAt).toBe(created);
    expect(record.personalInfo.dateOfBirth).toBe('••••-••-••');
  });

  it('masks the session id in a session key name', () => {
    expect(maskKeyName('redis:session', 'tenant_123456:session:abcd1234', 'support')).toBe('tenant_123456:session:••••');
    expect(maskKeyName('redis:case', 'tenant_123456:case:42', 'support')).toBe('tenant_123456:case:42');
  });

  it('names a field for an unmask as family#path and reads it back', () => {
    const ref = maskedFieldRef('mongo:clientcontacts', 'professionalInfo.personalEmail');
    expect(ref).toBe('mongo:clientcontacts#professionalInfo.personalEmail');
    expect(parseMaskedFieldRef(ref)).toEqual({ kind: 'mongo:clientcontacts', path: 'professionalInfo.personalEmail' });
    expect(parseMaskedFieldRef('users#email')).toBeUndefined();
    expect(parseMaskedFieldRef('postgres:users#a#b')).toBeUndefined();
  });
});
