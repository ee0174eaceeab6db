import { call } from './http.js';
import { LAUNCH_PAST_GATE } from './launch-gate.js';

const DAY_MS = 86_400_000;

/**
 * A contest over the month around now (from yesterday, 31 days) scoring turnover against a plan
 * of 100,000.00, with one prize: what the ingestion specs count their events into.
 */
export function monthContest(name: string, sellers: readonly { id: string; name: string }[]) {
  return {
    name,
    period: {
      start: new Date(Date.now() - DAY_MS).toISOString().slice(0, 10),
      end: new Date(Date.now() + 30 * DAY_MS).toISOString().slice(0, 10),
    },
    funding: { fundShare: 0.3 },
    prizes: [{ place: 1, title: 'Prize', costMinor: 1_000_000 }],
    criteria: [{ metric: 'turnover', basis: 'percentOfPlan', weight: 1 }],
    participants: sellers.map((seller) => ({
      ...seller,
      plan: { turnoverMinor: 10_000_000, marginMinor: 2_000_000 },
    })),
  };
}

/** Creates {@link monthContest} and launches it; answers its id. */
export async function launchMonthContest(
  url: string,
  token: string,
  name: string,
  sellers: readonly { id: string; name: string }[],
): Promise<string> {
  const created = await call<{ id: string }>(url, 'POST', '/api/contests', {
    token,
    body: monthContest(name, sellers),
  });
  if (created.status !== 201) throw new Error(`contest: ${JSON.stringify(created.body)}`);
  const launched = await call(url, 'POST', `/api/contests/${created.body.id}/launch`, {
    token,
    body: LAUNCH_PAST_GATE,
  });
  if (launched.status !== 200) throw new Error(`launch: ${JSON.stringify(launched.body)}`);
  return created.body.id;
}

/**
 * Sale number `n` of `source`: `<prefix>-<n>` for seller `<seller><n mod 3>`, an hour ago, an
 * amount of 1,000 + n minor units and a margin of 200.
 */
export function numberedSale(source: string, prefix: string, seller: string) {
  const occurredAt = new Date(Date.now() - 3_600_000).toISOString();
  return (n: number, overrides: Record<string, unknown> = {}) => ({
    type: 'sale',
    source,
    externalId: `${prefix}-${n}`,
    participantId: `${seller}${n % 3}`,
    occurredAt,
    amountMinor: 1_000 + n,
    marginMinor: 200,
    ...overrides,
  });
}

/** Three sellers `<seller>0`…`<seller>2`. */
export const threeSellers = (seller: string) =>
  [0, 1, 2].map((n) => ({ id: `${seller}${n}`, name: `Seller ${n}` }));
