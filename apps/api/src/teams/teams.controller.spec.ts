import { describe, expect, it } from '@jest/globals';
import { useAdminApi } from '../../../../tests/support/admin-api.js';
import { TeamsController } from './teams.controller.js';

describe(TeamsController.name, () => {
  const api = useAdminApi();
  const { call } = api;

  async function createTeam(name: string): Promise<{ id: string; name: string }> {
    const answer = await call('POST', '/teams', { name });
    expect(answer.status).toBe(201);
    return answer.body as { id: string; name: string };
  }

  it('creates, reads, lists, renames and deletes a team', async () => {
    const created = await call('POST', '/teams', { name: '  North  ' });
    expect(created).toEqual({
      status: 201,
      body: {
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        name: 'North',
        participantCount: 0,
        createdAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
      },
    });
    const { id } = created.body as { id: string };
    await createTeam('Alpha');

    await expect(call('GET', `/teams/${id}`)).resolves.toEqual({ status: 200, body: created.body });
    const list = await call('GET', '/teams');
    expect(list.status).toBe(200);
    expect((list.body as { name: string }[]).map((team) => team.name)).toEqual(['Alpha', 'North']);

    const renamed = await call('PATCH', `/teams/${id}`, { name: 'South' });
    expect(renamed).toEqual({ status: 200, body: { ...(created.body as object), name: 'South' } });

    await expect(call('DELETE', `/teams/${id}`)).resolves.toEqual({ status: 204, body: null });
    await expect(call('GET', `/teams/${id}`)).resolves.toMatchObject({ status: 404 });
  });

  it('refuses a blank, missing or too long name and unknown fields, naming each', async () => {
    await expect(call('POST', '/teams', { name: '   ' })).resolves.toMatchObject({
      status: 400,
      body: { issues: [{ path: 'name', message: 'must not be blank' }] },
    });
    await expect(call('POST', '/teams', {})).resolves.toMatchObject({
      status: 400,
      body: { issues: [{ path: 'name' }] },
    });
    await expect(call('POST', '/teams', { name: 'x'.repeat(201) })).resolves.toMatchObject({
      status: 400,
      body: { issues: [{ path: 'name' }] },
    });
    const extra = await call('POST', '/teams', { name: 'Extra', color: 'red' });
    expect(extra.status).toBe(400);
    expect(JSON.stringify(extra.body)).toContain('color');
    const { rows } = await api.db.query("SELECT 1 FROM teams WHERE name = 'Extra'");
    expect(rows).toHaveLength(0);
  });

  it('answers 409 naming `name` when another team has the name, on create and on rename', async () => {
    const east = await createTeam('East');
    await expect(call('POST', '/teams', { name: 'East' })).resolves.toMatchObject({
      status: 409,
      body: {
        statusCode: 409,
        code: 'taken',
        issues: [{ path: 'name', message: expect.stringContaining('East') }],
      },
    });
    const west = await createTeam('West');
    await expect(call('PATCH', `/teams/${west.id}`, { name: 'East' })).resolves.toMatchObject({
      status: 409,
      body: { issues: [{ path: 'name' }] },
    });
    // Renaming a team to its own name is no conflict.
    await expect(call('PATCH', `/teams/${east.id}`, { name: 'East' })).resolves.toMatchObject({
      status: 200,
    });
  });

  it('answers 404 for an unknown or malformed team id', async () => {
    for (const id of ['00000000-0000-4000-8000-000000000000', 'not-a-uuid']) {
      await expect(call('GET', `/teams/${id}`)).resolves.toMatchObject({ status: 404 });
      await expect(call('PATCH', `/teams/${id}`, { name: 'Nobody' })).resolves.toMatchObject({
        status: 404,
      });
      await expect(call('DELETE', `/teams/${id}`)).resolves.toMatchObject({ status: 404 });
    }
  });

  it('refuses to delete a team that has participants, and deletes it once they moved', async () => {
    const team = await createTeam('Busy');
    await api.db.query("INSERT INTO participants (id, name, team_id) VALUES ('t-p1', 'Anna', $1)", [
      team.id,
    ]);
    await expect(call('GET', `/teams/${team.id}`)).resolves.toMatchObject({
      body: { participantCount: 1 },
    });
    await expect(call('DELETE', `/teams/${team.id}`)).resolves.toMatchObject({
      status: 409,
      body: {
        code: 'in_use',
        issues: [{ path: 'id', message: expect.stringContaining('1 participant') }],
      },
    });
    const kept = await api.db.query("SELECT team_id FROM participants WHERE id = 't-p1'");
    expect(kept.rows).toEqual([{ team_id: team.id }]);

    await api.db.query("UPDATE participants SET team_id = NULL WHERE id = 't-p1'");
    await expect(call('DELETE', `/teams/${team.id}`)).resolves.toMatchObject({ status: 204 });
  });

  it('documents every route, with its body, in the OpenAPI document', async () => {
    const { body } = await call('GET', '/openapi.json');
    const paths = (body as { paths: Record<string, Record<string, { requestBody?: unknown }>> })
      .paths;
    expect(Object.keys(paths['/api/teams'] ?? {}).sort()).toEqual(['get', 'post']);
    expect(Object.keys(paths['/api/teams/{id}'] ?? {}).sort()).toEqual(['delete', 'get', 'patch']);
    expect(paths['/api/teams']?.post?.requestBody).toMatchObject({
      content: { 'application/json': { schema: { properties: { name: { type: 'string' } } } } },
    });
    expect(paths['/api/teams/{id}']?.patch?.requestBody).toBeDefined();
  });
});
