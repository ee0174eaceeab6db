import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer, type SMTPServerAddress } from 'smtp-server';

/** A message as the server received it: the SMTP envelope, the raw bytes and the parsed MIME. */
export interface ReceivedMail {
  readonly from: string;
  readonly to: readonly string[];
  readonly raw: Buffer;
  readonly parsed: ParsedMail;
}

/** A reply the server gives instead of accepting a recipient (`450` busy, `550` no mailbox). */
export interface SmtpRefusal {
  readonly code: number;
  readonly message: string;
}

/**
 * A local SMTP server on 127.0.0.1 (nodemailer's smtp-server: the real protocol, EHLO, AUTH
 * PLAIN/LOGIN, MAIL FROM, RCPT TO, DATA), which keeps what it receives for the tests to read.
 * No TLS: STARTTLS is not offered, so a client sends in the clear on the loopback. With `auth` it
 * requires that user and password. `refuse` makes it answer RCPT TO for an address with a reply
 * code of the test's choosing, as a real server refuses a recipient. `holdData` never answers a
 * message's DATA: the client waits, as with a server that hangs after taking the bytes.
 */
export class FakeSmtp {
  readonly received: ReceivedMail[] = [];
  /** Every AUTH attempt's user name (never the password), in order. */
  readonly logins: string[] = [];
  /** Messages whose DATA arrived and was never answered (`holdData`): not delivered. */
  readonly held: Buffer[] = [];
  private readonly refusals = new Map<string, { refusal: SmtpRefusal; times: number }>();
  private readonly waiters = new Set<() => void>();

  private constructor(
    private readonly server: SMTPServer,
    readonly port: number,
  ) {}

  static async start({
    auth,
    port = 0,
    holdData = false,
  }: {
    auth?: { user: string; pass: string };
    port?: number;
    holdData?: boolean;
  } = {}): Promise<FakeSmtp> {
    let fake: FakeSmtp | null = null;
    const server = new SMTPServer({
      secure: false,
      disabledCommands: ['STARTTLS'],
      authOptional: auth === undefined,
      allowInsecureAuth: true,
      logger: false,
      onAuth(credentials, _session, callback) {
        fake?.logins.push(credentials.username ?? '');
        if (
          auth !== undefined &&
          credentials.username === auth.user &&
          credentials.password === auth.pass
        ) {
          callback(null, { user: credentials.username });
          return;
        }
        callback(Object.assign(new Error('Invalid username or password'), { responseCode: 535 }));
      },
      onRcptTo(address: SMTPServerAddress, _session, callback) {
        const refusal = fake?.refusalFor(address.address) ?? null;
        if (refusal === null) {
          callback();
          return;
        }
        callback(Object.assign(new Error(refusal.message), { responseCode: refusal.code }));
      },
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          const raw = Buffer.concat(chunks);
          if (holdData) {
            fake?.held.push(raw);
            return;
          }
          simpleParser(raw)
            .then((parsed) => {
              const from = session.envelope.mailFrom;
              fake?.accept({
                from: from === false ? '' : from.address,
                to: session.envelope.rcptTo.map((each) => each.address),
                raw,
                parsed,
              });
              callback();
            })
            .catch((error: unknown) => callback(error as Error));
        });
      },
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    fake = new FakeSmtp(server, (server.server.address() as AddressInfo).port);
    return fake;
  }

  /** `smtp://user:pass@127.0.0.1:<port>` (without credentials when none are given). */
  url(auth?: { user: string; pass: string }): string {
    const credentials =
      auth === undefined
        ? ''
        : `${encodeURIComponent(auth.user)}:${encodeURIComponent(auth.pass)}@`;
    return `smtp://${credentials}127.0.0.1:${this.port}`;
  }

  /** Refuses RCPT TO `address` with this reply, `times` times (then accepts it again). */
  refuse(address: string, refusal: SmtpRefusal, times = Number.POSITIVE_INFINITY): void {
    this.refusals.set(address.toLowerCase(), { refusal, times });
  }

  /** The messages received for `address`. */
  to(address: string): ReceivedMail[] {
    return this.received.filter((mail) => mail.to.includes(address.toLowerCase()));
  }

  /** Waits until `check` holds on what was received (re-checked on each new message). */
  async waitFor(check: (received: readonly ReceivedMail[]) => boolean): Promise<void> {
    while (!check(this.received)) {
      await new Promise<void>((resolve) => this.waiters.add(resolve));
    }
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private refusalFor(address: string): SmtpRefusal | null {
    const entry = this.refusals.get(address.toLowerCase());
    if (entry === undefined || entry.times <= 0) return null;
    entry.times -= 1;
    return entry.refusal;
  }

  private accept(mail: ReceivedMail): void {
    this.received.push({ ...mail, to: mail.to.map((address) => address.toLowerCase()) });
    for (const wake of this.waiters) wake();
    this.waiters.clear();
  }
}
