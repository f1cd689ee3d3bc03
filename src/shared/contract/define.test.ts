import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { METHOD_CLASS_NAMES, isMethodClass, type MethodClass } from '../access';
import { method } from './define';
import { METHOD_NAMES, methodSpec } from './index';

const schemas = { summary: 'A method for the test.', args: z.object({}).strict(), result: z.object({}) };

describe('a contract method declares its access class', () => {
  it('does not compile without one, and is refused when a cast gets it past the compiler', () => {
    // @ts-expect-error -- `access` is required: a method cannot join the contract without a class.
    expect(() => method(schemas)).toThrow(/needs an access class; got undefined/);
  });

  it('does not compile with a class the policy does not know, and is refused the same way', () => {
    // @ts-expect-error -- 'superuser' is no MethodClass.
    expect(() => method({ ...schemas, access: 'superuser' })).toThrow(/needs an access class; got "superuser"/);
  });

  it('keeps the class it was given', () => {
    const declared: MethodClass = 'tenant-read';
    expect(method({ ...schemas, access: declared }).access).toBe('tenant-read');
  });

  it('holds for every method of the contract', () => {
    const without = METHOD_NAMES.filter((name) => !isMethodClass(methodSpec(name).access));
    expect(METHOD_NAMES.length).toBeGreaterThan(0);
    expect(without).toEqual([]);
  });

  it('knows each class once', () => {
    expect(new Set(METHOD_CLASS_NAMES).size).toBe(METHOD_CLASS_NAMES.length);
    expect(isMethodClass('toString')).toBe(false);
  });
});
