import type { Health } from '../health/health.service.js';

/** Events the server emits on the `/live` namespace. */
export interface LiveServerEvents {
  hello: (payload: { server: 'podium'; version: string }) => void;
}

/** Events a client emits on the `/live` namespace, with the acknowledgement each answers. */
export interface LiveClientEvents {
  health: (ack: (health: Health) => void) => void;
}
