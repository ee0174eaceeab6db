import { defineMessages } from '../define.js';

/** Launching a contest through the launch gate, cloning it and its monthly repeat. */
export const launch = defineMessages({
  en: {
    'launch.launch': 'Launch',
    'launch.confirm': 'Launch this contest? Its rules are frozen and the participants see it.',
    'launch.yes': 'Yes, launch',
    'launch.cancel': 'Cancel',
    'launch.launching': 'Launching…',
    'launch.failed': 'Could not launch',
    'launch.gateTitle': 'The launch gate stopped this contest',
    'launch.notSimulated':
      'No simulation of these rules is approved: the rules were never simulated, or they changed after the approved simulation. Run the simulator and save, or launch anyway with a reason.',
    'launch.unbalanced':
      'The approved simulation found the contest unbalanced: some sellers have almost no chance to win. Change the rules in the simulator, or launch anyway with a reason.',
    'launch.reason': 'Why launch anyway (kept in the audit trail)',
    'launch.reasonPlaceholder': 'e.g. a pilot month, agreed with the sales director',
    'launch.override': 'Launch anyway',
    'launch.setup': 'Before the launch',
    'launch.simulation': 'Simulation',
    'launch.notSimulatedShort': 'not simulated',
    'launch.balanced': 'balanced',
    'launch.unbalancedShort': 'unbalanced',
    'launch.rulesChanged': 'rules changed since',
    'launch.approvedBy': 'approved by {who}, {when}',
    'launch.edit': 'Edit in the simulator',
    'launch.clone': 'Clone',
    'launch.cloneFailed': 'Could not clone',
    'launch.repeat': 'Repeat every month',
    'launch.repeatHint':
      "Once this month is over, next month's draft is made and simulated; it waits for your launch.",
    'launch.repeatFailed': 'Could not change the monthly repeat',
  },
  ru: {
    'launch.launch': 'Запустить',
    'launch.confirm': 'Запустить конкурс? Правила будут заморожены, участники его увидят.',
    'launch.yes': 'Да, запустить',
    'launch.cancel': 'Отмена',
    'launch.launching': 'Запускаем…',
    'launch.failed': 'Не удалось запустить',
    'launch.gateTitle': 'Проверка перед запуском остановила конкурс',
    'launch.notSimulated':
      'Для этих правил нет утверждённой симуляции: правила не моделировались или изменились после утверждённой симуляции. Запустите симулятор и сохраните — или запустите всё равно, указав причину.',
    'launch.unbalanced':
      'Утверждённая симуляция показала, что конкурс несбалансирован: у части продавцов почти нет шансов на приз. Измените правила в симуляторе — или запустите всё равно, указав причину.',
    'launch.reason': 'Почему запускаем всё равно (сохранится в журнале)',
    'launch.reasonPlaceholder': 'например, пилотный месяц, согласовано с коммерческим директором',
    'launch.override': 'Запустить всё равно',
    'launch.setup': 'Перед запуском',
    'launch.simulation': 'Симуляция',
    'launch.notSimulatedShort': 'не моделировался',
    'launch.balanced': 'сбалансирован',
    'launch.unbalancedShort': 'несбалансирован',
    'launch.rulesChanged': 'правила изменились после',
    'launch.approvedBy': 'утвердил {who}, {when}',
    'launch.edit': 'Изменить в симуляторе',
    'launch.clone': 'Копировать',
    'launch.cloneFailed': 'Не удалось скопировать',
    'launch.repeat': 'Повторять каждый месяц',
    'launch.repeatHint':
      'Когда месяц закончится, будет создан и смоделирован черновик следующего месяца; он ждёт вашего запуска.',
    'launch.repeatFailed': 'Не удалось изменить ежемесячный повтор',
  },
});
