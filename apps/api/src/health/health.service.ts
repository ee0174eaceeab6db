import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

export interface Health {
  readonly status: 'ok' | 'unavailable';
  readonly db: 'up' | 'down';
}

const DB_TIMEOUT_MS = 2_000;

@Injectable()
export class HealthService {
  constructor(private readonly dataSource: DataSource) {}

  /** Asks PostgreSQL a trivial question, giving up after two seconds. */
  async check(): Promise<Health> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('database timeout')), DB_TIMEOUT_MS);
    });
    try {
      await Promise.race([this.dataSource.query('SELECT 1'), timeout]);
      return { status: 'ok', db: 'up' };
    } catch {
      return { status: 'unavailable', db: 'down' };
    } finally {
      clearTimeout(timer);
    }
  }
}
