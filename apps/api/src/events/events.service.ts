import { ConflictException, Injectable, Logger } from '@nestjs/common';
import { parseContestEvent } from '@podium/contest-model';
import { DataSource, type EntityManager } from 'typeorm';
import { validationError, type FieldIssue } from '../common/validation/zod-validation.pipe.js';
import { StandingsService } from '../standings/standings.service.js';
import { GroupCommit } from './group-commit.js';
import { identify, keyOf, type IdentifiedEvent } from './event-identity.js';
import type { IngestAnswer, IngestedEvent } from './dto/ingest.dto.js';
import {
  COUNTING_STATES,
  EventsRepository,
  type ContestLink,
  type NewEventRow,
  type StoredEventKey,
} from './events.repository.js';

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

  constructor(
    private readonly dataSource: DataSource,
    private readonly events: EventsRepository,
    private readonly standings: StandingsService,
  ) {}

  async ingest(body: unknown, { author }: { author: string | null }): Promise<IngestAnswer> {
    const batch = Array.isArray(body);
    if (!batch) {
      this.groupCommit ??= new GroupCommit(this.dataSource, this.events, (contestIds) => {
        for (const contestId of contestIds) this.standings.notify(contestId);
      });
      return this.groupCommit.submit(body, author);
    }
    const items = await this.validate(batch ? body : [body], batch);
    const { stored, created, links } = await this.dataSource.transaction((manager) =>
      this.store(manager, items, author, batch),
    );
    for (const contestId of new Set(links.map((link) => link.contestId))) {
      this.standings.notify(contestId);
    }
    const answers = items.map((item) => answerOf(stored.get(item.key), links));
    return {
      status: created > 0 ? 201 : 200,
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
    const { stored, links } = await this.store(manager, items, author, true);
    return {
      events: items.map((item) => answerOf(stored.get(item.key), links)),
      contestIds: [...new Set(links.map((link) => link.contestId))],
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
    const rows: NewEventRow[] = unique.map(({ event, hash }) => ({
      source: event.source,
      externalId: event.externalId,
      type: event.type,
      participantId: event.participantId,
      occurredAt: event.occurredAt,
      payload: event,
      payloadHash: hash,
      author,
    }));
    const inserted = await this.events.insertNew(manager, rows);
    const stored = new Map<string, StoredEventKey>(
      inserted.map((key) => [keyOf(key.source, key.externalId), key]),
    );

    const repeated = unique.filter((item) => !stored.has(item.key));
    const existing = await this.events.findKeys(
      repeated.map(({ event }) => ({ source: event.source, externalId: event.externalId })),
      manager,
    );
    for (const key of existing) stored.set(keyOf(key.source, key.externalId), key);
    const conflicts = items.filter((item) => stored.get(item.key)?.payloadHash !== item.hash);
    if (conflicts.length > 0) {
      // Throwing rolls back whatever this batch inserted: nothing of it is written.
      throw new ConflictException({
        statusCode: 409,
        error: 'Conflict',
        message: `${conflicts.length} event(s) reuse a source and externalId already stored with a different payload`,
        issues: conflicts.map((item) => ({
          path: batch ? `[${item.index}].externalId` : 'externalId',
          message: `"${item.event.source}"/"${item.event.externalId}" is already stored with a different payload`,
        })),
      });
    }

    const newIds = inserted.map((key) => key.id).sort((a, b) => a - b);
    const links: ContestLink[] = [];
    for (const contest of await this.events.lockCandidateContests(manager, newIds)) {
      if (!(COUNTING_STATES as readonly string[]).includes(contest.state)) continue;
      links.push(...(await this.events.link(manager, contest.id, newIds)));
    }
    // Repeated events answer with the links they got the first time.
    const repeatedIds = existing.map((key) => key.id);
    links.push(...(await this.events.linksOf(repeatedIds, manager)));
    if (inserted.length > 0) {
      this.logger.debug(`stored ${inserted.length} event(s), ${links.length} contest link(s)`);
    }
    return { stored, created: inserted.length, links };
  }
}

function answerOf(key: StoredEventKey | undefined, links: readonly ContestLink[]): IngestedEvent {
  if (key === undefined) throw new Error('an ingested event has no stored key');
  return {
    id: key.id,
    source: key.source,
    externalId: key.externalId,
    contests: links
      .filter((link) => link.eventId === key.id)
      .map((link) => ({ contestId: link.contestId, seq: link.seq })),
  };
}
