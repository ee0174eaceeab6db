import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { COUNTING_STATES } from '@podium/contest-model';
import { DataSource } from 'typeorm';
import { digestQueue, scheduleDailyDigest } from './daily-digest-job.js';
import { APP_CONFIG } from '../config/config.module.js';
import { notificationDefaults, type AppConfig } from '../config/config.js';
import { ContestRecordsService } from '../contests/contest-records.service.js';
import { JobsService } from '../jobs/jobs.service.js';
import { StandingsService } from '../standings/standings.service.js';
import { ForecastSource } from './forecast-source.js';
import type { Language } from './kinds.js';
import { texts } from './messages.js';
import { OutboxService } from './outbox.service.js';
import { TelegramChatsRepository } from './telegram-chats.repository.js';

/** The daily digest's job: sent by pg-boss's cron once a day at `PODIUM_DIGEST_TIME`. */
export const DIGEST_QUEUE = digestQueue('notify-digest');

/**
 * The daily digest (DESIGN §6a): at the set local time in the company's time zone, each linked
 * seller of a live contest gets their rank, points, the points to the next place and, when the
 * contest has a forecast, their chance of a prize. Written in one transaction per contest, each
 * message keyed by the local day, so a retried or doubled run sends nothing twice.
 */
@Injectable()
export class DigestService implements OnApplicationBootstrap {
  private readonly logger = new Logger('Digest');

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly jobs: JobsService,
    private readonly dataSource: DataSource,
    private readonly contests: ContestRecordsService,
    private readonly standings: StandingsService,
    private readonly chats: TelegramChatsRepository,
    private readonly outbox: OutboxService,
    private readonly forecast: ForecastSource,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const settings = this.config.notifications ?? notificationDefaults();
    if (this.config.telegram == null) return;
    await scheduleDailyDigest({
      jobs: this.jobs,
      queue: DIGEST_QUEUE,
      settings,
      send: () => this.send(new Date()),
    });
  }

  /** Writes today's digest of every live contest (idempotent per local day). */
  async send(now: Date): Promise<number> {
    const settings = this.config.notifications ?? notificationDefaults();
    const day = new Intl.DateTimeFormat('en-CA', { timeZone: settings.timeZone }).format(now);
    let written = 0;
    for (const contest of await this.contests.list({ states: COUNTING_STATES })) {
      const file = contest.frozenFile;
      if (file === null) continue;
      const chats = await this.chats.ofParticipants(
        this.dataSource.manager,
        file.participants.map((participant) => participant.id),
      );
      if (chats.length === 0) continue;
      const lines: { participantId: string; key: string; text: (language: Language) => string }[] =
        [];
      for (const participantId of new Set(chats.map((chat) => chat.participantId))) {
        if (participantId === null) continue;
        const parts = await this.standings.liveParts(contest.id, { top: 0, focus: participantId });
        const row = parts?.focus?.row;
        if (parts === null || row === undefined) continue;
        const next = row.whatItTakes?.nextPlace ?? null;
        const facts = {
          contest: contest.name,
          rank: row.rank,
          of: parts.participants,
          points: row.points,
          toNext: next === null ? null : Math.max(0, next.points - row.points),
          chance: await this.forecast.prizeChance(contest.id, participantId),
        };
        lines.push({
          participantId,
          key: `digest:${contest.id}:${day}:${participantId}`,
          text: (language) => texts.dailyDigest(language, facts),
        });
      }
      await this.dataSource.transaction((manager) =>
        this.outbox.toParticipants(manager, 'dailyDigest', lines),
      );
      written += lines.length;
    }
    if (written > 0) this.logger.log(`daily digest for ${written} participant(s)`);
    return written;
  }
}
