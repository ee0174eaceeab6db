import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { parseContestFile, type ContestFile, type StandingRow } from '@podium/contest-model';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { createTestApp, login, TEST_ADMIN, type TestApp } from '../../../../tests/support/app.js';
import { ManualClock } from '../../../../tests/support/clock.js';
import { createTestDatabase, type TestDatabase } from '../../../../tests/support/database.js';
import { repoRoot } from '../../../../tests/support/process.js';
import { ExportsController } from './exports.controller.js';
import { LAUNCH_PAST_GATE } from '../../../../tests/support/launch-gate.js';

const SELLER = { email: 'seller@exports.test', password: 'exports-seller-password' };
const MANAGER = { email: 'manager@exports.test', password: 'exports-manager-password' };

type Row = Record<string, string>;

/** A CSV download: UTF-8 with a BOM, a header row, CRLF. */
function csvRows(bytes: Buffer): Row[] {
  expect(bytes.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
  return parse(bytes.toString('utf8'), { bom: true, columns: true }) as Row[];
}

/** The first sheet of an XLSX download, as strings keyed by the header. */
async function xlsxRows(bytes: Buffer, sheetName?: string): Promise<Row[]> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(new Uint8Array(bytes).buffer);
  const sheet = sheetName ? workbook.getWorksheet(sheetName) : workbook.worksheets[0];
  if (!sheet) throw new Error(`no sheet ${sheetName}`);
  const header = (sheet.getRow(1).values as unknown[]).slice(1).map(String);
  const rows: Row[] = [];
  sheet.eachRow((row, number) => {
    if (number === 1) return;
    const values = row.values as unknown[];
    rows.push(
      Object.fromEntries(
        header.map((name, index) => {
          const value = values[index + 1];
          return [name, value === null || value === undefined ? '' : String(value)];
        }),
      ),
    );
  });
  return rows;
}

/**
 * Names a spreadsheet would run as formulas (OWASP CSV injection): participants p1–p4 and the two
 * teams carry them, so every table with a name or a team shows how it is written.
 */
const FORMULAS = {
  p1: '=HYPERLINK("http://x","y")',
  p2: '+1',
  p3: '-2',
  p4: '@SUM(A1)',
  North: '\tx',
  South: '\rx',
} as const;

/** What a CSV cell holds for a JSON number of minor units. */
const major = (minor: number) => (minor / 100).toFixed(2);

describe(ExportsController.name, () => {
  let database: TestDatabase;
  let sut: TestApp;
  const tokens: Record<string, string> = {};
  const clock = new ManualClock(new Date('2026-03-10T12:00:00Z'));
  let file: ContestFile;
  let contestId: string;
  /** The simulation run by the simulation test, and its result. */
  let simulation: { id: string; result: unknown } | undefined;

  async function call(method: string, url: string, body?: unknown, as = 'admin') {
    const response = await fetch(`${sut.url}${url}`, {
      method,
      headers: {
        authorization: `Bearer ${tokens[as]}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return {
      status: response.status,
      body: text ? (JSON.parse(text) as Record<string, unknown>) : {},
    };
  }

  async function download(url: string, as = 'admin') {
    const response = await fetch(`${sut.url}${url}`, {
      headers: { authorization: `Bearer ${tokens[as]}` },
    });
    return {
      status: response.status,
      type: response.headers.get('content-type'),
      disposition: response.headers.get('content-disposition'),
      bytes: Buffer.from(await response.arrayBuffer()),
    };
  }

  /** The standings a CSV or XLSX holds equal the JSON route's: rank, points, every value. */
  function expectSameStandings(rows: readonly Row[], json: readonly StandingRow[]): void {
    expect(rows.map((row) => row.participant_id)).toEqual(json.map((row) => row.participantId));
    rows.forEach((row, index) => {
      const expected = json[index] as StandingRow;
      expect(Number(row.rank)).toBe(expected.rank);
      expect(Number(row.points)).toBe(expected.points);
      const turnover = expected.criteria[0]?.value ?? null;
      expect(row.turnover_rub === '' ? null : Number(row.turnover_rub)).toBe(
        turnover === null ? null : Number(major(turnover)),
      );
      expect(Number(row.turnover_points)).toBe(expected.criteria[0]?.points);
      const clients = expected.criteria[1]?.value ?? null;
      expect(row.newClients_value === '' ? null : Number(row.newClients_value)).toBe(clients);
    });
  }

  beforeAll(async () => {
    database = await createTestDatabase();
    sut = await createTestApp(
      database.url,
      { adminEmail: TEST_ADMIN.email, adminPassword: TEST_ADMIN.password },
      { clock },
    );
    tokens.admin = await login(sut.url);
    const parsed = parseContestFile(
      JSON.parse(
        await fs.readFile(
          path.join(repoRoot, 'libs/contest-model/examples/spring-sprint.json'),
          'utf8',
        ),
      ),
    );
    if (!parsed.success) throw new Error('the example no longer validates');
    file = {
      ...parsed.data,
      participants: parsed.data.participants.map((participant) => ({
        ...participant,
        name: FORMULAS[participant.id as 'p1'],
        team: FORMULAS[participant.team as 'North'],
      })),
    };
    const created = await call('POST', '/api/contests', file);
    contestId = created.body.id as string;
    expect((await call('POST', '/api/events', file.events)).status).toBe(201);
    expect((await call('POST', `/api/contests/${contestId}/launch`, LAUNCH_PAST_GATE)).status).toBe(
      200,
    );
    for (const [who, role] of [
      [SELLER, 'seller'],
      [MANAGER, 'manager'],
    ] as const) {
      const user = await call('POST', '/api/users', {
        ...who,
        role,
        ...(role === 'seller' ? { participantId: 'p1' } : {}),
      });
      expect(user.status).toBe(201);
      tokens[role] = await login(sut.url, who);
    }
  }, 60_000);

  afterAll(async () => {
    await sut.close();
    await database.drop();
  });

  it('exports the live standings as CSV and XLSX with the JSON route’s numbers', async () => {
    const json = await call('GET', `/api/contests/${contestId}/standings`);
    const standings = json.body.standings as StandingRow[];
    expect(standings.length).toBe(file.participants.length);

    const csv = await download(`/api/contests/${contestId}/standings.csv`);
    expect(csv.status).toBe(200);
    expect(csv.type).toBe('text/csv; charset=utf-8');
    expect(csv.disposition).toBe(
      `attachment; filename="standings-${contestId}.csv"; filename*=UTF-8''standings-${contestId}.csv`,
    );
    const rows = csvRows(csv.bytes);
    expectSameStandings(rows, standings);
    // Money as major units with two decimals, exactly.
    expect(rows[0]?.turnover_rub).toBe(major(standings[0]?.criteria[0]?.value as number));

    const xlsx = await download(`/api/contests/${contestId}/standings.xlsx`);
    expect(xlsx.status).toBe(200);
    expect(xlsx.type).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expectSameStandings(await xlsxRows(xlsx.bytes), standings);
    const summary = await xlsxRows(xlsx.bytes, 'Summary');
    expect(summary.find((row) => row.field === 'fund_rub')?.value).toBe(
      String((json.body.fundMinor as number) / 100),
    );
  });

  it('applies the JSON route’s redaction: a seller sees only their own amounts', async () => {
    const rows = csvRows(
      (await download(`/api/contests/${contestId}/standings.csv`, 'seller')).bytes,
    );
    const own = rows.find((row) => row.participant_id === 'p1');
    const others = rows.filter((row) => row.participant_id !== 'p1');
    expect(own?.turnover_rub).not.toBe('');
    expect(others.map((row) => row.turnover_rub)).toEqual(others.map(() => ''));
    expect(others.every((row) => row.points !== '')).toBe(true);
  });

  it('exports a checkpoint (unpublished: staff only) and, once closed, the report', async () => {
    expect((await download(`/api/contests/${contestId}/report.csv`)).status).toBe(409);
    clock.set('2026-04-01T00:00:01Z');
    await sut.app.get(LifecycleServiceToken).tick();

    const checkpoints = await call('GET', `/api/contests/${contestId}/checkpoints`);
    const [first] = checkpoints.body as unknown as { standings: { standings: StandingRow[] } }[];
    const csv = await download(`/api/contests/${contestId}/checkpoints/1.csv`);
    expect(csv.status).toBe(200);
    expectSameStandings(csvRows(csv.bytes), first?.standings.standings ?? []);
    const xlsx = await download(`/api/contests/${contestId}/checkpoints/1.xlsx`, 'manager');
    expectSameStandings(await xlsxRows(xlsx.bytes), first?.standings.standings ?? []);
    expect((await download(`/api/contests/${contestId}/checkpoints/1.csv`, 'seller')).status).toBe(
      404,
    );
    expect((await download(`/api/contests/${contestId}/checkpoints/2.csv`)).status).toBe(404);
    expect((await download(`/api/contests/${contestId}/checkpoints/1.pdf`)).status).toBe(400);
    await call('POST', `/api/contests/${contestId}/checkpoints/1/publish`);
    expect((await download(`/api/contests/${contestId}/checkpoints/1.csv`, 'seller')).status).toBe(
      200,
    );

    clock.set('2026-04-04T00:00:01Z');
    await sut.app.get(LifecycleServiceToken).tick();
    const report = (await call('GET', `/api/contests/${contestId}/report`)).body;
    const fields = Object.fromEntries(
      csvRows((await download(`/api/contests/${contestId}/report.csv`)).bytes).map((row) => [
        row.field,
        row.value,
      ]),
    );
    expect(fields).toMatchObject({
      fund_rub: major(report.fundMinor as number),
      plan_margin_rub: major(report.planMarginMinor as number),
      actual_margin_rub: major(report.actualMarginMinor as number),
      aboveplan_margin_rub: major(report.aboveplanMarginMinor as number),
      prizes_paid_rub: major(report.prizesPaidMinor as number),
      roi: report.roi === null ? '' : String(report.roi),
    });
    const xlsx2 = await download(`/api/contests/${contestId}/report.xlsx`, 'manager');
    const prizes = await xlsxRows(xlsx2.bytes, 'Prizes');
    expect(prizes.map((row) => Number(row.paid_rub))).toEqual(
      (report.prizes as { paidMinor: number }[]).map((prize) => prize.paidMinor / 100),
    );
    expect((await download(`/api/contests/${contestId}/report.csv`, 'seller')).status).toBe(403);
  });

  it('exports a simulation result, staff only', async () => {
    // On the manual-clock app like the other tests: a simulation's lease runs on PostgreSQL's
    // clock, not on contest time (apps/api/src/simulations/simulations.repository.ts).
    await simulationExport();
  }, 600_000);

  async function simulationExport(): Promise<void> {
    const created = await call('POST', '/api/simulations', {
      file,
      scenario: { trials: 400, seed: 3 },
      remedies: false,
    });
    expect(created.status).toBe(202);
    const id = created.body.id as string;
    let view = await call('GET', `/api/simulations/${id}`);
    for (let waited = 0; !['done', 'failed'].includes(view.body.state as string); waited += 1) {
      // Event-free polling with a generous bound: a slow machine waits, it does not fail.
      if (waited > 6_000) throw new Error(`simulation still ${String(view.body.state)}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
      view = await call('GET', `/api/simulations/${id}`);
    }
    expect({ state: view.body.state, error: view.body.error }).toEqual({
      state: 'done',
      error: undefined,
    });
    const result = view.body.result as {
      participants: {
        participantId: string;
        pFirst: number;
        pPrize: number;
        expectedRank: number;
      }[];
      fund: { meanMinor: number };
    };
    for (const format of ['csv', 'xlsx'] as const) {
      const answer = await download(`/api/simulations/${id}/result.${format}`, 'manager');
      expect(answer.status).toBe(200);
      const rows = format === 'csv' ? csvRows(answer.bytes) : await xlsxRows(answer.bytes);
      expect(
        rows.map((row) => [
          row.participant_id,
          Number(row.p_first),
          Number(row.p_prize),
          Number(row.expected_rank),
        ]),
      ).toEqual(
        result.participants.map((each) => [
          each.participantId,
          each.pFirst,
          each.pPrize,
          each.expectedRank,
        ]),
      );
    }
    expect((await download(`/api/simulations/${id}/result.csv`, 'seller')).status).toBe(403);
    simulation = { id, result };

    // The simulator's own result (computed in the browser) posts to the same tables.
    const posted = await fetch(`${sut.url}/api/exports/simulation.csv`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tokens.admin}`, 'content-type': 'application/json' },
      body: JSON.stringify(result),
    });
    expect(posted.status).toBe(200);
    const fromBrowser = csvRows(Buffer.from(await posted.arrayBuffer()));
    expect(fromBrowser.map((row) => [row.participant_id, Number(row.p_first)])).toEqual(
      result.participants.map((each) => [each.participantId, each.pFirst]),
    );
    const bad = await fetch(`${sut.url}/api/exports/simulation.xlsx`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tokens.admin}`, 'content-type': 'application/json' },
      body: JSON.stringify({ ...result, currency: 'rub' }),
    });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { issues: { path: string }[] }).issues[0]?.path).toBe('currency');
  }

  it('writes names and teams that start like a formula as text in every CSV export', async () => {
    if (simulation === undefined) throw new Error('the simulation test did not run');
    const posted = await fetch(`${sut.url}/api/exports/simulation.csv`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tokens.admin}`, 'content-type': 'application/json' },
      body: JSON.stringify(simulation.result),
    });
    const files = {
      standings: (await download(`/api/contests/${contestId}/standings.csv`)).bytes,
      checkpoint: (await download(`/api/contests/${contestId}/checkpoints/1.csv`)).bytes,
      report: (await download(`/api/contests/${contestId}/report.csv`)).bytes,
      simulation: (await download(`/api/simulations/${simulation.id}/result.csv`, 'manager')).bytes,
      browserSimulation: Buffer.from(await posted.arrayBuffer()),
    };
    // A formula-looking text starts with a single quote, so a spreadsheet shows it as text.
    const text = (value: string) => `'${value}`;
    for (const [name, bytes] of Object.entries(files)) {
      // The report's first table is field/value; its standings are in the XLSX.
      if (name === 'report') {
        expect(csvRows(bytes).find((row) => row.field === 'contest')?.value).toBe(file.name);
        continue;
      }
      const rows = csvRows(bytes);
      expect({ name, cells: rows.map((row) => [row.participant_id, row.name, row.team]) }).toEqual({
        name,
        cells: [...rows]
          .map((row) => row.participant_id as 'p1')
          .map((id) => {
            const participant = file.participants.find((each) => each.id === id);
            return [id, text(FORMULAS[id]), text(participant?.team as string)];
          }),
      });
    }
    // Quoted where CSV needs it: the quotes of the formula doubled, the carriage return inside.
    const standings = files.standings.toString('utf8');
    expect(standings).toContain(`,"'=HYPERLINK(""http://x"",""y"")",`);
    expect(standings).toContain(`,"'\rx",`);
    expect(standings).toContain(`,'\tx,`);
  });

  it('keeps formula-looking text a string cell in XLSX', async () => {
    const xlsx = await download(`/api/contests/${contestId}/standings.xlsx`);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(new Uint8Array(xlsx.bytes).buffer);
    const sheet = workbook.worksheets[0] as ExcelJS.Worksheet;
    const names = new Map<string, ExcelJS.Cell>();
    sheet.eachRow((row, number) => {
      if (number > 1) names.set(String(row.getCell(2).value), row.getCell(3));
    });
    for (const id of ['p1', 'p2', 'p3', 'p4'] as const) {
      const cell = names.get(id);
      expect({ id, type: cell?.type, value: cell?.value }).toEqual({
        id,
        type: ExcelJS.ValueType.String,
        value: FORMULAS[id],
      });
    }
  });
});

// Imported late: the token is the class, which pulls in the whole API.
const { LifecycleService: LifecycleServiceToken } =
  await import('../contests/lifecycle.service.js');
