import { Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { ForecastsService } from '../forecasts/forecasts.service.js';
import { AUDIENCES } from './audience.js';
import { LiveEmitter } from './live-emitter.service.js';

/**
 * Pushes each new forecast of a contest to this process's sockets in the contest's rooms, as
 * each audience may see it (`forecast`). Every process hears of a stored forecast (its own or
 * another's, through the cluster notice) and tells its own sockets only, so no client gets it
 * twice, with or without shared rooms.
 */
@Injectable()
export class LiveForecasts implements OnModuleDestroy {
  private readonly logger = new Logger(LiveForecasts.name);
  /** Per contest, the newest forecast sent (`seq`, then `asOf`): an older read is not sent. */
  private readonly sent = new Map<string, { seq: number; asOf: string }>();
  private readonly unsubscribe: () => void;

  constructor(
    private readonly forecasts: ForecastsService,
    private readonly emitter: LiveEmitter,
  ) {
    this.unsubscribe = forecasts.onForecast((contestId) => void this.push(contestId));
  }

  onModuleDestroy(): void {
    this.unsubscribe();
  }

  private async push(contestId: string): Promise<void> {
    if (!this.emitter.attached) return;
    try {
      const views = await Promise.all(
        AUDIENCES.map(async (audience) => ({
          audience,
          view: await this.forecasts.latestFor(contestId, audience === 'staff'),
        })),
      );
      const newest = views[0]?.view;
      if (!newest) return;
      const last = this.sent.get(contestId);
      if (last && (newest.seq < last.seq || (newest.seq === last.seq && newest.asOf <= last.asOf)))
        return;
      this.sent.set(contestId, { seq: newest.seq, asOf: newest.asOf });
      for (const { audience, view } of views)
        if (view) this.emitter.send('forecast', { contestId, audience, reach: 'process' }, view);
    } catch (error) {
      this.logger.error(`forecast of contest ${contestId} not pushed: ${String(error)}`);
    }
  }
}
