import { describe, expect, it } from '@jest/globals';
import {
  canTransition,
  CONTEST_STATES,
  CONTEST_TRANSITIONS,
  countsEvents,
  COUNTING_STATES,
  isContestState,
  nextState,
  rulesEditable,
  type ContestState,
  type ContestTransition,
} from './contest-lifecycle.js';

const transitions = Object.keys(CONTEST_TRANSITIONS) as ContestTransition[];

describe(nextState.name, () => {
  it('launches a draft live once its period has started, scheduled before', () => {
    expect(nextState({ from: 'draft', transition: 'launch', periodStarted: true })).toBe('live');
    expect(nextState({ from: 'draft', transition: 'launch', periodStarted: false })).toBe(
      'scheduled',
    );
    expect(nextState({ from: 'draft', transition: 'launch' })).toBe('scheduled');
  });

  it('follows the clock: scheduled → live → closing → closed', () => {
    expect(nextState({ from: 'scheduled', transition: 'start' })).toBe('live');
    expect(nextState({ from: 'live', transition: 'end' })).toBe('closing');
    expect(nextState({ from: 'closing', transition: 'close' })).toBe('closed');
  });

  it('lets only a scheduled contest go back to draft', () => {
    expect(nextState({ from: 'scheduled', transition: 'unschedule' })).toBe('draft');
    for (const from of ['draft', 'live', 'closing', 'closed'] as const)
      expect(nextState({ from, transition: 'unschedule' })).toBeNull();
  });

  it('refuses every transition from a state it does not start from', () => {
    const allowed: Record<ContestTransition, ContestState> = {
      launch: 'draft',
      unschedule: 'scheduled',
      start: 'scheduled',
      end: 'live',
      close: 'closing',
    };
    for (const transition of transitions)
      for (const from of CONTEST_STATES) {
        const to = nextState({ from, transition, periodStarted: true });
        expect({ from, transition, moves: to !== null }).toEqual({
          from,
          transition,
          moves: from === allowed[transition],
        });
      }
  });

  it('never leaves closed: a closed contest is final', () => {
    for (const transition of transitions)
      expect(canTransition({ from: 'closed', transition })).toBe(false);
  });

  it('leads only to states of the list, each reachable from draft', () => {
    const reached = new Set<ContestState>(['draft']);
    for (let round = 0; round < CONTEST_STATES.length; round += 1)
      for (const from of [...reached])
        for (const transition of transitions)
          for (const periodStarted of [false, true]) {
            const to = nextState({ from, transition, periodStarted });
            if (to !== null) reached.add(to);
          }
    expect([...reached].sort()).toEqual([...CONTEST_STATES].sort());
  });
});

describe(countsEvents.name, () => {
  it('counts events while live and in the grace period only', () => {
    expect(CONTEST_STATES.filter(countsEvents)).toEqual(['live', 'closing']);
    expect(COUNTING_STATES).toEqual(['live', 'closing']);
  });
});

describe(rulesEditable.name, () => {
  it('lets the rules change in a draft only', () => {
    expect(CONTEST_STATES.filter(rulesEditable)).toEqual(['draft']);
  });
});

describe(isContestState.name, () => {
  it('knows the states and nothing else', () => {
    for (const state of CONTEST_STATES) expect(isContestState(state)).toBe(true);
    expect(isContestState('archived')).toBe(false);
    expect(isContestState(undefined)).toBe(false);
  });
});
