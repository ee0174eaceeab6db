import {
  addUtcMonths,
  parseContestFile,
  type ContestEvent,
  type ContestFile,
  type ContestFileInput,
  type HistoryMonth,
  type Participant,
} from '@podium/contest-model';

/** mulberry32: a small seeded generator, so the demo company is the same on every machine. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function normal(random: () => number): number {
  const u = Math.max(random(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}

function poisson(random: () => number, mean: number): number {
  const limit = Math.exp(-mean);
  let k = 0;
  for (let p = random(); p > limit; p *= random()) k += 1;
  return k;
}

const TEAMS = ['Север', 'Юг', 'Восток', 'Запад'] as const;

const NAMES = [
  'Анна Смирнова',
  'Борис Кузнецов',
  'Вера Попова',
  'Глеб Васильев',
  'Дарья Петрова',
  'Егор Соколов',
  'Жанна Михайлова',
  'Захар Новиков',
  'Ирина Фёдорова',
  'Кирилл Морозов',
  'Лариса Волкова',
  'Максим Алексеев',
  'Нина Лебедева',
  'Олег Семёнов',
  'Полина Егорова',
  'Роман Павлов',
  'Светлана Козлова',
  'Тимур Степанов',
  'Ульяна Николаева',
  'Фёдор Орлов',
  'Христина Андреева',
  'Цезарь Макаров',
  'Чеслава Никитина',
  'Шамиль Захаров',
  'Эльвира Зайцева',
  'Юрий Соловьёв',
  'Яна Борисова',
  'Артём Яковлев',
  'Богдана Григорьева',
  'Виктор Романов',
  'Галина Воробьёва',
  'Денис Сергеев',
  'Евгения Кузьмина',
  'Игорь Фролов',
  'Ксения Александрова',
  'Леонид Дмитриев',
  'Марина Королёва',
  'Никита Гусев',
  'Оксана Киселёва',
  'Пётр Ильин',
] as const;

/** What a seller is like, from which history, plans and live deals are drawn. */
export interface DemoSeller {
  readonly id: string;
  readonly name: string;
  readonly team: string;
  readonly role: 'hunter' | 'farmer';
  readonly hiredOn: string;
  /** Mean monthly turnover once ramped up, in minor units. */
  readonly turnoverMeanMinor: number;
  readonly marginRate: number;
  readonly avgCheckMinor: number;
  readonly newClientsMean: number;
  readonly leadsPerDeal: number;
}

export interface DemoCompany {
  readonly sellers: readonly DemoSeller[];
  /** Months of history, oldest first, for each seller. */
  readonly history: ReadonlyMap<string, HistoryMonth[]>;
}

const MONTH_MS = 30.44 * 86_400_000;

function isoDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

function monthStart(ms: number): number {
  const date = new Date(ms);
  return Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1);
}

/** Share of a seller's full pace reached `months` after hiring: newcomers ramp up over 6 months. */
export function ramp(months: number): number {
  return Math.max(0.15, Math.min(1, months / 6));
}

/** 40 sellers in 4 teams, hunters and farmers, six newcomers, and 12 months of history. */
export function demoCompany(nowMs: number): DemoCompany {
  const random = seededRandom(2026);
  const thisMonth = monthStart(nowMs);
  const sellers: DemoSeller[] = NAMES.map((name, index) => {
    const role = index % 5 < 2 ? 'hunter' : 'farmer';
    const newcomer = index % 7 === 3; // six newcomers
    const hiredMonthsAgo = newcomer ? 1 + (index % 5) : 14 + Math.floor(random() * 80);
    const hiredOn = isoDate(
      addUtcMonths({ ms: thisMonth, months: -hiredMonthsAgo }) +
        Math.floor(random() * 20) * 86_400_000,
    );
    const turnoverMeanMinor =
      Math.round((role === 'farmer' ? 3_600_000 : 2_600_000) * Math.exp(0.35 * normal(random))) *
      100;
    return {
      id: `demo-${String(index + 1).padStart(2, '0')}`,
      name,
      team: TEAMS[index % TEAMS.length] as string,
      role,
      hiredOn,
      turnoverMeanMinor,
      marginRate: Math.round((0.2 + 0.1 * random()) * 1000) / 1000,
      avgCheckMinor:
        Math.round((role === 'farmer' ? 220_000 : 120_000) * (0.8 + 0.4 * random())) * 100,
      newClientsMean: role === 'hunter' ? 4 + 2 * random() : 0.8 + random(),
      leadsPerDeal: 2 + 2 * random(),
    };
  });

  const history = new Map<string, HistoryMonth[]>();
  for (const seller of sellers) {
    const months: HistoryMonth[] = [];
    for (let back = 12; back >= 1; back -= 1) {
      const start = addUtcMonths({ ms: thisMonth, months: -back });
      const tenure = (start - Date.parse(seller.hiredOn)) / MONTH_MS;
      if (tenure < 0) continue;
      const turnover =
        Math.round(
          (seller.turnoverMeanMinor * ramp(tenure) * Math.exp(0.22 * normal(random) - 0.024)) / 100,
        ) * 100;
      const deals = Math.max(1, Math.round(turnover / seller.avgCheckMinor));
      months.push({
        month: new Date(start).toISOString().slice(0, 7),
        turnoverMinor: turnover,
        marginMinor: Math.round(turnover * seller.marginRate),
        deals,
        newClients: poisson(random, seller.newClientsMean * ramp(tenure)),
        leads: Math.round(deals * seller.leadsPerDeal),
      });
    }
    history.set(seller.id, months);
  }
  return { sellers, history };
}

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
        description: 'Фонд — 30 % сверхплановой маржи команды; гарантировано 50 000 ₽.',
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

/** The pace of the demo: the team does about 8 % better than usual during the contests. */
const UPLIFT = 1.08;
const WORKDAYS_PER_MONTH = 21;

/** One seller's events of one working day, as the CRM would send them. */
export function dayOfDeals(
  seller: DemoSeller,
  dayStartMs: number,
  random: () => number,
  nextId: () => string,
): ContestEvent[] {
  const tenure = (dayStartMs - Date.parse(seller.hiredOn)) / MONTH_MS;
  if (tenure < 0) return [];
  const pace = ramp(tenure) * UPLIFT;
  const dealsMean = (seller.turnoverMeanMinor / seller.avgCheckMinor / WORKDAYS_PER_MONTH) * pace;
  const events: ContestEvent[] = [];
  const at = () => new Date(dayStartMs + (9 + 9 * random()) * 3_600_000).toISOString();
  for (let deal = poisson(random, dealsMean); deal > 0; deal -= 1) {
    events.push(saleOf(seller, at(), random, nextId(), dealsMean));
  }
  for (let lead = poisson(random, dealsMean * seller.leadsPerDeal); lead > 0; lead -= 1) {
    events.push({
      type: 'lead',
      source: 'demo-crm',
      externalId: nextId(),
      participantId: seller.id,
      occurredAt: at(),
    });
  }
  return events;
}

export function saleOf(
  seller: DemoSeller,
  occurredAt: string,
  random: () => number,
  externalId: string,
  dealsPerDay: number,
): ContestEvent {
  const amountMinor = Math.max(
    100_000,
    Math.round((seller.avgCheckMinor * Math.exp(0.5 * normal(random) - 0.125)) / 100) * 100,
  );
  const newClientChance = Math.min(
    0.9,
    seller.newClientsMean / WORKDAYS_PER_MONTH / Math.max(dealsPerDay, 0.01),
  );
  const isNewClient = random() < newClientChance;
  return {
    type: 'sale',
    source: 'demo-crm',
    externalId,
    participantId: seller.id,
    occurredAt,
    amountMinor,
    marginMinor: Math.round(amountMinor * seller.marginRate * (0.85 + 0.3 * random())),
    clientId: isNewClient
      ? `new-${externalId}`
      : `client-${seller.id}-${Math.floor(random() * 40)}`,
    isNewClient,
    quantity: 1,
  };
}
