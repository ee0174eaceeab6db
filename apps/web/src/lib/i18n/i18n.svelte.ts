import { messages, type Locale, type MessageKey } from './messages.js';

const STORAGE_KEY = 'podium.locale';

function preferredLocale(): Locale {
  const stored = globalThis.localStorage?.getItem(STORAGE_KEY);
  if (stored === 'ru' || stored === 'en') return stored;
  const languages = globalThis.navigator?.languages ?? [];
  return languages.some((language) => language.toLowerCase().startsWith('ru')) ? 'ru' : 'en';
}

/** The current language: Russian when the browser asks for it, switchable and remembered. */
class I18n {
  #locale = $state<Locale>(preferredLocale());

  get locale(): Locale {
    return this.#locale;
  }

  set locale(locale: Locale) {
    this.#locale = locale;
    globalThis.localStorage?.setItem(STORAGE_KEY, locale);
    document.documentElement.lang = locale;
  }

  /**
   * Speaks `locale` without remembering it as this browser's choice: a screen whose language is
   * configured elsewhere (a TV's display settings) wins over the browser's, and only there.
   */
  pin(locale: Locale): void {
    if (this.#locale === locale) return;
    this.#locale = locale;
    document.documentElement.lang = locale;
  }

  t = (key: MessageKey): string => messages[this.#locale][key];
}

export const i18n = new I18n();
