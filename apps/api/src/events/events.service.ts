import { Injectable, Logger } from '@nestjs/common';
import { parseContestEvent } from '@podium/contest-model';
import { DataSource, type EntityManager } from 'typeorm';
import { validationError, type FieldIssue } from '../common/validation/zod-validation.pipe.js';
import { StandingsService } from '../standings/standings.service.js';
import { GroupCommit } from './group-commit.js';
import { identify, type IdentifiedEvent } from './event-identity.js';
import type { IngestAnswer, IngestedEvent } from './dto/ingest.dto.js';
import { EventsRepository } from './events.repository.js';
import { answerOf, conflictOf, EventStore, type StoreOutcome } from './event-store.js';

interface Item extends IdentifiedEvent {
  readonly index: number;
}

/**
 * Ingestion: validates a batch, stores it with one statement that is also its commit (idempotent
 * on source and externalId, all or nothing), gives each event its next sequence number in every
 * live contest that counts it, and only then answers. Live standings catch up right after the
 * commit.
 */
@Injectable()
export class EventsService {
  private readonly logger = new Logger(EventsService.name);
  /** Single-event requests share commits (see group-commit.ts); created on first use. */
  private groupCommit: GroupCommit | null = null;
  private readonly eventStore: EventStore;

  constructor(
    private readonly dataSource: DataSource,
    private readonly events: EventsRepository,
    private readonly standings: StandingsService,
  ) {
    this.eventStore = new EventStore(events);
  }

  async ingest(body: unknown, { author }: { author: string | null }): Promise<IngestAnswer> {
    if (!Array.isArray(body)) {
      this.groupCommit ??= new GroupCommit(this.dataSource, this.eventStore, (outcome) =>
        this.announce(outcome),
      );
      return this.groupCommit.submit(body, author);
    }
    const items = await this.validate(body);
    // One statement outside any transaction, all or nothing: it is also the batch's commit.
    const outcome = await this.store(this.dataSource.manager, items, author, {
      allOrNothing: true,
    });
    this.announce(outcome);
    return {
      status: outcome.created.size > 0 ? 201 : 200,
      body: { events: items.map((item) => answerFor(item, outcome)) },
    };
  }

  /** The live standings apply what a commit linked, from memory. */
  private announce(outcome: StoreOutcome): void {
    for (const contestId of outcome.contestIds) {
      this.standings.notify(contestId, outcome.linked.get(contestId));
    }
  }

  /**
   * Ingests a batch inside the caller's transaction, with the same validation and idempotency as
   * `ingest`: a CRM webhook changes a deal's state and stores the events it produces as one write.
   * Nothing is announced here; the caller passes `contestIds` to `notifyContests` once its
   * transaction has committed.
   */
  async ingestWithin(
    manager: EntityManager,
    events: readonly unknown[],
    { author }: { author: string | null },
  ): Promise<{ events: IngestedEvent[]; contestIds: string[] }> {
    if (events.length === 0) return { events: [], contestIds: [] };
    const items = await this.validate(events, manager);
    const outcome = await this.store(manager, items, author, { allOrNothing: false });
    return {
      events: items.map((item) => answerFor(item, outcome)),
      contestIds: [...outcome.contestIds],
    };
  }

  /** Live standings catch up with events committed by `ingestWithin`. */
  notifyContests(contestIds: Iterable<string>): void {
    for (const contestId of new Set(contestIds)) this.standings.notify(contestId);
  }

  /**
   * Every item is checked, and every bad one named by its index, before anything is written.
   * `manager`: read inside the caller's transaction (no second pool connection while it holds one).
   */
  private async validate(raw: readonly unknown[], manager?: EntityManager): Promise<Item[]> {
    const issues: FieldIssue[] = [];
    const items: Item[] = [];
    raw.forEach((input, index) => {
      const parsed = parseContestEvent(input);
      if (!parsed.success) {
        for (const issue of parsed.issues) {
          issues.push({
            path: `[${index}]${issue.path && issue.path !== '(root)' ? `.${issue.path}` : ''}`,
            message: issue.message,
            code: issue.code,
          });
        }
        return;
      }
      const event = parsed.data;
      items.push({ index, ...identify(event) });
    });

    const repeats: FieldIssue[] = [];
    const firstByKey = new Map<string, Item>();
    for (const item of items) {
      const first = firstByKey.get(item.key);
      if (first === undefined) firstByKey.set(item.key, item);
      else if (first.hash !== item.hash) {
        repeats.push({
          path: `[${item.index}].externalId`,
          message: `repeats the source and externalId of item ${first.index} with a different payload`,
        });
      }
    }
    if (issues.length === 0 && repeats.length === 0) {
      // Storing names unknown participants the same way; no round trip for a good batch.
      return items;
    }
    // A bad batch is refused with every issue it has, unknown participants included.
    const known = await this.events.existingParticipants(
      [...new Set(items.map((item) => item.event.participantId))],
      manager,
    );
    for (const item of items) {
      if (!known.has(item.event.participantId)) {
        issues.push({
          path: `[${item.index}].participantId`,
          message: `unknown participant "${item.event.participantId}"`,
        });
      }
    }
    throw validationError([...issues, ...repeats]);
  }

  /**
   * Stores a validated batch, or refuses all of it: a 400 naming its items of unknown
   * participants, a 409 naming those whose keys are stored with another payload. `allOrNothing`
   * on its own connection; otherwise inside the caller's transaction, which throwing rolls back.
   */
  private async store(
    manager: EntityManager,
    items: readonly Item[],
    author: string | null,
    { allOrNothing }: { allOrNothing: boolean },
  ): Promise<StoreOutcome> {
    const unique = [...new Map(items.map((item) => [item.key, item])).values()];
    const outcome = await this.eventStore.store(
      manager,
      unique.map((item) => ({ item, author })),
      { allOrNothing },
    );
    if (outcome.unknownParticipants.size > 0) {
      throw validationError(
        items
          .filter((item) => outcome.unknownParticipants.has(item.event.participantId))
          .map((item) => ({
            path: `[${item.index}].participantId`,
            message: `unknown participant "${item.event.participantId}"`,
            code: 'unknownParticipant',
          })),
      );
    }
    // A refused call's keys are only the contradicted ones; otherwise every item has its key.
    const conflicts = items.filter((item) => {
      const key = outcome.keys.get(item.key);
      return key === undefined ? !outcome.refused : key.payloadHash !== item.hash;
    });
    if (conflicts.length > 0) {
      throw conflictOf(conflicts.map((item) => ({ item, index: item.index })));
    }
    if (outcome.created.size > 0) {
      this.logger.debug(
        `stored ${outcome.created.size} event(s), ${outcome.links.length} contest link(s)`,
      );
    }
    return outcome;
  }
}

function answerFor(item: Item, outcome: StoreOutcome): IngestedEvent {
  const key = outcome.keys.get(item.key);
  if (key === undefined) throw new Error('an ingested event has no stored key');
  return answerOf(key, outcome);
}
