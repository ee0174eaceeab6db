import { Injectable } from '@nestjs/common';
import type { UserPrincipal } from '../auth/principal.js';
import { USER_ROLES, type UserRole } from '../auth/principal.js';
import { PublicUrl } from '../common/public-url.js';
import { ResultsService } from '../contests/results.service.js';
import { ExportsService } from '../exports/exports.service.js';
import { MailRecipientsRepository } from './mail-recipients.repository.js';
import {
  digestMail,
  reportMail,
  resultsMail,
  type DigestMailInput,
  type MailKind,
  type MailLanguage,
  type RenderedMail,
} from './mail.templates.js';
import type { MailMessage } from './mail.transport.js';
import { UnsubscribeService } from './unsubscribe.service.js';

/** What an e-mail's outbox row carries: enough to render it when it is sent. */
export type MailPayload =
  | { readonly contestId: string }
  | { readonly contestId: string; readonly participantId: string }
  | Omit<DigestMailInput, 'language' | 'unsubscribeUrl'>;

/** One e-mail of the outbox, as the composer needs it. */
export interface MailToCompose {
  readonly kind: MailKind;
  readonly email: string;
  readonly language: MailLanguage;
  readonly payload: Readonly<Record<string, unknown>>;
  readonly idempotencyKey: string;
}

/** Thrown when a message can no longer be made (its reader's account is gone): not retried. */
export class MailUnavailableError extends Error {}

/** A principal that reads as the recipient reads: the CSV and the standings they may see. */
function readerOf(user: {
  userId: string;
  email: string;
  participantId: string | null;
  role: string;
}): UserPrincipal {
  const role = (USER_ROLES as readonly string[]).includes(user.role)
    ? (user.role as UserRole)
    : null;
  if (role === null) throw new MailUnavailableError(`the user ${user.email} has no known role`);
  return {
    kind: 'user',
    userId: user.userId,
    email: user.email,
    role,
    participantId: user.participantId,
    // No session stands behind it: the message is read as this user, now.
    sessionId: `mail:${user.userId}`,
    expiresAt: new Date(Date.now() + 60_000),
  };
}

/**
 * Renders an e-mail of the outbox when it is sent, from what the row names (a contest, a
 * participant) and what is stored: the final report and standings are frozen at the close, so a
 * message rendered late says what it would have said at once, and the row stays small (the CSV is
 * not stored twice). Each message is read as its recipient: a director gets the report's CSV as
 * `GET /api/contests/:id/report.csv` answers them, a seller the standings their phone shows.
 */
@Injectable()
export class MailComposer {
  constructor(
    private readonly results: ResultsService,
    private readonly exports: ExportsService,
    private readonly recipients: MailRecipientsRepository,
    private readonly unsubscribe: UnsubscribeService,
    private readonly publicUrl: PublicUrl,
  ) {}

  async compose(mail: MailToCompose): Promise<MailMessage> {
    const unsubscribeUrl = this.unsubscribe.linkFor({
      email: mail.email,
      kind: mail.kind,
      language: mail.language,
    });
    const rendered = await this.render(mail, unsubscribeUrl);
    return {
      to: mail.email,
      subject: rendered.subject,
      text: rendered.text,
      html: rendered.html,
      attachments: rendered.attachments,
      key: mail.idempotencyKey,
      unsubscribeUrl,
    };
  }

  private async render(mail: MailToCompose, unsubscribeUrl: string): Promise<RenderedMail> {
    const language = mail.language;
    switch (mail.kind) {
      case 'finalReport': {
        const contestId = stringField(mail.payload, 'contestId');
        const reader = readerOf(await this.reader(mail.email));
        const [report, standings, csv] = await Promise.all([
          this.results.report(contestId),
          this.results.standingsOf(contestId, reader),
          this.exports.report(contestId, 'csv', reader),
        ]);
        return reportMail({
          language,
          contestName: standings.name,
          period: standings.period,
          report,
          names: new Map(standings.standings.map((row) => [row.participantId, row.name])),
          contestUrl: this.publicUrl.of(`/contests/${contestId}`),
          csv: { filename: csv.filename, contentType: csv.contentType, content: csv.bytes },
          unsubscribeUrl,
        });
      }
      case 'contestClosed': {
        const contestId = stringField(mail.payload, 'contestId');
        const participantId = stringField(mail.payload, 'participantId');
        const reader = readerOf(await this.reader(mail.email));
        const [report, standings] = await Promise.all([
          this.results.report(contestId),
          this.results.standingsOf(contestId, reader),
        ]);
        const names = new Map(standings.standings.map((row) => [row.participantId, row.name]));
        const mine = standings.standings.find((row) => row.participantId === participantId);
        if (mine === undefined) {
          throw new MailUnavailableError(`${participantId} is not in the contest ${contestId}`);
        }
        const won = report.prizes.find((prize) => prize.winnerParticipantId === participantId);
        return resultsMail({
          language,
          participantName: mine.name,
          contestName: standings.name,
          mine: { rank: mine.rank, points: mine.points, eligible: mine.eligible },
          prize: won === undefined ? null : { place: won.place, title: won.title },
          winners: report.prizes.map((prize) => ({
            prize,
            name:
              prize.winnerParticipantId === null
                ? null
                : (names.get(prize.winnerParticipantId) ?? prize.winnerParticipantId),
          })),
          url: this.publicUrl.of(`/m/${contestId}`),
          unsubscribeUrl,
        });
      }
      case 'dailyDigest':
        // Rendered from the figures the digest job wrote: the standings of that morning.
        return digestMail({
          ...(mail.payload as unknown as Omit<DigestMailInput, 'language' | 'unsubscribeUrl'>),
          language,
          unsubscribeUrl,
        });
    }
  }

  private async reader(email: string) {
    const user = await this.recipients.byEmail(email);
    if (user === null) throw new MailUnavailableError(`no user has the address ${email} any more`);
    return user;
  }
}

function stringField(payload: Readonly<Record<string, unknown>>, name: string): string {
  const value = payload[name];
  if (typeof value !== 'string') throw new MailUnavailableError(`the message has no ${name}`);
  return value;
}
