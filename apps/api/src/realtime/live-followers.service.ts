import { Injectable } from '@nestjs/common';
import type { LiveServerPayload } from '@podium/contest-model';
import { redactRow } from '../standings/redaction.js';
import { StandingsService } from '../standings/standings.service.js';
import { redactionOf, rowsFor, type Audience } from './audience.js';
import type { LiveSocket } from './live-emitter.service.js';
import type { Rendered } from './live-views.service.js';

/** A subscriber following one participant. */
export interface Follower {
  readonly socket: LiveSocket;
  readonly participantId: string;
  readonly audience: Audience;
  /** The viewer's own participant, whose amounts they see; null for staff and displays. */
  readonly self: string | null;
}

/**
 * Subscribers following one participant (a seller themself, a manager anyone): with each update
 * of the contest they get their place and neighbours, redacted for them.
 */
@Injectable()
export class LiveFollowers {
  private readonly followers = new Map<string, Map<string, Follower>>();

  constructor(private readonly standings: StandingsService) {}

  follow(contestId: string, follower: Follower): void {
    let map = this.followers.get(contestId);
    if (!map) this.followers.set(contestId, (map = new Map()));
    map.set(follower.socket.id, follower);
  }

  unfollow(contestId: string, socketId: string): void {
    const map = this.followers.get(contestId);
    map?.delete(socketId);
    if (map?.size === 0) this.followers.delete(contestId);
  }

  /** Forgets a disconnected socket in every contest. */
  forgetSocket(socketId: string): void {
    for (const contestId of [...this.followers.keys()]) this.unfollow(contestId, socketId);
  }

  /** Each follower's `focus` for a rendered seq of the contest. */
  async focusUpdates(
    contestId: string,
    rendered: Rendered,
  ): Promise<{ follower: Follower; payload: LiveServerPayload<'focus'> }[]> {
    const updates = [];
    for (const follower of this.followers.get(contestId)?.values() ?? []) {
      const live = await this.standings.liveParts(contestId, {
        top: 0,
        focus: follower.participantId,
      });
      if (!live?.focus) continue;
      updates.push({
        follower,
        payload: {
          contestId,
          seq: rendered.seq,
          ...live.focus,
          row: redactRow(
            live.focus.row,
            redactionOf(follower.audience, rendered.meta.showAmounts, follower.self),
          ),
          neighbors: rowsFor(
            live.focus.neighbors,
            follower.audience,
            rendered.meta.showAmounts,
            follower.self,
          ),
        },
      });
    }
    return updates;
  }
}
