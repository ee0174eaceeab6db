import { tv } from './messages/tv.js';
import { mobile } from './messages/mobile.js';
import { board } from './messages/board.js';
import { admin } from './messages/admin.js';
import { common } from './messages/common.js';
import { home } from './messages/home.js';
import { manager } from './messages/manager.js';
import { simulator } from './messages/simulator.js';
import { simulatorRules } from './messages/simulator-rules.js';
import { simulatorParticipants } from './messages/simulator-participants.js';
import { simulatorResults } from './messages/simulator-results.js';
import { adminImport } from './messages/admin-import.js';
import { exportMessages } from './messages/export.js';
import { integrations } from './messages/integrations.js';
import { reconciliation } from './messages/reconciliation.js';
import { cells } from './messages/cells.js';
import { issues } from './messages/issues.js';
import { resultsTeams } from './messages/results-teams.js';
import { launch } from './messages/launch.js';
import { rules } from './messages/rules.js';
import { forecast } from './messages/forecast.js';
import { notifications } from './messages/notifications.js';

/**
 * Every user-facing text, in English and Russian, one file per screen under `messages/`.
 * To add a screen's texts: create `messages/<screen>.ts` with `defineMessages`, and spread it
 * into both languages below.
 */
export const messages = {
  en: {
    ...common.en,
    ...home.en,
    ...manager.en,
    ...admin.en,
    ...board.en,
    ...mobile.en,
    ...tv.en,
    ...simulator.en,
    ...simulatorRules.en,
    ...simulatorParticipants.en,
    ...simulatorResults.en,
    ...adminImport.en,
    ...exportMessages.en,
    ...integrations.en,
    ...reconciliation.en,
    ...cells.en,
    ...issues.en,
    ...resultsTeams.en,
    ...launch.en,
    ...rules.en,
    ...forecast.en,
    ...notifications.en,
  },
  ru: {
    ...common.ru,
    ...home.ru,
    ...manager.ru,
    ...admin.ru,
    ...board.ru,
    ...mobile.ru,
    ...tv.ru,
    ...simulator.ru,
    ...simulatorRules.ru,
    ...simulatorParticipants.ru,
    ...simulatorResults.ru,
    ...adminImport.ru,
    ...exportMessages.ru,
    ...integrations.ru,
    ...reconciliation.ru,
    ...cells.ru,
    ...issues.ru,
    ...resultsTeams.ru,
    ...launch.ru,
    ...rules.ru,
    ...forecast.ru,
    ...notifications.ru,
  },
} as const;

export type Locale = keyof typeof messages;
export type MessageKey = keyof (typeof messages)['en'];
