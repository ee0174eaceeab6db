import { describe, expect, it } from '@jest/globals';
import { exampleContestFile } from '../../../../tests/support/contest-files.js';
import type { ContestRecordsService } from '../contests/contest-records.service.js';
import type { ContestRecord } from '../contests/contests.repository.js';
import type { ClusterService } from '../database/cluster/cluster.service.js';
import type { EventLogService } from '../events/event-log.service.js';
import { StandingsService } from './standings.service.js';
import type { StandingsRepository } from './standings.repository.js';

/**
 * What the service does when PostgreSQL fails it for a moment (the read of a contest, the
 * connection cut): the caller gets the error, and the next call reads again. Collaborators are
 * stand-ins: the point is the service's memory of a failed read, not the database.
 */
describe('StandingsService when a read fails', () => {
  it('reads a contest again after a failed read, instead of failing every later call', async () => {
    const { events: _events, ...file } = await exampleContestFile();
    const record = { id: 'c1', state: 'live', frozenFile: file, lastSeq: 0 } as ContestRecord;
    let reads = 0;
    const contests = {
      find: () => {
        reads += 1;
        return reads === 1
          ? Promise.reject(new Error('Connection terminated'))
          : Promise.resolve(record);
      },
    } as unknown as ContestRecordsService;
    const events = { contestEventsAfter: () => Promise.resolve([]) } as unknown as EventLogService;
    const cluster = {
      subscribe: () => () => undefined,
      announceSeq: () => undefined,
    } as unknown as ClusterService;
    const service = new StandingsService(contests, events, {} as StandingsRepository, cluster);

    await expect(service.snapshot('c1')).rejects.toThrow('Connection terminated');
    const snapshot = await service.snapshot('c1');
    expect(snapshot).toMatchObject({ contestId: 'c1', seq: 0 });
    expect(snapshot?.standings).toHaveLength(file.participants.length);
    expect(reads).toBe(2);
  });
});
