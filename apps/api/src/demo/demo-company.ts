import { addUtcMonths, type HistoryMonth } from '@podium/contest-model';

/*
 * The demo company: its sellers and their history, drawn from a fixed seed. The contests it runs
 * are in `demo-contests.ts`, the deals of its working days in `demo-deals.ts`.
 */

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

/** A standard normal draw (Box–Muller). */
export function normal(random: () => number): number {
  const u = Math.max(random(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}

/** A Poisson draw of the given mean (Knuth). */
export function poisson(random: () => number, mean: number): number {
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

/** An average month, for tenures counted in months. */
export const MONTH_MS = 30.44 * 86_400_000;

export function isoDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** The first instant of `ms`'s UTC month. */
export function monthStart(ms: number): number {
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
