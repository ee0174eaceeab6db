import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { testConfig } from '../../../../tests/support/app.js';
import { FakeSmtp } from '../../../../tests/support/fake-smtp.js';
import {
  classifyMailError,
  MailSendError,
  MailTransport,
  type MailMessage,
} from './mail.transport.js';

const AUTH = { user: 'podium@example.com', pass: 'pa:ss w0rd/secret' };
const FROM = 'Podium <podium@example.com>';

const message = (overrides: Partial<MailMessage> = {}): MailMessage => ({
  to: 'director@example.com',
  subject: 'Итоговый отчёт: Весна',
  text: 'Привет\n',
  html: '<p>Привет</p>',
  key: 'finalReport:contest-1:director@example.com',
  attachments: [
    {
      filename: 'report-1.csv',
      contentType: 'text/csv; charset=utf-8',
      content: Buffer.from('\uFEFFfield,value\r\nroi,1.5\r\n'),
    },
  ],
  unsubscribeUrl: 'http://podium.test/api/unsubscribe/abc.def',
  ...overrides,
});

/** A TCP port nothing listens on: taken, then freed. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const transportFor = (smtpUrl: string) =>
  new MailTransport(testConfig({ mail: { smtpUrl, from: FROM } }));

async function failureOf(promise: Promise<unknown>): Promise<MailSendError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof MailSendError) return error;
    throw error;
  }
  throw new Error('the send succeeded');
}

describe(MailTransport.name, () => {
  let smtp: FakeSmtp;

  beforeAll(async () => {
    smtp = await FakeSmtp.start({ auth: AUTH });
  });

  afterAll(async () => {
    await smtp.close();
  });

  it('is off without SMTP_URL, and refuses to send then (permanently)', async () => {
    const sut = new MailTransport(testConfig());
    expect(sut.enabled).toBe(false);
    const error = await failureOf(sut.send(message()));
    expect(error.retryable).toBe(false);
    expect(error.message).toContain('SMTP_URL');
  });

  it('sends over SMTP with the URL’s credentials: From, both bodies, the CSV, the message id and the unsubscribe headers', async () => {
    const sut = transportFor(smtp.url(AUTH));
    expect(sut.enabled).toBe(true);
    const sent = await sut.send(message());
    expect(sent.messageId).toBe('<finalReport:contest-1:director@example.com@podium>');
    expect(sent.response).toMatch(/^250/);
    const [mail] = smtp.to('director@example.com');
    expect(smtp.logins.at(-1)).toBe(AUTH.user);
    expect(mail?.from).toBe('podium@example.com');
    expect(mail?.parsed.subject).toBe('Итоговый отчёт: Весна');
    expect(mail?.parsed.from?.value[0]).toMatchObject({
      name: 'Podium',
      address: 'podium@example.com',
    });
    expect(mail?.parsed.text).toBe('Привет\n');
    expect(mail?.parsed.html).toContain('<p>Привет</p>');
    expect(mail?.parsed.messageId).toBe(sent.messageId);
    const raw = String(mail?.raw);
    expect(raw).toMatch(/^List-Unsubscribe-Post: List-Unsubscribe=One-Click\r$/m);
    expect(raw).toMatch(/^List-Unsubscribe: <http:\/\/podium\.test\/api\/unsubscribe\/abc\.def>/m);
    const csv = mail?.parsed.attachments[0];
    expect(csv?.filename).toBe('report-1.csv');
    expect(csv?.contentType).toBe('text/csv');
    expect(csv?.content.toString('utf8')).toBe('\uFEFFfield,value\r\nroi,1.5\r\n');
    sut.onApplicationShutdown();
  });

  it('classifies a 4xx reply as retryable and a 5xx reply as permanent', async () => {
    const sut = transportFor(smtp.url(AUTH));
    smtp.refuse('busy@example.com', { code: 450, message: 'Mailbox busy, try later' }, 1);
    const busy = await failureOf(sut.send(message({ to: 'busy@example.com' })));
    expect(busy).toMatchObject({ retryable: true, responseCode: 450 });
    // Accepted on the next try, as a temporary refusal promises.
    await sut.send(message({ to: 'busy@example.com' }));
    expect(smtp.to('busy@example.com')).toHaveLength(1);

    smtp.refuse('nobody@example.com', { code: 550, message: 'No such user here' });
    const missing = await failureOf(sut.send(message({ to: 'nobody@example.com' })));
    expect(missing).toMatchObject({ retryable: false, responseCode: 550 });
    expect(missing.message).toContain('No such user');
    sut.onApplicationShutdown();
  });

  it('never puts the credentials in an error, and a refused login is permanent', async () => {
    const wrong = { user: 'podium@example.com', pass: 'wrong-s3cret-pass' };
    const sut = transportFor(smtp.url(wrong));
    const error = await failureOf(sut.send(message()));
    expect(error).toMatchObject({ retryable: false, responseCode: 535 });
    expect(error.message).not.toContain('wrong-s3cret-pass');
    sut.onApplicationShutdown();
  });

  it('classifies a server that does not answer the connection as retryable', async () => {
    const sut = transportFor(`smtp://user:s3cret-pw@127.0.0.1:${await closedPort()}`);
    const error = await failureOf(sut.send(message()));
    expect(error.retryable).toBe(true);
    expect(error.code).toBe('ESOCKET');
    expect(error.message).not.toContain('s3cret-pw');
    sut.onApplicationShutdown();
  });

  it('cuts the credentials out of any error text and tells 503 from other 5xx replies', () => {
    const secret = 'p@ss:w/rd';
    const error = classifyMailError(
      { message: `login ${encodeURIComponent(secret)} and ${secret} refused`, responseCode: 421 },
      [secret, encodeURIComponent(secret)],
    );
    expect(error.message).toBe('login *** and *** refused');
    expect(error.retryable).toBe(true);
    expect(classifyMailError({ responseCode: 503, message: 'bad sequence' }).retryable).toBe(true);
    expect(classifyMailError({ responseCode: 552, message: 'too big' }).retryable).toBe(false);
    expect(classifyMailError({ code: 'EENVELOPE', message: 'no recipients' }).retryable).toBe(
      false,
    );
    expect(classifyMailError({ code: 'ETIMEDOUT', message: 'timeout' }).retryable).toBe(true);
  });
});
