import { describe, expect, it } from 'vitest';
import { countSurprise } from './surprise';

describe('countSurprise', () => {
  it('is zero at or below the expected count', () => {
    expect(countSurprise(5, 10, 0.1)).toBe(0);
    expect(countSurprise(10, 10, 0)).toBe(0);
  });

  it('bounds the Poisson tail from above (Chernoff), in decimal digits', () => {
    // P(X ≥ 10 | μ = 1) ≈ 1.1e-7: the bound must not claim more surprise than that.
    const digits = countSurprise(10, 1, 0);
    expect(digits).toBeGreaterThan(4.5);
    expect(digits).toBeLessThan(7);
  });

  it('is less surprised when the series is noisier, and tends to Poisson as the noise vanishes', () => {
    expect(countSurprise(30, 10, 0.5)).toBeLessThan(countSurprise(30, 10, 0.05));
    expect(countSurprise(30, 10, 1e-8)).toBeCloseTo(countSurprise(30, 10, 0), 3);
  });

  it('grows with the count', () => {
    expect(countSurprise(40, 10, 0.2)).toBeGreaterThan(countSurprise(20, 10, 0.2));
  });
});
