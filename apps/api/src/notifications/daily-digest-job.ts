import type { NotificationsConfig } from '../config/config.js';
import type { JobsService } from '../jobs/jobs.service.js';
import { defineQueue, type QueueDefinition } from '../jobs/queue.js';

/** A daily digest's queue: one run a day, retried a few times when the database is away. */
export function digestQueue(name: string): QueueDefinition<Record<string, never>> {
  return defineQueue<Record<string, never>>(name, {
    retryLimit: 3,
    retryDelaySeconds: 60,
    backoff: true,
    expireInSeconds: 600,
    policy: 'standard',
  });
}

/**
 * Runs `send` from `queue`, sent by pg-boss's cron every day at `PODIUM_DIGEST_TIME` in the
 * company's time zone; with the digest off (`digestAt` null) the schedule is removed.
 */
export async function scheduleDailyDigest({
  jobs,
  queue,
  settings,
  send,
}: {
  jobs: JobsService;
  queue: QueueDefinition<Record<string, never>>;
  settings: NotificationsConfig;
  send: () => Promise<unknown>;
}): Promise<void> {
  await jobs.work(queue, {}, async () => {
    await send();
  });
  if (settings.digestAt === null) {
    await jobs.unschedule(queue);
    return;
  }
  const minute = settings.digestAt % 60;
  const hour = Math.floor(settings.digestAt / 60);
  await jobs.schedule(queue, `${minute} ${hour} * * *`, {}, { tz: settings.timeZone });
}
