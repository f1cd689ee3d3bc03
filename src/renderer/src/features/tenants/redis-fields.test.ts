import { describe, expect, it } from 'vitest';
import { isMaskedRedisField, keyNameField } from './redis-fields';

describe('isMaskedRedisField', () => {
  it('follows the masking rules: every session field, sensitive names anywhere, nothing else', () => {
    expect(isMaskedRedisField('session', 'username')).toBe(true);
    expect(isMaskedRedisField('session', 'value')).toBe(true);
    expect(isMaskedRedisField('config', 'api_key')).toBe(true);
    expect(isMaskedRedisField('case', 'title')).toBe(false);
    expect(isMaskedRedisField('notifications', 'value')).toBe(false);
  });
});

describe('keyNameField', () => {
  it('names the key name of a family the way maskKeyName reads an unmask', () => {
    expect(keyNameField('session')).toBe('redis:session#<key>');
  });
});
