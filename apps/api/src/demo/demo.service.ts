import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { simulate, type ContestEvent, type ContestFile } from '@podium/contest-model';
import { DataSource } from 'typeorm';
import { DEMO_ADMIN } from '../auth/access.bootstrap.js';
import { CLOCK, type Clock } from '../common/clock.js';
import { APP_CONFIG } from '../config/config.module.js';
import type { AppConfig } from '../config/config.js';
import { ContestRecordsService } from '../contests/contest-records.service.js';
import { DraftsService } from '../contests/drafts.service.js';
import { LifecycleService } from '../contests/lifecycle.service.js';
import { PrizeImagesService } from '../contests/prize-images.service.js';
import { DisplaysService } from '../displays/displays.service.js';
import { PersonalLinksService } from '../personal-links/personal-links.service.js';
import { UsersService } from '../users/users.service.js';
import { EventsService } from '../events/events.service.js';
import { ForecastsService } from '../forecasts/forecasts.service.js';
import {
  AdvisoryLeader,
  ADVISORY_LOCKS,
  withAdvisoryLock,
} from '../database/cluster/advisory-lock.js';
import {
  demoCompany,
  ramp,
  seededRandom,
  type DemoCompany,
  type DemoSeller,
} from './demo-company.js';
import { demoContests } from './demo-contests.js';
import { dayOfDeals, saleOf } from './demo-deals.js';
import { prizePicture } from './prize-pictures.js';

/** Every demo sign-in's password, the demo admin's included (DESIGN §10). */
export const DEMO_PASSWORD = DEMO_ADMIN.password;

/** Demo sign-ins for each role (the admin is created by the access bootstrap). */
export const DEMO_USERS = [
  { email: 'director@demo.local', role: 'director', participantId: null },
  { email: 'manager@demo.local', role: 'manager', participantId: null },
  { email: 'seller@demo.local', role: 'seller', participantId: 'demo-01' },
] as const;

/** The actor and event author of everything the demo does. */
export const DEMO_ACTOR = 'demo';
const DAY_MS = 86_400_000;
const BATCH = 1_000;
/** Trials of the demo contests' simulations at seed time: enough for a verdict, quick to run. */
const DEMO_TRIALS = 1_000;

/**
 * Demo mode (`PODIUM_DEMO`): a company of 40 sellers with a year of history, two live contests
 * with prize pictures, their deals so far, the display `demo`, and a generator that posts a deal,
 * a lead or now and then a cancellation every few seconds through the same ingestion as the CRM.
 */
@Injectable()
export class DemoService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(DemoService.name);
  private timer: NodeJS.Timeout | null = null;
  private company: DemoCompany | null = null;
  private readonly recentSales: ContestEvent[] = [];
  private readonly random = seededRandom(Date.now() & 0xffffffff);
  private readonly generator: AdvisoryLeader;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly dataSource: DataSource,
    private readonly drafts: DraftsService,
    private readonly lifecycle: LifecycleService,
    private readonly prizeImages: PrizeImagesService,
    private readonly contests: ContestRecordsService,
    private readonly events: EventsService,
    private readonly displays: DisplaysService,
    private readonly users: UsersService,
    private readonly personalLinks: PersonalLinksService,
    private readonly forecasts: ForecastsService,
  ) {
    this.generator = new AdvisoryLeader(dataSource, ADVISORY_LOCKS.demoGenerator);
  }

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.demo) return;
    // Replicas that start together on one database seed it once: the second waits for the lock,
    // then finds the demo contests made.
    await withAdvisoryLock(this.dataSource, ADVISORY_LOCKS.demoSeed, () => this.prepare());
    this.scheduleNext();
  }

  private async prepare(): Promise<void> {
    const now = this.clock.now().getTime();
    this.company = demoCompany(now);
    const existing = (await this.contests.list()).filter(
      (contest) => contest.createdBy === DEMO_ACTOR,
    );
    const contestIds =
      existing.length > 0
        ? existing.map((contest) => contest.id)
        : await this.seed(this.company, now);
    await this.displays.ensureDemoDisplay(contestIds);
    await this.ensureDemoUsers();
    await this.personalLinks.ensureDemoLink('demo-01');
  }

  /** One user per role besides the admin, so every screen can be tried: password `demo`. */
  private async ensureDemoUsers(): Promise<void> {
    const existing = new Set((await this.users.list()).map((user) => user.email));
    for (const user of DEMO_USERS) {
      if (existing.has(user.email)) continue;
      await this.users.create({ ...user, password: DEMO_PASSWORD });
      this.logger.log(`demo user ${user.email} (${user.role}) created`);
    }
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.generator.close();
  }

  /**
   * Creates and illustrates the demo contests, posts their deals so far, then launches them: each
   * launch counts the deals of its period already there, so the forecast the launch computes
   * stands on them.
   */
  async seed(company: DemoCompany, now: number): Promise<string[]> {
    const started = Date.now();
    const drafts: { id: string; file: ContestFile }[] = [];
    let earliest = now;
    for (const spec of demoContests(company, now)) {
      const { id } = await this.drafts.create(spec.file, DEMO_ACTOR);
      for (const picture of spec.pictures) {
        await this.prizeImages.putPrizeImage(
          id,
          picture.place,
          picture.league,
          prizePicture(picture.picture),
          DEMO_ACTOR,
        );
      }
      drafts.push({ id, file: spec.file });
      earliest = Math.min(earliest, Date.parse(spec.file.period.start));
    }

    const random = seededRandom(7);
    let counter = 0;
    const nextId = () => `demo-${(counter += 1)}`;
    let batch: ContestEvent[] = [];
    for (let day = earliest; day < now; day += DAY_MS) {
      const weekday = new Date(day).getUTCDay();
      if (weekday === 0 || weekday === 6) continue;
      for (const seller of company.sellers) {
        for (const event of dayOfDeals(seller, day, random, nextId)) {
          if (Date.parse(event.occurredAt) >= now) continue;
          batch.push(event);
          if (batch.length === BATCH) {
            await this.events.ingest(batch, { author: DEMO_ACTOR });
            batch = [];
          }
        }
      }
    }
    if (batch.length > 0) await this.events.ingest(batch, { author: DEMO_ACTOR });
    const ids: string[] = [];
    for (const { id, file } of drafts) {
      await this.launchSimulated(id, file);
      ids.push(id);
      // The forecast's charts start with the period, not with the launch: a point a week.
      const start = Date.parse(file.period.start);
      const weeks: Date[] = [];
      for (let day = start + 7 * DAY_MS; day < now - DAY_MS; day += 7 * DAY_MS)
        weeks.push(new Date(day - (day % DAY_MS) + DAY_MS - 1));
      void this.forecasts
        .backfill(id, weeks)
        .catch((error: unknown) =>
          this.logger.warn(`demo forecast history of ${id} not made: ${String(error)}`),
        );
    }
    this.logger.log(
      `demo company seeded: ${company.sellers.length} sellers, ${counter} events, ${ids.length} contests in ${Date.now() - started} ms`,
    );
    return ids;
  }

  /**
   * Launches a demo contest through the launch gate as a director would: its simulation (run
   * here, with fewer trials) approved with its verdict, and an override saying so when the
   * verdict is unbalanced.
   */
  private async launchSimulated(id: string, file: ContestFile): Promise<void> {
    const result = await simulate(file, { scenario: { trials: DEMO_TRIALS }, remedies: false });
    const { uplift, correlation, trials, seed } = result.scenario;
    await this.drafts.approveScenario(
      id,
      {
        scenario: { uplift, correlation, trials, seed },
        baselineMarginMinor: Math.max(0, Math.round(result.baseline.marginMinor.meanMinor)),
        verdict: result.fairness.verdict,
        pAllPrizesFunded: result.pAllPrizesFunded,
      },
      DEMO_ACTOR,
    );
    await this.lifecycle.launch(
      id,
      DEMO_ACTOR,
      result.fairness.verdict === 'balanced'
        ? undefined
        : {
            override: {
              reason: `demo data: the simulation found the contest unbalanced (${result.fairness.warnings
                .map((warning) => warning.key)
                .join(', ')}); launched to show the screens`,
            },
          },
    );
  }

  private scheduleNext(): void {
    const delay = 2_500 + this.random() * 4_000;
    this.timer = setTimeout(() => {
      // With several processes, only the one holding the generator lock posts deals.
      void this.generator
        .lead()
        .then((leading) => (leading ? this.generate() : undefined))
        .catch((error: unknown) => this.logger.warn(`demo deal not posted: ${String(error)}`))
        .finally(() => {
          if (this.timer !== null) this.scheduleNext();
        });
    }, delay);
    this.timer.unref();
  }

  /** One live event: mostly a sale, sometimes a lead, rarely the cancellation of a recent sale. */
  async generate(): Promise<ContestEvent> {
    if (!this.company) throw new Error('the demo company is not loaded');
    const now = this.clock.now();
    const seller = this.pickSeller(this.company.sellers, now.getTime());
    const externalId = `live-${now.getTime().toString(36)}-${Math.floor(this.random() * 1e6).toString(36)}`;
    const roll = this.random();
    let event: ContestEvent;
    if (roll < 0.04 && this.recentSales.length > 0) {
      const sale = this.recentSales.splice(
        Math.floor(this.random() * this.recentSales.length),
        1,
      )[0] as ContestEvent;
      event = {
        type: 'reversal',
        source: sale.source,
        externalId: `${externalId}-cancel`,
        participantId: sale.participantId,
        occurredAt: now.toISOString(),
        reversesExternalId: sale.externalId,
      };
    } else if (roll < 0.25) {
      event = {
        type: 'lead',
        source: 'demo-crm',
        externalId,
        participantId: seller.id,
        occurredAt: now.toISOString(),
      };
    } else {
      event = saleOf(seller, now.toISOString(), this.random, externalId, 1);
      this.recentSales.push(event);
      if (this.recentSales.length > 50) this.recentSales.shift();
    }
    await this.events.ingest(event, { author: 'demo-generator' });
    return event;
  }

  /** Busier sellers close more deals: pick one in proportion to their ramped pace. */
  private pickSeller(sellers: readonly DemoSeller[], now: number): DemoSeller {
    const weights = sellers.map(
      (seller) =>
        (seller.turnoverMeanMinor / seller.avgCheckMinor) *
        ramp((now - Date.parse(seller.hiredOn)) / (30.44 * DAY_MS)),
    );
    let target = this.random() * weights.reduce((sum, weight) => sum + weight, 0);
    for (const [index, weight] of weights.entries()) {
      target -= weight;
      if (target <= 0) return sellers[index] as DemoSeller;
    }
    return sellers[sellers.length - 1] as DemoSeller;
  }
}
