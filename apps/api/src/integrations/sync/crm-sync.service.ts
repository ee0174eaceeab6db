import {
  HttpException,
  Inject,
  Injectable,
  Logger,
  NotFoundException,
  type OnModuleDestroy,
} from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CLOCK, type Clock } from '../../common/clock.js';
import { ADVISORY_LOCKS } from '../../database/cluster/advisory-lock.js';
import { queryOne } from '../../database/sql.js';
import { EventsService } from '../../events/events.service.js';
import { conflictError } from '../../common/http-errors.js';
import { crmContext } from '../crm-context.js';
import { CrmDealsService } from '../crm-deals.service.js';
import { DEFAULT_SYNC_INTERVAL_MINUTES, syncIntervalMinutes } from '../dto/crm-settings.dto.js';
import { IntegrationsRepository, type IntegrationRecord } from '../integrations.repository.js';
import { CRM_PULLERS, type CrmPuller, type PullFailure, type SyncCursor } from './crm-puller.js';
import { CrmSyncRepository, type SyncState } from './crm-sync.repository.js';

/** What one sync did: the answer of `POST /api/integrations/:id/sync`. */
export interface SyncRun {
  readonly outcome: 'ok' | 'failed';
  /** Deals the CRM reported (those it could not turn into observations included). */
  readonly read: number;
  /** Observations applied (each decided by the deal's state: a repeat changes nothing). */
  readonly applied: number;
  readonly failures: readonly PullFailure[];
  /** Why the run stopped early (a call that failed); null when it read everything. */
  readonly error: string | null;
  readonly cursor: SyncCursor | null;
  readonly startedAt: string;
  readonly finishedAt: string;
}

/** The minutes between an integration's syncs (its settings, else the schema's default). */
export function intervalMinutesOf(settings: Record<string, unknown>): number {
  const parsed = syncIntervalMinutes.safeParse(settings.syncIntervalMinutes);
  return (parsed.success ? parsed.data : undefined) ?? DEFAULT_SYNC_INTERVAL_MINUTES;
}

/** When the next scheduled sync is due: at once for one never synced. */
export function nextDueAt(
  state: Pick<SyncState, 'lastStartedAt'> | null,
  minutes: number,
  now: Date,
) {
  const last = state?.lastStartedAt ?? null;
  return last === null ? now : new Date(last.getTime() + minutes * 60_000);
}

const messageOf = (error: unknown): string => {
  if (error instanceof HttpException) {
    const body = error.getResponse();
    const message = typeof body === 'object' ? (body as { message?: unknown }).message : body;
    return typeof message === 'string' ? message : error.message;
  }
  return error instanceof Error ? error.message : String(error);
};

/**
 * The pull sync of a CRM integration, the guarantee behind its webhooks: reads what changed in
 * the CRM since the stored cursor (a first sync: since the earliest start of the live contests'
 * periods) through the puller of its kind, and applies each page with `CrmDealsService.apply` in
 * one transaction with the page's cursor, so a run that stops half-way resumes after the last
 * page applied. One run per integration at a time across processes (a session advisory lock).
 */
@Injectable()
export class CrmSyncService implements OnModuleDestroy {
  private readonly logger = new Logger('CrmSync');
  private readonly running = new Set<AbortController>();

  constructor(
    private readonly dataSource: DataSource,
    private readonly integrations: IntegrationsRepository,
    private readonly syncs: CrmSyncRepository,
    private readonly deals: CrmDealsService,
    private readonly events: EventsService,
    @Inject(CRM_PULLERS) private readonly pullers: readonly CrmPuller[],
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  onModuleDestroy(): void {
    for (const controller of this.running) controller.abort(new Error('the server is stopping'));
  }

  /** The kinds that have a pull sync. */
  kinds(): string[] {
    return this.pullers.map((puller) => puller.kind);
  }

  pullerOf(kind: string): CrmPuller | null {
    return this.pullers.find((puller) => puller.kind === kind) ?? null;
  }

  /** `POST /api/integrations/:id/sync`: a sync now, answered with its outcome. */
  async syncNow(id: string): Promise<SyncRun> {
    const integration = await this.integrations.find(id);
    if (!integration) throw new NotFoundException(`no integration ${id}`);
    if (this.pullerOf(integration.kind) === null) {
      throw conflictError('kind', `integrations of kind ${integration.kind} have no pull sync`);
    }
    if (integration.revokedAt !== null)
      throw conflictError('revoked', 'the integration is revoked');
    const run = await this.run(integration, null);
    if (run === null) {
      throw conflictError(
        'sync_running',
        'a sync of this integration is running; try again when it ends',
      );
    }
    return run;
  }

  /**
   * A scheduled sync: runs unless another is running or it is no longer due (another process
   * ran it since it was found due); answers null then.
   */
  async syncScheduled(id: string, signal: AbortSignal): Promise<SyncRun | null> {
    const integration = await this.integrations.find(id);
    if (!integration || integration.revokedAt !== null) return null;
    if (this.pullerOf(integration.kind) === null) return null;
    return this.run(integration, signal, (state) => {
      const due = nextDueAt(state, intervalMinutesOf(integration.settings), this.clock.now());
      return due.getTime() <= this.clock.now().getTime();
    });
  }

  private async run(
    integration: IntegrationRecord,
    signal: AbortSignal | null,
    stillDue?: (state: SyncState | null) => boolean,
  ): Promise<SyncRun | null> {
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    const controller = new AbortController();
    const onAbort = () => controller.abort(signal?.reason);
    signal?.addEventListener('abort', onAbort);
    try {
      const key = [ADVISORY_LOCKS.crmSync, integration.id];
      const lock = await queryOne<{ locked: boolean }>(
        runner,
        'SELECT pg_try_advisory_lock($1, hashtext($2)) AS locked',
        key,
      );
      if (lock?.locked !== true) return null;
      try {
        if (stillDue && !stillDue(await this.syncs.state(integration.id))) return null;
        this.running.add(controller);
        return await this.pull(integration, controller.signal);
      } finally {
        this.running.delete(controller);
        await runner.query('SELECT pg_advisory_unlock($1, hashtext($2))', key);
      }
    } finally {
      signal?.removeEventListener('abort', onAbort);
      await runner.release();
    }
  }

  /** Reads and applies the pages; the status records the run whatever happens. */
  private async pull(integration: IntegrationRecord, signal: AbortSignal): Promise<SyncRun> {
    const puller = this.pullerOf(integration.kind);
    if (puller === null) throw new Error(`no puller for ${integration.kind}`);
    const startedAt = this.clock.now();
    const state = await this.syncs.start(integration.id, startedAt);
    const context = crmContext(integration);
    let cursor = state.cursor;
    let read = 0;
    let applied = 0;
    const failures: PullFailure[] = [];
    let error: string | null = null;
    try {
      const from =
        cursor === null ? ((await this.syncs.earliestLiveStart()) ?? startedAt) : startedAt;
      for await (const page of puller.pages(integration, cursor, from, signal)) {
        // Deals in id order, as the webhooks lock them: no deadlock with a webhook's transaction.
        const observations = [...page.observations].sort(
          (a, b) => a.dealId.localeCompare(b.dealId) || a.modifiedAt.localeCompare(b.modifiedAt),
        );
        const refused: PullFailure[] = [];
        const contestIds = await this.dataSource.transaction(async (manager) => {
          const touched: string[] = [];
          for (const observation of observations) {
            // A deal Podium refuses (a 400 or 409 of ingestion) is listed, not a stop for the rest.
            await manager.query('SAVEPOINT crm_sync_deal');
            try {
              touched.push(...(await this.deals.apply(manager, context, observation)));
              await manager.query('RELEASE SAVEPOINT crm_sync_deal');
            } catch (refusal) {
              if (!(refusal instanceof HttpException)) throw refusal;
              await manager.query('ROLLBACK TO SAVEPOINT crm_sync_deal');
              refused.push({ dealId: observation.dealId, reason: messageOf(refusal) });
            }
          }
          for (const lead of page.leads ?? []) {
            await manager.query('SAVEPOINT crm_sync_deal');
            try {
              touched.push(...(await this.deals.applyLead(manager, context, lead)));
              await manager.query('RELEASE SAVEPOINT crm_sync_deal');
            } catch (refusal) {
              if (!(refusal instanceof HttpException)) throw refusal;
              await manager.query('ROLLBACK TO SAVEPOINT crm_sync_deal');
              refused.push({ dealId: lead.id, reason: messageOf(refusal) });
            }
          }
          await this.syncs.saveCursor(manager, integration.id, page.cursor);
          await page.commit?.(manager);
          return touched;
        });
        this.events.notifyContests(contestIds);
        cursor = page.cursor;
        const leads = page.leads?.length ?? 0;
        read += page.observations.length + leads + page.failures.length;
        applied += page.observations.length + leads - refused.length;
        failures.push(...page.failures, ...refused);
      }
    } catch (thrown) {
      // Never the portal URL: the pullers' messages are built without it.
      error = messageOf(thrown).slice(0, 1_000);
      this.logger.warn(`sync of integration ${integration.id} stopped: ${error}`);
    }
    const finishedAt = this.clock.now();
    const outcome = error === null && failures.length === 0 ? 'ok' : 'failed';
    const summary =
      error ??
      (failures.length === 0
        ? null
        : `${failures.length} deal(s) not applied: ${failures
            .slice(0, 5)
            .map((failure) => `${failure.dealId} (${failure.reason})`)
            .join('; ')}`.slice(0, 1_000));
    await this.syncs.finish(integration.id, {
      finishedAt,
      outcome,
      error: summary,
      read,
      applied,
      failures: failures.slice(0, 200),
    });
    return {
      outcome,
      read,
      applied,
      failures,
      error,
      cursor,
      startedAt: startedAt.toISOString(),
      finishedAt: finishedAt.toISOString(),
    };
  }
}
