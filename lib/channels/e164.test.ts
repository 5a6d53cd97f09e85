import { describe, expect, it } from 'vitest';
import { toE164 } from '@/lib/channels/e164';

describe('toE164', () => {
  it('keeps international numbers and strips their punctuation', () => {
    expect(toE164('+34 600 11 22 33')).toBe('+34600112233');
    expect(toE164('+1 (415) 555-0100')).toBe('+14155550100');
    expect(toE164('0044 20 7946 0958')).toBe('+442079460958');
    expect(toE164('tel:+55-11-91234-5678')).toBe('+5511912345678');
  });

  it('completes national numbers with the default country, dropping the trunk zero', () => {
    expect(toE164('020 7946 0958', '44')).toBe('+442079460958');
    expect(toE164('600 112 233', '34')).toBe('+34600112233');
    expect(toE164('1 415 555 0100', '1')).toBe('+14155550100');
    // Italy keeps its leading zero in international form.
    expect(toE164('06 6982 1234', '39')).toBe('+390669821234');
  });

  it('drops an extension, which reaches a desk rather than a person', () => {
    expect(toE164('+44 20 7946 0958 ext. 204')).toBe('+442079460958');
  });

  it('refuses what cannot be a phone number', () => {
    expect(toE164('600 112 233')).toBeUndefined();
    expect(toE164('+0 123 456 789')).toBeUndefined();
    expect(toE164('+12345')).toBeUndefined();
    expect(toE164('+1234567890123456')).toBeUndefined();
    expect(toE164('call me maybe')).toBeUndefined();
    expect(toE164('')).toBeUndefined();
  });
});
