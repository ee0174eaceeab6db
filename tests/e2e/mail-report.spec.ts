import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { LifecycleService } from '../../apps/api/src/contests/lifecycle.service.js';
import { UnsubscribeService } from '../../apps/api/src/mail/unsubscribe.service.js';
import { login } from '../support/app.js';
import { CrmWorld } from '../support/crm.js';
import { FakeSmtp } from '../support/fake-smtp.js';
import { request } from '../support/http.js';
import { LAUNCH_PAST_GATE } from '../support/launch-gate.js';

const AUTH = { user: 'podium@mail.test', pass: 'smtp s3cret/pass' };
const PASSWORD = 'mail-report-password';

interface Notification {
  kind: string;
  channel: string;
  email: string | null;
  state: string;
  attempts: number;
}

/**
 * Issue 18's acceptance line: with SMTP_URL pointing at a local SMTP server, closing a contest
 * mails each director the report with its CSV attached — the same CSV the director downloads —
 * and each participant with an e-mail their results. Each message is sent once and recorded.
 */
describe('the final report by e-mail', () => {
  let smtp: FakeSmtp;
  let world: CrmWorld;
  const directors = ['olga@mail.test', 'pavel@mail.test'];

  // Each test has its own API, database and SMTP server: each closes contests by the clock, which
  // would close the other's too.
  beforeEach(async () => {
    smtp = await FakeSmtp.start({ auth: AUTH });
    world = new CrmWorld({
      mail: { smtpUrl: smtp.url(AUTH), from: 'Podium <podium@mail.test>' },
      publicUrl: 'https://podium.mail.test',
    });
    await world.start();
    for (const [email, role, participantId] of [
      [directors[0], 'director', null],
      [directors[1], 'director', null],
      ['manager@mail.test', 'manager', null],
      ['anna@mail.test', 'seller', 'anna'],
    ] as const) {
      const user = await world.admin('POST', '/api/users', {
        email,
        password: PASSWORD,
        role,
        participantId,
      });
      expect(user.status).toBe(201);
    }
    const sales = [
      ['mail-1', 'anna', 40_000_000, 8_000_000],
      ['mail-2', 'boris', 10_000_000, 2_000_000],
    ] as const;
    const posted = await world.admin(
      'POST',
      '/api/events',
      sales.map(([externalId, participantId, amountMinor, marginMinor]) => ({
        type: 'sale',
        source: 'crm',
        externalId,
        participantId,
        occurredAt: '2026-03-10T09:00:00Z',
        amountMinor,
        marginMinor,
      })),
    );
    expect(posted.status).toBe(201);
  });

  afterEach(async () => {
    await world?.stop();
    await smtp?.close();
  });

  it('mails each director the report with its CSV attached when the contest closes', async () => {
    expect(smtp.received).toEqual([]);
    world.clock.set('2026-04-02T08:00:00Z');
    await world.sut.app.get(LifecycleService).tick();
    const closed = await world.admin('POST', `/api/contests/${world.contestId}/close`);
    expect(closed.body).toMatchObject({ state: 'closed' });

    await smtp.waitFor(
      (received) =>
        directors.every((email) => received.some((mail) => mail.to.includes(email))) &&
        received.some((mail) => mail.to.includes('anna@mail.test')),
    );

    for (const email of directors) {
      const [mail, ...more] = smtp.to(email);
      expect(more).toEqual([]);
      expect(mail?.parsed.subject).toBe('Итоговый отчёт: March margin');
      expect(mail?.from).toBe('podium@mail.test');
      // Margin 100,000.00 − plan 40,000.00 = 60,000.00 above plan; 40 % of it is the fund.
      const text = (mail?.parsed.text ?? '').replace(/\u00a0|\u202f/g, ' ');
      expect(text).toMatch(/Призовой фонд\s+24 000 ₽/);
      expect(text).toMatch(/Выплачено призами\s+10 000 ₽/);
      expect(text).toContain('1. Trip — Anna');
      expect(mail?.parsed.html).toContain('https://podium.mail.test/contests/');
      expect(text).toMatch(/https:\/\/podium\.mail\.test\/api\/unsubscribe\/[\w-]+\.[\w-]+/);

      const [csv, ...others] = mail?.parsed.attachments ?? [];
      expect(others).toEqual([]);
      expect(csv?.filename).toBe(`report-${world.contestId}.csv`);
      expect(csv?.contentType).toBe('text/csv');
      // The same bytes the director downloads.
      const token = await login(world.sut.url, { email, password: PASSWORD });
      const download = await request(
        world.sut.url,
        'GET',
        `/api/contests/${world.contestId}/report.csv`,
        { token },
      );
      expect(download.status).toBe(200);
      const bytes = Buffer.from(await download.arrayBuffer());
      expect(csv?.content.equals(bytes)).toBe(true);
      const lines =
        csv?.content
          .toString('utf8')
          .replace(/^\uFEFF/, '')
          .split('\r\n') ?? [];
      expect(lines).toEqual(
        expect.arrayContaining([
          'field,value',
          'contest,March margin',
          'fund_rub,24000.00',
          'prizes_paid_rub,10000.00',
        ]),
      );
    }

    const [results, ...again] = smtp.to('anna@mail.test');
    expect(again).toEqual([]);
    expect(results?.parsed.subject).toBe('Итоги конкурса «March margin»');
    expect(results?.parsed.text).toContain('Ваше место: 1');
    expect(results?.parsed.attachments).toEqual([]);
    expect(smtp.to('manager@mail.test')).toEqual([]);

    const recorded = await world.admin('GET', '/api/notifications?channel=email');
    const rows = recorded.body as unknown as Notification[];
    expect(
      rows
        .map((row) => [row.kind, row.email, row.state, row.attempts])
        .sort((a, b) => String(a[1]).localeCompare(String(b[1]))),
    ).toEqual([
      ['contestClosed', 'anna@mail.test', 'sent', 1],
      ['finalReport', 'olga@mail.test', 'sent', 1],
      ['finalReport', 'pavel@mail.test', 'sent', 1],
    ]);
  });

  it('skips an address that unsubscribed, fails a refused one, retries a busy one, and an admin retry sends it', async () => {
    // March is closed and its mail sent first, so that what follows is April's alone.
    world.clock.set('2026-04-02T08:00:00Z');
    const lifecycle = world.sut.app.get(LifecycleService);
    await lifecycle.tick();
    expect((await world.admin('POST', `/api/contests/${world.contestId}/close`)).status).toBe(200);
    await smtp.waitFor((received) => received.length === 3);

    // Olga has switched the final reports off with the link of one she got.
    const link = world.sut.app
      .get(UnsubscribeService)
      .linkFor({ email: directors[0] ?? '', kind: 'finalReport', language: 'ru' });
    expect((await request(world.sut.url, 'POST', new URL(link).pathname)).status).toBe(200);
    // Pavel's mailbox is gone for now (a permanent refusal); Anna's is busy once (temporary).
    smtp.refuse(directors[1] ?? '', { code: 550, message: 'Mailbox unavailable' }, 1);
    smtp.refuse('anna@mail.test', { code: 451, message: 'Try again later' }, 1);

    // April's contest, closed by the clock this time.
    const file = await world.admin('GET', `/api/contests/${world.contestId}/file`);
    const april = await world.admin('POST', '/api/contests', {
      ...file.body,
      name: 'April margin',
      period: { start: '2026-04-01', end: '2026-05-01' },
    });
    expect(april.status).toBe(201);
    const aprilId = april.body.id as string;
    expect(
      (await world.admin('POST', `/api/contests/${aprilId}/launch`, LAUNCH_PAST_GATE)).body.state,
    ).toBe('live');
    world.clock.set('2026-05-05T08:00:00Z');
    await lifecycle.tick();
    await lifecycle.tick();
    expect((await world.admin('GET', `/api/contests/${aprilId}`)).body.state).toBe('closed');

    const aprilRows = async () =>
      (
        (await world.admin('GET', '/api/notifications?channel=email'))
          .body as unknown as (Notification & {
          id: number;
          lastError: string | null;
          text: string | null;
        })[]
      ).filter((row) => row.text?.includes('April margin'));
    const settled = (rows: Awaited<ReturnType<typeof aprilRows>>) =>
      rows.length === 3 && rows.every((row) => row.state !== 'queued' && row.state !== 'sending');
    let rows = await aprilRows();
    while (!settled(rows)) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      rows = await aprilRows();
    }
    const byEmail = new Map(rows.map((row) => [row.email, row]));
    expect(byEmail.get(directors[0] ?? '')).toMatchObject({
      kind: 'finalReport',
      state: 'skipped',
      attempts: 0,
    });
    const pavel = byEmail.get(directors[1] ?? '');
    expect(pavel).toMatchObject({ kind: 'finalReport', state: 'failed', attempts: 1 });
    expect(pavel?.lastError).toContain('Mailbox unavailable');
    // Busy once, then accepted on the retry after the backoff.
    expect(byEmail.get('anna@mail.test')).toMatchObject({
      kind: 'contestClosed',
      state: 'sent',
      attempts: 2,
    });
    const aprilMail = (email: string) =>
      smtp.to(email).filter((mail) => mail.parsed.subject?.includes('April margin'));
    expect(aprilMail('anna@mail.test')).toHaveLength(1);
    expect(aprilMail(directors[0] ?? '')).toEqual([]);
    expect(aprilMail(directors[1] ?? '')).toEqual([]);

    // Pavel's mailbox is back: the admin sends the failed report again.
    const retried = await world.admin('POST', `/api/notifications/${pavel?.id}/retry`);
    expect(retried.status).toBe(200);
    await smtp.waitFor(() => aprilMail(directors[1] ?? '').length === 1);
    const [report] = aprilMail(directors[1] ?? '');
    expect(report?.parsed.attachments[0]?.filename).toBe(`report-${aprilId}.csv`);
    let after = (await aprilRows()).find((row) => row.email === directors[1]);
    while (after?.state !== 'sent') {
      await new Promise((resolve) => setTimeout(resolve, 200));
      after = (await aprilRows()).find((row) => row.email === directors[1]);
    }
    expect(after).toMatchObject({ state: 'sent', attempts: 2, lastError: null });
  });
});
