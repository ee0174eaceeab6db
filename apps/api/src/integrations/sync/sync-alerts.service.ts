import { Injectable } from '@nestjs/common';
import { CrmSyncRepository } from './crm-sync.repository.js';
import type { SyncAlert } from './sync-view.js';

/** Failed syncs in a row after which the contest page warns that sales may be missing. */
export const ALERT_AFTER_FAILURES = 3;

/** The CRM integrations whose syncs keep failing, for the managers' contest page. */
@Injectable()
export class SyncAlertsService {
  constructor(private readonly syncs: CrmSyncRepository) {}

  async alerts(): Promise<SyncAlert[]> {
    return (await this.syncs.failing(ALERT_AFTER_FAILURES)).map((row) => ({
      integrationId: row.integrationId,
      name: row.name,
      kind: row.kind,
      consecutiveFailures: row.consecutiveFailures,
      error: row.lastError,
      lastFinishedAt: row.lastFinishedAt?.toISOString() ?? null,
    }));
  }
}
