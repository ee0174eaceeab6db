import { BadRequestException, Injectable, NotFoundException } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { countsEvents, type ContestEvent } from '@podium/contest-model';
import { DataSource } from 'typeorm';
import { fieldError, conflictError } from '../common/http-errors.js';
import { validationError, type FieldIssue } from '../common/validation/zod-validation.pipe.js';
import { EventLogService } from '../events/event-log.service.js';
import type { IngestedEvent } from '../events/dto/ingest.dto.js';
import { EventsService } from '../events/events.service.js';
import { ContestAuditRepository } from './contest-audit.repository.js';
import { ContestRecordsService } from './contest-records.service.js';
import type { ContestRecord } from './contests.repository.js';
import type { Correction } from './dto/contest.dto.js';

/**
 * A manager's correction: recorded as an event of its own with its author, never an edit, and
 * stored with its audit row in one transaction.
 */
@Injectable()
export class CorrectionsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly records: ContestRecordsService,
    private readonly auditTrail: ContestAuditRepository,
    private readonly events: EventLogService,
    private readonly ingestion: EventsService,
  ) {}

  async correct(id: string, correction: Correction, actor: string): Promise<IngestedEvent> {
    const contest = await this.records.require(id);
    if (!countsEvents(contest.state)) {
      throw conflictError(
        'contest_state',
        `corrections apply to live or closing contests; this one is ${contest.state}`,
      );
    }
    const event =
      correction.kind === 'reverse'
        ? await this.reversal(id, correction.eventId)
        : saleOf(contest, correction);
    const { events, contestIds } = await this.dataSource
      .transaction(async (manager) => {
        const stored = await this.ingestion.ingestWithin(manager, [event], { author: actor });
        await this.auditTrail.audit(manager, {
          contestId: id,
          actor,
          action: 'correction',
          details: { ...correction, event },
        });
        return stored;
      })
      .catch(asSingleEvent);
    this.ingestion.notifyContests(contestIds);
    const [answer] = events;
    if (!answer) throw new Error('a stored correction has no answer');
    return answer;
  }

  /** The reversal of a stored event this contest counts. */
  private async reversal(contestId: string, eventId: number): Promise<ContestEvent> {
    const target = await this.events.findById(eventId);
    if (!target) throw new NotFoundException(`no event ${eventId}`);
    // Audited on this contest only, so it may name only what this contest counts.
    const links = await this.events.linksOf([target.id]);
    if (!links.some((link) => link.contestId === contestId))
      throw fieldError(
        'eventId',
        `event ${target.id} is not counted by this contest`,
        'notCounted',
      );
    if (target.event.type === 'reversal') {
      throw fieldError('eventId', 'a reversal cannot be reversed', 'notReversible');
    }
    // A reversal matches its sale within the same source.
    return {
      type: 'reversal',
      source: target.event.source,
      externalId: `correction:${randomUUID()}`,
      participantId: target.event.participantId,
      occurredAt: target.event.occurredAt,
      reversesExternalId: target.event.externalId,
    };
  }
}

function saleOf(
  contest: ContestRecord,
  correction: Extract<Correction, { kind: 'sale' }>,
): ContestEvent {
  const file = contest.frozenFile ?? contest.definition;
  if (!file.participants.some((participant) => participant.id === correction.participantId))
    throw fieldError('participantId', 'not a participant of this contest', 'unknownParticipant');
  const occurredAt = Date.parse(correction.occurredAt);
  if (occurredAt < contest.periodStart.getTime() || occurredAt >= contest.periodEnd.getTime())
    throw fieldError(
      'occurredAt',
      `outside the contest period (${contest.periodStart.toISOString()} to ${contest.periodEnd.toISOString()}, end excluded)`,
      'outsidePeriod',
      { from: contest.periodStart.toISOString(), to: contest.periodEnd.toISOString() },
    );
  const { kind: _kind, reason: _reason, ...sale } = correction;
  return { type: 'sale', source: 'correction', externalId: `correction:${randomUUID()}`, ...sale };
}

/**
 * A correction is one event: its refusals name fields as a single posted event's do
 * (`amountMinor`), not as the item of a batch that `ingestWithin` stores (`[0].amountMinor`).
 */
function asSingleEvent(error: unknown): never {
  const body = error instanceof BadRequestException ? error.getResponse() : null;
  if (body && typeof body === 'object' && 'issues' in body && Array.isArray(body.issues)) {
    throw validationError(
      (body.issues as FieldIssue[]).map((issue) => ({
        ...issue,
        path: issue.path.replace(/^\[0\]\.?/, ''),
      })),
    );
  }
  throw error;
}
