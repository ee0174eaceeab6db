import type { Logger } from '@nestjs/common';
import type { JobsService } from '../jobs/jobs.service.js';
import type { NotificationChannel } from './kinds.js';
import { DELIVERY_QUEUES } from './outbox.queues.js';
import type { OutboxRepository } from './outbox.repository.js';

/** How often each process looks for due messages of a channel. */
const PROBE_MS = 2_000;

/**
 * Keeps one channel's outbox drained: a worker of the channel's delivery queue runs `drain`, and
 * every {@link PROBE_MS} this process queues a drain when a message is due, or one was left
 * `sending` by a process that died (the drain judges it; while a live drain sends, the queued one
 * finds the sender's lock taken and ends). A queued drain already there absorbs another. On start,
 * the messages held by an earlier process's settings are due again (see `releaseHolds`).
 */
export class DeliveryProbe {
  private timer: NodeJS.Timeout | null = null;
  private probing = false;
  private stopped = false;

  constructor(
    private readonly channel: NotificationChannel,
    private readonly deps: { jobs: JobsService; outbox: OutboxRepository; logger: Logger },
  ) {}

  async start(drain: (signal: AbortSignal) => Promise<void>): Promise<void> {
    const released = await this.deps.outbox.releaseHolds(this.channel);
    if (released > 0) {
      this.deps.logger.log(`${released} held ${this.channel} message(s) judged again`);
    }
    await this.deps.jobs.work(
      DELIVERY_QUEUES[this.channel],
      { concurrency: 1, pollingIntervalSeconds: 1 },
      (run) => drain(run.signal),
    );
    this.timer = setInterval(() => void this.probe(), PROBE_MS);
    this.timer.unref();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
  }

  private async probe(): Promise<void> {
    if (this.probing || this.stopped) return;
    this.probing = true;
    const { jobs, outbox, logger } = this.deps;
    try {
      if ((await outbox.anyDue(this.channel)) || (await outbox.anySending(this.channel))) {
        await jobs.send(DELIVERY_QUEUES[this.channel], {});
        jobs.wake(DELIVERY_QUEUES[this.channel]);
      }
    } catch (error) {
      logger.warn(`looking for due ${this.channel} messages failed: ${String(error)}`);
    } finally {
      this.probing = false;
    }
  }
}
