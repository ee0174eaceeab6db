/**
 * Money is an integer number of minor units (kopecks, cents). Every rounding in the model goes
 * through {@link roundHalfAwayFromZero}, so a figure shown on a TV, in the API and in a report is
 * the same figure.
 */
export type Minor = number;

/**
 * Rounds to an integer, halves away from zero (2.5 → 3, −2.5 → −3).
 *
 * Decimal shares such as 0.4 or 0.285 are not exact in binary floating point, so a product that is
 * a half in decimal (0.285 × 100 = 28.5) can land a few ulps below the half. A value within a few
 * ulps of a half is treated as the half the decimal arithmetic meant.
 */
export function roundHalfAwayFromZero(value: number): number {
  if (!Number.isFinite(value)) {
    throw new RangeError(`cannot round ${String(value)}`);
  }
  const magnitude = Math.abs(value);
  const whole = Math.floor(magnitude);
  const fraction = magnitude - whole;
  const tolerance = 8 * Number.EPSILON * Math.max(1, magnitude);
  const rounded = fraction >= 0.5 - tolerance ? whole + 1 : whole;
  return value < 0 ? -rounded : rounded === 0 ? 0 : rounded;
}

/** Rounds to `decimals` decimal places with {@link roundHalfAwayFromZero} (points, percentages). */
export function roundTo({ value, decimals }: { value: number; decimals: number }): number {
  const scale = 10 ** decimals;
  return roundHalfAwayFromZero(value * scale) / scale;
}

/** True for an integer amount that JavaScript numbers hold exactly. */
export function isSafeMinor(value: number): boolean {
  return Number.isSafeInteger(value);
}

/**
 * Splits `totalMinor` into integer parts proportional to `weights` whose sum is exactly
 * `totalMinor` (largest remainder method; remaining units go to the largest fractions, earlier
 * entries first on equal fractions). Rounding every part on its own could pay out more than the
 * total (two halves of 1 kopeck would both round up).
 */
export function allocateProportionally({
  totalMinor,
  weights,
}: {
  totalMinor: Minor;
  weights: readonly number[];
}): Minor[] {
  if (!Number.isSafeInteger(totalMinor) || totalMinor < 0) {
    throw new RangeError(`totalMinor must be a non-negative safe integer, got ${totalMinor}`);
  }
  const sum = weights.reduce((acc, weight) => acc + weight, 0);
  if (sum <= 0 || totalMinor === 0) {
    return weights.map(() => 0);
  }
  const exact = weights.map((weight) => (totalMinor * weight) / sum);
  const parts = exact.map((value) => Math.floor(value));
  let remaining = totalMinor - parts.reduce((acc, part) => acc + part, 0);
  const order = exact
    .map((value, index) => ({ index, fraction: value - Math.floor(value) }))
    .sort((a, b) => b.fraction - a.fraction || a.index - b.index);
  for (const { index } of order) {
    if (remaining <= 0) break;
    parts[index] = (parts[index] ?? 0) + 1;
    remaining -= 1;
  }
  return parts;
}
