import type { ContestEvent } from '@podium/contest-model';
import { MONTH_MS, normal, poisson, ramp, type DemoSeller } from './demo-company.js';

/** The pace of the demo: the team does about 8 % better than usual during the contests. */
const UPLIFT = 1.08;
const WORKDAYS_PER_MONTH = 21;

/** One seller's events of one working day, as the CRM would send them. */
export function dayOfDeals(
  seller: DemoSeller,
  dayStartMs: number,
  random: () => number,
  nextId: () => string,
): ContestEvent[] {
  const tenure = (dayStartMs - Date.parse(seller.hiredOn)) / MONTH_MS;
  if (tenure < 0) return [];
  const pace = ramp(tenure) * UPLIFT;
  const dealsMean = (seller.turnoverMeanMinor / seller.avgCheckMinor / WORKDAYS_PER_MONTH) * pace;
  const events: ContestEvent[] = [];
  const at = () => new Date(dayStartMs + (9 + 9 * random()) * 3_600_000).toISOString();
  for (let deal = poisson(random, dealsMean); deal > 0; deal -= 1) {
    events.push(saleOf(seller, at(), random, nextId(), dealsMean));
  }
  for (let lead = poisson(random, dealsMean * seller.leadsPerDeal); lead > 0; lead -= 1) {
    events.push({
      type: 'lead',
      source: 'demo-crm',
      externalId: nextId(),
      participantId: seller.id,
      occurredAt: at(),
    });
  }
  return events;
}

export function saleOf(
  seller: DemoSeller,
  occurredAt: string,
  random: () => number,
  externalId: string,
  dealsPerDay: number,
): ContestEvent {
  const amountMinor = Math.max(
    100_000,
    Math.round((seller.avgCheckMinor * Math.exp(0.5 * normal(random) - 0.125)) / 100) * 100,
  );
  const newClientChance = Math.min(
    0.9,
    seller.newClientsMean / WORKDAYS_PER_MONTH / Math.max(dealsPerDay, 0.01),
  );
  const isNewClient = random() < newClientChance;
  return {
    type: 'sale',
    source: 'demo-crm',
    externalId,
    participantId: seller.id,
    occurredAt,
    amountMinor,
    marginMinor: Math.round(amountMinor * seller.marginRate * (0.85 + 0.3 * random())),
    clientId: isNewClient
      ? `new-${externalId}`
      : `client-${seller.id}-${Math.floor(random() * 40)}`,
    isNewClient,
    quantity: 1,
  };
}
