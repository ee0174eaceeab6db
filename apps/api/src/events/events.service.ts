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
 * Ingestion: validates a batch, stores it in one transaction (idempotent on source and
 * externalId), gives each event its next sequence number in every live contest that counts it,
 * and only then answers. Live standings catch up right after the commit.
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
    const batch = Array.isArray(body);
    if (!batch) {
      this.groupCommit ??= new GroupCommit(this.dataSource, this.eventStore, (contestIds) => {
        for (const contestId of contestIds) this.standings.notify(contestId);
      });
      return this.groupCommit.submit(body, author);
    }
    const items = await this.validate(batch ? body : [body], batch);
    const outcome = await this.dataSource.transaction((manager) =>
      this.store(manager, items, author, batch),
    );
    for (const contestId of outcome.contestIds) this.standings.notify(contestId);
    const answers = items.map((item) => answerFor(item, outcome));
    return {
      status: outcome.created.size > 0 ? 201 : 200,
      body: batch ? { events: answers } : (answers[0] as IngestedEvent),
    };
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
    const items = await this.validate(events, true, manager);
    const outcome = await this.store(manager, items, author, true);
    return {
      events: items.map((item) => answerFor(item, outcome)),
      contestIds: [...outcome.contestIds],
    };
  }

  /** Live standings catch up with events committed by `ingestWithin`. */
  notifyContests(contestIds: Iterable<string>): void {
    for (const contestId of new Set(contestIds)) this.standings.notify(contestId);
  }

  /** Every item is checked, and every bad one named by its index, before anything is written. */
  /** `batch`: paths name items by index (`[3].amountMinor`); a single event's paths do not. */
  /** `manager`: read inside the caller's transaction (no second pool connection while it holds one). */
  private async validate(
    raw: readonly unknown[],
    batch: boolean,
    manager?: EntityManager,
  ): Promise<Item[]> {
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

    const firstByKey = new Map<string, Item>();
    for (const item of items) {
      const first = firstByKey.get(item.key);
      if (first === undefined) firstByKey.set(item.key, item);
      else if (first.hash !== item.hash) {
        issues.push({
          path: `[${item.index}].externalId`,
          message: `repeats the source and externalId of item ${first.index} with a different payload`,
        });
      }
    }
    if (issues.length > 0) {
      throw validationError(
        !batch
          ? issues.map((issue) => ({ ...issue, path: issue.path.replace(/^\[0\]\.?/, '') }))
          : issues,
      );
    }
    return items;
  }

  private async store(
    manager: EntityManager,
    items: readonly Item[],
    author: string | null,
    batch: boolean,
  ) {
    const unique = [...new Map(items.map((item) => [item.key, item])).values()];
    const outcome = await this.eventStore.store(
      manager,
      unique.map((item) => ({ item, author })),
    );
    if (outcome.unknownParticipants.size > 0) {
      // Checked before the transaction; a participant deleted since is named the same way.
      throw validationError(
        items
          .filter((item) => outcome.unknownParticipants.has(item.event.participantId))
          .map((item) => ({
            path: batch ? `[${item.index}].participantId` : 'participantId',
            message: `unknown participant "${item.event.participantId}"`,
          })),
      );
    }
    const conflicts = items.filter((item) => outcome.keys.get(item.key)?.payloadHash !== item.hash);
    if (conflicts.length > 0) {
      // Throwing rolls back whatever this batch inserted: nothing of it is written.
      throw conflictOf(conflicts.map((item) => ({ item, index: batch ? item.index : null })));
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
  return answerOf(key, outcome.links);
}
