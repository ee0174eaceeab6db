import { common } from './messages/common.js';

/**
 * Every user-facing text, in English and Russian, one file per screen under `messages/`.
 * To add a screen's texts: create `messages/<screen>.ts` with `defineMessages`, and spread it
 * into both languages below.
 */
export const messages = {
  en: { ...common.en },
  ru: { ...common.ru },
} as const;

export type Locale = keyof typeof messages;
export type MessageKey = keyof (typeof messages)['en'];
