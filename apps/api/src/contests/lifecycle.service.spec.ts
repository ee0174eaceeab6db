import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  canTransition,
  CONTEST_STATES,
  type ContestFile,
  type ContestState,
} from '@podium/contest-model';
import type { TestApp } from '../../../../tests/support/app.js';
import { ManualClock } from '../../../../tests/support/clock.js';
import { exampleContestFile } from '../../../../tests/support/contest-files.js';
import { createTestDatabase, type TestDatabase } from '../../../../tests/support/database.js';
import { call, createAdminApp, type Answer } from '../../../../tests/support/http.js';
import { LAUNCH_PAST_GATE } from '../../../../tests/support/launch-gate.js';

/** The manager's transitions and the route of each. */
const ROUTES = { launch: 'launch', unschedule: 'unschedule', close: 'close' } as const;

/**
 * The API moves a contest exactly as the contest-model state machine allows: from a contest in
 * each state, every manager transition is accepted where the machine allows it and refused with
 * a 409 that leaves the state as it was everywhere else.
 */
describe('LifecycleService', () => {
  let database: TestDatabase;
  let sut: TestApp;
  let admin: string;
  let file: ContestFile;
  const clock = new ManualClock(new Date('2026-03-10T12:00:00Z'));

  const api = <T = { message: string }>(
    method: string,
    path: string,
    body?: unknown,
  ): Promise<Answer<T>> => call<T>(sut.url, method, `/api${path}`, { token: admin, body });

  const stateOf = async (id: string): Promise<ContestState> =>
    (await api<{ state: ContestState }>('GET', `/contests/${id}`)).body.state;

  async function created(period: { start: string; end: string }): Promise<string> {
    const answer = await call<{ id: string }>(sut.url, 'POST', '/api/contests', {
      token: admin,
      body: { ...file, period },
    });
    expect(answer.status).toBe(201);
    return answer.body.id;
  }

  /** A fresh contest in the given state, moved there through the API and the clock only. */
  const make: Record<ContestState, () => Promise<string>> = {
    draft: () => created({ start: '2026-03-01', end: '2026-04-01' }),
    scheduled: async () => {
      const id = await created({ start: '2026-06-01', end: '2026-07-01' });
      expect((await api('POST', `/contests/${id}/launch`, LAUNCH_PAST_GATE)).status).toBe(200);
      return id;
    },
    live: async () => {
      const id = await created({ start: '2026-03-01', end: '2026-04-01' });
      expect((await api('POST', `/contests/${id}/launch`, LAUNCH_PAST_GATE)).status).toBe(200);
      return id;
    },
    closing: async () => {
      const id = await make.live();
      clock.set('2026-04-01T00:00:01Z');
      await sut.app.get(LifecycleServiceToken).tick();
      clock.set('2026-03-10T12:00:00Z');
      return id;
    },
    closed: async () => {
      const id = await make.closing();
      expect((await api('POST', `/contests/${id}/close`)).status).toBe(200);
      return id;
    },
  };

  beforeAll(async () => {
    database = await createTestDatabase();
    ({ sut, token: admin } = await createAdminApp(database.url, {}, { clock }));
    file = { ...(await exampleContestFile()), events: [] };
  });

  afterAll(async () => {
    await sut?.close();
    await database?.drop();
  });

  for (const from of CONTEST_STATES)
    for (const transition of Object.keys(ROUTES) as (keyof typeof ROUTES)[]) {
      const allowed = canTransition({ from, transition });
      it(`${allowed ? 'allows' : 'refuses'} ${transition} from ${from}`, async () => {
        const id = await make[from]();
        expect(await stateOf(id)).toBe(from);
        const answer = await api(
          'POST',
          `/contests/${id}/${ROUTES[transition]}`,
          transition === 'launch' ? LAUNCH_PAST_GATE : undefined,
        );
        if (allowed) {
          expect(answer.status).toBe(200);
          expect(await stateOf(id)).not.toBe(from);
        } else {
          expect({
            status: answer.status,
            code: (answer.body as { code?: string }).code,
            state: await stateOf(id),
          }).toEqual({ status: 409, code: 'contest_state', state: from });
        }
      });
    }
});

// Imported late: the token is the class, which pulls in the whole API.
const { LifecycleService: LifecycleServiceToken } = await import('./lifecycle.service.js');
