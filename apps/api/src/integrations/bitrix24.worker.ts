import {
  HttpException,
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CLOCK, type Clock } from '../common/clock.js';
import { APP_CONFIG } from '../config/config.module.js';
import type { AppConfig } from '../config/config.js';
import { EventsService } from '../events/events.service.js';
import { JobsService } from '../jobs/jobs.service.js';
import { defineQueue, type JobRun } from '../jobs/queue.js';
import { RateLimits } from '../auth/rate-limiter.js';
import { bitrix24Observation, fetchBitrix24Deal, PortalError } from './crm/bitrix24.js';
import { PORTAL_REQUESTS_PER_SECOND, shareBitrix24Pace } from './crm/bitrix24-client.js';
import { bitrix24SettingsOf, crmContext } from './crm-context.js';
import { CrmDealsService } from './crm-deals.service.js';
import { CrmRepository } from './crm.repository.js';
import { IntegrationsRepository } from './integrations.repository.js';

/** Reads run at once by one process. */
const CONCURRENCY = 4;
/**
 * Tries before a read is given up, its last error listed for the admin: the job system waits
 * 1–2 s after the first failure, twice that after each next one, so 14 tries span ≈ 2–4 hours.
 */
export const MAX_ATTEMPTS = 14;

/**
 * The job system's queue of Bitrix24 deal reads. A job names a `crm_fetch_jobs` row, which stays
 * the product's record of the read (its attempts, last error and outcome, shown to the admin).
 * A run outlasts the longest allowed call to the portal (60 s) and the apply; a run whose process
 * died is retried once it has been active for two minutes.
 */
export const BITRIX24_READS = defineQueue<{ fetchId: number }>('bitrix24-read', {
  retryLimit: MAX_ATTEMPTS - 1,
  retryDelaySeconds: 1,
  backoff: true,
  expireInSeconds: 120,
  policy: 'standard',
});

/**
 * Reads the Bitrix24 deals queued by the webhook and applies them, on the job system: several
 * API processes share the queue, a failed read is retried with backoff, and a read whose process
 * died is taken again. The deal is applied and its read marked done in one transaction, which
 * rolls back if another run finished the read first: a deal is never applied twice.
 */
@Injectable()
export class Bitrix24Worker implements OnApplicationBootstrap {
  private readonly logger = new Logger('Bitrix24Worker');

  constructor(
    private readonly dataSource: DataSource,
    private readonly jobs: JobsService,
    private readonly integrations: IntegrationsRepository,
    private readonly crm: CrmRepository,
    private readonly deals: CrmDealsService,
    private readonly events: EventsService,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    rateLimits: RateLimits,
  ) {
    // With Redis, every process calling a portal counts in one pace: N processes do not make
    // N times the portal's 2 requests a second.
    if (config.redisUrl !== null) {
      shareBitrix24Pace(
        rateLimits.limiter('bitrix24-portal', {
          limit: PORTAL_REQUESTS_PER_SECOND,
          windowMs: 1_000,
        }),
      );
    }
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.jobs.work(
      BITRIX24_READS,
      { concurrency: CONCURRENCY, pollingIntervalSeconds: 1 },
      (run) => this.run(run),
    );
    // Once, after the upgrade that moved the reads onto the job system: the reads it had queued.
    // Replicas starting together may both send a job for a read; a deal is still applied once
    // (`beginAttempt`, `finishJob`).
    await this.dataSource.transaction(async (manager) => {
      for (const fetchId of await this.crm.joblessFetches(BITRIX24_READS.name, manager)) {
        await this.jobs.send(BITRIX24_READS, { fetchId }, { manager });
      }
    });
  }

  /**
   * Queues a read of the deal, committed (row and job together) before the webhook is answered,
   * and wakes this process's workers for it.
   */
  async enqueue(read: {
    integrationId: string;
    dealId: string;
    event: string;
    now: Date;
  }): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const fetchId = await this.crm.enqueueFetch(manager, read);
      if (fetchId !== null) await this.jobs.send(BITRIX24_READS, { fetchId }, { manager });
    });
    this.jobs.wake(BITRIX24_READS);
  }

  /** One try of a read; throws to have the job system retry it after its backoff. */
  private async run(run: JobRun<{ fetchId: number }>): Promise<void> {
    const job = await this.crm.beginAttempt(run.data.fetchId);
    if (job === null) return; // already done or given up
    const integration = await this.integrations.find(job.integrationId);
    if (!integration || integration.revokedAt !== null || integration.portalWebhookUrl === null) {
      await this.crm.failJob(job.id, 'the integration was revoked', this.clock.now());
      return;
    }
    const settings = bitrix24SettingsOf(integration);
    try {
      // One try per run: the job system's backoff is the retry (tries inside the call would
      // multiply its 14). The call still waits its turn in the portal's pace.
      const deal = await fetchBitrix24Deal(integration.portalWebhookUrl, job.dealId, {
        timeoutMs: settings.timeoutMs,
        allowPrivate: this.config.allowPrivateCrm === true,
        signal: run.signal,
        retries: 0,
      });
      const now = this.clock.now();
      const observation = bitrix24Observation(deal, settings, now);
      const contestIds = await this.dataSource.transaction(async (manager) => {
        const touched = await this.deals.apply(manager, crmContext(integration), observation);
        if (!(await this.crm.finishJob(manager, job.id, now))) {
          throw new AlreadyFinished(`the read of deal ${job.dealId} was finished by another run`);
        }
        return touched;
      });
      this.events.notifyContests(contestIds);
    } catch (error) {
      if (error instanceof AlreadyFinished) return;
      const now = this.clock.now();
      const message = error instanceof Error ? error.message : String(error);
      // The portal's temporary failures and our own (database unreachable) are retried; a deal
      // the portal refuses or that Podium refuses (400/409 from ingestion) is not.
      const retryable =
        error instanceof PortalError ? error.retryable : !(error instanceof HttpException);
      if (retryable && run.retryCount < run.retryLimit) {
        await this.crm.retryJob(job.id, message);
        throw new Error(message, { cause: error });
      }
      const reason = retryable ? `gave up after ${job.attempts} attempts: ${message}` : message;
      // Never the portal URL: the messages are built without it.
      this.logger.warn(`Bitrix24 deal ${job.dealId} not applied: ${reason}`);
      await this.crm.failJob(job.id, reason, now);
    }
  }
}

/** Thrown (never escaping `run`) to roll back an apply whose read another run finished. */
class AlreadyFinished extends Error {}
