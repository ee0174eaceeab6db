import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { CLOCK, type Clock } from '../../common/clock.js';
import { APP_CONFIG } from '../../config/config.module.js';
import type { AppConfig } from '../../config/config.js';
import { JobsService } from '../../jobs/jobs.service.js';
import { defineQueue, type JobRun } from '../../jobs/queue.js';
import { CrmSyncRepository } from './crm-sync.repository.js';
import { CrmSyncService, intervalMinutesOf, nextDueAt } from './crm-sync.service.js';

/**
 * Every minute (a cron schedule of the job system, stored once for all processes), and once when
 * a process starts: find the CRM integrations whose sync is due and queue a sync of each.
 */
export const CRM_SYNC_DUE = defineQueue<Record<string, never>>('crm-sync-due', {
  retryLimit: 0,
  retryDelaySeconds: 1,
  backoff: false,
  expireInSeconds: 60,
  policy: 'singleton',
});

/**
 * One integration's sync. Singleton per integration (the job's key); the run itself also holds
 * the integration's advisory lock, shared with the syncs asked for by the admin. Not retried: the
 * next due check queues it again, resuming from the stored cursor. A run may read many pages of a
 * slow portal, hence its long expiry.
 */
export const CRM_SYNCS = defineQueue<{ integrationId: string }>('crm-sync', {
  retryLimit: 0,
  retryDelaySeconds: 1,
  backoff: false,
  expireInSeconds: 3_600,
  policy: 'singleton',
});

/** Runs the scheduled syncs on the job system. */
@Injectable()
export class CrmSyncScheduler implements OnApplicationBootstrap {
  private readonly logger = new Logger('CrmSync');

  constructor(
    private readonly jobs: JobsService,
    private readonly syncs: CrmSyncRepository,
    private readonly sync: CrmSyncService,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.jobs.work(CRM_SYNCS, { concurrency: 2, pollingIntervalSeconds: 2 }, (run) =>
      this.runSync(run),
    );
    await this.jobs.work(CRM_SYNC_DUE, { pollingIntervalSeconds: 2 }, async () => {
      await this.queueDue();
    });
    if (this.config.crmSyncSchedule === false) return;
    await this.jobs.schedule(CRM_SYNC_DUE, '* * * * *', {});
    // After a restart the syncs due start now, not at the next minute.
    await this.jobs.send(CRM_SYNC_DUE, {}, { singletonKey: 'start' });
  }

  /** Queues a sync of every integration due; answers their ids. */
  async queueDue(): Promise<string[]> {
    const now = this.clock.now();
    const due = (await this.syncs.candidates(this.sync.kinds())).filter(
      (candidate) =>
        nextDueAt(candidate, intervalMinutesOf(candidate.settings), now).getTime() <= now.getTime(),
    );
    for (const { integrationId } of due) {
      await this.jobs.send(CRM_SYNCS, { integrationId }, { singletonKey: integrationId });
    }
    if (due.length > 0) this.jobs.wake(CRM_SYNCS);
    return due.map((candidate) => candidate.integrationId);
  }

  private async runSync(run: JobRun<{ integrationId: string }>): Promise<void> {
    const result = await this.sync.syncScheduled(run.data.integrationId, run.signal);
    if (result?.outcome === 'failed') {
      this.logger.warn(`scheduled sync of ${run.data.integrationId} failed: ${result.error ?? ''}`);
    }
  }
}
