import { describe, expect, it } from 'vitest';
import { uuidv7 } from './ids';

describe('uuidv7', () => {
  it('is a version 7, RFC 9562 variant UUID', () => {
    expect(uuidv7()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('sorts by creation time and stays unique within a millisecond', () => {
    const earlier = uuidv7(Date.UTC(2026, 10, 23, 9, 0, 0));
    const later = uuidv7(Date.UTC(2026, 10, 23, 9, 0, 0, 1));
    expect(earlier < later).toBe(true);
    expect(parseInt(later.replace('-', '').slice(0, 12), 16)).toBe(Date.UTC(2026, 10, 23, 9, 0, 0, 1));
    const sameMillisecond = Array.from({ length: 10_000 }, () => uuidv7(1_700_000_000_000));
    expect(new Set(sameMillisecond).size).toBe(10_000);
  });
});
