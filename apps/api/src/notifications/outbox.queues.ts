import { defineQueue, type QueueDefinition } from '../jobs/queue.js';
import type { NotificationChannel } from './kinds.js';

/**
 * One delivery queue per channel. A job carries nothing: its run sends every message of the
 * channel that is due (a drain), so the queue is `short` — at most one job waits, and sending it
 * again while one waits adds nothing. A channel's sender keeps its drains apart itself (an
 * advisory lock), rather than the queue's `singleton`/`stately` policy: with those, a drain whose
 * process was killed would stay `active` and hold every later one back until it expired. Each
 * message's own retries and backoff are the outbox row's (`attempts`, `next_attempt_at`); the
 * job's retries only restart a drain that failed as a whole (the database away).
 */
function deliveryQueue(channel: NotificationChannel): QueueDefinition<Record<string, never>> {
  return defineQueue<Record<string, never>>(`notify-${channel}`, {
    retryLimit: 10,
    retryDelaySeconds: 5,
    backoff: true,
    // A drain ends after at most DRAIN_MS; one still active past this died with its process.
    expireInSeconds: 300,
    policy: 'short',
  });
}

export const DELIVERY_QUEUES: Readonly<
  Record<NotificationChannel, QueueDefinition<Record<string, never>>>
> = {
  telegram: deliveryQueue('telegram'),
  email: deliveryQueue('email'),
};
