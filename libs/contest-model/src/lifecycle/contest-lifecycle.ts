/**
 * A contest's life (DESIGN §4) as a pure state machine: the one list of states, the one list of
 * transitions and the one rule of which states count events. The API's service, the database's
 * CHECK on `contests.state`, the DTOs and the socket types are all derived from or tested against
 * this file, so a new state cannot be added in one place and forgotten in another.
 */

export const CONTEST_STATES = ['draft', 'scheduled', 'live', 'closing', 'closed'] as const;
export type ContestState = (typeof CONTEST_STATES)[number];

/**
 * The states whose contests count incoming events (and accept corrections): live, and closing —
 * the grace period, when late events for the period may still arrive.
 */
export const COUNTING_STATES = ['live', 'closing'] as const satisfies readonly ContestState[];
export type CountingState = (typeof COUNTING_STATES)[number];

/**
 * What moves a contest: a manager launches, unschedules or closes early; the clock starts a
 * scheduled contest, ends a live one at the end of the period and closes it after the grace period.
 */
export const CONTEST_TRANSITIONS = {
  /** Draft → live when the period has started, else scheduled. Freezes the rules. */
  launch: { from: ['draft'], to: ['scheduled', 'live'] },
  /** Scheduled → draft: the rules can change again until the next launch. */
  unschedule: { from: ['scheduled'], to: ['draft'] },
  /** Scheduled → live at the start of the period. */
  start: { from: ['scheduled'], to: ['live'] },
  /** Live → closing at the end of the period: the grace period for late events. */
  end: { from: ['live'], to: ['closing'] },
  /** Closing → closed, by the clock after the grace period or by a manager before it. */
  close: { from: ['closing'], to: ['closed'] },
} as const satisfies Record<
  string,
  { readonly from: readonly ContestState[]; readonly to: readonly ContestState[] }
>;
export type ContestTransition = keyof typeof CONTEST_TRANSITIONS;

export function isContestState(value: unknown): value is ContestState {
  return (CONTEST_STATES as readonly unknown[]).includes(value);
}

/** Whether a contest in this state counts events (links them, recomputes its standings). */
export function countsEvents(state: ContestState): boolean {
  return (COUNTING_STATES as readonly ContestState[]).includes(state);
}

/** Only a draft's rules, plans and approved scenario may change: launching freezes them. */
export function rulesEditable(state: ContestState): boolean {
  return state === 'draft';
}

/** Whether the transition may start from this state. */
export function canTransition({
  from,
  transition,
}: {
  from: ContestState;
  transition: ContestTransition;
}): boolean {
  return (CONTEST_TRANSITIONS[transition].from as readonly ContestState[]).includes(from);
}

/**
 * The state the transition leads to, or null when it may not start from `from`. Only `launch`
 * has two outcomes, chosen by whether the period has started (`periodStarted`).
 */
export function nextState({
  from,
  transition,
  periodStarted = false,
}: {
  from: ContestState;
  transition: ContestTransition;
  periodStarted?: boolean;
}): ContestState | null {
  if (!canTransition({ from, transition })) return null;
  if (transition === 'launch') return periodStarted ? 'live' : 'scheduled';
  const [to] = CONTEST_TRANSITIONS[transition].to;
  return to;
}
