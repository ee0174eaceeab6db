import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { evaluate, parseContestEvent, parseContestFile } from '@podium/contest-model';
import { standings, whileStopped } from '../support/bitrix24-sync.js';
import { CrmWorld } from '../support/crm.js';
import { FakeAmocrm, LOST, WON, type FakeLead } from '../support/fake-amocrm.js';

/** amoCRM's clock: Unix seconds, `minutes` after 2026-03-02 06:00 UTC. */
const at = (minutes: number) =>
  Math.floor(Date.parse('2026-03-02T06:00:00Z') / 1000) + minutes * 60;
const iso = (seconds: number) => new Date(seconds * 1000).toISOString();
const USERS = { anna: 5501, boris: 5502 } as const;

/**
 * The pull sync of an amoCRM account (API v4 of a local account, tests/support/fake-amocrm.ts):
 * leads won while Podium was stopped, and no webhook ever sent, are counted by the first sync
 * after the restart, each once and dated at its status change into won — not at a later edit.
 */
describe('amoCRM pull sync', () => {
  const fake = new FakeAmocrm();
  const world = new CrmWorld({ allowPrivateCrm: true });
  let id: string;

  const sync = () => world.admin('POST', `/api/integrations/${id}/sync`);
  const sales = async () =>
    (
      await world.rows(
        `SELECT external_id, type, participant_id, occurred_at FROM events
          WHERE source = 'amocrm' ORDER BY external_id`,
      )
    ).map((row) => ({
      externalId: row.external_id as string,
      type: row.type as string,
      participantId: row.participant_id as string,
      occurredAt: (row.occurred_at as Date).toISOString(),
    }));

  /** The won moment of each won lead: its last status change into won. */
  const wonAt = new Map<number, number>();

  /** `evaluate` of the launched contest with exactly the won leads as sales, at 20 % margin. */
  const expectedPoints = async () => {
    const [row] = await world.rows('SELECT frozen_file FROM contests WHERE id = $1', [
      world.contestId,
    ]);
    const file = parseContestFile(row?.frozen_file);
    if (!file.success) throw new Error('the frozen contest file does not parse');
    const participant: Record<number, string> = { [USERS.anna]: 'anna', [USERS.boris]: 'boris' };
    const events = [...fake.leads.values()]
      .filter((lead) => lead.status_id === WON)
      .map((lead: FakeLead) => {
        const amountMinor = Math.round(lead.price * 100);
        const parsed = parseContestEvent({
          type: 'sale',
          source: 'amocrm',
          externalId: `lead-${lead.id}`,
          participantId: participant[lead.responsible_user_id],
          occurredAt: iso(wonAt.get(lead.id) as number),
          amountMinor,
          marginMinor: Math.round(amountMinor * 0.2),
        });
        if (!parsed.success) throw new Error(`lead ${lead.id}: ${JSON.stringify(parsed.issues)}`);
        return parsed.data;
      });
    return Object.fromEntries(
      evaluate({ ...file.data, events }).standings.map((one) => [
        one.participantId,
        { points: one.points, rank: one.rank },
      ]),
    );
  };

  beforeAll(async () => {
    await fake.start();
    await world.start();
    const created = await world.admin('POST', '/api/integrations', {
      kind: 'amocrm',
      name: 'amoCRM acme',
      settings: { marginRate: 0.2, baseUrl: fake.url, accessToken: fake.token },
    });
    expect(created.status).toBe(201);
    id = created.body.id as string;
    const mapped = await world.admin('PUT', `/api/integrations/${id}/mappings`, {
      [USERS.anna]: 'anna',
      [USERS.boris]: 'boris',
    });
    expect(mapped.status).toBe(200);
  });

  afterAll(async () => {
    await world.stop();
    await fake.stop();
  });

  it('counts the leads won while Podium was stopped once each, at the moment each was won', async () => {
    await whileStopped(world, () => {
      for (let n = 0; n < 20; n += 1) {
        const lead = 9001 + n;
        const seller = n % 3 === 0 ? USERS.boris : USERS.anna;
        fake.create({
          id: lead,
          at: at(n * 300),
          price: 150_000 + n * 12_345,
          responsible_user_id: seller,
        });
        fake.edit(lead, at(n * 300 + 60), { status_id: WON });
        wonAt.set(lead, at(n * 300 + 60));
        // Every third won lead is edited later (a note, a field): its sale keeps its won moment.
        if (n % 3 === 1) fake.edit(lead, at(n * 300 + 600), { name: `Deal #${lead} (paid)` });
      }
      // In progress and lost leads count nothing.
      for (let n = 0; n < 10; n += 1) {
        fake.create({
          id: 9101 + n,
          at: at(n * 500),
          price: 90_000,
          responsible_user_id: USERS.anna,
        });
      }
      fake.create({ id: 9201, at: at(100), price: 70_000, responsible_user_id: USERS.boris });
      fake.edit(9201, at(200), { status_id: LOST });
    });

    const first = await sync();
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ outcome: 'ok', read: 31, applied: 31, failures: [] });
    const counted = await sales();
    expect(counted).toHaveLength(20);
    for (const [lead, moment] of wonAt) {
      expect(counted).toContainEqual(
        expect.objectContaining({
          externalId: `lead-${lead}`,
          type: 'sale',
          occurredAt: iso(moment),
        }),
      );
    }
    expect(await standings(world)).toEqual(await expectedPoints());
    // Within amoCRM's limit of 7 requests a second, as the account counts them.
    expect(fake.overLimit).toBe(0);
  });

  it('changes nothing on a second sync', async () => {
    const before = await sales();
    const points = await standings(world);
    const again = await sync();
    expect(again.body).toMatchObject({ outcome: 'ok', failures: [] });
    expect(await sales()).toEqual(before);
    expect(await standings(world)).toEqual(points);
  });

  it('reverses the sale of a lead moved out of won, dated in the period', async () => {
    fake.edit(9002, at(20_000), { status_id: LOST });
    const answer = await sync();
    expect(answer.body).toMatchObject({ outcome: 'ok', failures: [] });
    expect((await sales()).filter((sale) => sale.externalId.startsWith('lead-9002'))).toEqual([
      expect.objectContaining({ externalId: 'lead-9002', type: 'sale' }),
      expect.objectContaining({ externalId: 'lead-9002/reversal', type: 'reversal' }),
    ]);
    wonAt.delete(9002);
    expect(await standings(world)).toEqual(await expectedPoints());
  });
});
