import {
  HttpException,
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CLOCK, type Clock } from '../common/clock.js';
import { APP_CONFIG } from '../config/config.module.js';
import type { AppConfig } from '../config/config.js';
import { EventsService } from '../events/events.service.js';
import { bitrix24Observation, fetchBitrix24Deal, PortalError } from './crm/bitrix24.js';
import { bitrix24SettingsOf, crmContext } from './crm-context.js';
import { CrmDealsService } from './crm-deals.service.js';
import { CrmRepository, type FetchJob } from './crm.repository.js';
import { IntegrationsRepository } from './integrations.repository.js';

/** How often due reads are looked for (a webhook also wakes the worker at once). */
export const WORKER_TICK_MS = 1_000;
/** Reads taken at once by one process. */
const BATCH = 4;
/** Tries before a read is given up (≈ 3 hours of backoff), its last error listed for the admin. */
export const MAX_ATTEMPTS = 16;
const MAX_BACKOFF_MS = 30 * 60_000;

/** 1 s, 2 s, 4 s … capped at 30 minutes: the wait after the `attempts`-th failure. */
export function backoffMs(attempts: number): number {
  return Math.min(1_000 * 2 ** Math.max(0, attempts - 1), MAX_BACKOFF_MS);
}

/**
 * Reads the Bitrix24 deals queued by the webhook (`crm_fetch_jobs`) and applies them. Jobs are
 * taken with `FOR UPDATE SKIP LOCKED` under a lease, so several API processes share the queue
 * and a job whose taker died is taken again when the lease ends. The deal is applied and its
 * job marked done in one transaction. Time comes from the CLOCK, so tests drive the backoff.
 */
@Injectable()
export class Bitrix24Worker implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Bitrix24Worker');
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private again = false;
  private stopped = false;

  constructor(
    private readonly dataSource: DataSource,
    private readonly integrations: IntegrationsRepository,
    private readonly crm: CrmRepository,
    private readonly deals: CrmDealsService,
    private readonly events: EventsService,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => this.kick(), WORKER_TICK_MS);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }

  /** Looks for due reads now (or right after the current round); never overlaps itself. */
  kick(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.drain()
      .catch((error: unknown) => this.logger.error(`Bitrix24 reads failed: ${String(error)}`))
      .finally(() => {
        this.running = null;
        if (this.again) {
          this.again = false;
          this.kick();
        }
      });
  }

  private async drain(): Promise<void> {
    while (!this.stopped) {
      // The lease outlasts the longest allowed call to the portal (60 s) and the apply.
      const jobs = await this.crm.claimDue(this.clock.now(), 120_000, BATCH);
      if (jobs.length === 0) return;
      await Promise.all(jobs.map((job) => this.run(job)));
    }
  }

  private async run(job: FetchJob): Promise<void> {
    const integration = await this.integrations.find(job.integrationId);
    if (!integration || integration.revokedAt !== null || integration.portalWebhookUrl === null) {
      await this.crm.failJob(job.id, 'the integration was revoked', this.clock.now());
      return;
    }
    const settings = bitrix24SettingsOf(integration);
    try {
      const deal = await fetchBitrix24Deal(
        integration.portalWebhookUrl,
        job.dealId,
        settings.timeoutMs,
        { allowPrivate: this.config.allowPrivateCrm === true },
      );
      const now = this.clock.now();
      const observation = bitrix24Observation(deal, settings, now);
      const contestIds = await this.dataSource.transaction(async (manager) => {
        const touched = await this.deals.apply(manager, crmContext(integration), observation);
        await this.crm.finishJob(manager, job.id, now);
        return touched;
      });
      this.events.notifyContests(contestIds);
    } catch (error) {
      const now = this.clock.now();
      const message = error instanceof Error ? error.message : String(error);
      // The portal's temporary failures and our own (database unreachable) are retried; a deal
      // the portal refuses or that Podium refuses (400/409 from ingestion) is not.
      const retryable =
        error instanceof PortalError ? error.retryable : !(error instanceof HttpException);
      if (retryable && job.attempts < MAX_ATTEMPTS) {
        await this.crm.retryJob(job.id, message, new Date(now.getTime() + backoffMs(job.attempts)));
        return;
      }
      const reason = retryable ? `gave up after ${job.attempts} attempts: ${message}` : message;
      // Never the portal URL: the messages are built without it.
      this.logger.warn(`Bitrix24 deal ${job.dealId} not applied: ${reason}`);
      await this.crm.failJob(job.id, reason, now);
    }
  }
}
