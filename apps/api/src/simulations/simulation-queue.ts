import { defineQueue } from '../jobs/queue.js';

/** A run whose process died (its lease is gone) is taken back once it ran this long. */
export const LEASE_SECONDS = 10;
/** A run interrupted this many times fails instead of going back to the queue. */
export const MAX_ATTEMPTS = 3;

/**
 * The job system's queue of simulations: a job names a run, whose row stays the product's record
 * (state, progress, result). One retry after another at once (the run was interrupted, not
 * refused); a run may take hours, and is leased so a dead process's run is taken over in seconds.
 */
export const SIMULATION_QUEUE = defineQueue<{ simulationId: string }>('simulation', {
  retryLimit: MAX_ATTEMPTS - 1,
  retryDelaySeconds: 0,
  backoff: false,
  expireInSeconds: 12 * 60 * 60,
  policy: 'standard',
  lease: { graceSeconds: LEASE_SECONDS },
});
