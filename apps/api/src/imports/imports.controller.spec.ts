import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import ExcelJS from 'exceljs';
import pg from 'pg';
import { createTestApp, login, type TestApp } from '../../../../tests/support/app.js';
import { createTestDatabase, type TestDatabase } from '../../../../tests/support/database.js';
import { request } from '../../../../tests/support/http.js';
import { ImportsController } from './imports.controller.js';
import { importReportSchema } from './imports.dto.js';

const ADMIN = { email: 'admin@imports.test', password: 'imports-admin-password' };
const DIRECTOR = { email: 'director@imports.test', password: 'imports-director-password' };
const MANAGER = { email: 'manager@imports.test', password: 'imports-manager-password' };
const CSV = 'text/csv';
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

interface Issue {
  row: number;
  column: string;
  code: string;
  reason: string;
}

interface Report {
  kind: string;
  dryRun: boolean;
  rows: number;
  valid: number;
  issues: Issue[];
  created: number;
  updated: number;
}

async function xlsx(rows: (string | number | Date | null)[][]): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('data');
  for (const row of rows) sheet.addRow(row);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

describe(ImportsController.name, () => {
  let database: TestDatabase;
  let db: pg.Client;
  let sut: TestApp;
  const tokens: Record<string, string> = {};

  /** Posts a file body (CSV text or XLSX bytes) as `type`, with `token`. */
  function postFile(path: string, body: string | Buffer, type: string, token: string | undefined) {
    return request(sut.url, 'POST', path, {
      token,
      headers: { 'content-type': type },
      raw: typeof body === 'string' ? body : new Uint8Array(body),
    });
  }

  async function upload(
    kind: string,
    body: string | Buffer,
    {
      type = CSV,
      dryRun = false,
      as = 'admin',
    }: { type?: string; dryRun?: boolean; as?: string } = {},
  ): Promise<{ status: number; body: Report & { message?: string } }> {
    const path = `/api/imports/${kind}${dryRun ? '?dryRun=true' : ''}`;
    const response = await postFile(path, body, type, tokens[as]);
    return { status: response.status, body: (await response.json()) as Report };
  }

  async function count(table: string): Promise<number> {
    const { rows } = await db.query<{ n: string }>(`SELECT count(*) AS n FROM ${table}`);
    return Number(rows[0]?.n);
  }

  async function counts(): Promise<{
    participants: number;
    plans: number;
    history: number;
    events: number;
    teams: number;
  }> {
    return {
      participants: await count('participants'),
      plans: await count('participant_plans'),
      history: await count('participant_history'),
      events: await count('events'),
      teams: await count('teams'),
    };
  }

  const brief = (issues: readonly Issue[]) =>
    issues.map(({ row, column, code }) => ({ row, column, code }));

  beforeAll(async () => {
    database = await createTestDatabase();
    db = new pg.Client({ connectionString: database.url });
    await db.connect();
    sut = await createTestApp(database.url, {
      adminEmail: ADMIN.email,
      adminPassword: ADMIN.password,
    });
    tokens.admin = await login(sut.url, ADMIN);
    for (const [who, role] of [
      [DIRECTOR, 'director'],
      [MANAGER, 'manager'],
    ] as const) {
      const created = await request(sut.url, 'POST', '/api/users', {
        token: tokens.admin,
        body: { ...who, role },
      });
      expect(created.status).toBe(201);
      tokens[role] = await login(sut.url, who);
    }
  }, 60_000);

  afterAll(async () => {
    await sut.close();
    await db.end();
    await database.drop();
  });

  describe('templates', () => {
    it('downloads every template, and each imports as it is without an issue', async () => {
      for (const kind of ['participants', 'plans', 'history', 'deals']) {
        for (const format of ['csv', 'xlsx'] as const) {
          const response = await request(
            sut.url,
            'GET',
            `/api/imports/templates/${kind}.${format}`,
            { token: tokens.admin },
          );
          expect(response.status).toBe(200);
          expect(response.headers.get('content-disposition')).toContain(
            `attachment; filename="${kind}.${format}"`,
          );
          const bytes = Buffer.from(await response.arrayBuffer());
          if (format === 'csv')
            expect(bytes.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
          else {
            const workbook = new ExcelJS.Workbook();
            await workbook.xlsx.load(new Uint8Array(bytes).buffer);
            // The data sheet and the sheet that explains every column.
            expect(workbook.worksheets.map((sheet) => sheet.rowCount)).toEqual([
              2,
              1 + (workbook.worksheets[0]?.columnCount ?? 0),
            ]);
          }
          // The participants template first creates p1, whom the other templates refer to.
          const answer = await upload(kind, bytes, {
            type: format === 'csv' ? CSV : XLSX,
            dryRun: !(kind === 'participants' && format === 'csv'),
          });
          expect({ kind, format, status: answer.status, issues: answer.body.issues }).toEqual({
            kind,
            format,
            status: 200,
            issues: [],
          });
          expect(answer.body).toMatchObject({ rows: 1, valid: 1 });
        }
      }
    });

    it('serves the simulator’s participants template (plans for the whole contest)', async () => {
      const response = await request(
        sut.url,
        'GET',
        '/api/imports/templates/simulator-participants.xlsx',
        { token: tokens.manager },
      );
      expect(response.status).toBe(200);
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.load(new Uint8Array(await response.arrayBuffer()).buffer);
      expect((workbook.worksheets[0]?.getRow(1).values as unknown[]).slice(1)).toEqual([
        'id',
        'name',
        'team',
        'role',
        'hiredOn',
        'newcomer',
        'planTurnover',
        'planMargin',
        'planDeals',
        'planNewClients',
      ]);
    });

    it('refuses an unknown template name with a 400 naming the rule', async () => {
      const response = await request(sut.url, 'GET', '/api/imports/templates/bonuses.csv', {
        token: tokens.admin,
      });
      expect(response.status).toBe(400);
    });
  });

  describe('dry run', () => {
    it('lists exactly the 3 bad rows of a 1,000-row CSV and writes nothing', async () => {
      const lines = ['id;name;team;role;hiredOn;planMonth;planTurnover;planMargin'];
      for (let index = 1; index <= 1000; index += 1) {
        const id = `bulk-${index}`;
        let role = 'hunter';
        let turnover = '180 000,50';
        let name = `"Seller; number ${index}"`;
        if (index === 100) role = 'boss'; // row 101
        if (index === 500) turnover = '12abc'; // row 501
        if (index === 1000) name = ''; // row 1001
        lines.push(`${id};${name};Bulk;${role};2024-01-15;2026-03;${turnover};36000`);
      }
      const before = await counts();
      const answer = await upload('participants', `\uFEFF${lines.join('\r\n')}\r\n`, {
        dryRun: true,
      });
      expect(answer.status).toBe(200);
      expect(brief(answer.body.issues)).toEqual([
        { row: 101, column: 'role', code: 'role' },
        { row: 501, column: 'planTurnover', code: 'money' },
        { row: 1001, column: 'name', code: 'required' },
      ]);
      expect(answer.body).toMatchObject({ rows: 1000, valid: 997, dryRun: true });
      expect(await counts()).toEqual(before);

      // Confirmed: refused with the same issues, still nothing written.
      const confirmed = await upload('participants', lines.join('\n'));
      expect(confirmed.status).toBe(400);
      expect(brief(confirmed.body.issues)).toEqual(brief(answer.body.issues));
      expect(confirmed.body.message).toMatch(/^nothing was imported: row 101, role/);
      expect(await counts()).toEqual(before);

      // The same file fixed: every row written, in one go.
      lines[100] = (lines[100] ?? '').replace(';boss;', ';farmer;');
      lines[500] = (lines[500] ?? '').replace('12abc', '1');
      lines[1000] = (lines[1000] ?? '').replace('bulk-1000;;', 'bulk-1000;Last;');
      const clean = await upload('participants', lines.join('\n'));
      expect(clean.status).toBe(200);
      expect(clean.body).toMatchObject({ rows: 1000, valid: 1000, created: 1000, issues: [] });
      expect(await counts()).toEqual({
        ...before,
        participants: before.participants + 1000,
        plans: before.plans + 1000,
        teams: before.teams + 1,
      });
    });

    it('lists exactly the 3 bad rows of a 1,000-row XLSX and writes nothing', async () => {
      const people = ['x1', 'x2'].map((id) => ({ id, name: id.toUpperCase() }));
      const put = await request(sut.url, 'PUT', '/api/participants', {
        token: tokens.admin,
        body: people,
      });
      expect(put.status).toBe(200);
      const rows: (string | number | Date | null)[][] = [
        ['participantId', 'month', 'turnover', 'margin', 'deals'],
      ];
      for (let index = 0; index < 1000; index += 1) {
        const participant = index % 2 === 0 ? 'x1' : 'x2';
        // 500 distinct months per participant: Excel dates for some, text for others.
        const year = 1990 + Math.floor(index / 2 / 12);
        const month = ((index / 2) | 0) % 12;
        const cell =
          index % 4 === 0
            ? new Date(Date.UTC(year, month, 1))
            : `${year}-${String(month + 1).padStart(2, '0')}`;
        rows.push([participant, cell, 480000.5, 96000, 12]);
      }
      rows[10] = ['ghost', '2026-01', 1, 1, 1]; // row 11
      rows[400] = ['x1', '2026-13', 1, 1, 1]; // row 401
      rows[999] = ['x2', '2030-01', -5, 1, 1]; // row 1000
      const before = await counts();
      const answer = await upload('history', await xlsx(rows), { type: XLSX, dryRun: true });
      expect(answer.status).toBe(200);
      expect(brief(answer.body.issues)).toEqual([
        { row: 11, column: 'participantId', code: 'unknownParticipant' },
        { row: 401, column: 'month', code: 'month' },
        { row: 1000, column: 'turnover', code: 'negative' },
      ]);
      expect(answer.body).toMatchObject({ rows: 1000, valid: 997 });
      expect(await counts()).toEqual(before);
    });

    it('names a missing column, an unknown one and a repeated row', async () => {
      const answer = await upload(
        'plans',
        'participantId,month,turnover,bonus\np1,2026-03,1,2\np1,2026-03,1,2\n',
        { dryRun: true },
      );
      expect(brief(answer.body.issues)).toEqual([
        { row: 1, column: 'bonus', code: 'unknownColumn' },
        { row: 1, column: 'margin', code: 'missingColumn' },
      ]);
      expect(answer.body).toMatchObject({ rows: 2, valid: 0 });
      const repeated = await upload(
        'plans',
        'participantId,month,turnover,margin\np1,2026-03,1,2\np1,03.2026,1,2\n',
        { dryRun: true },
      );
      expect(brief(repeated.body.issues)).toEqual([{ row: 3, column: 'month', code: 'duplicate' }]);
      expect(repeated.body.issues[0]).toMatchObject({
        params: { row: 2 },
        reason: 'repeats row 2',
      });
    });
  });

  describe('confirmed import', () => {
    it('writes participants, teams and a month of plan in one go, money exact', async () => {
      const file = [
        'id;name;team;role;hiredOn;isNewcomer;planMonth;planTurnover;planMargin;planDeals',
        'c1;"Анна; Петрова";Север;farmer;01.02.2021;нет;03.2026;180 000,50;36 000,05;12',
        'c2;Boris;South;;;;;;;',
        '',
        'c3;Vera;South;hunter;2026-01-10;yes;2026-03;1,234.565;0.285;',
      ].join('\r\n');
      const answer = await upload('participants', `\uFEFF${file}`);
      expect(answer.status).toBe(200);
      expect(answer.body).toMatchObject({ rows: 3, valid: 3, created: 3, updated: 0, issues: [] });
      const { rows: people } = await db.query(
        `SELECT p.id, p.name, t.name AS team, p.role, to_char(p.hired_on, 'YYYY-MM-DD') AS hired_on,
                p.is_newcomer
           FROM participants p LEFT JOIN teams t ON t.id = p.team_id
          WHERE p.id LIKE 'c_' ORDER BY p.id`,
      );
      expect(people).toEqual([
        {
          id: 'c1',
          name: 'Анна; Петрова',
          team: 'Север',
          role: 'farmer',
          hired_on: '2021-02-01',
          is_newcomer: false,
        },
        {
          id: 'c2',
          name: 'Boris',
          team: 'South',
          role: 'hunter',
          hired_on: null,
          is_newcomer: null,
        },
        {
          id: 'c3',
          name: 'Vera',
          team: 'South',
          role: 'hunter',
          hired_on: '2026-01-10',
          is_newcomer: true,
        },
      ]);
      const plans = await request(sut.url, 'GET', '/api/participants/c3/plans', {
        token: tokens.admin,
      });
      // 1,234.565 → 123456.5 minor → 123457 (half away from zero); 0.285 → 28.5 → 29.
      expect(await plans.json()).toEqual([
        { month: '2026-03', turnoverMinor: 123457, marginMinor: 29 },
      ]);
      const c1 = await request(sut.url, 'GET', '/api/participants/c1/plans', {
        token: tokens.admin,
      });
      expect(await c1.json()).toEqual([
        { month: '2026-03', turnoverMinor: 18000050, marginMinor: 3600005, deals: 12 },
      ]);
    });

    it('imports deals as events, idempotently; a conflict found while writing rolls every row back', async () => {
      const header = 'externalId,source,participantId,occurredAt,amount,margin,isNewClient';
      const clean = [
        header,
        'd-1,crm,c1,2026-03-02T10:00:00+03:00,1000.00,200,yes',
        'd-2,crm,c2,2026-03-03 09:30,500,100,no',
      ].join('\n');
      const first = await upload('deals', clean);
      expect(first.status).toBe(200);
      expect(first.body).toMatchObject({ created: 2, issues: [] });
      const again = await upload('deals', clean);
      expect(again.body).toMatchObject({ created: 0, issues: [] });
      const { rows: stored } = await db.query(
        `SELECT external_id, payload->>'amountMinor' AS amount, occurred_at FROM events
          WHERE source = 'crm' ORDER BY external_id`,
      );
      expect(stored.map((row) => [row.external_id, row.amount])).toEqual([
        ['d-1', '100000'],
        ['d-2', '50000'],
      ]);
      expect((stored[1] as { occurred_at: Date }).occurred_at.toISOString()).toBe(
        '2026-03-03T09:30:00.000Z',
      );

      // d-3 and d-4 are fine; d-1 again with another amount conflicts with what is stored, which
      // only the write finds: nothing of the file stays.
      const mixed = [
        header,
        'd-3,crm,c1,2026-03-04T10:00:00Z,10,1,no',
        'd-4,crm,c2,2026-03-04T11:00:00Z,20,2,no',
        'd-1,crm,c1,2026-03-02T10:00:00+03:00,9999,200,yes',
      ].join('\n');
      const before = await counts();
      const dry = await upload('deals', mixed, { dryRun: true });
      expect(brief(dry.body.issues)).toEqual([{ row: 4, column: 'externalId', code: 'refused' }]);
      const refused = await upload('deals', mixed);
      expect(refused.status).toBe(400);
      expect(brief(refused.body.issues)).toEqual([
        { row: 4, column: 'externalId', code: 'refused' },
      ]);
      expect(await counts()).toEqual(before);
    });

    it("imports leads, a new client's deal and a deal's product rows in the connectors' shapes", async () => {
      const file = [
        'type,externalId,line,source,participantId,occurredAt,amount,margin,clientId,isNewClient,product,quantity',
        'лид,r-1,,rows,c1,2026-03-01T09:00:00Z,,,company-7,,,',
        'продажа,r-1,1,rows,c1,2026-03-06T10:00:00Z,600,120,company-7,да,X,3',
        'sale,r-1,2,rows,c1,2026-03-06T10:00:00Z,400,80,company-7,yes,Y,1.5',
        'lead,r-2,,rows,c2,2026-03-02T09:00:00Z,,,,,,',
      ].join('\n');
      const answer = await upload('deals', file);
      expect(answer.body).toMatchObject({ created: 4, issues: [] });
      const { rows } = await db.query(
        `SELECT type, external_id, participant_id, payload FROM events
          WHERE source = 'rows' ORDER BY external_id`,
      );
      expect(rows.map((row) => [row.type, row.external_id, row.participant_id])).toEqual([
        ['sale', 'r-1#1', 'c1'],
        ['sale', 'r-1#2', 'c1'],
        ['lead', 'r-1/lead', 'c1'],
        ['lead', 'r-2/lead', 'c2'],
      ]);
      expect(rows[0].payload).toMatchObject({
        clientId: 'company-7',
        isNewClient: true,
        product: 'X',
        quantity: 3,
        amountMinor: 60_000,
        marginMinor: 12_000,
      });
      expect(rows[2].payload).toMatchObject({ clientId: 'company-7' });
      expect((await upload('deals', file)).body).toMatchObject({ created: 0, issues: [] });

      // A lead carries no amount or product; a sale needs its amount and margin.
      const before = await counts();
      const bad = await upload(
        'deals',
        [
          'type,externalId,participantId,occurredAt,amount,margin,product',
          'lead,r-3,c1,2026-03-02T09:00:00Z,10,,X',
          'sale,r-4,c1,2026-03-02T09:00:00Z,,,',
          'won,r-5,c1,2026-03-02T09:00:00Z,10,1,',
        ].join('\n'),
      );
      expect(bad.status).toBe(400);
      expect(brief(bad.body.issues)).toEqual([
        { row: 2, column: 'amount', code: 'saleOnly' },
        { row: 2, column: 'product', code: 'saleOnly' },
        { row: 3, column: 'amount', code: 'required' },
        { row: 3, column: 'margin', code: 'required' },
        { row: 4, column: 'type', code: 'eventType' },
      ]);
      expect(await counts()).toEqual(before);
    });

    it('names the row and column of a deal whose margin is above its amount, writing nothing', async () => {
      const before = await counts();
      const answer = await upload(
        'deals',
        [
          'externalId,source,participantId,occurredAt,amount,margin',
          'm-1,crm,c1,2026-03-05T10:00:00Z,100,20',
          'm-2,crm,c1,2026-03-05T11:00:00Z,100,250',
          'm-3,crm,c1,2026-03-05T12:00:00Z,10000000000001,0',
        ].join('\n'),
      );
      expect(answer.status).toBe(400);
      expect(
        (answer.body.issues as (Issue & { message: string })[]).map(({ row, column, message }) => ({
          row,
          column,
          message,
        })),
      ).toEqual([
        { row: 3, column: 'margin', message: expect.stringContaining('must not be above') },
        { row: 4, column: 'amount', message: expect.stringContaining('1000000000000000') },
      ]);
      expect(await counts()).toEqual(before);
    });

    it('upserts plans and history from XLSX numbers and dates', async () => {
      const plans = await upload(
        'plans',
        await xlsx([
          ['participantId', 'month', 'turnover', 'margin', 'deals', 'newClients'],
          ['c2', new Date(Date.UTC(2026, 3, 1)), 250000.1, 50000, 5, 1],
          ['c2', '2026-05', '250000', '50000', null, null],
        ]),
        { type: XLSX },
      );
      expect(plans.body).toMatchObject({ created: 2, updated: 0, issues: [] });
      const replaced = await upload(
        'plans',
        'participantId,month,turnover,margin\nc2,2026-05,300000,60000\n',
      );
      expect(replaced.body).toMatchObject({ created: 0, updated: 1 });
      const stored = await request(sut.url, 'GET', '/api/participants/c2/plans', {
        token: tokens.admin,
      });
      expect(await stored.json()).toEqual([
        {
          month: '2026-04',
          turnoverMinor: 25000010,
          marginMinor: 5000000,
          deals: 5,
          newClients: 1,
        },
        { month: '2026-05', turnoverMinor: 30000000, marginMinor: 6000000 },
      ]);
    });
  });

  describe('cells as people type them', () => {
    it('reads Excel serial months and amounts with either decimal mark as the model does', async () => {
      const history = await upload(
        'history',
        await xlsx([
          ['participantId', 'month', 'turnover', 'margin', 'deals'],
          // 46054: 2026-02-01 as a General-format cell; 46023: 2026-01-01.
          ['c2', 46054, '1.234.567,89', '1,234.5', '3,0'],
          ['c2', 46023, '1 234,565', '-0,285', null],
        ]),
        { type: XLSX },
      );
      expect(history.body).toMatchObject({ created: 2, issues: [] });
      const stored = await request(sut.url, 'GET', '/api/participants/c2/history', {
        token: tokens.admin,
      });
      expect(await stored.json()).toMatchObject([
        { month: '2026-01', turnoverMinor: 123457, marginMinor: -29 },
        { month: '2026-02', turnoverMinor: 123456789, marginMinor: 123450, deals: 3 },
      ]);
    });

    it('names the bound a cell broke in the issue’s params', async () => {
      const answer = await upload('participants', `id,name\n${'x'.repeat(201)},Anna\n`, {
        dryRun: true,
      });
      expect(answer.body.issues).toEqual([
        expect.objectContaining({
          row: 2,
          column: 'id',
          code: 'tooLong',
          params: { max: 200 },
          reason: 'must be at most 200 characters',
        }),
      ]);
      // Exactly what the OpenAPI document describes: nothing more, nothing mistyped.
      expect(importReportSchema.parse(answer.body)).toEqual(answer.body);
    });
  });

  describe('plans API', () => {
    it('replaces a participant’s plans and names every bad month', async () => {
      const bad = await request(sut.url, 'PUT', '/api/participants/c1/plans', {
        token: tokens.admin,
        body: [
          { month: '2026-03', turnoverMinor: -1, marginMinor: 0 },
          { month: '2026-03', turnoverMinor: 1, marginMinor: 0 },
        ],
      });
      expect(bad.status).toBe(400);
      const body = (await bad.json()) as { issues: { path: string }[] };
      expect(body.issues.map((each) => each.path).sort()).toEqual([
        '[0].turnoverMinor',
        '[1].month',
      ]);
      const good = await request(sut.url, 'PUT', '/api/participants/c1/plans', {
        token: tokens.director,
        body: [{ month: '2026-06', turnoverMinor: 100, marginMinor: 20, newClients: 2 }],
      });
      expect(good.status).toBe(200);
      expect(await good.json()).toEqual([
        { month: '2026-06', turnoverMinor: 100, marginMinor: 20, newClients: 2 },
      ]);
      const missing = await request(sut.url, 'GET', '/api/participants/nobody/plans', {
        token: tokens.manager,
      });
      expect(missing.status).toBe(404);
    });
  });

  describe('POST /api/imports/sheet', () => {
    it('answers the cells of a CSV or an XLSX as text and writes nothing', async () => {
      const before = await counts();
      const read = async (body: string | Buffer, type: string) => {
        const response = await postFile('/api/imports/sheet', body, type, tokens.director);
        return { status: response.status, body: (await response.json()) as unknown };
      };
      await expect(read('\uFEFFid;name\r\n"a;1";Анна\r\n\r\nb;Boris\r\n', CSV)).resolves.toEqual({
        status: 200,
        body: {
          header: ['id', 'name'],
          rows: [
            { row: 2, cells: ['a;1', 'Анна'] },
            { row: 4, cells: ['b', 'Boris'] },
          ],
        },
      });
      const book = await xlsx([
        ['participantId', 'month', 'turnover'],
        ['p1', new Date(Date.UTC(2026, 1, 1)), 480000.5],
      ]);
      await expect(read(book, XLSX)).resolves.toEqual({
        status: 200,
        body: {
          header: ['participantId', 'month', 'turnover'],
          rows: [{ row: 2, cells: ['p1', '2026-02-01', '480000.5'] }],
        },
      });
      expect(await counts()).toEqual(before);
    });
  });

  describe('access and formats', () => {
    it('lets directors import plans but not deals, and managers neither', async () => {
      const plan = 'participantId,month,turnover,margin\nc1,2026-07,1,1\n';
      expect((await upload('plans', plan, { as: 'director', dryRun: true })).status).toBe(200);
      expect((await upload('plans', plan, { as: 'manager', dryRun: true })).status).toBe(403);
      const deal = 'externalId,participantId,occurredAt,amount,margin\nz,c1,2026-03-01,1,1\n';
      expect((await upload('deals', deal, { as: 'director', dryRun: true })).status).toBe(403);
    });

    it('answers 415 for a body that is not CSV or XLSX, 400 for a broken file', async () => {
      const json = await request(sut.url, 'POST', '/api/imports/plans', {
        token: tokens.admin,
        body: {},
      });
      expect(json.status).toBe(415);
      const broken = await upload('plans', Buffer.from('not a zip'), { type: XLSX });
      expect(broken.status).toBe(400);
      const quote = await upload('plans', 'participantId,month,turnover,margin\n"c1,2026-07,1,1\n');
      expect(quote.status).toBe(400);
      expect(brief(quote.body.issues)).toEqual([{ row: 2, column: '', code: 'file' }]);
    });
  });
});
