import pg from 'pg';
import type { DataSource } from 'typeorm';

/** Advisory lock keys (any 32-bit numbers, the same in every Podium process). */
export const ADVISORY_LOCKS = {
  /** Held while the demo company is seeded, so replicas that start together seed it once. */
  demoSeed: 0x706f6401,
  /** Held for life by the one process whose demo deal generator runs. */
  demoGenerator: 0x706f6402,
  /**
   * Held while a job queue is created or brought up to date: pg-boss's `create_queue` of the same
   * new queue by two processes at once deadlocks (each waits for the other's queue row).
   */
  jobQueues: 0x706f6403,
  /**
   * With an integration's `hashtext(id)` as the second key: held by the process syncing that
   * integration with its CRM, so two syncs of one integration never run at once.
   */
  crmSync: 0x706f6404,
  /**
   * With a Bitrix24 read's id (the two-key form, apart from the one-key locks above): held by the
   * run that reads it along with its own, for as long as it has it.
   */
  bitrix24Reads: 0x706f6405,
  /** Held for life by the one process that long-polls Telegram for the bot's updates. */
  telegramPolling: 0x706f6406,
  /** Held by the one run that sends Telegram messages (the pace is kept in its memory). */
  telegramSender: 0x706f6407,
  /** Held by the one run that sends e-mail (a message left `sending` is only judged by it). */
  mailSender: 0x706f6410,
  /**
   * With a contest's `hashtext(id)` as the second key: held by the process computing that
   * contest's forecast, so the processes on one database compute it once, one at a time.
   */
  forecast: 0x706f6411,
} as const;

function urlOf(dataSource: DataSource): string {
  const url = (dataSource.options as { url?: string }).url;
  if (!url) throw new Error('the data source has no URL');
  return url;
}

/** Runs `work` while holding a PostgreSQL session advisory lock (waits for it). */
export async function withAdvisoryLock<T>(
  dataSource: DataSource,
  key: number,
  work: () => Promise<T>,
): Promise<T> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock($1)', [key]);
    try {
      return await work();
    } finally {
      await runner.query('SELECT pg_advisory_unlock($1)', [key]);
    }
  } finally {
    await runner.release();
  }
}

/**
 * Leadership among the processes on one database: whoever holds the session advisory lock `key`
 * on its own connection leads; the lock goes with the connection, so when the leader dies (or
 * loses its connection) another process takes over at its next `lead()`.
 */
export class AdvisoryLeader {
  private client: pg.Client | null = null;
  private leading = false;

  constructor(
    private readonly dataSource: DataSource,
    private readonly key: number,
  ) {}

  /** True when this process leads (now or from now on); never throws. */
  async lead(): Promise<boolean> {
    try {
      if (this.client === null) {
        const client = new pg.Client({ connectionString: urlOf(this.dataSource) });
        client.on('error', () => this.drop(client));
        await client.connect();
        this.client = client;
        this.leading = false;
      }
      if (this.leading) {
        await this.client.query('SELECT 1'); // the lock lives as long as this connection
        return true;
      }
      const rows = await this.client.query<{ locked: boolean }>(
        'SELECT pg_try_advisory_lock($1) AS locked',
        [this.key],
      );
      this.leading = rows.rows[0]?.locked === true;
      return this.leading;
    } catch {
      if (this.client) this.drop(this.client);
      return false;
    }
  }

  async close(): Promise<void> {
    const client = this.client;
    this.client = null;
    this.leading = false;
    await client?.end().catch(() => undefined);
  }

  private drop(client: pg.Client): void {
    if (this.client !== client) return;
    this.client = null;
    this.leading = false;
    void client.end().catch(() => undefined);
  }
}
