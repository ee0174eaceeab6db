import { defineMessages } from '../define.js';

/**
 * What the model's parser refuses in a cell or a form field, by its code (`CellCode`), for the
 * file import's issues and the forms that read amounts and dates. `{max}` and `{min}` come from
 * the params.
 */
export const cells = defineMessages({
  en: {
    'cell.required': 'required',
    'cell.tooLong': 'must be at most {max} characters',
    'cell.money': 'must be an amount in major units, e.g. 180000.50',
    'cell.number': 'must be a number, e.g. 1234.5 or 1 234,5',
    'cell.integer': 'must be a whole number',
    'cell.positive': 'must be a number above 0',
    'cell.negative': 'must not be negative',
    'cell.tooLarge': 'is too large',
    'cell.date': 'must be a date YYYY-MM-DD',
    'cell.month': 'must be a month YYYY-MM',
    'cell.instant': 'must be a date and time, e.g. 2026-03-02T10:00:00+03:00',
    'cell.boolean': 'must be yes or no',
    'cell.role': 'must be hunter or farmer',
    'cell.eventType': 'must be sale or lead',
  },
  ru: {
    'cell.required': 'обязательно',
    'cell.tooLong': 'не длиннее {max} символов',
    'cell.money': 'нужна сумма в рублях, например 180000.50',
    'cell.number': 'нужно число, например 1234.5 или 1 234,5',
    'cell.integer': 'нужно целое число',
    'cell.positive': 'нужно число больше 0',
    'cell.negative': 'не может быть отрицательным',
    'cell.tooLarge': 'слишком большое число',
    'cell.date': 'нужна дата ГГГГ-ММ-ДД',
    'cell.month': 'нужен месяц ГГГГ-ММ',
    'cell.instant': 'нужны дата и время, например 2026-03-02T10:00:00+03:00',
    'cell.boolean': 'должно быть да или нет',
    'cell.role': 'должно быть hunter или farmer',
    'cell.eventType': 'должно быть «продажа» или «лид» (sale или lead)',
  },
});
