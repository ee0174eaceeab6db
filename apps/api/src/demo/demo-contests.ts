import {
  addUtcMonths,
  parseContestFile,
  type ContestFile,
  type ContestFileInput,
  type Participant,
} from '@podium/contest-model';
import {
  isoDate,
  monthStart,
  MONTH_MS,
  ramp,
  type DemoCompany,
  type DemoSeller,
} from './demo-company.js';

export interface DemoContestSpec {
  readonly key: 'month' | 'marathon';
  readonly file: ContestFile;
  readonly pictures: readonly {
    place: number;
    league?: string;
    picture: 'trip' | 'phone' | 'headphones' | 'gift';
  }[];
}

/** The plan of a seller for `months` months from `startMs`: their expected pace, ramp included. */
function planOf(seller: DemoSeller, startMs: number, months: number) {
  let turnover = 0;
  for (let m = 0; m < months; m += 1) {
    const tenure =
      (addUtcMonths({ ms: startMs, months: m }) - Date.parse(seller.hiredOn)) / MONTH_MS;
    turnover += seller.turnoverMeanMinor * ramp(Math.max(0, tenure));
  }
  const turnoverMinor = Math.round(turnover / 100) * 100;
  return {
    turnoverMinor,
    marginMinor: Math.round(turnoverMinor * seller.marginRate),
    newClients: Math.max(1, Math.round(seller.newClientsMean * months)),
  };
}

function participants(company: DemoCompany, startMs: number, months: number): Participant[] {
  return company.sellers.map((seller) => ({
    id: seller.id,
    name: seller.name,
    team: seller.team,
    role: seller.role,
    hiredOn: seller.hiredOn,
    plan: planOf(seller, startMs, months),
    history: company.history.get(seller.id) ?? [],
  }));
}

function parse(input: ContestFileInput): ContestFile {
  const parsed = parseContestFile(input);
  if (!parsed.success)
    throw new Error(`demo contest invalid: ${parsed.issues[0]?.path} ${parsed.issues[0]?.message}`);
  return parsed.data;
}

/** A one-month sprint over this month, and a six-month marathon with a newcomer league. */
export function demoContests(company: DemoCompany, nowMs: number): DemoContestSpec[] {
  const thisMonth = monthStart(nowMs);
  const marathonStart = addUtcMonths({ ms: thisMonth, months: -2 });
  return [
    {
      key: 'month',
      file: parse({
        name: 'Спринт месяца',
        // No-break spaces: the phone's narrow column must not wrap inside "50 000 ₽".
        description:
          'Фонд — 30\u00a0% сверхплановой маржи команды; гарантировано 50\u00a0000\u00a0₽.',
        currency: 'RUB',
        period: {
          start: isoDate(thisMonth),
          end: isoDate(addUtcMonths({ ms: thisMonth, months: 1 })),
        },
        funding: {
          fundShare: 0.3,
          guaranteedMinor: 5_000_000,
          capMinor: null,
          mode: 'unlockInOrder',
        },
        prizes: [
          { place: 1, title: 'Путешествие на двоих', costMinor: 15_000_000 },
          { place: 2, title: 'Смартфон', costMinor: 8_000_000 },
          { place: 3, title: 'Наушники', costMinor: 2_500_000 },
        ],
        criteria: [
          {
            metric: 'turnover',
            basis: 'percentOfPlan',
            weight: 1,
            cap: 200,
            title: 'Оборот, % плана',
          },
          {
            metric: 'newClients',
            basis: 'absolute',
            unit: 1,
            weight: 10,
            cap: 10,
            title: 'Новые клиенты',
          },
        ],
        eligibility: [{ metric: 'turnover', basis: 'percentOfPlan', min: 90 }],
        participants: participants(company, thisMonth, 1),
        scenario: { uplift: 0.1, correlation: 0.3, trials: 10_000, seed: 42 },
      }),
      pictures: [
        { place: 1, picture: 'trip' },
        { place: 2, picture: 'phone' },
        { place: 3, picture: 'headphones' },
      ],
    },
    {
      key: 'marathon',
      file: parse({
        name: 'Полугодовой марафон',
        description: 'Маржа к плану и новые клиенты; отдельная лига для новичков.',
        currency: 'RUB',
        period: {
          start: isoDate(marathonStart),
          end: isoDate(addUtcMonths({ ms: marathonStart, months: 6 })),
        },
        funding: {
          fundShare: 0.25,
          guaranteedMinor: 0,
          capMinor: 100_000_000,
          mode: 'unlockInOrder',
        },
        prizes: [
          { place: 1, league: 'veteran', title: 'Путешествие на двоих', costMinor: 30_000_000 },
          { place: 2, league: 'veteran', title: 'Смартфон', costMinor: 12_000_000 },
          { place: 1, league: 'newcomer', title: 'Подарок новичку', costMinor: 5_000_000 },
        ],
        criteria: [
          {
            metric: 'margin',
            basis: 'percentOfPlan',
            weight: 1,
            cap: 250,
            title: 'Маржа, % плана',
          },
          { metric: 'newClients', basis: 'absolute', unit: 1, weight: 5, title: 'Новые клиенты' },
        ],
        leagues: { by: 'tenure', newcomerMonths: 6 },
        participants: participants(company, marathonStart, 6),
        scenario: { uplift: 0.1, correlation: 0.3, trials: 10_000, seed: 42 },
      }),
      pictures: [
        { place: 1, league: 'veteran', picture: 'trip' },
        { place: 2, league: 'veteran', picture: 'phone' },
        { place: 1, league: 'newcomer', picture: 'gift' },
      ],
    },
  ];
}
