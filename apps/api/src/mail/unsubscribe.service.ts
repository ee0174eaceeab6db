import { Injectable } from '@nestjs/common';
import { PublicUrl } from '../common/public-url.js';
import { SecretBox } from '../common/secret-box.js';
import { MailPreferencesRepository } from './mail-preferences.repository.js';
import { escapeHtml, type MailKind, type MailLanguage } from './mail.templates.js';
import { signUnsubscribe, verifyUnsubscribe, type UnsubscribeClaim } from './unsubscribe-token.js';

/** A small page answered to a browser. */
export interface HtmlPage {
  readonly status: number;
  readonly html: string;
}

const KIND_NAMES: Record<MailLanguage, Record<MailKind, string>> = {
  ru: {
    dailyDigest: 'ежедневная сводка',
    contestClosed: 'итоги конкурсов',
    finalReport: 'итоговые отчёты по конкурсам',
  },
  en: {
    dailyDigest: 'the daily digest',
    contestClosed: 'contest results',
    finalReport: 'final contest reports',
  },
};

const TEXTS = {
  ru: {
    title: 'Отписка от писем Podium',
    ask: (kind: string, email: string) => `Больше не присылать на ${email}: ${kind}?`,
    button: 'Отписаться',
    done: (kind: string, email: string) =>
      `Готово: ${kind} больше не придут на ${email}. Остальные письма приходят как прежде.`,
    invalid:
      'Ссылка для отписки не распознана: возможно, она скопирована не целиком. Откройте её из письма ещё раз.',
  },
  en: {
    title: 'Unsubscribe from Podium e-mail',
    ask: (kind: string, email: string) => `Stop sending ${kind} to ${email}?`,
    button: 'Unsubscribe',
    done: (kind: string, email: string) =>
      `Done: ${kind} will no longer be sent to ${email}. Other e-mail keeps coming as before.`,
    invalid:
      'This unsubscribe link is not valid: it may have been cut short. Open it from the e-mail again.',
  },
} as const;

/**
 * The unsubscribe links of e-mail (issue 18.4): one per address and kind, signed (see
 * `unsubscribe-token.ts`). Opening the link shows a page that asks; the page's button (or a
 * mail client's one-click POST, RFC 8058) records the switch-off. The GET changes nothing, so a
 * mail scanner that follows links does not unsubscribe anyone.
 */
@Injectable()
export class UnsubscribeService {
  constructor(
    private readonly secrets: SecretBox,
    private readonly preferences: MailPreferencesRepository,
    private readonly publicUrl: PublicUrl,
  ) {}

  /** The absolute link a message of `kind` to `email` carries. */
  linkFor(claim: UnsubscribeClaim): string {
    return this.publicUrl.of(`/api/unsubscribe/${signUnsubscribe(this.key(), claim)}`);
  }

  /** `GET`: the question, with a button that confirms. */
  ask(token: string): HtmlPage {
    const claim = verifyUnsubscribe(this.key(), token);
    if (claim === null) return invalid();
    const text = TEXTS[claim.language];
    const kind = KIND_NAMES[claim.language][claim.kind];
    return page(claim.language, 200, [
      `<p>${escapeHtml(text.ask(kind, claim.email))}</p>`,
      `<form method="post"><button type="submit" style="font-size:16px;padding:8px 20px">${escapeHtml(text.button)}</button></form>`,
    ]);
  }

  /** `POST`: records the switch-off and says so. */
  async confirm(token: string): Promise<HtmlPage> {
    const claim = verifyUnsubscribe(this.key(), token);
    if (claim === null) return invalid();
    await this.preferences.unsubscribe(claim.email, claim.kind);
    const kind = KIND_NAMES[claim.language][claim.kind];
    return page(claim.language, 200, [
      `<p>${escapeHtml(TEXTS[claim.language].done(kind, claim.email))}</p>`,
    ]);
  }

  private key(): Buffer {
    return this.secrets.derivedKey('unsubscribe');
  }
}

/** An unknown or damaged link: said in both languages, since it tells none. */
function invalid(): HtmlPage {
  return page('ru', 404, [
    `<p>${escapeHtml(TEXTS.ru.invalid)}</p>`,
    `<p lang="en">${escapeHtml(TEXTS.en.invalid)}</p>`,
  ]);
}

function page(language: MailLanguage, status: number, body: readonly string[]): HtmlPage {
  const title = TEXTS[language].title;
  return {
    status,
    html: [
      '<!doctype html>',
      `<html lang="${language}"><head><meta charset="utf-8">`,
      '<meta name="viewport" content="width=device-width, initial-scale=1">',
      `<title>${escapeHtml(title)}</title></head>`,
      '<body style="font-family:Arial,Helvetica,sans-serif;max-width:560px;margin:48px auto;padding:0 16px;font-size:17px;line-height:1.5">',
      `<h1 style="font-size:22px">${escapeHtml(title)}</h1>`,
      ...body,
      '</body></html>',
    ].join('\n'),
  };
}
