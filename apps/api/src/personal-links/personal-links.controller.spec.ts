import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { parseContestFile, type ContestFileInput, type StandingRow } from '@podium/contest-model';
import { DataSource } from 'typeorm';
import type { TestApp } from '../../../../tests/support/app.js';
import { ManualClock } from '../../../../tests/support/clock.js';
import { createTestDatabase, type TestDatabase } from '../../../../tests/support/database.js';
import { call, createAdminApp } from '../../../../tests/support/http.js';
import { connectLive } from '../../../../tests/support/live.js';
import { PersonalLinksController } from './personal-links.controller.js';
import { LAUNCH_PAST_GATE } from '../../../../tests/support/launch-gate.js';

const file: ContestFileInput = {
  name: 'Links',
  period: { start: '2026-06-01', end: '2026-07-01' },
  funding: { fundShare: 0.4, mode: 'unlockInOrder' },
  prizes: [{ place: 1, title: 'Trip', costMinor: 1_000_000 }],
  criteria: [{ metric: 'turnover', basis: 'absolute', unit: 100_000, weight: 1 }],
  participants: ['k1', 'k2', 'k3'].map((id) => ({
    id,
    name: `Seller ${id}`,
    plan: { turnoverMinor: 10_000_000, marginMinor: 2_000_000 },
  })),
};

describe(PersonalLinksController.name, () => {
  let database: TestDatabase;
  let sut: TestApp;
  let admin: string;
  let contestId: string;
  const clock = new ManualClock(new Date('2026-06-15T12:00:00Z'));

  const api = (method: string, path: string, body?: unknown, bearer: string | null = admin) =>
    call<never>(sut.url, method, `/api${path}`, { token: bearer, body });

  beforeAll(async () => {
    database = await createTestDatabase();
    ({ sut, token: admin } = await createAdminApp(database.url, {}, { clock }));
    await sut.app
      .get(DataSource)
      .query("INSERT INTO participants (id, name) VALUES ('k1', 'Seller k1'), ('k2', 'Seller k2')");
    const parsed = parseContestFile(file);
    if (!parsed.success) throw new Error('bad fixture');
    contestId = (await api('POST', '/contests', parsed.data)).body['id'];
    expect((await api('POST', `/contests/${contestId}/launch`, LAUNCH_PAST_GATE)).status).toBe(200);
    for (const [participantId, amountMinor] of [
      ['k1', 500_000],
      ['k2', 900_000],
    ] as const) {
      const posted = await api('POST', '/events', {
        type: 'sale',
        source: 'crm',
        externalId: `sale-${participantId}`,
        participantId,
        occurredAt: '2026-06-10T10:00:00Z',
        amountMinor,
        marginMinor: amountMinor / 5,
      });
      expect(posted.status).toBeLessThan(300);
    }
  });

  afterAll(async () => {
    await sut?.close();
    await database?.drop();
  });

  it('creates a link shown once, stored hashed, that opens as the participant and reads like a seller', async () => {
    expect((await api('GET', '/participants/k1/personal-link')).body).toMatchObject({
      participantId: 'k1',
      active: false,
    });
    const created = await api('POST', '/participants/k1/personal-link');
    expect(created.status).toBe(201);
    const { token, path } = created.body as { token: string; path: string };
    expect(token).toMatch(/^pdp_[\w-]{43}$/);
    expect(path).toBe(`/m/p/${token}`);

    const stored: { token_hash: Buffer }[] = await sut.app
      .get(DataSource)
      .query('SELECT token_hash FROM personal_links WHERE participant_id = $1', ['k1']);
    expect(stored).toHaveLength(1);
    expect(stored[0]?.token_hash.toString('utf8')).not.toContain(token);
    const status = await api('GET', '/participants/k1/personal-link');
    expect(status.body).toMatchObject({ active: true, lastUsedAt: null });
    expect(JSON.stringify(status.body)).not.toContain(token);

    const opened = await api('POST', '/personal-links/open', { token }, null);
    expect(opened).toEqual({ status: 200, body: { participantId: 'k1', name: 'Seller k1' } });
    expect((await api('GET', '/participants/k1/personal-link')).body['lastUsedAt']).not.toBeNull();
    expect((await api('GET', '/auth/me', undefined, token)).body).toMatchObject({
      kind: 'user',
      user: { role: 'seller', participantId: 'k1' },
    });

    // Only what a seller sees: its own amounts and what it takes, others' values hidden.
    const standings = await api('GET', `/contests/${contestId}/standings`, undefined, token);
    expect(standings.status).toBe(200);
    const rows = (standings.body as { standings: StandingRow[] }).standings;
    const mine = rows.find((row) => row.participantId === 'k1');
    const other = rows.find((row) => row.participantId === 'k2');
    expect(mine?.criteria[0]?.value).toBe(500_000);
    expect(mine?.whatItTakes).toBeDefined();
    expect(other?.criteria[0]?.value).toBeNull();
    expect(other).not.toHaveProperty('whatItTakes');

    // Live too: the socket focuses on the link's participant, whatever it asks for.
    const socket = await connectLive(sut.url, token);
    try {
      const ack = await socket.emitWithAck('subscribe', { contestId, participantId: 'k2' });
      expect(ack.ok).toBe(true);
      if (ack.ok) {
        expect(ack.snapshot.focus?.participantId).toBe('k1');
        const k2 = ack.snapshot.top.find((row: StandingRow) => row.participantId === 'k2');
        expect(k2?.criteria[0]?.value).toBeNull();
      }
    } finally {
      socket.disconnect();
    }

    // Read-only: a seller's routes only.
    expect((await api('GET', '/participants', undefined, token)).status).toBe(403);
    expect((await api('POST', '/participants/k2/personal-link', undefined, token)).status).toBe(
      403,
    );
    expect((await api('GET', `/contests/${contestId}/events`, undefined, token)).status).toBe(403);
  });

  it('regenerating revokes the old link, revoking answers 401 at once, and an unknown one is refused', async () => {
    const first = (await api('POST', '/participants/k2/personal-link')).body['token'] as string;
    const second = (await api('POST', '/participants/k2/personal-link')).body['token'] as string;
    expect(second).not.toBe(first);
    expect((await api('POST', '/personal-links/open', { token: first }, null)).status).toBe(401);
    expect((await api('GET', '/contests', undefined, first)).status).toBe(401);
    expect((await api('GET', '/contests', undefined, second)).status).toBe(200);

    expect((await api('DELETE', '/participants/k2/personal-link')).status).toBe(204);
    expect((await api('POST', '/personal-links/open', { token: second }, null)).status).toBe(401);
    expect((await api('GET', '/contests', undefined, second)).status).toBe(401);
    expect((await api('DELETE', '/participants/k2/personal-link')).status).toBe(404);
    expect((await api('GET', '/participants/k2/personal-link')).body['active']).toBe(false);

    expect((await api('POST', '/participants/nobody/personal-link')).status).toBe(404);
    expect((await api('GET', '/participants/nobody/personal-link')).status).toBe(404);
    const blank = await api('POST', '/personal-links/open', { token: '' }, null);
    expect(blank.status).toBe(400);
    expect(blank.body['issues']).toEqual([
      {
        path: 'token',
        message: 'must not be blank',
        code: 'too_small',
        params: { kind: 'string', min: 1 },
      },
    ]);
  });

  it('limits guesses per address', async () => {
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 31; attempt += 1) {
      statuses.push(
        (await api('POST', '/personal-links/open', { token: `pdp_guess${attempt}` }, null)).status,
      );
    }
    // Earlier tests spent a few of this address's budget: the limit shows by the 31st try.
    expect(statuses.at(-1)).toBe(429);
    expect(statuses.filter((status) => status === 401).length).toBeGreaterThan(20);
  });
});
