import { describe, expect, it } from 'vitest';
import { formatRemaining } from './time';

describe('formatRemaining', () => {
  const now = Date.parse('2026-11-22T09:00:00.000Z');

  it('counts minutes and seconds under an hour, rounding up so a live reason never shows 0:00', () => {
    expect(formatRemaining('2026-11-22T09:04:07.000Z', now)).toBe('4:07');
    expect(formatRemaining('2026-11-22T09:00:00.200Z', now)).toBe('0:01');
    expect(formatRemaining('2026-11-22T09:30:00.000Z', now)).toBe('30:00');
  });

  it('counts hours and minutes from an hour on', () => {
    expect(formatRemaining('2026-11-22T10:05:00.000Z', now)).toBe('1 h 05 min');
    expect(formatRemaining('2026-11-22T17:00:00.000Z', now)).toBe('8 h 00 min');
  });

  it('says expired at and after the instant, and for a time it cannot read', () => {
    expect(formatRemaining('2026-11-22T09:00:00.000Z', now)).toBe('expired');
    expect(formatRemaining('2026-11-22T08:59:00.000Z', now)).toBe('expired');
    expect(formatRemaining('not a time', now)).toBe('expired');
  });
});
