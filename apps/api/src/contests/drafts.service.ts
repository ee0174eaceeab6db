import { BadRequestException, Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { rulesEditable, type ContestFile } from '@podium/contest-model';
import { DataSource, type EntityManager } from 'typeorm';
import { ContestParticipantsService } from '../participants/contest-participants.service.js';
import { ClusterService } from '../database/cluster/cluster.service.js';
import { ContestAuditRepository } from './contest-audit.repository.js';
import { ContestRecordsService } from './contest-records.service.js';
import { ContestsRepository, type ContestRecord } from './contests.repository.js';
import { ContestsService, type ContestSummary } from './contests.service.js';
import type { ApproveScenario, PlansBody, UpdateContest } from './dto/contest.dto.js';
import { conflictError } from '../common/http-errors.js';

/**
 * Writing a contest's content: creation from a contest file, and, while it is a draft, its rules,
 * plans and approved scenario; its texts and presentation at any time. Each change writes its audit
 * row in the change's own transaction.
 */
@Injectable()
export class DraftsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly contests: ContestsRepository,
    private readonly records: ContestRecordsService,
    private readonly auditTrail: ContestAuditRepository,
    private readonly reading: ContestsService,
    private readonly participants: ContestParticipantsService,
    private readonly cluster: ClusterService,
  ) {}

  async create(file: ContestFile, actor: string): Promise<{ id: string; state: 'draft' }> {
    const definition = withoutEvents(file);
    const id = await this.dataSource.transaction(async (manager) => {
      await this.participants.ensureFromContestFile(manager, definition.participants);
      const contestId = await this.contests.insert(manager, {
        definition,
        graceDays: 3,
        createdBy: actor,
      });
      await this.contests.replaceParticipants(manager, contestId, participantIdsOf(definition));
      await this.auditTrail.audit(manager, {
        contestId,
        actor,
        action: 'created',
        toState: 'draft',
      });
      return contestId;
    });
    return { id, state: 'draft' };
  }

  /** Replaces the rules of a draft; a launched contest's rules are frozen. */
  async replace(id: string, file: ContestFile, actor: string): Promise<ContestSummary> {
    const definition = withoutEvents(file);
    await this.dataSource.transaction(async (manager) => {
      const contest = await this.lockDraft(manager, id, 'change the rules of');
      await this.participants.ensureFromContestFile(manager, definition.participants);
      await this.contests.replaceDefinition(manager, id, definition);
      await this.contests.replaceParticipants(manager, id, participantIdsOf(definition));
      await this.auditTrail.audit(manager, {
        contestId: id,
        actor,
        action: 'rules-replaced',
        details: { before: ruleDigest(contest.definition), after: ruleDigest(definition) },
      });
    });
    return this.reading.get(id);
  }

  /** Texts and presentation: editable in every state, but no longer once closed. */
  async update(id: string, changes: UpdateContest, actor: string): Promise<ContestSummary> {
    await this.dataSource.transaction(async (manager) => {
      const contest = await this.records.lock(manager, id);
      if (
        contest.state === 'closed' &&
        (changes.graceDays !== undefined || changes.prizeTitles !== undefined)
      ) {
        throw conflictError(
          'contest_state',
          `the contest is closed: graceDays and prize titles can no longer change`,
        );
      }
      const retitle = (file: Omit<ContestFile, 'events'>): Omit<ContestFile, 'events'> => ({
        ...file,
        name: changes.name ?? file.name,
        ...(changes.description !== undefined ? { description: changes.description } : {}),
        prizes: file.prizes.map((prize) => {
          const title = changes.prizeTitles?.find(
            (p) => p.place === prize.place && (p.league ?? null) === (prize.league ?? null),
          );
          return title ? { ...prize, title: title.title } : prize;
        }),
      });
      for (const [index, title] of (changes.prizeTitles ?? []).entries()) {
        const known = contest.definition.prizes.some(
          (p) => p.place === title.place && (p.league ?? null) === (title.league ?? null),
        );
        if (!known)
          throw new BadRequestException({
            statusCode: 400,
            error: 'Bad Request',
            message: `prizeTitles[${index}]: no such prize place`,
            issues: [
              { path: `prizeTitles[${index}].place`, message: 'no prize at this place and league' },
            ],
          });
      }
      await this.contests.updateTexts(manager, id, {
        ...(changes.name !== undefined ? { name: changes.name } : {}),
        ...(changes.graceDays !== undefined ? { graceDays: changes.graceDays } : {}),
        ...(changes.showAmounts !== undefined ? { showAmounts: changes.showAmounts } : {}),
        definition: retitle(contest.definition),
        frozenFile: contest.frozenFile ? retitle(contest.frozenFile) : null,
      });
      await this.auditTrail.audit(manager, {
        contestId: id,
        actor,
        action: 'updated',
        details: changes,
      });
    });
    // Screens keep the contest's header and amounts rule: they read them again.
    this.cluster.contestChanged(id);
    return this.reading.get(id);
  }

  /** Replaces plans of the draft's participants (all or some); participants must be in the contest. */
  async replacePlans(id: string, plans: PlansBody, actor: string): Promise<PlansBody> {
    await this.dataSource.transaction(async (manager) => {
      const contest = await this.lockDraft(manager, id, 'change the plans of');
      const known = new Set(contest.definition.participants.map((p) => p.id));
      const unknown = Object.keys(plans).filter((participantId) => !known.has(participantId));
      if (unknown.length > 0) {
        throw new BadRequestException({
          statusCode: 400,
          error: 'Bad Request',
          message: `${unknown[0]}: not a participant of this contest`,
          issues: unknown.map((participantId) => ({
            path: participantId,
            message: 'not a participant of this contest',
          })),
        });
      }
      const definition = {
        ...contest.definition,
        participants: contest.definition.participants.map((p) => ({
          ...p,
          plan: plans[p.id] ?? p.plan,
        })),
      };
      await this.contests.replaceDefinition(manager, id, definition);
      await this.auditTrail.audit(manager, {
        contestId: id,
        actor,
        action: 'plans-replaced',
        details: { participants: Object.keys(plans) },
      });
    });
    return this.reading.plans(id);
  }

  async approveScenario(
    id: string,
    approval: ApproveScenario,
    actor: string,
  ): Promise<ContestSummary> {
    await this.dataSource.transaction(async (manager) => {
      // The live forecast and the report's baseline read it: it is part of the frozen rules.
      await this.lockDraft(manager, id, 'change the approved scenario of');
      await this.contests.setScenario(manager, id, {
        ...approval.scenario,
        baselineMarginMinor: approval.baselineMarginMinor,
        simulationId: approval.simulationId ?? null,
        approvedBy: actor,
      });
      await this.auditTrail.audit(manager, {
        contestId: id,
        actor,
        action: 'scenario-approved',
        details: approval,
      });
    });
    return this.reading.get(id);
  }

  private async lockDraft(
    manager: EntityManager,
    id: string,
    what: string,
  ): Promise<ContestRecord> {
    const contest = await this.records.lock(manager, id);
    if (!rulesEditable(contest.state)) {
      throw conflictError(
        'contest_state',
        `cannot ${what} a ${contest.state} contest: its rules are frozen once launched`,
      );
    }
    return contest;
  }
}

function withoutEvents(file: ContestFile): Omit<ContestFile, 'events'> {
  const { events: _events, ...definition } = file;
  return definition;
}

function participantIdsOf(file: Omit<ContestFile, 'events'>): string[] {
  return file.participants.map((participant) => participant.id);
}

/** What a rule change is audited with: a fingerprint of each side (the full files are large). */
function ruleDigest(file: Omit<ContestFile, 'events'>) {
  return {
    sha256: createHash('sha256').update(JSON.stringify(file)).digest('hex'),
    criteria: file.criteria.length,
    prizes: file.prizes.length,
    participants: file.participants.length,
  };
}
