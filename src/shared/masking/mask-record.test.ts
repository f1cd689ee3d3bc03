import { describe, expect, it } from 'vitest';
import { Role } from '../model/session';
import { maskKeyName, maskRecord, maskRecordDetailed } from './mask-record';
import { MASKING_RULES, UNMASKABLE_BY, maskedFieldRef, parseMaskedFieldRef, type MaskCategory, type RecordKind } from './rules';

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

function sampleOf(kind: string): Record<string, unknown> {
  const sample = (SAMPLES as Record<string, Record<string, unknown>>)[kind];
  if (!sample) throw new Error(`the test has no sample record for ${kind}`);
  return sample;
}

function valueAt(record: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], record);
}

/** Every (family, masked path) the rules name; `*` expanded over the sample's keys. */
const MASKED_PATHS = Object.entries(MASKING_RULES).flatMap(([kind, rules]) =>
  rules.fields.flatMap((rule) => {
    const sample = sampleOf(kind);
    const paths = rule.path === '*' ? Object.keys(sample) : [rule.path];
    return paths.map((path) => ({ kind: kind as RecordKind, path, category: rule.category }));
  }),
);

const ROLES = Role.options;

/** The part of a value its masked form must never show (the hints it may keep aside). */
function secretCore(category: MaskCategory, original: string): string {
  if (category === 'personal_email') return original.slice(0, original.indexOf('@'));
  if (category === 'password_hash') return original.slice(original.lastIndexOf('$') + 1);
  return original.length >= 8 ? original.slice(0, -4) : original;
}

describe('masking rules', () => {
  it('have a sample record with a value at every masked path', () => {
    for (const { kind, path } of MASKED_PATHS) expect(valueAt(sampleOf(kind), path), `${kind} ${path}`).toBeTypeOf('string');
  });

  describe.each(MASKED_PATHS)('$kind $path ($category)', ({ kind, path, category }) => {
    const original = valueAt(sampleOf(kind), path) as string;

    it.each(ROLES)('stays masked for %s when nothing was unmasked', (role) => {
      const masked = valueAt(maskRecord(kind, sampleOf(kind), role), path);
      expect(masked).not.toBe(original);
      expect(String(masked)).toMatch(/•|\*\*\*/);
      expect(String(masked)).not.toContain(secretCore(category, original));
    });

    it.each(ROLES)('is shown to %s after an unmask only when the role may unmask it', (role) => {
      const value = valueAt(maskRecord(kind, sampleOf(kind), role, [path]), path);
      if (UNMASKABLE_BY[category].includes(role)) expect(value).toBe(original);
      else expect(value).not.toBe(original);
    });
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
