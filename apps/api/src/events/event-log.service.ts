import { Injectable } from '@nestjs/common';
import type { ContestEvent } from '@podium/contest-model';
import type { EntityManager } from 'typeorm';
import { totalsRefusal } from './event-store.js';
import {
  EventsRepository,
  type ContestLink,
  type FeedEvent,
  type StoredEventKey,
} from './events.repository.js';

/**
 * The event log as other capabilities read it (contests, standings, imports): they ask this
 * service, never the events repository. Depends on nothing but the log, so standings — which
 * ingestion depends on — can use it without a circle of imports.
 */
@Injectable()
export class EventLogService {
  constructor(private readonly events: EventsRepository) {}

  /** A contest's counted events, newest first, a page before `beforeSeq`. */
  feed(contestId: string, page: { beforeSeq: number | null; limit: number }): Promise<FeedEvent[]> {
    return this.events.feed(contestId, page);
  }

  /** A contest's counted events in sequence order, after `afterSeq`. */
  contestEventsAfter(
    contestId: string,
    afterSeq: number,
    limit: number,
  ): Promise<{ seq: number; event: ContestEvent }[]> {
    return this.events.contestEventsAfter(contestId, afterSeq, limit);
  }

  /** Every event a contest counts, in sequence order (read a page at a time). */
  async contestEvents(contestId: string): Promise<ContestEvent[]> {
    return (await this.contestLog(contestId)).map((entry) => entry.event);
  }

  /**
   * Every event a contest counts with its seq, in sequence order: what a computation that names
   * the seq it counted reads.
   */
  async contestLog(contestId: string): Promise<{ seq: number; event: ContestEvent }[]> {
    const entries: { seq: number; event: ContestEvent }[] = [];
    const pageSize = 5_000;
    for (let seq = 0; ;) {
      const page = await this.events.contestEventsAfter(contestId, seq, pageSize);
      entries.push(...page);
      if (page.length < pageSize) return entries;
      seq = page[page.length - 1]?.seq ?? seq;
    }
  }

  findById(
    id: number,
    manager?: EntityManager,
  ): Promise<{ id: number; event: ContestEvent } | null> {
    return this.events.findById(id, manager);
  }

  /** Which contests counted these events, and at which sequence numbers. */
  linksOf(eventIds: readonly number[], manager?: EntityManager): Promise<ContestLink[]> {
    return this.events.linksOf(eventIds, manager);
  }

  findKeys(
    keys: readonly { source: string; externalId: string }[],
    manager?: EntityManager,
  ): Promise<StoredEventKey[]> {
    return this.events.findKeys(keys, manager);
  }

  /**
   * Links every stored event a contest that starts counting counts, giving them its first
   * sequence numbers. In the caller's transaction, which holds the contest's lock.
   */
  async backfill(manager: EntityManager, contestId: string): Promise<void> {
    const ids = await this.events.eventIdsForContest(manager, contestId);
    if (ids.length === 0) return;
    try {
      await this.events.link(manager, contestId, ids);
    } catch (error) {
      // The caller's transaction rolls back with it: the launch changes nothing.
      throw totalsRefusal(error, 'the stored events this contest would count take it past');
    }
  }
}
