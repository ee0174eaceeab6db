import type { Locale } from '../i18n/messages.js';

/*
 * The shared schema's messages are English (the API and the CLI print them too). For a Russian
 * reader the common ones are translated here; a message without a rule below stays as it is.
 */
const RU: [RegExp, string][] = [
  [/^is required$/, 'обязательно'],
  [/^must not be empty$/, 'не может быть пустым'],
  [/^must be at least (.+)$/, 'должно быть не меньше $1'],
  [/^must be at most (.+)$/, 'должно быть не больше $1'],
  [/^must be greater than (.+)$/, 'должно быть больше $1'],
  [/^must be less than (.+)$/, 'должно быть меньше $1'],
  [/^must be an integer$/, 'должно быть целым числом'],
  [/^must be a number$/, 'должно быть числом'],
  [/^must be a date YYYY-MM-DD$/, 'должно быть датой ГГГГ-ММ-ДД'],
  [
    /^must be a date YYYY-MM-DD or an ISO 8601 instant with a zone$/,
    'должно быть датой ГГГГ-ММ-ДД',
  ],
  [/^must be a month YYYY-MM$/, 'должно быть месяцем ГГГГ-ММ'],
  [/^must be an ISO 4217 code such as RUB$/, 'должно быть кодом ISO 4217, например RUB'],
  [/^must have at least (\d+) item\(s\)$/, 'нужно хотя бы $1'],
  [/^must have at most (\d+) items$/, 'не больше $1'],
  [/^must be after period\.start$/, 'должен быть позже начала'],
  [/^must be at least funding\.guaranteedMinor$/, 'должен быть не меньше гарантии'],
  [/^is required with basis absolute$/, 'обязательна для абсолютной основы'],
  [/^is only allowed with basis absolute$/, 'только для абсолютной основы'],
  [/^must not be greater than cap$/, 'не может быть больше потолка'],
  [/^is required for metric (\w+)$/, 'обязательно для показателя $1'],
  [/^is only allowed with productTurnover or productUnits$/, 'только для показателей по продукту'],
  [/^is only allowed with metric counter$/, 'только для счётчика'],
  [/^is only allowed with avgCheck or conversion$/, 'только для среднего чека и конверсии'],
  [/^is only allowed with conversion$/, 'только для конверсии'],
  [/^is required: (.+) scores (\w+) as percentOfPlan$/, 'обязателен: $1 считает $2 в % от плана'],
  [
    /^must be positive: (.+) scores (\w+) as percentOfPlan$/,
    'должен быть больше 0: $1 считает $2 в % от плана',
  ],
  [/^duplicate place (\d+)(.*)$/, 'место $1 повторяется$2'],
  [/^places must run 1\.\.n without gaps(.*)$/, 'места должны идти 1..n без пропусков$1'],
  [/^is required with funding\.mode pool$/, 'обязательна в режиме долей фонда'],
  [/^is only allowed with funding\.mode pool$/, 'только в режиме долей фонда'],
  [
    /^poolPercent must add up to at most 100, got (.+)$/,
    'доли фонда в сумме не больше 100, сейчас $1',
  ],
  [
    /^is required: either every prize has a league or none$/,
    'нужна: лига либо у всех призов, либо ни у одного',
  ],
  [/^needs a top-level "leagues" definition$/, 'сначала выберите, по чему делить лиги'],
  [/^is required when "leagues" is set$/, 'обязательна, когда заданы лиги'],
  [
    /^unknown league "(.+)" \(leagues\.by (\w+) gives (.*)\)$/,
    'неизвестная лига «$1» (возможны: $3)',
  ],
  [
    /^is required \(or isNewcomer\) with leagues\.by tenure$/,
    'нужна дата найма (или отметка новичка) для лиг по стажу',
  ],
  [/^is required with leagues\.by (\w+)$/, 'обязательно для лиг по $1'],
  [/^duplicate participant id "(.+)"$/, 'id «$1» повторяется'],
  [
    /^is required for a simulation \(or stats\): nobody in the file has sales figures to borrow$/,
    'для симуляции нужна история продаж хотя бы у кого-то',
  ],
];

/** Fields the editor shows in percent while the file holds a fraction (0.3 = 30 %). */
const PERCENT_PATHS = new Set(['funding.fundShare', 'scenario.uplift']);

/** A schema message in the reader's language and in the units of the field on screen. */
export function issueText(message: string, locale: Locale, path = ''): string {
  let text = message;
  if (PERCENT_PATHS.has(path)) {
    text = text.replace(
      /(at (?:least|most)|(?:greater|less) than) (-?\d+(?:\.\d+)?)/,
      (_match, bound: string, value: string) => `${bound} ${Math.round(Number(value) * 1e6) / 1e4}`,
    );
  }
  if (locale === 'en') return text;
  for (const [pattern, replacement] of RU) {
    if (pattern.test(text)) return text.replace(pattern, replacement);
  }
  return text;
}
