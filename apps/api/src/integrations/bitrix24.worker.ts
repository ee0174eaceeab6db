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
import {
  bitrix24Observation,
  fetchBitrix24Deals,
  PortalError,
  type Bitrix24Deal,
  type Bitrix24DealExtras,
} from './crm/bitrix24.js';
import { fetchBitrix24Leads, leadOfRead, readBitrix24Extras } from './crm/bitrix24-extras.js';
import type { LeadObservation } from './crm/deal-observation.js';
import {
  BATCH_LIMIT,
  PORTAL_REQUESTS_PER_SECOND,
  shareBitrix24Pace,
} from './crm/bitrix24-client.js';
import { bitrix24SettingsOf, crmContext } from './crm-context.js';
import { CrmDealsService } from './crm-deals.service.js';
import { Bitrix24ReadsRepository, type FetchJob } from './bitrix24-reads.repository.js';
import { IntegrationsRepository, type IntegrationRecord } from './integrations.repository.js';

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
    private readonly reads: Bitrix24ReadsRepository,
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
      for (const fetchId of await this.reads.joblessFetches(BITRIX24_READS.name, manager)) {
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
      const fetchId = await this.reads.enqueueFetch(manager, read);
      if (fetchId !== null) await this.jobs.send(BITRIX24_READS, { fetchId }, { manager });
    });
    this.jobs.wake(BITRIX24_READS);
  }

  /**
   * One try of a read, and of up to 49 other reads of the integration nobody has begun, in one
   * `batch` call: one request of the portal's pace for up to 50 deals. Each deal is applied, or
   * its failure recorded, on its own row as a read of its own would be, and this run throws (to
   * be retried after the job system's backoff) only for its own read. The other reads' jobs wait
   * for this run, then find their read done, failed, or pending with its error and try it again.
   */
  private async run(run: JobRun<{ fetchId: number }>): Promise<void> {
    const job = await this.reads.beginAttempt(run.data.fetchId);
    if (job === null) return; // already done or given up
    const integration = await this.integrations.find(job.integrationId);
    if (!integration || integration.revokedAt !== null || integration.portalWebhookUrl === null) {
      await this.reads.failJob(job.id, 'the integration was revoked', this.clock.now());
      return;
    }
    const portalWebhookUrl = integration.portalWebhookUrl;
    const settings = bitrix24SettingsOf(integration);
    const touched = new Set<string>();
    try {
      await this.reads.withOtherFetches(
        job.integrationId,
        job.dealId,
        BATCH_LIMIT - 1,
        async (taken) => {
          let others = taken;
          let deals: ReadonlyMap<string, ReadDeal | LeadObservation | Error>;
          try {
            // One try per run: the job system's backoff is the retry (tries inside the call
            // would multiply its 14). The call still waits its turn in the portal's pace.
            const options = {
              timeoutMs: settings.timeoutMs,
              allowPrivate: this.config.allowPrivateCrm === true,
              signal: run.signal,
              retries: 0,
            };
            // A read is of a deal, or of a lead of the portal's Leads (`L<id>`).
            const ids = [job, ...others].map((one) => one.dealId);
            const read = await fetchBitrix24Deals(
              portalWebhookUrl,
              ids.filter((id) => leadOfRead(id) === null),
              options,
            );
            const leads = await fetchBitrix24Leads(
              portalWebhookUrl,
              ids.filter((id) => leadOfRead(id) !== null),
              options,
            );
            // The won deals' clients and product rows, when the settings read them, in a
            // second `batch`: a deal whose extras fail fails as its read would.
            const found = [...read.values()].filter(
              (deal): deal is Bitrix24Deal => !(deal instanceof Error),
            );
            const extras = await readBitrix24Extras(portalWebhookUrl, found, settings, options);
            deals = new Map<string, ReadDeal | LeadObservation | Error>([
              ...[...read].map(([dealId, deal]): [string, ReadDeal | Error] => {
                const extra = extras.get(dealId) ?? {};
                if (deal instanceof Error) return [dealId, deal];
                return [dealId, extra instanceof Error ? extra : { deal, extras: extra }];
              }),
              ...leads,
            ]);
          } catch (error) {
            const failure = error instanceof Error ? error : new Error(String(error));
            if (!(failure instanceof PortalError) || failure.retryable) {
              // The call failed as a whole and may heal: the reads taken along go back as
              // nobody had begun them, to be read together by the next run, rather than each
              // by its own job at once from a portal that just refused a call.
              await this.reads.giveBack(others.map((other) => other.id));
              deals = new Map([[job.dealId, failure]]);
              others = [];
            } else {
              // A refused webhook or a portal without REST: every read in it fails so.
              deals = new Map([job, ...others].map((read) => [read.dealId, failure]));
            }
          }
          for (const other of others) await this.settle(other, deals, integration, touched, null);
          await this.settle(job, deals, integration, touched, run);
        },
      );
    } finally {
      if (touched.size > 0) this.events.notifyContests(touched);
    }
  }

  /**
   * Applies a deal read and marks its read done in one transaction, rolled back if another run
   * finished the read first; or records its failure. `run`: the read's own run, which throws
   * for a failure that may heal (its job is retried); null for a read taken along.
   */
  private async settle(
    read: FetchJob,
    deals: ReadonlyMap<string, ReadDeal | LeadObservation | Error>,
    integration: IntegrationRecord,
    touched: Set<string>,
    run: JobRun<{ fetchId: number }> | null,
  ): Promise<void> {
    const outcome =
      deals.get(read.dealId) ?? new PortalError('the portal answered no result for it', true);
    try {
      if (outcome instanceof Error) throw outcome;
      const now = this.clock.now();
      const context = crmContext(integration);
      const contestIds = await this.dataSource.transaction(async (manager) => {
        const changed =
          'deal' in outcome
            ? await this.deals.apply(
                manager,
                context,
                bitrix24Observation(
                  outcome.deal,
                  bitrix24SettingsOf(integration),
                  now,
                  outcome.extras,
                ),
              )
            : await this.deals.applyLead(manager, context, outcome);
        if (!(await this.reads.finishJob(manager, read.id, now))) {
          throw new AlreadyFinished(`the read of deal ${read.dealId} was finished by another run`);
        }
        return changed;
      });
      for (const contestId of contestIds) touched.add(contestId);
    } catch (error) {
      if (error instanceof AlreadyFinished) return;
      const now = this.clock.now();
      const message = error instanceof Error ? error.message : String(error);
      // The portal's temporary failures and our own (database unreachable) are retried; a deal
      // the portal refuses or that Podium refuses (400/409 from ingestion) is not.
      const retryable =
        error instanceof PortalError ? error.retryable : !(error instanceof HttpException);
      if (retryable && (run === null || run.retryCount < run.retryLimit)) {
        await this.reads.retryJob(read.id, message);
        if (run !== null) throw new Error(message, { cause: error });
        return;
      }
      const reason = retryable ? `gave up after ${read.attempts} attempts: ${message}` : message;
      // Never the portal URL: the messages are built without it.
      this.logger.warn(`Bitrix24 deal ${read.dealId} not applied: ${reason}`);
      await this.reads.failJob(read.id, reason, now);
    }
  }
}

/** A deal read with what its other methods added (its client and product rows). */
interface ReadDeal {
  readonly deal: Bitrix24Deal;
  readonly extras: Bitrix24DealExtras;
}

/** Thrown (never escaping `run`) to roll back an apply whose read another run finished. */
class AlreadyFinished extends Error {}
