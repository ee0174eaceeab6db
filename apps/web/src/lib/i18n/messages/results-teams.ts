import { defineMessages } from '../define.js';

/**
 * Monthly results (published checkpoints), team standings, and what a prize not unlocked yet
 * still needs: on the phone, the manager page and the TV.
 */
export const resultsTeams = defineMessages({
  en: {
    'results.title': 'Monthly results',
    'results.month': 'Month {n} · {month}',
    'results.none': 'No monthly results published yet.',
    'results.you': 'You: place {rank}, {points}',
    'results.youAbsent': 'You were not in this month’s results.',
    'results.top': 'Top of the month',
    'results.tvTitle': 'Month {n} results',
    'teams.title': 'Teams',
    'teams.team': 'Team',
    'teams.members': 'Members',
    'teams.memberCount': '{n} people',
    'teams.points': 'Points',
    'teams.yours': 'your team',
    'teams.none': 'No team standings in this contest.',
    'need.next': 'Next: {title} (place {place})',
    'need.fund': '+{amount} to the fund',
    'need.margin': '+{amount} margin above plan',
    'need.turnover': '≈ {amount} of sales',
    'need.rate': 'Plan margin rate',
  },
  ru: {
    'results.title': 'Итоги месяцев',
    'results.month': 'Месяц {n} · {month}',
    'results.none': 'Итоги месяцев ещё не опубликованы.',
    'results.you': 'Вы: {rank} место, {points}',
    'results.youAbsent': 'Вас нет в итогах этого месяца.',
    'results.top': 'Лучшие месяца',
    'results.tvTitle': 'Итоги месяца {n}',
    'teams.title': 'Команды',
    'teams.team': 'Команда',
    'teams.members': 'Участники',
    'teams.memberCount': '{n} чел.',
    'teams.points': 'Баллы',
    'teams.yours': 'ваша команда',
    'teams.none': 'В этом конкурсе нет командного зачёта.',
    'need.next': 'Следующий: {title} ({place} место)',
    'need.fund': '+{amount} в фонд',
    'need.margin': '+{amount} маржи сверх плана',
    'need.turnover': '≈ {amount} продаж',
    'need.rate': 'Маржинальность плана',
  },
});
