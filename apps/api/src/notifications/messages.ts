import type { Language } from './kinds.js';
import type { RulesFacts } from '@podium/contest-model';

/**
 * The texts of every notification and bot answer, in Russian and English. Plain text (no
 * Telegram markup), so a name with `*` or `_` cannot break a message.
 */

/** Minor units as major units with the currency, as a person reads an amount. */
export function formatMoney(amountMinor: number, currency: string, language: Language): string {
  return new Intl.NumberFormat(language === 'ru' ? 'ru-RU' : 'en-US', {
    style: 'currency',
    currency,
    maximumFractionDigits: 0,
  }).format(amountMinor / 100);
}

function points(value: number, language: Language): string {
  return new Intl.NumberFormat(language === 'ru' ? 'ru-RU' : 'en-US', {
    maximumFractionDigits: 2,
  }).format(value);
}

/** `2-е место` / `2nd place`. */
export function placeName(place: number, language: Language): string {
  if (language === 'ru') return `${place}-е место`;
  const suffix =
    place % 100 >= 11 && place % 100 <= 13
      ? 'th'
      : (({ 1: 'st', 2: 'nd', 3: 'rd' } as Record<number, string>)[place % 10] ?? 'th');
  return `${place}${suffix} place`;
}

export interface PrizeRef {
  readonly place: number;
  readonly title: string;
}

export const texts = {
  prizePlaceEntered(
    language: Language,
    { contest, rank, prize }: { contest: string; rank: number; prize: PrizeRef },
  ): string {
    return language === 'ru'
      ? `🏆 «${contest}»: вы на ${rank}-м месте и в призах — ${placeName(prize.place, 'ru')}, «${prize.title}». Держите темп!`
      : `🏆 "${contest}": you are now at rank ${rank} and in the prizes — ${placeName(prize.place, 'en')}, "${prize.title}". Keep it up!`;
  },

  prizePlaceLeft(language: Language, { contest, rank }: { contest: string; rank: number }): string {
    return language === 'ru'
      ? `⚠️ «${contest}»: вы опустились на ${rank}-е место и вышли из призовых мест. Ещё не поздно вернуться!`
      : `⚠️ "${contest}": you dropped to rank ${rank} and out of the prize places. There is still time to get back!`;
  },

  overtaken(
    language: Language,
    { contest, rank, by }: { contest: string; rank: number; by: string | null },
  ): string {
    return language === 'ru'
      ? `🏃 «${contest}»: ${by === null ? 'вас обошли' : `вас обошёл(а) ${by}`}, теперь вы на ${rank}-м месте.`
      : `🏃 "${contest}": ${by === null ? 'you were overtaken' : `${by} overtook you`}; you are now at rank ${rank}.`;
  },

  prizeUnlocked(
    language: Language,
    { contest, prize, fund }: { contest: string; prize: PrizeRef; fund: string },
  ): string {
    return language === 'ru'
      ? `🔓 «${contest}»: фонд ${fund} — открыт приз за ${placeName(prize.place, 'ru')}: «${prize.title}».`
      : `🔓 "${contest}": the fund reached ${fund} — the ${placeName(prize.place, 'en')} prize "${prize.title}" is unlocked.`;
  },

  contestLaunched(
    language: Language,
    {
      contest,
      rules,
      prizes,
      link,
    }: {
      contest: string;
      rules: readonly string[];
      prizes: readonly PrizeRef[];
      link: string | null;
    },
  ): string {
    const prizeLines = prizes.map(
      (prize) => `• ${placeName(prize.place, language)}: ${prize.title}`,
    );
    const head =
      language === 'ru'
        ? `🚀 Стартовал конкурс «${contest}»!`
        : `🚀 The contest "${contest}" has started!`;
    const rulesHead = language === 'ru' ? 'Правила:' : 'Rules:';
    const prizesHead = language === 'ru' ? 'Призы:' : 'Prizes:';
    const linkLine =
      link === null ? [] : [language === 'ru' ? `Ваше место: ${link}` : `Your standing: ${link}`];
    return [head, '', rulesHead, ...rules, '', prizesHead, ...prizeLines, ...linkLine].join('\n');
  },

  contestClosed(
    language: Language,
    {
      contest,
      winners,
    }: { contest: string; winners: readonly { place: number; name: string; prize: string }[] },
  ): string {
    const head =
      language === 'ru'
        ? `🏁 Конкурс «${contest}» завершён.`
        : `🏁 The contest "${contest}" is over.`;
    if (winners.length === 0)
      return `${head}\n${language === 'ru' ? 'Призы в этот раз не разыграны.' : 'No prize was won this time.'}`;
    const lines = winners.map(
      (winner) => `${placeName(winner.place, language)}: ${winner.name} — ${winner.prize}`,
    );
    return [head, language === 'ru' ? 'Победители:' : 'Winners:', ...lines].join('\n');
  },

  monthlyResult(
    language: Language,
    {
      contest,
      month,
      rank,
      points: total,
      top,
    }: {
      contest: string;
      month: string;
      rank: number | null;
      points: number | null;
      top: readonly { rank: number; name: string; points: number }[];
    },
  ): string {
    const head =
      language === 'ru'
        ? `📅 «${contest}»: итоги месяца — ${month}.`
        : `📅 "${contest}": the results of ${month}.`;
    const mine =
      rank === null || total === null
        ? []
        : [
            language === 'ru'
              ? `Вы на ${rank}-м месте, ${points(total, language)} очк.`
              : `You are at rank ${rank} with ${points(total, language)} points.`,
          ];
    const topLines = top.map((row) => `${row.rank}. ${row.name} — ${points(row.points, language)}`);
    return [head, ...mine, language === 'ru' ? 'Тройка лучших:' : 'Top 3:', ...topLines].join('\n');
  },

  bigDeal(
    language: Language,
    { contest, name, amount }: { contest: string; name: string; amount: string },
  ): string {
    return language === 'ru'
      ? `💰 «${contest}»: ${name} закрыл(а) сделку на ${amount}!`
      : `💰 "${contest}": ${name} closed a deal of ${amount}!`;
  },

  dailyDigest(
    language: Language,
    {
      contest,
      rank,
      of,
      points: total,
      toNext,
      chance,
    }: {
      contest: string;
      rank: number;
      of: number;
      points: number;
      toNext: number | null;
      chance: number | null;
    },
  ): string {
    const lines =
      language === 'ru'
        ? [
            `☀️ «${contest}»: вы на ${rank}-м месте из ${of}, ${points(total, language)} очк.`,
            toNext === null
              ? 'Вы впереди всех — держите отрыв.'
              : `До следующего места: ${points(toNext, language)} очк.`,
            ...(chance === null ? [] : [`Шанс на приз по прогнозу: ${Math.round(chance * 100)}%.`]),
          ]
        : [
            `☀️ "${contest}": you are at rank ${rank} of ${of} with ${points(total, language)} points.`,
            toNext === null
              ? 'You lead: keep the gap.'
              : `To the next place: ${points(toNext, language)} points.`,
            ...(chance === null
              ? []
              : [`Forecast chance of a prize: ${Math.round(chance * 100)}%.`]),
          ];
    return lines.join('\n');
  },

  welcomeParticipant(
    language: Language,
    { name, contests }: { name: string; contests: readonly string[] },
  ): string {
    const list =
      contests.length === 0
        ? [
            language === 'ru'
              ? 'Сейчас вы не участвуете в конкурсах.'
              : 'You take part in no contest right now.',
          ]
        : [
            language === 'ru' ? 'Ваши конкурсы:' : 'Your contests:',
            ...contests.map((contest) => `• ${contest}`),
          ];
    const help =
      language === 'ru'
        ? 'Команды: /rank — моё место, /top — лидеры, /rules — правила, /stop — отписаться.'
        : 'Commands: /rank — my place, /top — the leaders, /rules — the rules, /stop — unsubscribe.';
    return [
      language === 'ru'
        ? `Здравствуйте, ${name}! Этот чат подключён к Podium.`
        : `Hello, ${name}! This chat is now linked to Podium.`,
      ...list,
      help,
    ].join('\n');
  },

  welcomeGroup(language: Language, { subject }: { subject: string | null }): string {
    return language === 'ru'
      ? `Готово: этот чат получает новости Podium ${subject === null ? 'всей компании' : `команды «${subject}»`}.`
      : `Done: this chat now gets Podium's news for ${subject === null ? 'the whole company' : `the team "${subject}"`}.`;
  },

  badCode(language: Language): string {
    return language === 'ru'
      ? 'Код не подошёл: он неизвестен, уже использован или истёк (код действует 24 часа). Попросите новый.'
      : 'That code did not work: it is unknown, used or expired (a code lasts 24 hours). Ask for a new one.';
  },

  startWithoutCode(language: Language): string {
    return language === 'ru'
      ? 'Чтобы подключить чат, откройте ссылку из Podium или отправьте /start <код>.'
      : 'To link this chat, open the link Podium gave you or send /start <code>.';
  },

  notLinked(language: Language): string {
    return language === 'ru'
      ? 'Этот чат не подключён к Podium. Откройте ссылку из Podium, чтобы подключить его.'
      : 'This chat is not linked to Podium. Open the link Podium gave you to link it.';
  },

  stopped(language: Language): string {
    return language === 'ru'
      ? 'Готово: этот чат отключён от Podium, сообщений больше не будет.'
      : 'Done: this chat is unlinked from Podium and gets no more messages.';
  },

  rank(
    language: Language,
    rows: readonly { contest: string; rank: number | null; points: number | null; of: number }[],
  ): string {
    if (rows.length === 0)
      return language === 'ru' ? 'Сейчас нет идущих конкурсов.' : 'No contest is running now.';
    return rows
      .map((row) =>
        row.rank === null || row.points === null
          ? `«${row.contest}»: —`
          : language === 'ru'
            ? `«${row.contest}»: ${row.rank}-е место из ${row.of}, ${points(row.points, language)} очк.`
            : `"${row.contest}": rank ${row.rank} of ${row.of}, ${points(row.points, language)} points`,
      )
      .join('\n');
  },

  top(
    language: Language,
    boards: readonly {
      contest: string;
      rows: readonly { rank: number; name: string; points: number }[];
    }[],
  ): string {
    if (boards.length === 0)
      return language === 'ru' ? 'Сейчас нет идущих конкурсов.' : 'No contest is running now.';
    return boards
      .map((board) =>
        [
          language === 'ru' ? `«${board.contest}»:` : `"${board.contest}":`,
          ...board.rows.map((row) => `${row.rank}. ${row.name} — ${points(row.points, language)}`),
        ].join('\n'),
      )
      .join('\n\n');
  },
};

/** The rules in three lines: the period, how points are earned, how the fund pays the prizes. */
export function rulesLines(language: Language, facts: RulesFacts): string[] {
  const criteria = facts.criteria
    .map(
      (criterion) =>
        `${criterion.title ?? criterion.measure.name ?? criterion.measure.metric} ×${criterion.weight}`,
    )
    .join(', ');
  const allPrizes = facts.funding.allPrizes.aboveplanMarginMinor;
  return language === 'ru'
    ? [
        `1. Период: ${facts.period.start.slice(0, 10)} — ${facts.period.end.slice(0, 10)}.`,
        `2. Очки: ${criteria}.`,
        `3. Фонд — ${facts.funding.sharePercent}% маржи сверх плана${allPrizes === null ? '' : `; все призы открываются при ${formatMoney(allPrizes, facts.currency, 'ru')} сверх плана`}.`,
      ]
    : [
        `1. Period: ${facts.period.start.slice(0, 10)} to ${facts.period.end.slice(0, 10)}.`,
        `2. Points: ${criteria}.`,
        `3. The fund is ${facts.funding.sharePercent}% of the margin above plan${allPrizes === null ? '' : `; every prize unlocks at ${formatMoney(allPrizes, facts.currency, 'en')} above plan`}.`,
      ];
}
