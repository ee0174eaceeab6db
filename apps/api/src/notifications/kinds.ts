/** What a notification says; each can be switched off per person and per chat. */
export const NOTIFICATION_KINDS = [
  'contestLaunched',
  'prizePlaceEntered',
  'prizePlaceLeft',
  'overtaken',
  'prizeUnlocked',
  'monthlyResult',
  'dailyDigest',
  'contestClosed',
  /** Group chats: a deal above the threshold. */
  'bigDeal',
  /** E-mail to directors: the final report (the mail channel's). */
  'finalReport',
] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

export const NOTIFICATION_CHANNELS = ['telegram', 'email'] as const;
export type NotificationChannel = (typeof NOTIFICATION_CHANNELS)[number];

export const NOTIFICATION_STATES = ['queued', 'sending', 'sent', 'failed', 'skipped'] as const;
export type NotificationState = (typeof NOTIFICATION_STATES)[number];

export const LANGUAGES = ['ru', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

/** The kinds quiet hours do not hold: the final results go out whenever they are known. */
export const IGNORES_QUIET_HOURS: ReadonlySet<NotificationKind> = new Set([
  'contestClosed',
  'finalReport',
]);

/** A language as stored, defaulting to Russian. */
export function languageOf(value: string | null | undefined): Language {
  return value === 'en' ? 'en' : 'ru';
}
