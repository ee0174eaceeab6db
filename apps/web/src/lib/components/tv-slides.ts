import type { DisplaySlide } from '@podium/contest-model';
import type { Component } from 'svelte';
import TvResultsSlide from './TvResultsSlide.svelte';
import TvRulesSlide from './TvRulesSlide.svelte';
import TvTeamsSlide from './TvTeamsSlide.svelte';

/** A slide drawn by a component of its own: it loads its data for the contest it is given. */
export type TvSlideComponent = Component<{ contestId: string }>;

/**
 * The TV's slides drawn by components of their own, by kind: adding one here is all it takes to
 * put it in the rotation of every display configured with it. The TV page draws `leaderboard`,
 * `prizes`, `contenders`, `newcomers` and `deals` itself, from the live view and forecast it
 * already follows; a configured kind with neither is left out of the rotation.
 */
export const TV_SLIDE_COMPONENTS: Partial<Record<DisplaySlide, TvSlideComponent>> = {
  results: TvResultsSlide,
  teams: TvTeamsSlide,
  rules: TvRulesSlide,
};

/** The slides the TV page draws itself. */
export const BUILT_IN_TV_SLIDES: readonly DisplaySlide[] = [
  'leaderboard',
  'prizes',
  'contenders',
  'newcomers',
  'deals',
];
