/** Every user-facing text, in English and Russian. Keys are shared; a missing one fails types. */
export const messages = {
  en: {
    'app.tagline': 'Sales contests whose prizes pay for themselves',
    'home.status': 'System status',
    'home.api': 'API',
    'home.db': 'Database',
    'home.live': 'Live updates',
    'status.up': 'up',
    'status.down': 'down',
    'status.checking': 'checking…',
    'status.connected': 'connected',
    'status.disconnected': 'disconnected',
    'home.links': 'Open',
    'home.openapi': 'API documentation (OpenAPI)',
    'lang.switch': 'Русский',
  },
  ru: {
    'app.tagline': 'Конкурсы продаж, призы в которых окупаются сами',
    'home.status': 'Состояние системы',
    'home.api': 'API',
    'home.db': 'База данных',
    'home.live': 'Живые обновления',
    'status.up': 'работает',
    'status.down': 'недоступна',
    'status.checking': 'проверка…',
    'status.connected': 'подключено',
    'status.disconnected': 'нет соединения',
    'home.links': 'Открыть',
    'home.openapi': 'Документация API (OpenAPI)',
    'lang.switch': 'English',
  },
} as const satisfies Record<string, Record<string, string>>;

export type Locale = keyof typeof messages;
export type MessageKey = keyof (typeof messages)['en'];
