import { defineQueue, type QueueDefinition } from '../jobs/queue.js';
import type { NotificationChannel } from './kinds.js';

/**
 * One delivery queue per channel. A job carries nothing: its run sends every message of the
 * channel that is due (a drain), so the queue is `stately` — at most one run at a time and at
 * most one waiting — and sending it again while one waits adds nothing. Each message's own
 * retries and backoff are the outbox row's (`attempts`, `next_attempt_at`); the job's retries
 * only restart a drain that failed as a whole (the database away).
 */
function deliveryQueue(channel: NotificationChannel): QueueDefinition<Record<string, never>> {
  return defineQueue<Record<string, never>>(`notify-${channel}`, {
    retryLimit: 10,
    retryDelaySeconds: 5,
    backoff: true,
    // A drain ends after at most DRAIN_MS; one still active past this died with its process.
    expireInSeconds: 300,
    policy: 'stately',
  });
}

export const DELIVERY_QUEUES: Readonly<
  Record<NotificationChannel, QueueDefinition<Record<string, never>>>
> = {
  telegram: deliveryQueue('telegram'),
  email: deliveryQueue('email'),
};
