import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { BadRequestException, NotFoundException } from '@nestjs/common';
import {
  parseContestFile,
  participantSchema,
  type ContestFile,
  type ContestFileInput,
} from '@podium/contest-model';
import { DataSource } from 'typeorm';
import { createTestApp, type TestApp } from '../../../../tests/support/app.js';
import { createTestDatabase, type TestDatabase } from '../../../../tests/support/database.js';
import { ContestParticipantsService } from './contest-participants.service.js';

function contestFile(participants: ContestFileInput['participants']): ContestFile {
  const parsed = parseContestFile({
    name: 'Spring sprint',
    period: { start: '2026-03-01', end: '2026-04-01' },
    funding: { fundShare: 0.4 },
    prizes: [{ place: 1, title: 'Trip', costMinor: 12_000_000 }],
    criteria: [{ metric: 'turnover', basis: 'absolute', unit: 1_000_000 }],
    participants,
  });
  if (!parsed.success) throw new Error(JSON.stringify(parsed.issues));
  return parsed.data;
}

const plan = { turnoverMinor: 500_000_000, marginMinor: 100_000_000 };

describe(ContestParticipantsService.name, () => {
  let database: TestDatabase;
  let app: TestApp;
  let sut: ContestParticipantsService;
  let dataSource: DataSource;

  beforeAll(async () => {
    database = await createTestDatabase();
    app = await createTestApp(database.url);
    sut = app.app.get(ContestParticipantsService);
    dataSource = app.app.get(DataSource);
  });

  afterAll(async () => {
    await app.close();
    await database.drop();
  });

  async function participantIds(): Promise<string[]> {
    const rows: { id: string }[] = await dataSource.query(
      'SELECT id FROM participants ORDER BY id',
    );
    return rows.map((row) => row.id);
  }

  describe('ensureFromContestFile', () => {
    it('creates new participants with their teams and history, and leaves existing ones as they are', async () => {
      await dataSource.query(
        "INSERT INTO participants (id, name, role) VALUES ('e-old', 'Old Name', 'farmer')",
      );
      const file = contestFile([
        {
          id: 'e-anna',
          name: 'Anna',
          team: 'File North',
          role: 'hunter',
          hiredOn: '2021-02-01',
          plan,
          history: [
            {
              month: '2026-02',
              turnoverMinor: 480_000_000,
              marginMinor: 96_000_000,
              deals: 12,
              newClients: 2,
              leads: 30,
            },
            { month: '2026-01', turnoverMinor: 450_000_000, marginMinor: 90_000_000 },
          ],
        },
        { id: 'e-boris', name: 'Boris', isNewcomer: true, league: 'rookies', plan },
        {
          id: 'e-old',
          name: 'New Name From File',
          team: 'File South',
          plan,
          history: [{ month: '2026-02', turnoverMinor: 1, marginMinor: 1 }],
        },
      ]);

      const result = await dataSource.transaction((manager) =>
        sut.ensureFromContestFile(manager, file.participants),
      );

      expect(result).toEqual({ created: ['e-anna', 'e-boris'], teamsCreated: ['File North'] });
      const profiles = await sut.contestProfiles(['e-anna', 'e-boris', 'e-old']);
      expect(profiles).toEqual([
        {
          id: 'e-anna',
          name: 'Anna',
          team: 'File North',
          role: 'hunter',
          hiredOn: '2021-02-01',
          history: [
            { month: '2026-01', turnoverMinor: 450_000_000, marginMinor: 90_000_000 },
            {
              month: '2026-02',
              turnoverMinor: 480_000_000,
              marginMinor: 96_000_000,
              deals: 12,
              newClients: 2,
              leads: 30,
            },
          ],
        },
        {
          id: 'e-boris',
          name: 'Boris',
          role: 'hunter',
          isNewcomer: true,
          league: 'rookies',
          history: [],
        },
        { id: 'e-old', name: 'Old Name', role: 'farmer', history: [] },
      ]);
      const teams: { name: string }[] = await dataSource.query('SELECT name FROM teams');
      expect(teams.map((team) => team.name)).not.toContain('File South');

      // A second contest with the same people creates nothing.
      await expect(
        dataSource.transaction((manager) => sut.ensureFromContestFile(manager, file.participants)),
      ).resolves.toEqual({ created: [], teamsCreated: [] });
    });

    it("writes nothing when the caller's transaction rolls back", async () => {
      const file = contestFile([{ id: 'e-rolled', name: 'Rolled', team: 'Rolled Team', plan }]);
      await expect(
        dataSource.transaction(async (manager) => {
          await sut.ensureFromContestFile(manager, file.participants);
          throw new Error('the contest insert failed');
        }),
      ).rejects.toThrow('the contest insert failed');
      await expect(participantIds()).resolves.not.toContain('e-rolled');
      const teams: unknown[] = await dataSource.query(
        "SELECT 1 FROM teams WHERE name = 'Rolled Team'",
      );
      expect(teams).toHaveLength(0);
    });

    it('names participants[i] fields the database cannot hold, creating nothing', async () => {
      const file = contestFile([
        { id: 'e-fine', name: 'Fine', plan },
        { id: 'e-blank', name: '   ', plan },
        {
          id: 'e-huge',
          name: 'Huge',
          team: ' ',
          plan,
          history: [{ month: '2026-01', turnoverMinor: 1, marginMinor: 1, deals: 2 ** 31 }],
        },
      ]);
      const error: unknown = await dataSource
        .transaction((manager) => sut.ensureFromContestFile(manager, file.participants))
        .catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(BadRequestException);
      const body = (error as BadRequestException).getResponse() as {
        issues: { path: string }[];
      };
      expect(body.issues.map((issue) => issue.path).sort()).toEqual([
        'participants[1].name',
        'participants[2].history[0].deals',
        'participants[2].team',
      ]);
      await expect(participantIds()).resolves.not.toContain('e-fine');
    });

    it('creates each participant once when two contests bring the same newcomers at once', async () => {
      const file = contestFile(
        Array.from({ length: 20 }, (_, index) => ({
          id: `e-race-${index}`,
          name: `Race ${index}`,
          team: `Race team ${index % 3}`,
          plan,
          history: [{ month: '2026-01', turnoverMinor: index, marginMinor: 0 }],
        })),
      );
      const results = await Promise.all(
        [1, 2, 3].map(() =>
          dataSource.transaction((manager) =>
            sut.ensureFromContestFile(manager, file.participants),
          ),
        ),
      );
      const created = results.flatMap((result) => result.created).sort();
      expect(created).toEqual(file.participants.map((participant) => participant.id).sort());
      const history: { n: number }[] = await dataSource.query(
        "SELECT count(*)::int AS n FROM participant_history WHERE participant_id LIKE 'e-race-%'",
      );
      expect(history[0]?.n).toBe(20);
    });
  });

  describe('contestProfiles', () => {
    it('answers in the order asked, each id once, in a shape a contest file accepts', async () => {
      const file = contestFile([
        { id: 'c-1', name: 'One', team: 'Profiles', role: 'farmer', plan },
        {
          id: 'c-2',
          name: 'Two',
          hiredOn: '2025-11-01',
          plan,
          history: [
            {
              month: '2025-12',
              turnoverMinor: 10,
              marginMinor: -2,
              products: { X: { turnoverMinor: 5, units: 1 } },
              counters: { calls: 3.5 },
            },
          ],
        },
      ]);
      await dataSource.transaction((manager) =>
        sut.ensureFromContestFile(manager, file.participants),
      );
      const profiles = await sut.contestProfiles(['c-2', 'c-1', 'c-2']);
      expect(profiles.map((profile) => profile.id)).toEqual(['c-2', 'c-1']);
      for (const profile of profiles) {
        expect(participantSchema.safeParse({ ...profile, plan }).success).toBe(true);
      }
      const [two] = profiles;
      const { plan: _plan, ...expected } = file.participants[1] ?? { plan };
      expect(two).toEqual({ ...expected, role: 'hunter' });

      const inside = await dataSource.transaction((manager) =>
        sut.contestProfiles(['c-1'], manager),
      );
      expect(inside).toEqual([
        { id: 'c-1', name: 'One', team: 'Profiles', role: 'farmer', history: [] },
      ]);
    });

    it('answers 404 naming every unknown id', async () => {
      const error: unknown = await sut
        .contestProfiles(['c-1', 'nobody', 'nowhere'])
        .catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(NotFoundException);
      expect((error as NotFoundException).message).toBe(
        'unknown participant(s): "nobody", "nowhere"',
      );
    });

    it('answers nothing for no ids', async () => {
      await expect(sut.contestProfiles([])).resolves.toEqual([]);
    });
  });
});
