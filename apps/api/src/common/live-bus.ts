import { Injectable } from '@nestjs/common';
import type { LiveCheckpoint, LiveContestState } from '@podium/contest-model';

export type LiveBusEvent =
  | { readonly kind: 'state'; readonly contestId: string; readonly state: LiveContestState }
  | { readonly kind: 'checkpoint'; readonly checkpoint: LiveCheckpoint };

/**
 * In-process notices that screens care about besides standings: a contest changed state, a
 * checkpoint was frozen or published. The realtime gateway listens; services publish after commit.
 */
@Injectable()
export class LiveBus {
  private readonly listeners = new Set<(event: LiveBusEvent) => void>();

  publish(event: LiveBusEvent): void {
    for (const listener of this.listeners) listener(event);
  }

  subscribe(listener: (event: LiveBusEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
