import {
  formatMoneyIn,
  formatShare,
  type DisplayLanguage,
  type PrizeResult,
} from '@podium/contest-model';
import type { ContestReport } from '../contests/contest-report.js';
import type { MailAttachment } from './mail.transport.js';

/** The languages messages are written in (a participant's; Russian by default). */
export type MailLanguage = DisplayLanguage;

/**
 * The kinds of e-mail, each switched off on its own by its unsubscribe link: the daily digest
 * and the contest results to participants, the final report to directors. The names are the
 * notification kinds of the other channels.
 */
export const MAIL_KINDS = ['dailyDigest', 'contestClosed', 'finalReport'] as const;
export type MailKind = (typeof MAIL_KINDS)[number];

/** A rendered message, before it is addressed. */
export interface RenderedMail {
  readonly subject: string;
  readonly text: string;
  readonly html: string;
  readonly attachments: readonly MailAttachment[];
}

/** What a message is made of; each renders once as plain text and once as HTML. */
type Block =
  | { readonly kind: 'paragraph'; readonly text: string }
  | { readonly kind: 'facts'; readonly rows: readonly (readonly [string, string])[] }
  | { readonly kind: 'list'; readonly items: readonly string[] }
  | { readonly kind: 'link'; readonly label: string; readonly url: string };

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Text as HTML: names and titles come from users and may hold markup. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => HTML_ESCAPES[char] ?? char);
}

const FOOTER = {
  ru: {
    unsubscribe: 'Не получать такие письма',
    sentBy: 'Письмо отправил Podium.',
  },
  en: {
    unsubscribe: 'Stop these e-mails',
    sentBy: 'Sent by Podium.',
  },
} as const;

/** The plain-text body: blocks separated by a blank line, links on their own line. */
function renderText(blocks: readonly Block[], footer: string, unsubscribe: string): string {
  const parts = blocks.map((block) => {
    switch (block.kind) {
      case 'paragraph':
        return block.text;
      case 'facts': {
        const width = Math.max(...block.rows.map(([label]) => label.length));
        return block.rows.map(([label, value]) => `${label.padEnd(width)}  ${value}`).join('\n');
      }
      case 'list':
        return block.items.map((item) => `- ${item}`).join('\n');
      case 'link':
        return `${block.label}: ${block.url}`;
    }
  });
  return [...parts, '--', footer, unsubscribe].join('\n\n') + '\n';
}

/** The HTML body: one column, inline styles only (mail clients drop style sheets). */
function renderHtml(
  title: string,
  blocks: readonly Block[],
  footer: string,
  unsubscribe: { label: string; url: string },
  language: MailLanguage,
): string {
  const body = blocks.map((block) => {
    switch (block.kind) {
      case 'paragraph':
        return `<p style="margin:0 0 16px">${escapeHtml(block.text)}</p>`;
      case 'facts':
        return `<table style="border-collapse:collapse;margin:0 0 16px">${block.rows
          .map(
            ([label, value]) =>
              `<tr><td style="padding:4px 16px 4px 0;color:#555">${escapeHtml(label)}</td><td style="padding:4px 0;font-weight:bold">${escapeHtml(value)}</td></tr>`,
          )
          .join('')}</table>`;
      case 'list':
        return `<ul style="margin:0 0 16px;padding-left:20px">${block.items
          .map((item) => `<li>${escapeHtml(item)}</li>`)
          .join('')}</ul>`;
      case 'link':
        return `<p style="margin:0 0 16px"><a href="${escapeHtml(block.url)}" style="color:#1a56db">${escapeHtml(block.label)}</a></p>`;
    }
  });
  return [
    '<!doctype html>',
    `<html lang="${language}"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head>`,
    '<body style="margin:0;padding:24px;font-family:Arial,Helvetica,sans-serif;font-size:15px;line-height:1.5;color:#111">',
    `<h1 style="font-size:20px;margin:0 0 16px">${escapeHtml(title)}</h1>`,
    ...body,
    `<p style="margin:24px 0 0;font-size:12px;color:#777">${escapeHtml(footer)} <a href="${escapeHtml(unsubscribe.url)}" style="color:#777">${escapeHtml(unsubscribe.label)}</a></p>`,
    '</body></html>',
  ].join('\n');
}

function render({
  language,
  subject,
  blocks,
  unsubscribeUrl,
  attachments = [],
}: {
  language: MailLanguage;
  subject: string;
  blocks: readonly Block[];
  unsubscribeUrl: string;
  attachments?: readonly MailAttachment[];
}): RenderedMail {
  const footer = FOOTER[language];
  return {
    subject,
    text: renderText(blocks, footer.sentBy, `${footer.unsubscribe}: ${unsubscribeUrl}`),
    html: renderHtml(
      subject,
      blocks,
      footer.sentBy,
      { label: footer.unsubscribe, url: unsubscribeUrl },
      language,
    ),
    attachments,
  };
}

const money = (language: MailLanguage, minor: number, currency: string) =>
  formatMoneyIn(language, { minor, currency });

/** Points as the screens show them: at most two decimals, the language's separators. */
function points(language: MailLanguage, value: number): string {
  return new Intl.NumberFormat(language === 'ru' ? 'ru-RU' : 'en-US', {
    maximumFractionDigits: 2,
  }).format(value);
}

/** A prize as a line: "1. Trip — Anna Petrova" or "1. Trip — not unlocked". */
function prizeLine(
  language: MailLanguage,
  prize: Pick<PrizeResult, 'place' | 'league' | 'title' | 'unlocked'>,
  winner: string | null,
): string {
  const place = prize.league === null ? `${prize.place}.` : `${prize.league}, ${prize.place}.`;
  const who = prize.unlocked
    ? (winner ?? (language === 'ru' ? 'без победителя' : 'no winner'))
    : language === 'ru'
      ? 'фонд не открыл этот приз'
      : 'the fund did not unlock it';
  return `${place} ${prize.title} — ${who}`;
}

// ---------------------------------------------------------------- the final report (directors)

/** The report's subject: also what the outbox row shows before the message is rendered. */
export const reportSubject = (language: MailLanguage, contestName: string) =>
  language === 'ru' ? `Итоговый отчёт: ${contestName}` : `Final report: ${contestName}`;

export interface ReportMailInput {
  readonly language: MailLanguage;
  readonly contestName: string;
  readonly period: { readonly start: string; readonly end: string };
  readonly report: ContestReport;
  /** The winners' names by participant id (the report names ids). */
  readonly names: ReadonlyMap<string, string>;
  /** The contest page, where the report is read and downloaded. */
  readonly contestUrl: string;
  /** The report's CSV, as `GET /api/contests/:id/report.csv` answers it. */
  readonly csv: MailAttachment;
  readonly unsubscribeUrl: string;
}

/**
 * The final report to a director (issue 18.4): the fund, the prizes paid, the ROI and the
 * incremental margin, the winners, and the report's CSV attached.
 */
export function reportMail(input: ReportMailInput): RenderedMail {
  const { language: l, report } = input;
  const ru = l === 'ru';
  const c = report.currency;
  const none = ru ? 'нет (сценарий не утверждён)' : 'n/a (no approved scenario)';
  const facts: [string, string][] = [
    [ru ? 'Период' : 'Period', `${input.period.start} — ${input.period.end}`],
    [ru ? 'Призовой фонд' : 'Prize fund', money(l, report.fundMinor, c)],
    [ru ? 'Выплачено призами' : 'Prizes paid', money(l, report.prizesPaidMinor, c)],
    [ru ? 'Маржа: план' : 'Margin: plan', money(l, report.planMarginMinor, c)],
    [ru ? 'Маржа: факт' : 'Margin: actual', money(l, report.actualMarginMinor, c)],
    [ru ? 'Сверхплановая маржа' : 'Above-plan margin', money(l, report.aboveplanMarginMinor, c)],
    ['ROI', report.roi === null ? '—' : formatShare(report.roi)],
    [
      ru ? 'Дополнительная маржа' : 'Incremental margin',
      report.incrementalMarginMinor === null ? none : money(l, report.incrementalMarginMinor, c),
    ],
    [
      ru ? 'ROI по дополнительной марже' : 'Incremental ROI',
      report.incrementalRoi === null ? '—' : formatShare(report.incrementalRoi),
    ],
  ];
  const prizes = report.prizes.map((prize) =>
    prizeLine(
      l,
      prize,
      prize.winnerParticipantId === null
        ? null
        : (input.names.get(prize.winnerParticipantId) ?? prize.winnerParticipantId),
    ),
  );
  return render({
    language: l,
    subject: reportSubject(l, input.contestName),
    blocks: [
      {
        kind: 'paragraph',
        text: ru
          ? `Конкурс «${input.contestName}» закрыт. Итоги и отчёт с таблицей во вложении (${input.csv.filename}).`
          : `The contest "${input.contestName}" is closed. Its results are below, the report's table is attached (${input.csv.filename}).`,
      },
      { kind: 'facts', rows: facts },
      { kind: 'paragraph', text: ru ? 'Призы и победители:' : 'Prizes and winners:' },
      { kind: 'list', items: prizes },
      {
        kind: 'link',
        label: ru ? 'Конкурс в Podium' : 'The contest in Podium',
        url: input.contestUrl,
      },
    ],
    unsubscribeUrl: input.unsubscribeUrl,
    attachments: [input.csv],
  });
}

// ---------------------------------------------------------- the results (participants)

/** The results' subject: also what the outbox row shows before the message is rendered. */
export const resultsSubject = (language: MailLanguage, contestName: string) =>
  language === 'ru' ? `Итоги конкурса «${contestName}»` : `Results of "${contestName}"`;

export interface ResultsMailInput {
  readonly language: MailLanguage;
  readonly participantName: string;
  readonly contestName: string;
  /** The reader's final place and points; null when they ended without a rank (not eligible). */
  readonly mine: { readonly rank: number; readonly points: number; readonly eligible: boolean };
  /** The prize the reader won, if any. */
  readonly prize: { readonly place: number; readonly title: string } | null;
  /** Every prize with its winner's name (null: nobody). */
  readonly winners: readonly {
    readonly prize: Pick<PrizeResult, 'place' | 'league' | 'title' | 'unlocked'>;
    readonly name: string | null;
  }[];
  /** The phone view, where the final standings stay. */
  readonly url: string;
  readonly unsubscribeUrl: string;
}

/** The contest's results to a participant: their place and points, their prize, the winners. */
export function resultsMail(input: ResultsMailInput): RenderedMail {
  const { language: l } = input;
  const ru = l === 'ru';
  const mine = ru
    ? `Ваше место: ${input.mine.rank}, баллов: ${points(l, input.mine.points)}.`
    : `Your place: ${input.mine.rank}, points: ${points(l, input.mine.points)}.`;
  const prize =
    input.prize === null
      ? input.mine.eligible
        ? ru
          ? 'В этот раз без приза — спасибо за борьбу!'
          : 'No prize this time — thank you for the race!'
        : ru
          ? 'Условия допуска к призам не выполнены.'
          : 'The conditions to qualify for a prize were not met.'
      : ru
        ? `Поздравляем: ваш приз за ${input.prize.place}-е место — «${input.prize.title}».`
        : `Congratulations: you won place ${input.prize.place}, "${input.prize.title}".`;
  return render({
    language: l,
    subject: resultsSubject(l, input.contestName),
    blocks: [
      {
        kind: 'paragraph',
        text: ru
          ? `${input.participantName}, конкурс «${input.contestName}» завершён.`
          : `${input.participantName}, the contest "${input.contestName}" is over.`,
      },
      { kind: 'paragraph', text: `${mine} ${prize}` },
      { kind: 'paragraph', text: ru ? 'Победители:' : 'Winners:' },
      { kind: 'list', items: input.winners.map((each) => prizeLine(l, each.prize, each.name)) },
      { kind: 'link', label: ru ? 'Итоговая таблица' : 'The final standings', url: input.url },
    ],
    unsubscribeUrl: input.unsubscribeUrl,
  });
}

// ---------------------------------------------------------- the daily digest (participants)

export interface DigestContestLine {
  readonly contestName: string;
  readonly rank: number;
  readonly participants: number;
  readonly points: number;
  /** Points to the next place up; null for the leader. */
  readonly toNextPlace: number | null;
  /** Does the reader hold a prize place now? */
  readonly holdsPrize: boolean;
  /** Points to the nearest prize place when not holding one; null when unknown or none. */
  readonly toPrize: number | null;
  /** The forecast's chance of a prize (0–1), when a forecast exists. */
  readonly pPrize: number | null;
  readonly url: string;
}

export interface DigestMailInput {
  readonly language: MailLanguage;
  readonly participantName: string;
  /** The day the digest is about (`2026-12-06`, the company's time zone). */
  readonly date: string;
  readonly contests: readonly DigestContestLine[];
  readonly unsubscribeUrl: string;
}

/** The digest's subject: also what the outbox row shows before the message is rendered. */
export const digestSubject = (language: MailLanguage, date: string) =>
  language === 'ru' ? `Ваш рейтинг на ${date}` : `Your standing on ${date}`;

/** The daily digest: per live contest, the rank, the points, what it takes, the chance. */
export function digestMail(input: DigestMailInput): RenderedMail {
  const { language: l } = input;
  const ru = l === 'ru';
  const blocks: Block[] = [
    {
      kind: 'paragraph',
      text: ru
        ? `${input.participantName}, ваши конкурсы на ${input.date}:`
        : `${input.participantName}, your contests on ${input.date}:`,
    },
  ];
  for (const line of input.contests) {
    const rows: [string, string][] = [
      [
        ru ? 'Место' : 'Place',
        ru ? `${line.rank} из ${line.participants}` : `${line.rank} of ${line.participants}`,
      ],
      [ru ? 'Баллы' : 'Points', points(l, line.points)],
    ];
    if (line.toNextPlace !== null) {
      rows.push([
        ru ? 'До следующего места' : 'To the next place',
        `+${points(l, line.toNextPlace)}`,
      ]);
    }
    if (line.holdsPrize) {
      rows.push([
        ru ? 'Призовое место' : 'Prize place',
        ru ? 'вы на призовом месте' : 'you hold a prize place',
      ]);
    } else if (line.toPrize !== null) {
      rows.push([ru ? 'До призового места' : 'To a prize place', `+${points(l, line.toPrize)}`]);
    }
    if (line.pPrize !== null) {
      rows.push([
        ru ? 'Шанс на приз (прогноз)' : 'Chance of a prize (forecast)',
        formatShare(line.pPrize),
      ]);
    }
    blocks.push(
      { kind: 'paragraph', text: `«${line.contestName}»` },
      { kind: 'facts', rows },
      { kind: 'link', label: ru ? 'Открыть' : 'Open', url: line.url },
    );
  }
  return render({
    language: l,
    subject: digestSubject(l, input.date),
    blocks,
    unsubscribeUrl: input.unsubscribeUrl,
  });
}
