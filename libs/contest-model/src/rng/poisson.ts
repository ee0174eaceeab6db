import type { Rng } from './streams.js';
import { uniformOpen } from './streams.js';

/**
 * A Poisson draw with mean `lambda` (≥ 0): inversion below 10, Hörmann's PTRS transformed
 * rejection (1993) above, so a large mean costs a few draws, not `lambda` of them.
 */
export function poisson(rng: Rng, lambda: number): number {
  if (!(lambda > 0)) return 0;
  if (lambda < 10) {
    const u = uniformOpen(rng);
    let term = Math.exp(-lambda);
    let cumulative = term;
    let count = 0;
    // The tail beyond count 200 is below 1e-150 for lambda < 10: it only stops rounding loops.
    while (u > cumulative && count < 200) {
      count += 1;
      term *= lambda / count;
      cumulative += term;
    }
    return count;
  }
  const sqrtLambda = Math.sqrt(lambda);
  const logLambda = Math.log(lambda);
  const b = 0.931 + 2.53 * sqrtLambda;
  const a = -0.059 + 0.02483 * b;
  const invAlpha = 1.1239 + 1.1328 / (b - 3.4);
  const vr = 0.9277 - 3.6224 / (b - 2);
  for (;;) {
    const u = uniformOpen(rng) - 0.5;
    const v = uniformOpen(rng);
    const us = 0.5 - Math.abs(u);
    const count = Math.floor(((2 * a) / us + b) * u + lambda + 0.43);
    if (us >= 0.07 && v <= vr) return count;
    if (count < 0 || (us < 0.013 && v > us)) continue;
    if (
      Math.log(v) + Math.log(invAlpha) - Math.log(a / (us * us) + b) <=
      -lambda + count * logLambda - logFactorial(count)
    ) {
      return count;
    }
  }
}

const SMALL_LOG_FACTORIALS: number[] = [0];
for (let n = 1; n < 16; n += 1) {
  SMALL_LOG_FACTORIALS.push((SMALL_LOG_FACTORIALS[n - 1] as number) + Math.log(n));
}

/** ln(n!): a table below 16, Stirling's series above (error below 1e-12). */
export function logFactorial(n: number): number {
  if (n < 16) return SMALL_LOG_FACTORIALS[n] as number;
  const x = n + 1;
  const inverse = 1 / x;
  const inverseSquared = inverse * inverse;
  return (
    (x - 0.5) * Math.log(x) -
    x +
    0.9189385332046728 +
    inverse * (1 / 12 - inverseSquared * (1 / 360 - inverseSquared / 1260))
  );
}
