import { Injectable } from '@nestjs/common';
import { ForecastSource } from '../notifications/forecast-source.js';
import { ForecastsRepository } from './forecasts.repository.js';

/** The daily digests' chance of a prize: the participant's in the contest's latest forecast. */
@Injectable()
export class StoredForecastChance extends ForecastSource {
  constructor(private readonly forecasts: ForecastsRepository) {
    super();
  }

  async prizeChance(contestId: string, participantId: string): Promise<number | null> {
    const latest = await this.forecasts.latest(contestId);
    const row = latest?.figures.participants.find((each) => each.participantId === participantId);
    return row?.pPrize ?? null;
  }
}
