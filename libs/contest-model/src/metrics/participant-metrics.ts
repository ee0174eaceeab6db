import type { Measure } from '../rules/contest-file.schema.js';
import type { CounterEvent, LeadEvent, SaleEvent } from '../rules/event.schema.js';

/** Events that add to a participant's metrics (reversals only cancel them). */
export type MetricEvent = SaleEvent | LeadEvent | CounterEvent;

/** Running totals of one participant's counted events. */
export interface ParticipantMetrics {
  turnoverMinor: number;
  marginMinor: number;
  deals: number;
  leads: number;
  /** Distinct new clients by clientId (value: number of sales to them). */
  newClientIds: Map<string, number>;
  /** New-client sales without a clientId: each is one new client. */
  anonymousNewClients: number;
  products: Map<string, { turnoverMinor: number; units: number }>;
  counters: Map<string, number>;
}

export function emptyMetrics(): ParticipantMetrics {
  return {
    turnoverMinor: 0,
    marginMinor: 0,
    deals: 0,
    leads: 0,
    newClientIds: new Map(),
    anonymousNewClients: 0,
    products: new Map(),
    counters: new Map(),
  };
}

/** A copy of counted metrics that shares nothing mutable with them. */
export function copyMetrics(metrics: ParticipantMetrics): ParticipantMetrics {
  return {
    ...metrics,
    newClientIds: new Map(metrics.newClientIds),
    products: new Map(
      [...metrics.products].map(([name, product]) => [name, { ...product }] as const),
    ),
    counters: new Map(metrics.counters),
  };
}

/** Adds one counted event to the totals (mutates `metrics`). */
export function addEventToMetrics({
  metrics,
  event,
}: {
  metrics: ParticipantMetrics;
  event: MetricEvent;
}): void {
  switch (event.type) {
    case 'sale': {
      metrics.turnoverMinor += event.amountMinor;
      metrics.marginMinor += event.marginMinor;
      metrics.deals += 1;
      if (event.isNewClient) {
        if (event.clientId === undefined) {
          metrics.anonymousNewClients += 1;
        } else {
          metrics.newClientIds.set(
            event.clientId,
            (metrics.newClientIds.get(event.clientId) ?? 0) + 1,
          );
        }
      }
      if (event.product !== undefined) {
        const product = metrics.products.get(event.product) ?? { turnoverMinor: 0, units: 0 };
        product.turnoverMinor += event.amountMinor;
        product.units += event.quantity;
        metrics.products.set(event.product, product);
      }
      break;
    }
    case 'lead':
      metrics.leads += 1;
      break;
    case 'counter':
      metrics.counters.set(event.name, (metrics.counters.get(event.name) ?? 0) + event.value);
      break;
  }
}

export function newClientCount(metrics: ParticipantMetrics): number {
  return metrics.newClientIds.size + metrics.anonymousNewClients;
}

/** Identifies what a measure counts: `turnover`, `productUnits:X`, `counter:calls`. */
export function measureKey(measure: Pick<Measure, 'metric' | 'product' | 'name'>): string {
  switch (measure.metric) {
    case 'productTurnover':
    case 'productUnits':
      return `${measure.metric}:${measure.product ?? ''}`;
    case 'counter':
      return `counter:${measure.name ?? ''}`;
    default:
      return measure.metric;
  }
}

/**
 * A hypothetical extra amount of one measure, for "what it takes". The amount is in the metric's
 * own units (minor units, deals, clients, units, counter value), except for `conversion`, where it
 * is additional won deals on the same leads.
 */
export interface MetricAdjustment {
  measureKey: string;
  amount: number;
}

/** A metric value with the sample sizes ratio metrics need; `value` null when undefined (0 deals). */
export interface MetricReading {
  value: number | null;
  deals: number;
  leads: number;
}

export function readMetric({
  metrics,
  measure,
  adjustment,
}: {
  metrics: ParticipantMetrics;
  measure: Measure;
  adjustment?: MetricAdjustment | undefined;
}): MetricReading {
  const extra =
    adjustment !== undefined && adjustment.measureKey === measureKey(measure)
      ? adjustment.amount
      : 0;
  return readMetricInto(metrics, measure, extra, { value: null, deals: 0, leads: 0 });
}

/**
 * {@link readMetric} with `extra` of the measure's own metric already resolved, written into
 * `into` (scoring reads millions of metrics in a simulation; positional so nothing is allocated).
 */
export function readMetricInto(
  metrics: ParticipantMetrics,
  measure: Measure,
  extra: number,
  into: MetricReading,
): MetricReading {
  const { deals, leads } = metrics;
  into.deals = deals;
  into.leads = leads;
  switch (measure.metric) {
    case 'turnover':
      into.value = metrics.turnoverMinor + extra;
      break;
    case 'margin':
      into.value = metrics.marginMinor + extra;
      break;
    case 'deals':
      into.value = deals + extra;
      break;
    case 'newClients':
      into.value = newClientCount(metrics) + extra;
      break;
    case 'avgCheck':
      into.value = deals > 0 ? metrics.turnoverMinor / deals + extra : null;
      break;
    case 'conversion': {
      const won = deals + extra;
      into.value = leads > 0 ? (100 * won) / leads : null;
      into.deals = won;
      break;
    }
    case 'productTurnover':
      into.value = (metrics.products.get(measure.product ?? '')?.turnoverMinor ?? 0) + extra;
      break;
    case 'productUnits':
      into.value = (metrics.products.get(measure.product ?? '')?.units ?? 0) + extra;
      break;
    case 'counter':
      into.value = (metrics.counters.get(measure.name ?? '') ?? 0) + extra;
      break;
  }
  return into;
}
