import { defineMessages } from '../define.js';

/** The office TV (`/tv/:token`). */
export const tv = defineMessages({
  en: {
    'tv.top': 'Top 10',
    'tv.deals': 'Latest deals',
    'tv.noDeals': 'Waiting for the next deal…',
    'tv.celebrateDeal': 'New deal!',
    'tv.celebrateClient': 'New client!',
    'tv.unknownDisplay': 'This display is not recognised. Ask an admin for a new link.',
    'tv.noContests': 'No contests on this display yet',
    'tv.connecting': 'Connecting…',
    'tv.ineligible': 'not eligible yet',
    'tv.participants': '{n} participants',
  },
  ru: {
    'tv.top': 'Топ-10',
    'tv.deals': 'Последние сделки',
    'tv.noDeals': 'Ждём следующую сделку…',
    'tv.celebrateDeal': 'Новая сделка!',
    'tv.celebrateClient': 'Новый клиент!',
    'tv.unknownDisplay': 'Этот экран не распознан. Попросите администратора о новой ссылке.',
    'tv.noContests': 'На этом экране пока нет конкурсов',
    'tv.connecting': 'Подключение…',
    'tv.ineligible': 'пока не допущен',
    'tv.participants': 'Участников: {n}',
  },
});
