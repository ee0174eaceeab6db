import { z } from 'zod';
import { documents } from '../../common/validation/api-response.js';
import {
  LANGUAGES,
  NOTIFICATION_CHANNELS,
  NOTIFICATION_KINDS,
  NOTIFICATION_STATES,
  type NotificationChannel,
  type NotificationKind,
  type NotificationState,
} from '../kinds.js';

/** `{ team }` (its id or name) or `{ company: true }`. */
export const groupLinkSchema = z.union([
  z.strictObject({ team: z.string().trim().min(1, 'must not be blank').max(200) }),
  z.strictObject({ company: z.literal(true) }),
]);
export type GroupLinkDto = z.output<typeof groupLinkSchema>;

export interface ParticipantTelegramLinkView {
  /** `https://t.me/<bot>?start=<code>`: opening it in Telegram links that chat. */
  readonly url: string;
  /** Single-use, valid 24 hours. */
  readonly code: string;
  readonly expiresAt: string;
}

export interface GroupTelegramLinkView {
  readonly code: string;
  /** What to send in the group: `/link@<bot> <code>`. */
  readonly command: string;
  readonly expiresAt: string;
}

export interface TelegramGroupView {
  readonly chatId: string;
  readonly title: string | null;
  readonly teamId: string | null;
  readonly company: boolean;
  readonly blocked: boolean;
}

export interface NotificationView {
  readonly id: number;
  readonly kind: NotificationKind;
  readonly channel: NotificationChannel;
  readonly participantId: string | null;
  readonly chatId: string | null;
  readonly email: string | null;
  readonly language: string;
  readonly state: NotificationState;
  readonly attempts: number;
  readonly nextAttemptAt: string;
  readonly lastError: string | null;
  readonly createdAt: string;
  readonly sentAt: string | null;
  readonly text: string | null;
}

export const notificationsQuerySchema = z.strictObject({
  state: z.enum(NOTIFICATION_STATES).optional(),
  channel: z.enum(NOTIFICATION_CHANNELS).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
export type NotificationsQueryDto = z.output<typeof notificationsQuerySchema>;

export const participantTelegramLinkViewSchema = documents<ParticipantTelegramLinkView>()(
  z.object({ url: z.string(), code: z.string(), expiresAt: z.string() }),
);
export const groupTelegramLinkViewSchema = documents<GroupTelegramLinkView>()(
  z.object({ code: z.string(), command: z.string(), expiresAt: z.string() }),
);
export const telegramGroupViewSchema = documents<TelegramGroupView>()(
  z.object({
    chatId: z.string(),
    title: z.string().nullable(),
    teamId: z.string().nullable(),
    company: z.boolean(),
    blocked: z.boolean(),
  }),
);
export const notificationViewSchema = documents<NotificationView>()(
  z.object({
    id: z.int(),
    kind: z.enum(NOTIFICATION_KINDS),
    channel: z.enum(NOTIFICATION_CHANNELS),
    participantId: z.string().nullable(),
    chatId: z.string().nullable(),
    email: z.string().nullable(),
    language: z.string(),
    state: z.enum(NOTIFICATION_STATES),
    attempts: z.int(),
    nextAttemptAt: z.string(),
    lastError: z.string().nullable(),
    createdAt: z.string(),
    sentAt: z.string().nullable(),
    text: z.string().nullable(),
  }),
);

const switchesSchema = z.partialRecord(z.enum(NOTIFICATION_KINDS), z.boolean()).meta({
  description:
    '`{ "<kind>": false }` switches a kind off, `true` on again; absent kinds stay as they are',
});

/** A participant's notification settings: their language and the kinds switched off. */
export const participantSettingsSchema = z.strictObject({
  language: z.enum(LANGUAGES).optional(),
  switches: switchesSchema.optional(),
});
export type ParticipantSettingsDto = z.output<typeof participantSettingsSchema>;

export const chatSettingsSchema = z.strictObject({ switches: switchesSchema });
export type ChatSettingsDto = z.output<typeof chatSettingsSchema>;

export interface NotificationSettingsView {
  /** Null for a group chat (its messages are in Russian). */
  readonly language: string | null;
  /** Every kind, on or off. */
  readonly switches: Readonly<Record<string, boolean>>;
}

export const notificationSettingsViewSchema = documents<NotificationSettingsView>()(
  z.object({ language: z.string().nullable(), switches: z.record(z.string(), z.boolean()) }),
);
