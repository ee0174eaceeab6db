import { defineMessages } from '../define.js';

/** Download buttons (standings, checkpoints, report, simulation result) as CSV or XLSX. */
export const exportMessages = defineMessages({
  en: {
    'export.download': 'Download',
    'export.standings': 'Standings',
    'export.report': 'Final report',
    'export.checkpoint': 'Checkpoint',
    'export.result': 'Result',
    'export.failed': 'Download failed',
  },
  ru: {
    'export.download': 'Скачать',
    'export.standings': 'Таблица',
    'export.report': 'Итоговый отчёт',
    'export.checkpoint': 'Срез',
    'export.result': 'Результат',
    'export.failed': 'Не удалось скачать',
  },
});
