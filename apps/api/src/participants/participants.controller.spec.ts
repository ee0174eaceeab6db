import { beforeAll, describe, expect, it } from '@jest/globals';
import { useAdminApi } from '../../../../tests/support/admin-api.js';
import { issuePaths, type Issues } from '../../../../tests/support/http.js';
import { ParticipantsController } from './participants.controller.js';

describe(ParticipantsController.name, () => {
  const api = useAdminApi();
  const { call } = api;

  async function count(table: string, where = 'true', parameters: unknown[] = []): Promise<number> {
    const { rows } = await api.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM ${table} WHERE ${where}`,
      parameters,
    );
    return rows[0]?.n ?? 0;
  }

  describe('POST and GET /api/participants/:id', () => {
    it('creates a participant with the given id, its team and CRM identities', async () => {
      const created = await call('POST', '/participants', {
        id: 'p1',
        name: 'Anna',
        team: 'North',
        role: 'farmer',
        hiredOn: '2021-02-01',
        isNewcomer: false,
        league: 'gold',
        externalIds: [{ source: 'amocrm', externalId: '42' }],
      });
      expect(created).toEqual({
        status: 201,
        body: {
          id: 'p1',
          name: 'Anna',
          team: 'North',
          teamId: expect.stringMatching(/^[0-9a-f-]{36}$/),
          role: 'farmer',
          hiredOn: '2021-02-01',
          isNewcomer: false,
          league: 'gold',
          externalIds: [{ source: 'amocrm', externalId: '42' }],
          createdAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
          updatedAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
          historyMonths: [],
        },
      });
      await expect(call('GET', '/participants/p1')).resolves.toEqual({
        status: 200,
        body: created.body,
      });
      const teams = await call('GET', '/teams');
      expect(teams.body).toEqual([expect.objectContaining({ name: 'North', participantCount: 1 })]);
    });

    it('generates an id when none is given and defaults the role to hunter', async () => {
      const created = await call('POST', '/participants', { name: 'Boris' });
      expect(created).toMatchObject({
        status: 201,
        body: {
          id: expect.stringMatching(/^[0-9a-f-]{36}$/),
          name: 'Boris',
          team: null,
          teamId: null,
          role: 'hunter',
          hiredOn: null,
          isNewcomer: null,
          league: null,
          externalIds: [],
        },
      });
    });

    it('lists the months of history of a participant', async () => {
      await call('POST', '/participants', { id: 'p-hist', name: 'Hist' });
      await api.db.query(
        `INSERT INTO participant_history (participant_id, month, turnover_minor, margin_minor)
         VALUES ('p-hist', '2026-02-01', 1, 1), ('p-hist', '2025-12-01', 1, 1)`,
      );
      await expect(call('GET', '/participants/p-hist')).resolves.toMatchObject({
        body: { historyMonths: ['2025-12', '2026-02'] },
      });
    });

    it('reads an id with characters that need escaping in a URL', async () => {
      await call('POST', '/participants', { id: 'crm/42 x', name: 'Slash' });
      await expect(
        call('GET', `/participants/${encodeURIComponent('crm/42 x')}`),
      ).resolves.toMatchObject({ status: 200, body: { id: 'crm/42 x' } });
    });

    it('answers 404 for an unknown participant', async () => {
      await expect(call('GET', '/participants/nobody')).resolves.toMatchObject({ status: 404 });
    });

    it('answers 409 naming `id` when the id is taken', async () => {
      await call('POST', '/participants', { id: 'dup', name: 'First' });
      const again = await call('POST', '/participants', { id: 'dup', name: 'Second' });
      expect(again).toMatchObject({
        status: 409,
        body: { code: 'taken', issues: [{ path: 'id' }] },
      });
      await expect(call('GET', '/participants/dup')).resolves.toMatchObject({
        body: { name: 'First' },
      });
    });

    it('answers 409 naming `externalIds[j]` when a CRM user is mapped to someone else', async () => {
      await call('POST', '/participants', {
        id: 'crm-owner',
        name: 'Owner',
        externalIds: [{ source: 'bitrix24', externalId: '7' }],
      });
      const taken = await call('POST', '/participants', {
        id: 'crm-thief',
        name: 'Thief',
        externalIds: [
          { source: 'bitrix24', externalId: '8' },
          { source: 'bitrix24', externalId: '7' },
        ],
      });
      expect(taken).toMatchObject({
        status: 409,
        body: {
          issues: [{ path: 'externalIds[1]', message: expect.stringContaining('"crm-owner"') }],
        },
      });
      await expect(count('participants', "id = 'crm-thief'")).resolves.toBe(0);
      // The same external id from another source is another CRM user.
      await expect(
        call('POST', '/participants', {
          id: 'crm-other',
          name: 'Other',
          externalIds: [{ source: 'amocrm', externalId: '7' }],
        }),
      ).resolves.toMatchObject({ status: 201 });
    });

    it.each([
      ['a blank name', { name: '  ' }, ['name']],
      ['a missing name', {}, ['name']],
      ['an unknown role', { name: 'X', role: 'wizard' }, ['role']],
      ['an impossible hire date', { name: 'X', hiredOn: '2021-02-30' }, ['hiredOn']],
      ['a timestamp for a hire date', { name: 'X', hiredOn: '2021-02-01T00:00:00Z' }, ['hiredOn']],
      ['isNewcomer that is not a boolean', { name: 'X', isNewcomer: 'yes' }, ['isNewcomer']],
      ['a blank team', { name: 'X', team: ' ' }, ['team']],
      ['a blank league', { name: 'X', league: '' }, ['league']],
      ['an empty id', { id: '', name: 'X' }, ['id']],
      ['an id with surrounding spaces', { id: ' p9', name: 'X' }, ['id']],
      ['an id that is a number', { id: 9, name: 'X' }, ['id']],
      [
        'a repeated CRM identity',
        {
          name: 'X',
          externalIds: [
            { source: 'a', externalId: '1' },
            { source: 'a', externalId: '1' },
          ],
        },
        ['externalIds[1]'],
      ],
      [
        'a CRM identity without externalId',
        { name: 'X', externalIds: [{ source: 'a' }] },
        ['externalIds[0].externalId'],
      ],
      ['two bad fields', { name: '', role: 'boss' }, ['name', 'role']],
    ])('answers 400 naming the field for %s, writing nothing', async (_, body, expected) => {
      const before = await count('participants');
      const answer = await call('POST', '/participants', body);
      expect(answer.status).toBe(400);
      expect(issuePaths(answer)).toEqual(expected);
      await expect(count('participants')).resolves.toBe(before);
    });

    it('answers 400 for a field it does not know', async () => {
      const answer = await call('POST', '/participants', { name: 'X', plan: {} });
      expect(answer.status).toBe(400);
      expect((answer.body as Issues).issues[0]?.message).toContain('plan');
    });
  });

  describe('PATCH /api/participants/:id', () => {
    it('changes the given fields, clears with null and replaces CRM identities', async () => {
      await call('POST', '/participants', {
        id: 'pat',
        name: 'Pat',
        team: 'East',
        hiredOn: '2020-01-01',
        league: 'x',
        externalIds: [{ source: 'amocrm', externalId: 'pat-1' }],
      });
      const patched = await call('PATCH', '/participants/pat', {
        name: 'Patricia',
        team: 'West',
        league: null,
        isNewcomer: true,
        externalIds: [{ source: 'amocrm', externalId: 'pat-2' }],
      });
      expect(patched).toMatchObject({
        status: 200,
        body: {
          id: 'pat',
          name: 'Patricia',
          team: 'West',
          role: 'hunter',
          hiredOn: '2020-01-01',
          isNewcomer: true,
          league: null,
          externalIds: [{ source: 'amocrm', externalId: 'pat-2' }],
        },
      });
      const cleared = await call('PATCH', '/participants/pat', { team: null, hiredOn: null });
      expect(cleared).toMatchObject({
        status: 200,
        body: { name: 'Patricia', team: null, teamId: null, hiredOn: null },
      });
      // The old identity is free again.
      await expect(
        call('POST', '/participants', {
          name: 'Next',
          externalIds: [{ source: 'amocrm', externalId: 'pat-1' }],
        }),
      ).resolves.toMatchObject({ status: 201 });
    });

    it('keeps every field when the body is empty', async () => {
      await call('POST', '/participants', { id: 'same', name: 'Same', role: 'farmer' });
      const before = await call('GET', '/participants/same');
      const patched = await call('PATCH', '/participants/same', {});
      expect(patched.status).toBe(200);
      const { updatedAt: _after, ...after } = patched.body as Record<string, unknown>;
      const { updatedAt: _before, ...expected } = before.body as Record<string, unknown>;
      expect(after).toEqual(expected);
    });

    it('answers 400 naming the field, 404 for an unknown id, 409 for a taken identity', async () => {
      await call('POST', '/participants', { id: 'pp', name: 'PP' });
      const bad = await call('PATCH', '/participants/pp', { role: 'boss', name: null });
      expect(bad.status).toBe(400);
      expect(issuePaths(bad)).toEqual(['name', 'role']);
      const id = await call('PATCH', '/participants/pp', { id: 'other' });
      expect(id.status).toBe(400);
      await expect(call('PATCH', '/participants/nobody', { name: 'N' })).resolves.toMatchObject({
        status: 404,
      });
      await call('POST', '/participants', {
        id: 'holder',
        name: 'Holder',
        externalIds: [{ source: 's', externalId: 'held' }],
      });
      const taken = await call('PATCH', '/participants/pp', {
        name: 'Changed',
        externalIds: [{ source: 's', externalId: 'held' }],
      });
      expect(taken).toMatchObject({ status: 409, body: { issues: [{ path: 'externalIds[0]' }] } });
      await expect(call('GET', '/participants/pp')).resolves.toMatchObject({
        body: { name: 'PP' },
      });
    });
  });

  describe('DELETE /api/participants/:id', () => {
    it('deletes a participant with its identities and history', async () => {
      await call('POST', '/participants', {
        id: 'gone',
        name: 'Gone',
        externalIds: [{ source: 'amocrm', externalId: 'gone' }],
      });
      await api.db.query(
        `INSERT INTO participant_history (participant_id, month, turnover_minor, margin_minor)
         VALUES ('gone', '2026-01-01', 5, 1)`,
      );
      await expect(call('DELETE', '/participants/gone')).resolves.toEqual({
        status: 204,
        body: null,
      });
      await expect(call('GET', '/participants/gone')).resolves.toMatchObject({ status: 404 });
      await expect(count('participant_external_ids', "participant_id = 'gone'")).resolves.toBe(0);
      await expect(count('participant_history', "participant_id = 'gone'")).resolves.toBe(0);
      await expect(call('DELETE', '/participants/gone')).resolves.toMatchObject({ status: 404 });
    });

    it('answers 409 while the participant has events', async () => {
      await call('POST', '/participants', { id: 'seller', name: 'Seller' });
      await api.db.query(
        `INSERT INTO events (source, external_id, type, participant_id, occurred_at, payload,
                             payload_hash)
         VALUES ('crm', 'e1', 'sale', 'seller', now(), '{}', 'h')`,
      );
      await expect(call('DELETE', '/participants/seller')).resolves.toMatchObject({
        status: 409,
        body: {
          code: 'in_use',
          issues: [{ path: 'id', message: expect.stringContaining('1 event') }],
        },
      });
      await expect(count('participants', "id = 'seller'")).resolves.toBe(1);
    });

    it('answers 409 while the participant is in a contest', async () => {
      await call('POST', '/participants', { id: 'entrant', name: 'Entrant' });
      const { rows } = await api.db.query<{ id: string }>(
        `INSERT INTO contests (name, currency, period_start, period_end, rules, created_by)
         VALUES ('Sprint', 'RUB', '2026-03-01', '2026-04-01', '{}', 'test') RETURNING id`,
      );
      await api.db.query(
        "INSERT INTO contest_participants (contest_id, participant_id) VALUES ($1, 'entrant')",
        [rows[0]?.id],
      );
      await expect(call('DELETE', '/participants/entrant')).resolves.toMatchObject({
        status: 409,
        body: {
          code: 'in_use',
          issues: [{ path: 'id', message: expect.stringContaining('1 contest') }],
        },
      });
      await expect(count('participants', "id = 'entrant'")).resolves.toBe(1);
    });
  });

  describe('GET /api/participants', () => {
    beforeAll(async () => {
      const answer = await call(
        'PUT',
        '/participants',
        Array.from({ length: 25 }, (_, index) => ({
          id: `list-${String(index).padStart(2, '0')}`,
          name: `Lister ${String(index).padStart(2, '0')}`,
          team: index % 2 === 0 ? 'Evens' : 'Odds',
          role: index % 5 === 0 ? 'farmer' : 'hunter',
        })),
      );
      expect(answer.status).toBe(200);
    });

    it('pages by name with a total', async () => {
      const first = await call('GET', '/participants?q=lister&limit=10');
      expect(first.status).toBe(200);
      const page = first.body as { items: { id: string }[]; total: number };
      expect(page).toMatchObject({ total: 25, limit: 10, offset: 0 });
      expect(page.items.map((item) => item.id)).toEqual(
        Array.from({ length: 10 }, (_, index) => `list-${String(index).padStart(2, '0')}`),
      );
      const last = await call('GET', '/participants?q=lister&limit=10&offset=20');
      expect((last.body as { items: unknown[] }).items).toHaveLength(5);
      const beyond = await call('GET', '/participants?q=lister&limit=10&offset=40');
      expect(beyond.body).toMatchObject({ items: [], total: 25 });
    });

    it('filters by team, role and text in the name or id', async () => {
      const evens = await call('GET', '/participants?team=Evens&q=list');
      expect(evens.body).toMatchObject({ total: 13 });
      expect(
        (evens.body as { items: { team: string }[] }).items.every((item) => item.team === 'Evens'),
      ).toBe(true);
      const farmers = await call('GET', '/participants?team=Odds&role=farmer');
      expect((farmers.body as { items: { id: string }[] }).items.map((item) => item.id)).toEqual([
        'list-05',
        'list-15',
      ]);
      const byId = await call('GET', '/participants?q=LIST-2');
      expect(byId.body).toMatchObject({ total: 5 });
      // % and _ are searched for, not wildcards.
      await expect(call('GET', '/participants?q=%25')).resolves.toMatchObject({
        body: { total: 0 },
      });
      const item = (byId.body as { items: Record<string, unknown>[] }).items[0];
      expect(item).toMatchObject({ id: 'list-20', externalIds: [] });
      expect(item).not.toHaveProperty('historyMonths');
    });

    it.each([
      ['limit=0', 'limit'],
      ['limit=1001', 'limit'],
      ['limit=ten', 'limit'],
      ['offset=-1', 'offset'],
      ['role=wizard', 'role'],
    ])('answers 400 for %s naming `%s`', async (query, path) => {
      const answer = await call('GET', `/participants?${query}`);
      expect(answer.status).toBe(400);
      expect(issuePaths(answer)).toEqual([path]);
    });
  });

  describe('PUT /api/participants (bulk)', () => {
    it('creates and updates by id, leaving absent fields and creating named teams', async () => {
      await call('POST', '/participants', {
        id: 'b1',
        name: 'B One',
        team: 'Old',
        role: 'farmer',
        hiredOn: '2019-05-01',
        externalIds: [{ source: 'amocrm', externalId: 'b1' }],
      });
      const answer = await call('PUT', '/participants', [
        { id: 'b1', name: 'B One Renamed', team: 'Bulk New' },
        { id: 'b2', name: 'B Two', team: 'Bulk New', hiredOn: '2026-01-15', isNewcomer: true },
        { id: 'b3', name: 'B Three', externalIds: [{ source: 'amocrm', externalId: 'b3' }] },
      ]);
      expect(answer).toEqual({
        status: 200,
        body: { created: 2, updated: 1, teamsCreated: ['Bulk New'] },
      });
      await expect(call('GET', '/participants/b1')).resolves.toMatchObject({
        body: {
          name: 'B One Renamed',
          team: 'Bulk New',
          role: 'farmer',
          hiredOn: '2019-05-01',
          externalIds: [{ source: 'amocrm', externalId: 'b1' }],
        },
      });
      await expect(call('GET', '/participants/b2')).resolves.toMatchObject({
        body: { team: 'Bulk New', role: 'hunter', hiredOn: '2026-01-15', isNewcomer: true },
      });
      await expect(call('GET', '/participants/b3')).resolves.toMatchObject({
        body: { team: null, externalIds: [{ source: 'amocrm', externalId: 'b3' }] },
      });
    });

    it('moves CRM identities between participants of the same batch', async () => {
      await call('PUT', '/participants', [
        { id: 'swap-a', name: 'A', externalIds: [{ source: 'x', externalId: 'one' }] },
        { id: 'swap-b', name: 'B', externalIds: [{ source: 'x', externalId: 'two' }] },
      ]);
      const swapped = await call('PUT', '/participants', [
        { id: 'swap-a', name: 'A', externalIds: [{ source: 'x', externalId: 'two' }] },
        { id: 'swap-b', name: 'B', externalIds: [{ source: 'x', externalId: 'one' }] },
      ]);
      expect(swapped.status).toBe(200);
      await expect(call('GET', '/participants/swap-a')).resolves.toMatchObject({
        body: { externalIds: [{ source: 'x', externalId: 'two' }] },
      });
    });

    it('writes nothing and names every bad item by index and field', async () => {
      const before = await call('GET', '/participants?limit=1000');
      const teamsBefore = await count('teams');
      const answer = await call('PUT', '/participants', [
        { id: 'ok-1', name: 'Fine', team: 'Never Created' },
        { id: 'bad-1', name: 'Bad', role: 'boss' },
        { id: 'ok-2', name: 'Fine too' },
        { id: 'bad-2', name: 'Bad', hiredOn: 'yesterday' },
        { name: 'No id' },
        { id: 'ok-1', name: 'Repeated' },
        {
          id: 'bad-3',
          name: 'Bad',
          externalIds: [
            { source: 's', externalId: 'z' },
            { source: 's', externalId: 'z' },
          ],
        },
        { id: 'bad-4', name: 'Steals', externalIds: [{ source: 's', externalId: 'z' }] },
      ]);
      expect(answer.status).toBe(400);
      expect(issuePaths(answer)).toEqual([
        '[1].role',
        '[3].hiredOn',
        '[4].id',
        '[5].id',
        '[6].externalIds[1]',
        '[7].externalIds[0]',
      ]);
      await expect(call('GET', '/participants?limit=1000')).resolves.toEqual(before);
      await expect(count('teams')).resolves.toBe(teamsBefore);
    });

    it('answers 409 naming the item when a CRM user belongs to a participant outside the batch', async () => {
      await call('POST', '/participants', {
        id: 'keeper',
        name: 'Keeper',
        externalIds: [{ source: 'amocrm', externalId: 'kept' }],
      });
      const teamsBefore = await count('teams');
      const answer = await call('PUT', '/participants', [
        { id: 'new-1', name: 'New One', team: 'Conflict Team' },
        { id: 'new-2', name: 'New Two', externalIds: [{ source: 'amocrm', externalId: 'kept' }] },
      ]);
      expect(answer).toMatchObject({
        status: 409,
        body: {
          issues: [{ path: '[1].externalIds[0]', message: expect.stringContaining('"keeper"') }],
        },
      });
      await expect(count('participants', "id IN ('new-1', 'new-2')")).resolves.toBe(0);
      await expect(count('teams')).resolves.toBe(teamsBefore);
    });

    it('takes 1,000 participants at once and refuses 1,001', async () => {
      const items = Array.from({ length: 1_000 }, (_, index) => ({
        id: `many-${index}`,
        name: `Many ${index}`,
        team: `Many team ${index % 7}`,
        externalIds: [{ source: 'load', externalId: String(index) }],
      }));
      const answer = await call('PUT', '/participants', items);
      expect(answer).toMatchObject({ status: 200, body: { created: 1_000, updated: 0 } });
      await expect(count('participants', "id LIKE 'many-%'")).resolves.toBe(1_000);
      const again = await call('PUT', '/participants', items);
      expect(again).toMatchObject({ status: 200, body: { created: 0, updated: 1_000 } });

      const tooMany = await call('PUT', '/participants', [...items, { id: 'x', name: 'x' }]);
      expect(tooMany.status).toBe(400);
      expect(issuePaths(tooMany)).toEqual(['(root)']);
    });

    it('answers every concurrent batch over the same new participants and CRM identities', async () => {
      const items = Array.from({ length: 200 }, (_, index) => ({
        id: `race-${index}`,
        name: `Race ${index}`,
        externalIds: [{ source: 'race', externalId: String(index) }],
      }));
      // Each client sends them in another order.
      const orders = [0, 1, 2, 3].map((shift) =>
        items.map((_, index) => items[(index * 7 + shift * 53) % items.length]),
      );
      const answers = await Promise.all(orders.map((order) => call('PUT', '/participants', order)));
      expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200, 200]);
      const created = answers.reduce(
        (sum, answer) => sum + (answer.body as { created: number }).created,
        0,
      );
      expect(created).toBe(200);
      await expect(count('participant_external_ids', "source = 'race'")).resolves.toBe(200);
    });

    it('answers 400 for a body that is not an array', async () => {
      const answer = await call('PUT', '/participants', { id: 'x', name: 'x' });
      expect(answer.status).toBe(400);
    });
  });

  it('documents every route, with its body, in the OpenAPI document', async () => {
    const { body } = await call('GET', '/openapi.json');
    const documented = (
      body as { paths: Record<string, Record<string, { requestBody?: unknown }>> }
    ).paths;
    expect(Object.keys(documented['/api/participants'] ?? {}).sort()).toEqual([
      'get',
      'post',
      'put',
    ]);
    expect(Object.keys(documented['/api/participants/{id}'] ?? {}).sort()).toEqual([
      'delete',
      'get',
      'patch',
    ]);
    expect(Object.keys(documented['/api/participants/{id}/history'] ?? {}).sort()).toEqual([
      'get',
      'put',
    ]);
    expect(Object.keys(documented['/api/history'] ?? {})).toEqual(['put']);
    for (const [path, method] of [
      ['/api/participants', 'post'],
      ['/api/participants', 'put'],
      ['/api/participants/{id}', 'patch'],
      ['/api/participants/{id}/history', 'put'],
      ['/api/history', 'put'],
    ] as const) {
      expect(documented[path]?.[method]?.requestBody).toMatchObject({
        content: { 'application/json': { schema: expect.any(Object) } },
      });
    }
    const bulk = documented['/api/participants']?.put?.requestBody as {
      content: { 'application/json': { schema: { type: string; maxItems: number } } };
    };
    expect(bulk.content['application/json'].schema).toMatchObject({
      type: 'array',
      maxItems: 1000,
    });
  });
});
