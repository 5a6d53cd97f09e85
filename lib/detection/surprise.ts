const LN10 = Math.log(10);

/**
 * How surprising `observed` is above `expected` under a negative binomial with dispersion `dispersion`
 * (variance = μ + φ·μ²), in decimal digits: the Chernoff bound −log10 P(X ≥ observed), 0 when observed ≤ expected.
 */
export function countSurprise(observed: number, expected: number, dispersion: number): number {
  if (!(observed > expected) || !(expected > 0)) return 0;
  // Rate function of the exponential family with fixed size r = 1/φ; φ → 0 gives the Poisson x·ln(x/μ) − x + μ.
  const rate =
    dispersion > 1e-9
      ? observed * Math.log(observed / expected) - (observed + 1 / dispersion) * Math.log((observed * dispersion + 1) / (expected * dispersion + 1))
      : observed * Math.log(observed / expected) - observed + expected;
  return rate > 0 ? rate / LN10 : 0;
}
