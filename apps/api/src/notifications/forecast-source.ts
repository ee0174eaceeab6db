/**
 * Where the daily digests read a participant's forecast chance of a prize (0..1); null when the
 * contest has no live forecast yet, and the digest leaves the line out. The forecasts module
 * provides it (`StoredForecastChance`); the notifications depend on this seam, not on it.
 */
export abstract class ForecastSource {
  abstract prizeChance(contestId: string, participantId: string): Promise<number | null>;
}
