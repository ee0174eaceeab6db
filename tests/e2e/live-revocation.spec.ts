import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { parseContestFile, type ContestFileInput, type LiveView } from '@podium/contest-model';
import { AuthService } from '../../apps/api/src/auth/auth.service.js';
import { subscribeLive } from '../../apps/web/src/lib/socket.js';
import { createTestApp, login, TEST_ADMIN, type TestApp } from '../support/app.js';
import { ManualClock } from '../support/clock.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { connectLive, type LiveClient } from '../support/live.js';
import { waitForEvent } from '../support/process.js';
import { LAUNCH_PAST_GATE } from '../support/launch-gate.js';

const file: ContestFileInput = {
  name: 'Revocation',
  period: { start: '2026-06-01', end: '2026-07-01' },
  funding: { fundShare: 0.4, mode: 'unlockInOrder' },
  prizes: [{ place: 1, title: 'Trip', costMinor: 1_000_000 }],
  criteria: [{ metric: 'turnover', basis: 'absolute', unit: 100_000, weight: 1 }],
  participants: Array.from({ length: 10 }, (_, index) => ({
    id: `r${index + 1}`,
    name: `Seller ${index + 1}`,
    plan: { turnoverMinor: 10_000_000, marginMinor: 2_000_000 },
  })),
};

let counter = 0;
function sale(participant: number) {
  counter += 1;
  return {
    type: 'sale',
    source: 'crm',
    externalId: `revocation-${counter}`,
    participantId: `r${participant}`,
    occurredAt: '2026-06-10T10:00:00Z',
    amountMinor: 150_000,
    marginMinor: 45_000,
  };
}

/** Generous: a loaded machine waits longer, it does not fail. Revocation is meant to take ~1 s. */
const WAIT_MS = 15_000;

interface Closed {
  revoked: { reason: string; contestId?: string };
  disconnect: string;
}

/**
 * Revoking a credential closes, or narrows, the sockets already open with it — on every API
 * process. Two processes on one database: credentials change through process A, the sockets
 * under test are on process B, so the change travels as a `podium_cluster` notice.
 */
describe('/live revocation', () => {
  let database: TestDatabase;
  let a: TestApp;
  let b: TestApp;
  let admin: string;
  let contestId: string;
  let otherContestId: string;
  const clock = new ManualClock(new Date('2026-06-15T12:00:00Z'));
  const clients: LiveClient[] = [];

  async function api(method: string, path: string, body?: unknown, bearer = admin) {
    const response = await fetch(`${a.url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${bearer}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return {
      status: response.status,
      body: (text ? JSON.parse(text) : {}) as Record<string, unknown>,
    };
  }

  async function client(bearer: string, app: TestApp = b): Promise<LiveClient> {
    const socket = await connectLive(app.url, bearer);
    clients.push(socket);
    return socket;
  }

  async function subscribed(bearer: string, contest = contestId): Promise<LiveClient> {
    const socket = await client(bearer);
    const ack = await socket.timeout(WAIT_MS).emitWithAck('subscribe', { contestId: contest });
    if (!ack.ok) throw new Error(ack.error);
    return socket;
  }

  /** The `revoked` the socket gets and the disconnect that follows it. */
  function closing(socket: LiveClient): Promise<Closed> {
    const revoked = waitForEvent<Closed['revoked']>(socket, 'revoked', () => true, WAIT_MS);
    const disconnect = waitForEvent<string>(socket, 'disconnect', () => true, WAIT_MS);
    return Promise.all([revoked, disconnect]).then(([r, d]) => ({ revoked: r, disconnect: d }));
  }

  /** The next standings of `contestId` after one more sale, as `socket` sees it. */
  async function nextStandings(socket: LiveClient, contest = contestId): Promise<LiveView> {
    const seq = ((await api('GET', `/api/contests/${contest}/standings`)).body.seq as number) + 1;
    const next = waitForEvent<LiveView>(
      socket,
      'standings',
      (view) => view.contestId === contest && view.seq >= seq,
      WAIT_MS,
    );
    expect((await api('POST', '/api/events', sale(1 + (counter % 10)))).status).toBe(201);
    return next;
  }

  async function newUser(role: 'manager' | 'director', email: string) {
    const password = 'a long enough password';
    const created = await api('POST', '/api/users', { email, password, role });
    expect(created.status).toBe(201);
    return { id: created.body.id as string, token: await login(a.url, { email, password }) };
  }

  beforeAll(async () => {
    database = await createTestDatabase();
    const config = { adminEmail: TEST_ADMIN.email, adminPassword: TEST_ADMIN.password };
    a = await createTestApp(database.url, config, { clock });
    b = await createTestApp(database.url, config, { clock });
    admin = await login(a.url);
    const parsed = parseContestFile(file);
    if (!parsed.success) throw new Error('bad fixture');
    contestId = (await api('POST', '/api/contests', parsed.data)).body.id as string;
    expect((await api('POST', `/api/contests/${contestId}/launch`, LAUNCH_PAST_GATE)).status).toBe(
      200,
    );
    otherContestId = (await api('POST', '/api/contests', { ...parsed.data, name: 'Other' })).body
      .id as string;
    // Launched too: a display reads no draft, assigned or not.
    expect(
      (await api('POST', `/api/contests/${otherContestId}/launch`, LAUNCH_PAST_GATE)).status,
    ).toBe(200);
  }, 120_000);

  afterAll(async () => {
    for (const socket of clients) socket.disconnect();
    await b.close();
    await a.close();
    await database.drop();
  });

  it('a revoked display token: its socket gets the reason and is closed, cannot come back; others keep receiving', async () => {
    const display = await api('POST', '/api/displays', { name: 'Hall', contestIds: [contestId] });
    expect(display.status).toBe(201);
    const displayToken = display.body.token as string;
    const tv = await subscribed(displayToken);
    const staff = await subscribed(admin);
    const otherTv = await subscribed(
      (await api('POST', '/api/displays', { name: 'Lobby', contestIds: [contestId] })).body
        .token as string,
    );

    const closed = closing(tv);
    expect((await api('DELETE', `/api/displays/${display.body.id as string}`)).status).toBe(204);
    await expect(closed).resolves.toEqual({
      revoked: { reason: 'revoked: this display was revoked' },
      disconnect: 'io server disconnect',
    });
    await expect(connectLive(b.url, displayToken)).rejects.toThrow(/^unauthorized/);
    await expect(connectLive(a.url, displayToken)).rejects.toThrow(/^unauthorized/);

    // The admin and the other display, on the same process, still get every update.
    const [seen, seenByOther] = await Promise.all([
      nextStandings(staff),
      waitForEvent<LiveView>(otherTv, 'standings', (view) => view.contestId === contestId, WAIT_MS),
    ]);
    expect(seen.contestId).toBe(contestId);
    expect(seenByOther.contestId).toBe(contestId);
    expect(otherTv.connected).toBe(true);
  });

  it("the web app's client shows the reason once and does not knock again with a revoked token", async () => {
    const display = await api('POST', '/api/displays', { name: 'Web', contestIds: [contestId] });
    const errors: string[] = [];
    const views: number[] = [];
    let connects = 0;
    const live = subscribeLive({
      contestId,
      token: display.body.token as string,
      url: b.url,
      handlers: {
        view: (view) => views.push(view.seq),
        error: (message) => errors.push(message),
        connection: (connected) => {
          if (connected) connects += 1;
        },
      },
    });
    try {
      for (let polls = 0; views.length === 0; polls += 1) {
        if (polls > 1_500) throw new Error('the web client never got its snapshot');
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      const disconnected = waitForEvent(live.socket, 'disconnect', () => true, WAIT_MS);
      expect((await api('DELETE', `/api/displays/${display.body.id as string}`)).status).toBe(204);
      await disconnected;
      // Longer than its first reconnection delay (0.5 s ± 25 %): it would have tried by now.
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      expect(errors).toEqual(['revoked: this display was revoked']);
      expect(connects).toBe(1);
      expect(live.socket.connected).toBe(false);
      expect(live.socket.active).toBe(false);
    } finally {
      live.close();
    }
  });

  it('a display unassigned from a contest stops receiving it, keeps the others, and may not subscribe again', async () => {
    const display = await api('POST', '/api/displays', {
      name: 'Two screens',
      contestIds: [contestId, otherContestId],
    });
    const tv = await subscribed(display.body.token as string);
    const other = await tv.timeout(WAIT_MS).emitWithAck('subscribe', { contestId: otherContestId });
    expect(other.ok).toBe(true);
    const staff = await subscribed(admin);

    const narrowed = waitForEvent<Closed['revoked']>(tv, 'revoked', () => true, WAIT_MS);
    const put = await api('PUT', `/api/displays/${display.body.id as string}/contests`, {
      contestIds: [otherContestId],
    });
    expect(put.status).toBe(200);
    await expect(narrowed).resolves.toEqual({
      contestId,
      reason: 'revoked: this contest is no longer assigned to this display',
    });
    expect(tv.connected).toBe(true);

    const received: LiveView[] = [];
    tv.on('standings', (view) => received.push(view));
    const seen = await nextStandings(staff);
    // Emitted to the room at the same moment: give the display's copy time it would need.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(received.filter((view) => view.contestId === contestId && view.seq >= seen.seq)).toEqual(
      [],
    );
    const again = await tv.timeout(WAIT_MS).emitWithAck('subscribe', { contestId });
    expect(again).toEqual({
      ok: false,
      error: `not found: no contest ${contestId} for this viewer`,
    });
    // Still assigned: still allowed.
    const stillOther = await tv
      .timeout(WAIT_MS)
      .emitWithAck('subscribe', { contestId: otherContestId });
    expect(stillOther.ok).toBe(true);
  });

  it("a display's settings changed: its sockets on every process are told, and stay open", async () => {
    const display = await api('POST', '/api/displays', {
      name: 'Canteen',
      contestIds: [contestId],
    });
    const tv = await subscribed(display.body.token as string);
    const told = waitForEvent<{ displayId: string }>(tv, 'display', () => true, WAIT_MS);
    const patch = await api('PATCH', `/api/displays/${display.body.id as string}`, {
      language: 'en',
      slides: ['deals', 'leaderboard'],
    });
    expect(patch.status).toBe(200);
    await expect(told).resolves.toEqual({ displayId: display.body.id });
    expect(tv.connected).toBe(true);
    // The TV reads its new settings with its token.
    const me = await api('GET', '/api/auth/me', undefined, display.body.token as string);
    expect(me.body).toMatchObject({
      display: { language: 'en', slides: ['deals', 'leaderboard'] },
    });

    // Another display's change is not this one's: no notice reaches it.
    const others: unknown[] = [];
    tv.on('display', (payload) => others.push(payload));
    const other = await api('POST', '/api/displays', { name: 'Other', contestIds: [contestId] });
    expect(
      (await api('PATCH', `/api/displays/${other.body.id as string}`, { sound: true })).status,
    ).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(others).toEqual([]);
  });

  it('a personal link replaced, then revoked: each closes its sockets', async () => {
    const first = await api('POST', '/api/participants/r4/personal-link');
    expect(first.status).toBe(201);
    const phone = await subscribed(first.body.token as string);
    const closedByReplace = closing(phone);
    const second = await api('POST', '/api/participants/r4/personal-link');
    expect(second.status).toBe(201);
    await expect(closedByReplace).resolves.toEqual({
      revoked: { reason: 'revoked: this personal link was revoked or replaced' },
      disconnect: 'io server disconnect',
    });

    const newPhone = await subscribed(second.body.token as string);
    // Another participant's link is not touched.
    const neighbour = await subscribed(
      (await api('POST', '/api/participants/r5/personal-link')).body.token as string,
    );
    const closedByRevoke = closing(newPhone);
    expect((await api('DELETE', '/api/participants/r4/personal-link')).status).toBe(204);
    await expect(closedByRevoke).resolves.toMatchObject({
      revoked: { reason: 'revoked: this personal link was revoked or replaced' },
    });
    await expect(connectLive(b.url, second.body.token as string)).rejects.toThrow(/^unauthorized/);
    expect((await nextStandings(neighbour)).contestId).toBe(contestId);
  });

  it('signing out, deleting a user, or a session expiring closes its sockets; a role change narrows them', async () => {
    const manager = await newUser('manager', 'leaving@test.local');
    const other = await newUser('manager', 'staying@test.local');
    const signedOut = await subscribed(manager.token);
    const stays = await subscribed(other.token);
    const closed = closing(signedOut);
    expect((await api('POST', '/api/auth/logout', undefined, manager.token)).status).toBe(204);
    await expect(closed).resolves.toEqual({
      revoked: {
        reason:
          'revoked: the session ended (signed out, expired, or the account changed): sign in again',
      },
      disconnect: 'io server disconnect',
    });
    await expect(connectLive(b.url, manager.token)).rejects.toThrow(/^unauthorized/);

    const deleted = await newUser('director', 'deleted@test.local');
    const deletedSocket = await subscribed(deleted.token);
    const closedByDelete = closing(deletedSocket);
    expect((await api('DELETE', `/api/users/${deleted.id}`)).status).toBe(204);
    await expect(closedByDelete).resolves.toMatchObject({ disconnect: 'io server disconnect' });

    // A role change keeps the session but not the staff view: the socket leaves the staff room.
    const demoted = await newUser('manager', 'demoted@test.local');
    const demotedSocket = await subscribed(demoted.token);
    const narrowed = waitForEvent<Closed['revoked']>(demotedSocket, 'revoked', () => true, WAIT_MS);
    const patch = await api('PATCH', `/api/users/${demoted.id}`, {
      role: 'seller',
      participantId: 'r6',
    });
    expect(patch.status).toBe(200);
    await expect(narrowed).resolves.toEqual({
      contestId,
      reason: 'revoked: your access to this contest changed: subscribe again',
    });
    const resubscribed = await demotedSocket
      .timeout(WAIT_MS)
      .emitWithAck('subscribe', { contestId });
    expect(resubscribed.ok && resubscribed.snapshot.focus?.participantId).toBe('r6');

    // A session that ends while its socket is open is dropped at its end.
    const shortLived = await a.app.get(AuthService).createSession(other.id, 1_500);
    const expiring = await client(shortLived.token);
    const expired = closing(expiring);
    await expect(expired).resolves.toMatchObject({ disconnect: 'io server disconnect' });

    expect(stays.connected).toBe(true);
    expect((await nextStandings(stays)).contestId).toBe(contestId);
  });
});
