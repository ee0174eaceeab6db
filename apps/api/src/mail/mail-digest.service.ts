import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { COUNTING_STATES } from '@podium/contest-model';
import { DataSource } from 'typeorm';
import { PublicUrl } from '../common/public-url.js';
import { digestQueue, scheduleDailyDigest } from '../notifications/daily-digest-job.js';
import { APP_CONFIG } from '../config/config.module.js';
import { notificationDefaults, type AppConfig } from '../config/config.js';
import { ContestRecordsService } from '../contests/contest-records.service.js';
import { JobsService } from '../jobs/jobs.service.js';
import { ForecastSource } from '../notifications/forecast-source.js';
import type { OutboxMessage } from '../notifications/outbox.repository.js';
import { OutboxService } from '../notifications/outbox.service.js';
import { StandingsService } from '../standings/standings.service.js';
import { MailRecipientsRepository, type MailRecipient } from './mail-recipients.repository.js';
import { digestSubject, type DigestContestLine } from './mail.templates.js';
import { MailTransport } from './mail.transport.js';

/** The e-mail digest's job: sent by pg-boss's cron once a day at `PODIUM_DIGEST_TIME`. */
export const MAIL_DIGEST_QUEUE = digestQueue('notify-digest-email');

/**
 * The daily digest by e-mail (issue 18.3–4): at the set local time in the company's time zone,
 * every participant with an e-mail (a seller login) in a live contest gets one message with a
 * line per contest: rank of how many, points, the points to the next place and to a prize place,
 * and the forecast's chance of a prize when the contest has one (the Telegram digest's source).
 * Written in one transaction, each message keyed by the local day and the address, so a retried
 * or doubled run writes nothing twice; the e-mail sender sends them after the quiet hours.
 */
@Injectable()
export class MailDigestService implements OnApplicationBootstrap {
  private readonly logger = new Logger('MailDigest');

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly transport: MailTransport,
    private readonly jobs: JobsService,
    private readonly dataSource: DataSource,
    private readonly contests: ContestRecordsService,
    private readonly standings: StandingsService,
    private readonly recipients: MailRecipientsRepository,
    private readonly outbox: OutboxService,
    private readonly publicUrl: PublicUrl,
    private readonly forecast: ForecastSource,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.transport.enabled) return;
    const settings = this.config.notifications ?? notificationDefaults();
    await scheduleDailyDigest({
      jobs: this.jobs,
      queue: MAIL_DIGEST_QUEUE,
      settings,
      send: () => this.send(new Date()),
    });
  }

  /** Writes the day's digests (idempotent per local day); answers how many are new or not. */
  async send(now: Date): Promise<number> {
    const settings = this.config.notifications ?? notificationDefaults();
    const day = new Intl.DateTimeFormat('en-CA', { timeZone: settings.timeZone }).format(now);
    const contests = (await this.contests.list({ states: COUNTING_STATES })).filter(
      (contest) => contest.frozenFile !== null,
    );
    const ids = [
      ...new Set(
        contests.flatMap((contest) =>
          (contest.frozenFile?.participants ?? []).map((participant) => participant.id),
        ),
      ),
    ];
    const sellers = new Map(
      (await this.recipients.participants(ids)).map((seller) => [seller.participantId, seller]),
    );
    const digests = new Map<
      string,
      { seller: MailRecipient; name: string; lines: DigestContestLine[] }
    >();
    for (const contest of contests) {
      for (const participant of contest.frozenFile?.participants ?? []) {
        const seller = sellers.get(participant.id);
        if (seller === undefined) continue;
        const parts = await this.standings.liveParts(contest.id, {
          top: 0,
          focus: participant.id,
        });
        const row = parts?.focus?.row;
        if (parts === null || row === undefined) continue;
        const next = row.whatItTakes?.nextPlace ?? null;
        const prize = row.whatItTakes?.prize ?? null;
        const digest = digests.get(seller.email) ?? { seller, name: row.name, lines: [] };
        digest.lines.push({
          contestName: contest.name,
          rank: row.rank,
          participants: parts.participants,
          points: row.points,
          toNextPlace: next === null ? null : Math.max(0, next.points - row.points),
          holdsPrize: prize?.held ?? false,
          toPrize:
            prize === null || prize.held || prize.points === null
              ? null
              : Math.max(0, prize.points - row.points),
          pPrize: await this.forecast.prizeChance(contest.id, participant.id),
          url: this.publicUrl.of(`/m/${contest.id}`),
        });
        digests.set(seller.email, digest);
      }
    }
    const messages = [...digests.values()].map(({ seller, name, lines }): OutboxMessage => ({
      kind: 'dailyDigest',
      channel: 'email',
      participantId: seller.participantId,
      email: seller.email,
      language: seller.language,
      payload: {
        participantName: name,
        date: day,
        contests: lines,
        subject: digestSubject(seller.language, day),
      },
      idempotencyKey: `digest:${day}:email:${seller.email}`,
    }));
    if (messages.length === 0) return 0;
    await this.dataSource.transaction((manager) => this.outbox.enqueue(manager, messages));
    this.logger.log(`e-mail digest for ${messages.length} participant(s)`);
    return messages.length;
  }
}
