/**
 * Where the daily digest reads a participant's forecast chance of a prize (0..1), when the
 * contest has a live forecast. This default has none, and the digest leaves the line out; a
 * forecast capability provides its own (`{ provide: ForecastSource, useExisting: … }`).
 */
export abstract class ForecastSource {
  abstract prizeChance(contestId: string, participantId: string): Promise<number | null>;
}

export class NoForecast extends ForecastSource {
  prizeChance(): Promise<number | null> {
    return Promise.resolve(null);
  }
}
