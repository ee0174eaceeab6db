import { describe, expect, it } from '@jest/globals';
import type { ContestReport } from '../contests/contest-report.js';
import { digestMail, reportMail, resultsMail } from './mail.templates.js';

const report: ContestReport = {
  currency: 'RUB',
  planMarginMinor: 10_000_000,
  actualMarginMinor: 15_000_000,
  aboveplanMarginMinor: 5_000_000,
  fundMinor: 1_500_000,
  prizesPaidMinor: 1_000_000,
  prizes: [
    {
      place: 1,
      league: null,
      title: 'Trip <to Sochi>',
      costMinor: 1_000_000,
      amountMinor: 1_000_000,
      unlocked: true,
      paidMinor: 1_000_000,
      winnerParticipantId: 'p1',
      requiredFundMinor: null,
      missingFundMinor: null,
      missingAboveplanMarginMinor: null,
      missingTurnoverMinor: null,
    },
    {
      place: 2,
      league: null,
      title: 'Phone',
      costMinor: 800_000,
      amountMinor: 800_000,
      unlocked: false,
      paidMinor: 0,
      winnerParticipantId: null,
      requiredFundMinor: 1_800_000,
      missingFundMinor: 300_000,
      missingAboveplanMarginMinor: 1_000_000,
      missingTurnoverMinor: null,
    },
  ],
  roi: 4,
  baselineMarginMinor: 12_000_000,
  incrementalMarginMinor: 3_000_000,
  incrementalRoi: 2,
};

const [trip, phone] = report.prizes as [
  ContestReport['prizes'][number],
  ContestReport['prizes'][number],
];

const csv = {
  filename: 'report-c1.csv',
  contentType: 'text/csv; charset=utf-8',
  content: Buffer.from('field,value\r\n'),
};

const reportInput = (language: 'ru' | 'en') => ({
  language,
  contestName: 'Весна & "лето"',
  period: { start: '2026-03-01', end: '2026-04-01' },
  report,
  names: new Map([['p1', 'Anna <b>Petrova</b>']]),
  contestUrl: 'http://podium.test/contests/c1',
  csv,
  unsubscribeUrl: 'http://podium.test/api/unsubscribe/a.b',
});

describe('e-mail templates', () => {
  it('writes the final report in Russian: fund, prizes paid, ROI, incremental margin, winners, CSV', () => {
    const sut = reportMail(reportInput('ru'));
    expect(sut.subject).toBe('Итоговый отчёт: Весна & "лето"');
    expect(sut.attachments).toEqual([csv]);
    const text = sut.text.replace(/\u00a0|\u202f/g, ' ');
    expect(text).toMatch(/Призовой фонд\s+15 000 ₽/);
    expect(text).toMatch(/Выплачено призами\s+10 000 ₽/);
    expect(text).toMatch(/ROI\s+400 %/);
    expect(text).toMatch(/Дополнительная маржа\s+30 000 ₽/);
    expect(text).toMatch(/ROI по дополнительной марже\s+200 %/);
    expect(text).toContain('- 1. Trip <to Sochi> — Anna <b>Petrova</b>');
    expect(text).toContain('- 2. Phone — фонд не открыл этот приз');
    expect(text).toContain('report-c1.csv');
    expect(text).toContain('Не получать такие письма: http://podium.test/api/unsubscribe/a.b');
  });

  it('writes the final report in English, and its HTML escapes what users typed', () => {
    const sut = reportMail(reportInput('en'));
    expect(sut.subject).toBe('Final report: Весна & "лето"');
    const text = sut.text.replace(/\u00a0|\u202f/g, ' ');
    expect(text).toMatch(/Prize fund\s+₽15,000/);
    expect(text).toMatch(/Incremental margin\s+₽30,000/);
    expect(sut.html).toContain('<html lang="en">');
    expect(sut.html).toContain('Trip &lt;to Sochi&gt; — Anna &lt;b&gt;Petrova&lt;/b&gt;');
    expect(sut.html).toContain('Весна &amp; &quot;лето&quot;');
    expect(sut.html).not.toContain('<b>Petrova');
    expect(sut.html).toContain('href="http://podium.test/api/unsubscribe/a.b"');
    expect(sut.html).toContain('href="http://podium.test/contests/c1"');
  });

  it('says when no scenario was approved, so the incremental margin is unknown', () => {
    const sut = reportMail({
      ...reportInput('en'),
      report: { ...report, incrementalMarginMinor: null, incrementalRoi: null },
    });
    expect(sut.text).toMatch(/Incremental margin\s+n\/a \(no approved scenario\)/);
    expect(sut.text).toMatch(/Incremental ROI\s+—/);
  });

  it('tells a participant their place, their prize and the winners, in their language', () => {
    const input = {
      participantName: 'Anna',
      contestName: 'Spring',
      mine: { rank: 1, points: 123.456, eligible: true },
      prize: { place: 1, title: 'Trip' },
      winners: [
        { prize: trip, name: 'Anna' },
        { prize: phone, name: null },
      ],
      url: 'http://podium.test/m',
      unsubscribeUrl: 'http://podium.test/api/unsubscribe/c.d',
    };
    const ru = resultsMail({ ...input, language: 'ru' });
    expect(ru.subject).toBe('Итоги конкурса «Spring»');
    expect(ru.text.replace(/\u00a0/g, ' ')).toContain('Ваше место: 1, баллов: 123,46.');
    expect(ru.text).toContain('ваш приз за 1-е место — «Trip»');
    expect(ru.attachments).toEqual([]);
    const en = resultsMail({
      ...input,
      language: 'en',
      mine: { rank: 7, points: 10, eligible: false },
      prize: null,
    });
    expect(en.text).toContain('Your place: 7, points: 10.');
    expect(en.text).toContain('conditions to qualify for a prize were not met');
    expect(en.text).toContain('- 2. Phone — the fund did not unlock it');
  });

  it('sums up the day per contest: rank, points, what it takes, the chance', () => {
    const sut = digestMail({
      language: 'en',
      participantName: 'Anna',
      date: '2026-12-06',
      contests: [
        {
          contestName: 'Sprint',
          rank: 4,
          participants: 40,
          points: 88.5,
          toNextPlace: 1.25,
          holdsPrize: false,
          toPrize: 6,
          pPrize: 0.31,
          url: 'http://podium.test/m',
        },
        {
          contestName: 'Marathon',
          rank: 1,
          participants: 40,
          points: 120,
          toNextPlace: null,
          holdsPrize: true,
          toPrize: null,
          pPrize: null,
          url: 'http://podium.test/m',
        },
      ],
      unsubscribeUrl: 'http://podium.test/api/unsubscribe/e.f',
    });
    expect(sut.subject).toBe('Your standing on 2026-12-06');
    expect(sut.text).toMatch(/Place\s+4 of 40/);
    expect(sut.text).toMatch(/To the next place\s+\+1\.25/);
    expect(sut.text).toMatch(/To a prize place\s+\+6/);
    expect(sut.text).toMatch(/Chance of a prize \(forecast\)\s+31 %/);
    expect(sut.text).toMatch(/Prize place\s+you hold a prize place/);
    expect(sut.text.match(/Chance of a prize/g)).toHaveLength(1);
  });
});
