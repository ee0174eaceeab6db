/**
 * What an office TV shows and how (DESIGN §7): shared by the API, which stores and validates a
 * display's settings, and the TV page, which rotates through them.
 */

/** The languages a display can speak. */
export const DISPLAY_LANGUAGES = ['ru', 'en'] as const;
export type DisplayLanguage = (typeof DISPLAY_LANGUAGES)[number];

/**
 * The slides a display can show for each of its contests: the leaderboard, the prizes and the
 * fund, the top contenders' chances from the live forecast, the monthly results, the team
 * standings, the newcomers' league, the rules, the latest deals.
 */
export const DISPLAY_SLIDES = [
  'leaderboard',
  'prizes',
  'contenders',
  'results',
  'teams',
  'newcomers',
  'rules',
  'deals',
] as const;
export type DisplaySlide = (typeof DISPLAY_SLIDES)[number];

/** The seconds a slide stays on the screen: at least, at most. */
export const DISPLAY_SLIDE_SECONDS = { min: 5, max: 600 } as const;

/** A new display's settings. */
export const DISPLAY_DEFAULTS: {
  readonly language: DisplayLanguage;
  readonly slides: readonly DisplaySlide[];
  readonly slideSeconds: number;
  readonly sound: boolean;
} = {
  language: 'ru',
  slides: ['leaderboard', 'prizes', 'deals'],
  slideSeconds: 20,
  sound: false,
};
