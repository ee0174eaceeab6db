import { describe, expect, it } from '@jest/globals';
import { contestInput, participant, sale } from '../../test-support/contest-fixture.js';
import { isMoneyMetric, isRatioMetric, metricNames } from './contest-file.schema.js';
import { parseContestEvent, parseContestFile, type ValidationIssue } from './parse.js';

/** The issues' paths and sentences (their codes are checked in 'names the bad field'). */
function sentences(issues: readonly ValidationIssue[]): ValidationIssue[] {
  return issues.map(({ path, message }) => ({ path, message }));
}

function issuesOf(input: unknown): ValidationIssue[] {
  const result = parseContestFile(input);
  if (result.success) throw new Error('expected the file to be rejected');
  return sentences(result.issues);
}

describe('contest file validation', () => {
  it('applies the defaults of DESIGN §10', () => {
    const result = parseContestFile(contestInput());
    expect(result.success).toBe(true);
    if (!result.success) return;
    expect(result.data.currency).toBe('RUB');
    expect(result.data.funding).toEqual({
      fundShare: 0.5,
      guaranteedMinor: 0,
      capMinor: null,
      mode: 'unlockInOrder',
    });
    expect(result.data.events).toEqual([]);
    expect(result.data.eligibility).toEqual([]);
    expect(result.data.teamStandings).toEqual({ aggregate: 'sum' });
    expect(result.data.criteria[0]?.weight).toBe(1);
  });

  it('names the path of a fund share above 1', () => {
    expect(issuesOf(contestInput({ funding: { fundShare: 1.5 } }))).toEqual([
      { path: 'funding.fundShare', message: 'must be at most 1' },
    ]);
    expect(issuesOf(contestInput({ funding: { fundShare: 0 } }))).toEqual([
      { path: 'funding.fundShare', message: 'must be greater than 0' },
    ]);
  });

  it('rejects unknown keys, missing fields and unsafe integers', () => {
    const input = { ...contestInput(), colour: 'red' };
    expect(issuesOf(input)).toContainEqual({ path: '(root)', message: 'unknown field "colour"' });
    const { name: _name, ...nameless } = contestInput();
    expect(issuesOf(nameless)).toContainEqual({ path: 'name', message: 'is required' });
    expect(
      issuesOf(contestInput({ prizes: [{ place: 1, title: 'Car', costMinor: 2 ** 60 }] })),
    ).toContainEqual({
      path: 'prizes[0].costMinor',
      message: 'must be a safe integer (at most 9007199254740991)',
    });
    expect(
      issuesOf(contestInput({ prizes: [{ place: 1, title: 'Car', costMinor: 1.5 }] })),
    ).toContainEqual({
      path: 'prizes[0].costMinor',
      message: 'must be an integer',
    });
  });

  it('checks the period, the cap and the places', () => {
    expect(issuesOf(contestInput({ period: { start: '2026-04-01', end: '2026-03-01' } }))).toEqual([
      { path: 'period.end', message: 'must be after period.start' },
    ]);
    expect(
      issuesOf(contestInput({ funding: { fundShare: 0.4, guaranteedMinor: 500, capMinor: 100 } })),
    ).toEqual([{ path: 'funding.capMinor', message: 'must be at least funding.guaranteedMinor' }]);
    expect(
      issuesOf(
        contestInput({
          prizes: [
            { place: 1, title: 'A', costMinor: 1 },
            { place: 3, title: 'C', costMinor: 1 },
          ],
        }),
      ),
    ).toEqual([{ path: 'prizes[1].place', message: 'places must run 1..n without gaps' }]);
    expect(
      issuesOf(
        contestInput({
          prizes: [
            { place: 1, title: 'A', costMinor: 1 },
            { place: 1, title: 'B', costMinor: 1 },
          ],
        }),
      ),
    ).toContainEqual({ path: 'prizes[1].place', message: 'duplicate place 1' });
  });

  it('requires pool percentages in pool mode, adding up to at most 100', () => {
    expect(
      issuesOf(
        contestInput({
          funding: { fundShare: 0.5, mode: 'pool' },
          prizes: [
            { place: 1, title: 'A', costMinor: 1, poolPercent: 70 },
            { place: 2, title: 'B', costMinor: 1, poolPercent: 40 },
            { place: 3, title: 'C', costMinor: 1 },
          ],
        }),
      ),
    ).toEqual([
      { path: 'prizes[2].poolPercent', message: 'is required with funding.mode pool' },
      { path: 'prizes', message: 'poolPercent must add up to at most 100, got 110' },
    ]);
  });

  it('checks criteria: unit with absolute, product and counter names, plans for percentOfPlan', () => {
    const issues = issuesOf(
      contestInput({
        criteria: [
          { metric: 'turnover', basis: 'absolute' },
          { metric: 'productUnits', basis: 'absolute', unit: 1 },
          { metric: 'newClients', basis: 'percentOfPlan', unit: 1 },
          { metric: 'deals', basis: 'absolute', unit: 1, minDeals: 3 },
        ],
        participants: [participant('a', { plan: { newClients: 2 } }), participant('b')],
      }),
    );
    expect(issues).toEqual([
      { path: 'criteria[0].unit', message: 'is required with basis absolute' },
      { path: 'criteria[1].product', message: 'is required for metric productUnits' },
      {
        path: 'participants[1].plan.newClients',
        message: 'is required: criteria[2] scores newClients as percentOfPlan',
      },
      { path: 'criteria[2].unit', message: 'is only allowed with basis absolute' },
      { path: 'criteria[3].minDeals', message: 'is only allowed with avgCheck or conversion' },
    ]);
  });

  it('checks participants and the events that reference them', () => {
    const issues = issuesOf(
      contestInput({
        participants: [participant('a'), participant('a')],
        events: [
          sale('a', { amountMinor: 100, id: 'x' }),
          sale('a', { amountMinor: 200, id: 'x' }),
          sale('ghost', { amountMinor: 100 }),
        ],
      }),
    );
    expect(issues).toEqual([
      { path: 'participants[1].id', message: 'duplicate participant id "a"' },
      {
        path: 'events[1].externalId',
        message: 'repeats events[0] (same source and externalId) with a different payload',
      },
      { path: 'events[2].participantId', message: 'unknown participant "ghost"' },
    ]);
  });

  it('checks leagues: every prize names a league the participants can be in', () => {
    const issues = issuesOf(
      contestInput({
        leagues: { by: 'role' },
        prizes: [
          { place: 1, title: 'A', costMinor: 1, league: 'hunter' },
          { place: 1, title: 'B', costMinor: 1, league: 'rookie' },
        ],
        participants: [participant('a', { role: 'hunter' }), participant('b')],
      }),
    );
    expect(issues).toEqual([
      { path: 'participants[1].role', message: 'is required with leagues.by role' },
      {
        path: 'prizes[1].league',
        message: 'unknown league "rookie" (leagues.by role gives hunter, farmer)',
      },
    ]);
  });

  it('gives each cross-field rule its own code, and the values its sentence needs', () => {
    const coded = (input: unknown) => {
      const result = parseContestFile(input);
      if (result.success) throw new Error('expected the file to be rejected');
      return result.issues.map(({ path, code, params }) => ({ path, code, params }));
    };
    expect(
      coded(
        contestInput({
          funding: { fundShare: 0.4, guaranteedMinor: 500, capMinor: 100 },
          leagues: { by: 'role' },
          prizes: [
            { place: 1, title: 'A', costMinor: 1, league: 'hunter' },
            { place: 1, title: 'B', costMinor: 1, league: 'rookie' },
          ],
          participants: [participant('a', { role: 'hunter' }), participant('a')],
        }),
      ),
    ).toEqual([
      { path: 'funding.capMinor', code: 'capBelowGuarantee', params: undefined },
      { path: 'participants[1].id', code: 'duplicateId', params: { id: 'a' } },
      { path: 'participants[1].role', code: 'requiredForLeagues', params: { by: 'role' } },
      {
        path: 'prizes[1].league',
        code: 'unknownLeague',
        params: { league: 'rookie', by: 'role', options: 'hunter, farmer' },
      },
    ]);
  });
});

describe('event validation', () => {
  it('accepts each event type and applies sale defaults', () => {
    const result = parseContestEvent(sale('a', { amountMinor: 100, id: 'e1' }));
    expect(result).toMatchObject({ success: true, data: { isNewClient: false, quantity: 1 } });
  });

  it('names the bad field', () => {
    expect(parseContestEvent({ type: 'refund' })).toEqual({
      success: false,
      issues: [
        {
          path: 'type',
          message: 'must be one of "sale", "lead", "reversal", "counter"',
          code: 'invalid_union',
        },
      ],
    });
    const result = parseContestEvent({
      ...sale('a', { amountMinor: -5 }),
      occurredAt: '2026-03-02',
    });
    expect(result.success).toBe(false);
    if (result.success) return;
    expect(result.issues).toEqual([
      {
        path: 'occurredAt',
        message: 'must be an ISO 8601 instant with a zone, e.g. 2026-03-02T10:00:00Z',
        code: 'invalid_format',
        params: { kind: 'datetime' },
      },
      {
        path: 'amountMinor',
        message: 'must be at least 0',
        code: 'too_small',
        params: { kind: 'inclusive', min: 0 },
      },
    ]);
  });

  const issuesOf = (input: unknown) => {
    const result = parseContestEvent(input);
    return result.success ? [] : sentences(result.issues);
  };

  it('bounds a sale’s money at 10^15 minor units and its margin by its amount', () => {
    const max = 1_000_000_000_000_000;
    expect(issuesOf(sale('a', { amountMinor: max, marginMinor: max }))).toEqual([]);
    expect(issuesOf(sale('a', { amountMinor: max, marginMinor: -max }))).toEqual([]);
    expect(issuesOf(sale('a', { amountMinor: max + 1, marginMinor: 0 }))).toEqual([
      { path: 'amountMinor', message: 'must be at most 1000000000000000' },
    ]);
    expect(issuesOf(sale('a', { amountMinor: 100, marginMinor: -max - 1 }))).toEqual([
      { path: 'marginMinor', message: 'must be at least -1000000000000000' },
    ]);
    // A margin above the amount would be a deal that cost less than nothing.
    expect(issuesOf(sale('a', { amountMinor: 100, marginMinor: 101 }))).toEqual([
      {
        path: 'marginMinor',
        message: 'must not be above amountMinor (100): the margin is what is left of the amount',
      },
    ]);
    expect(issuesOf(sale('a', { amountMinor: 100, marginMinor: 100 }))).toEqual([]);
  });

  it('takes a sale’s quantity positive, finite and at most 10^9', () => {
    expect(issuesOf(sale('a', { amountMinor: 100, quantity: 1_000_000_000 }))).toEqual([]);
    expect(issuesOf(sale('a', { amountMinor: 100, quantity: 0.5 }))).toEqual([]);
    expect(issuesOf(sale('a', { amountMinor: 100, quantity: 1_000_000_001 }))).toEqual([
      { path: 'quantity', message: 'must be at most 1000000000' },
    ]);
    expect(issuesOf(sale('a', { amountMinor: 100, quantity: 0 }))).toEqual([
      { path: 'quantity', message: 'must be greater than 0' },
    ]);
    expect(issuesOf(sale('a', { amountMinor: 100, quantity: Number.POSITIVE_INFINITY }))).toEqual([
      { path: 'quantity', message: 'must be a number' },
    ]);
  });
});

describe('metric kinds', () => {
  it('tells money metrics and ratio metrics apart, for every metric', () => {
    expect(
      metricNames.map((metric) => [metric, isMoneyMetric(metric), isRatioMetric(metric)]),
    ).toEqual([
      ['turnover', true, false],
      ['margin', true, false],
      ['deals', false, false],
      ['newClients', false, false],
      ['avgCheck', true, true],
      ['conversion', false, true],
      ['productTurnover', true, false],
      ['productUnits', false, false],
      ['counter', false, false],
    ]);
  });
});
